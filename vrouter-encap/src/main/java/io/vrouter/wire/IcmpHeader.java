package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * ICMP for IPv4 (RFC 792, RFC 1191) header flyweight.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code      |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | echo: Identifier              | echo: Sequence Number         |
 *  | type 3 code 4: unused (0)     | type 3 code 4: Next-Hop MTU   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Data (errors: IP header + first 8 bytes of the datagram)  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class IcmpHeader
{
    /**
     * Type offset.
     */
    public static final int TYPE_OFFSET = 0;

    /**
     * Code offset.
     */
    public static final int CODE_OFFSET = 1;

    /**
     * Checksum offset.
     */
    public static final int CHECKSUM_OFFSET = 2;

    /**
     * Echo identifier offset.
     */
    public static final int IDENTIFIER_OFFSET = 4;

    /**
     * Echo sequence number offset.
     */
    public static final int SEQUENCE_OFFSET = 6;

    /**
     * Next-hop MTU offset (destination unreachable, fragmentation needed).
     */
    public static final int NEXT_HOP_MTU_OFFSET = 6;

    /**
     * Header length.
     */
    public static final int HEADER_LENGTH = 8;

    /**
     * Echo reply.
     */
    public static final int TYPE_ECHO_REPLY = 0;

    /**
     * Destination unreachable.
     */
    public static final int TYPE_DEST_UNREACHABLE = 3;

    /**
     * Echo request.
     */
    public static final int TYPE_ECHO_REQUEST = 8;

    /**
     * Time exceeded.
     */
    public static final int TYPE_TIME_EXCEEDED = 11;

    /**
     * Destination unreachable code: fragmentation needed and DF set.
     */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a header.
     *
     * @param buffer holding the header.
     * @param offset of the first byte.
     * @return this.
     */
    public IcmpHeader wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return type.
     */
    public int type()
    {
        return type(buffer, offset);
    }

    /**
     * @param type type.
     * @return this.
     */
    public IcmpHeader type(final int type)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        return this;
    }

    /**
     * @return code.
     */
    public int code()
    {
        return code(buffer, offset);
    }

    /**
     * @param code code.
     * @return this.
     */
    public IcmpHeader code(final int code)
    {
        buffer.putByte(offset + CODE_OFFSET, (byte)code);
        return this;
    }

    /**
     * @return checksum field.
     */
    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param checksum checksum field.
     * @return this.
     */
    public IcmpHeader checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return echo identifier.
     */
    public int identifier()
    {
        return buffer.getShort(offset + IDENTIFIER_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param identifier echo identifier.
     * @return this.
     */
    public IcmpHeader identifier(final int identifier)
    {
        buffer.putShort(offset + IDENTIFIER_OFFSET, (short)identifier, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return echo sequence number.
     */
    public int sequence()
    {
        return buffer.getShort(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param sequence echo sequence number.
     * @return this.
     */
    public IcmpHeader sequence(final int sequence)
    {
        buffer.putShort(offset + SEQUENCE_OFFSET, (short)sequence, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return next-hop MTU of a fragmentation-needed message.
     */
    public int nextHopMtu()
    {
        return buffer.getShort(offset + NEXT_HOP_MTU_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param mtu next-hop MTU (also zeroes the unused 16 bits before it).
     * @return this.
     */
    public IcmpHeader nextHopMtu(final int mtu)
    {
        buffer.putInt(offset + IDENTIFIER_OFFSET, mtu & 0xFFFF, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Compute and store the checksum over the whole message.
     *
     * @param length message length (header + data).
     * @return this.
     */
    public IcmpHeader updateChecksum(final int length)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0);
        buffer.putShort(
            offset + CHECKSUM_OFFSET, (short)Checksums.checksum(buffer, offset, length), ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return type.
     */
    public static int type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return code.
     */
    public static int code(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return true if the message type is an error (destination unreachable, source quench, redirect, time
     * exceeded, parameter problem); errors must never be sent about errors.
     */
    public static boolean isError(final DirectBuffer buffer, final int offset)
    {
        final int type = type(buffer, offset);
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }
}
