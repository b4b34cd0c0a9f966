package io.vrouter.core.request;

/**
 * One field of a sandesh struct as its typed request record maps it: the struct it belongs to, its
 * name in Contrail's {@code vr.sandesh} and how its value is written in text. Every record declares
 * its fields once, as an enum implementing this interface; the text readers (vtest XML) and error
 * messages take names and kinds from there.
 */
public interface SandeshField
{
    /**
     * The struct the field belongs to.
     *
     * @return e.g. {@code vr_interface_req}.
     */
    String struct();

    /**
     * The field's sandesh name.
     *
     * @return e.g. {@code vifr_idx}.
     */
    String fieldName();

    /**
     * How the value is written in text.
     *
     * @return the kind.
     */
    FieldKind kind();

    /**
     * The field as error messages name it.
     *
     * @return e.g. {@code vr_interface_req.vifr_idx}.
     */
    default String path()
    {
        return struct() + "." + fieldName();
    }
}
