package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * UDP header (RFC 768) flyweight.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Length             |           Checksum            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Checksum 0 over IPv4 means "not computed".
 */
public final class UdpHeader
{
    /**
     * Source port offset.
     */
    public static final int SRC_PORT_OFFSET = 0;

    /**
     * Destination port offset.
     */
    public static final int DST_PORT_OFFSET = 2;

    /**
     * Length offset.
     */
    public static final int LENGTH_OFFSET = 4;

    /**
     * Checksum offset.
     */
    public static final int CHECKSUM_OFFSET = 6;

    /**
     * Header length.
     */
    public static final int HEADER_LENGTH = 8;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a header.
     *
     * @param buffer holding the header.
     * @param offset of the first byte.
     * @return this.
     */
    public UdpHeader wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return source port.
     */
    public int srcPort()
    {
        return srcPort(buffer, offset);
    }

    /**
     * @param port source port.
     * @return this.
     */
    public UdpHeader srcPort(final int port)
    {
        buffer.putShort(offset + SRC_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return destination port.
     */
    public int dstPort()
    {
        return dstPort(buffer, offset);
    }

    /**
     * @param port destination port.
     * @return this.
     */
    public UdpHeader dstPort(final int port)
    {
        buffer.putShort(offset + DST_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return length (header + payload).
     */
    public int length()
    {
        return length(buffer, offset);
    }

    /**
     * @param length header + payload length.
     * @return this.
     */
    public UdpHeader length(final int length)
    {
        buffer.putShort(offset + LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return checksum field.
     */
    public int checksum()
    {
        return checksum(buffer, offset);
    }

    /**
     * @param checksum checksum field.
     * @return this.
     */
    public UdpHeader checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return source port.
     */
    public static int srcPort(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + SRC_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return destination port.
     */
    public static int dstPort(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + DST_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return length.
     */
    public static int length(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return checksum field.
     */
    public static int checksum(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }
}
