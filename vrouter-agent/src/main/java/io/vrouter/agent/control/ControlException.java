package io.vrouter.agent.control;

/**
 * A control-socket failure: the daemon is not running, the connection broke, or the daemon refused a
 * whole frame (garbage, oversized, not root). Carries Contrail's return code (a negative errno).
 */
public final class ControlException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int code;

    /**
     * A failure with a code.
     *
     * @param code    a negative errno.
     * @param message what went wrong.
     */
    public ControlException(final int code, final String message)
    {
        super(message);
        this.code = code;
    }

    /**
     * A failure caused by an I/O error.
     *
     * @param code    a negative errno.
     * @param message what went wrong.
     * @param cause   the cause.
     */
    public ControlException(final int code, final String message, final Throwable cause)
    {
        super(message, cause);
        this.code = code;
    }

    /**
     * The return code.
     *
     * @return a negative errno.
     */
    public int code()
    {
        return code;
    }
}
