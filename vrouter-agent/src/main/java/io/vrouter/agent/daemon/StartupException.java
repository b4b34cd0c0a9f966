package io.vrouter.agent.daemon;

/**
 * A reason the daemon cannot start, with the process exit code it maps to (docs/vrouterd.md).
 */
public final class StartupException extends Exception
{
    /** Unexpected internal failure. */
    public static final int EXIT_INTERNAL = 1;
    /** Bad configuration file or flags. */
    public static final int EXIT_CONFIG = 2;
    /** Not running as root. */
    public static final int EXIT_NOT_ROOT = 3;
    /** The fabric address cannot be bound (not on any interface, or port in use). */
    public static final int EXIT_FABRIC = 4;
    /** The control socket is in use by a live daemon or cannot be created. */
    public static final int EXIT_SOCKET = 5;
    /** The introspect port cannot be bound. */
    public static final int EXIT_INTROSPECT = 6;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * A startup failure.
     *
     * @param exitCode the exit code.
     * @param message  the message for the operator.
     */
    public StartupException(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * The exit code.
     *
     * @return the code.
     */
    public int exitCode()
    {
        return exitCode;
    }
}
