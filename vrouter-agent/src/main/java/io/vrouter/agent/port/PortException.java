package io.vrouter.agent.port;

/**
 * A pod port operation failed; carries Contrail's negative errno and a message for the client.
 */
public final class PortException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final int code;

    /**
     * A failure.
     *
     * @param code    negative errno.
     * @param message what went wrong.
     */
    public PortException(final int code, final String message)
    {
        super(message);
        this.code = code < 0 ? code : -Math.max(code, 1);
    }

    /**
     * The negative errno.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }
}
