package io.vrouter.core.request;

/**
 * A programming request refused during validation: carries Contrail's return code and a message
 * saying which field was wrong. Thrown before anything is applied, so the tables are untouched.
 */
public final class RequestException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final int code;

    /**
     * A refusal.
     *
     * @param code    negative errno.
     * @param message what was wrong, naming the field.
     */
    public RequestException(final int code, final String message)
    {
        super(message, null, false, false);
        this.code = code;
    }

    /**
     * A refusal that names the field it is about, as every refusal on the control path does.
     *
     * @param code  negative errno.
     * @param field the field.
     * @param why   what is wrong with it.
     * @return the exception, to throw.
     */
    public static RequestException refuse(final int code, final SandeshField field, final String why)
    {
        return new RequestException(code, field.path() + ": " + why);
    }

    /**
     * The return code.
     *
     * @return negative errno.
     */
    public int code()
    {
        return code;
    }
}
