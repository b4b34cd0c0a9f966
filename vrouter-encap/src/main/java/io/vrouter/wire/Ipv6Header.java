package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * IPv6 fixed header (RFC 8200) flyweight. Addresses are two {@code long}s: hi = bytes 0..7, lo = bytes 8..15.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version| Traffic Class |           Flow Label                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Payload Length        |  Next Header  |   Hop Limit   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +                   Source Address (128 bits)                   +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +                Destination Address (128 bits)                 +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6Header
{
    /**
     * Version, traffic class and flow label word offset.
     */
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;

    /**
     * Payload length offset.
     */
    public static final int PAYLOAD_LENGTH_OFFSET = 4;

    /**
     * Next header offset.
     */
    public static final int NEXT_HEADER_OFFSET = 6;

    /**
     * Hop limit offset.
     */
    public static final int HOP_LIMIT_OFFSET = 7;

    /**
     * Source address offset.
     */
    public static final int SRC_ADDRESS_OFFSET = 8;

    /**
     * Destination address offset.
     */
    public static final int DST_ADDRESS_OFFSET = 24;

    /**
     * Fixed header length.
     */
    public static final int HEADER_LENGTH = 40;

    /**
     * Minimum link MTU every IPv6 link supports.
     */
    public static final int MIN_MTU = 1280;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a header.
     *
     * @param buffer holding the header.
     * @param offset of the first byte.
     * @return this.
     */
    public Ipv6Header wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return version (6).
     */
    public int version()
    {
        return version(buffer, offset);
    }

    /**
     * @return traffic class.
     */
    public int trafficClass()
    {
        return (buffer.getInt(offset, ByteOrder.BIG_ENDIAN) >>> 20) & 0xFF;
    }

    /**
     * @return flow label (20 bits).
     */
    public int flowLabel()
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0xF_FFFF;
    }

    /**
     * Write version 6, traffic class and flow label.
     *
     * @param trafficClass 8 bits.
     * @param flowLabel    20 bits.
     * @return this.
     */
    public Ipv6Header versionClassFlow(final int trafficClass, final int flowLabel)
    {
        buffer.putInt(offset, (6 << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & 0xF_FFFF), ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return payload length.
     */
    public int payloadLength()
    {
        return payloadLength(buffer, offset);
    }

    /**
     * @param length payload length.
     * @return this.
     */
    public Ipv6Header payloadLength(final int length)
    {
        buffer.putShort(offset + PAYLOAD_LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return next header.
     */
    public int nextHeader()
    {
        return nextHeader(buffer, offset);
    }

    /**
     * @param nextHeader next header.
     * @return this.
     */
    public Ipv6Header nextHeader(final int nextHeader)
    {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        return this;
    }

    /**
     * @return hop limit.
     */
    public int hopLimit()
    {
        return hopLimit(buffer, offset);
    }

    /**
     * @param hopLimit hop limit.
     * @return this.
     */
    public Ipv6Header hopLimit(final int hopLimit)
    {
        buffer.putByte(offset + HOP_LIMIT_OFFSET, (byte)hopLimit);
        return this;
    }

    /**
     * @return source address, high 64 bits.
     */
    public long srcAddressHi()
    {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @return source address, low 64 bits.
     */
    public long srcAddressLo()
    {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param hi high 64 bits.
     * @param lo low 64 bits.
     * @return this.
     */
    public Ipv6Header srcAddress(final long hi, final long lo)
    {
        buffer.putLong(offset + SRC_ADDRESS_OFFSET, hi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + SRC_ADDRESS_OFFSET + 8, lo, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return destination address, high 64 bits.
     */
    public long dstAddressHi()
    {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @return destination address, low 64 bits.
     */
    public long dstAddressLo()
    {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param hi high 64 bits.
     * @param lo low 64 bits.
     * @return this.
     */
    public Ipv6Header dstAddress(final long hi, final long lo)
    {
        buffer.putLong(offset + DST_ADDRESS_OFFSET, hi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + DST_ADDRESS_OFFSET + 8, lo, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return version.
     */
    public static int version(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset) & 0xF0) >>> 4;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return payload length.
     */
    public static int payloadLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return next header.
     */
    public static int nextHeader(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return hop limit.
     */
    public static int hopLimit(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + HOP_LIMIT_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return source address, high 64 bits.
     */
    public static long srcAddressHi(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return source address, low 64 bits.
     */
    public static long srcAddressLo(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return destination address, high 64 bits.
     */
    public static long dstAddressHi(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return destination address, low 64 bits.
     */
    public static long dstAddressLo(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Decrement the hop limit (IPv6 has no header checksum).
     *
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the new hop limit.
     */
    public static int decrementHopLimit(final MutableDirectBuffer buffer, final int offset)
    {
        final int hopLimit = hopLimit(buffer, offset) - 1;
        buffer.putByte(offset + HOP_LIMIT_OFFSET, (byte)hopLimit);
        return hopLimit & 0xFF;
    }
}
