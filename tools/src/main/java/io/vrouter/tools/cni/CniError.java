package io.vrouter.tools.cni;

/**
 * A CNI error result: one of the specification's codes (1-99) or this plugin's (100 and up), a message
 * and details.
 */
final class CniError extends Exception
{
    /** Incompatible CNI version. */
    static final int INCOMPATIBLE_VERSION = 1;
    /** Unsupported field in the network configuration. */
    static final int UNSUPPORTED_FIELD = 2;
    /** Container unknown or does not exist. */
    static final int UNKNOWN_CONTAINER = 3;
    /** Invalid necessary environment variables. */
    static final int INVALID_ENVIRONMENT = 4;
    /** I/O failure. */
    static final int IO_FAILURE = 5;
    /** Failed to decode content. */
    static final int DECODING_FAILURE = 6;
    /** Invalid network configuration. */
    static final int INVALID_CONFIG = 7;
    /** Try again later. */
    static final int TRY_AGAIN_LATER = 11;
    /** vrouterd refused the request (its errno in the details). */
    static final int AGENT_REFUSED = 100;
    /** CHECK found the interface not as the agent has it. */
    static final int CHECK_FAILED = 101;

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String details;

    CniError(final int code, final String message, final String details)
    {
        super(message);
        this.code = code;
        this.details = details;
    }

    CniError(final int code, final String message)
    {
        this(code, message, "");
    }

    int code()
    {
        return code;
    }

    String details()
    {
        return details;
    }
}
