package io.vrouter.agent.control;

/**
 * A frame that does not decode: truncated, garbage, a bad tag or a count larger than the bytes that
 * follow. The only exception {@link ControlCodec}'s decoders throw.
 */
public final class DecodeException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * A decode failure.
     *
     * @param message what was wrong and where.
     */
    public DecodeException(final String message)
    {
        super(message);
    }
}
