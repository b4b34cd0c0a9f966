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
     * The return code.
     *
     * @return negative errno.
     */
    public int code()
    {
        return code;
    }
}
