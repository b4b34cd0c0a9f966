package io.vrouter.core.request;

/**
 * {@code sandesh_op}: what a request asks for. Values are Contrail's.
 */
public enum Op
{
    ADD(0, "Add"),
    GET(1, "Get"),
    DELETE(2, "Delete"),
    DUMP(3, "Dump"),
    RESPONSE(4, "Response"),
    RESET(5, "Reset");

    private final int code;
    private final String xmlName;

    Op(final int code, final String xmlName)
    {
        this.code = code;
        this.xmlName = xmlName;
    }

    /**
     * The wire value.
     *
     * @return sandesh_op value.
     */
    public int code()
    {
        return code;
    }

    /**
     * The word vtest XML uses ({@code Add}, {@code Get}, ...).
     *
     * @return the name.
     */
    public String xmlName()
    {
        return xmlName;
    }

    /**
     * Parses the vtest word or the number.
     *
     * @param text {@code Add}/{@code Get}/{@code Delete}/{@code Dump}/{@code Reset} (any case) or a number.
     * @return the op.
     * @throws IllegalArgumentException for anything else.
     */
    public static Op parse(final String text)
    {
        final String t = text.trim();
        for (final Op op : values())
        {
            if (op.xmlName.equalsIgnoreCase(t) || String.valueOf(op.code).equals(t) || op.name().equalsIgnoreCase(t)
                || ("Del".equalsIgnoreCase(t) && op == DELETE))
            {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown h_op '" + text + "'");
    }
}
