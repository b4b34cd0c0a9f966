package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * IPv4 header (RFC 791) flyweight.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |Type of Service|          Total Length         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |Flags|      Fragment Offset    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Source Address                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Destination Address                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Options                    |    Padding    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Flags: bit 0 reserved, DF = 0x4000, MF = 0x2000 in the 16-bit flags/fragment word; the fragment offset is in
 * 8-byte units.
 */
public final class Ipv4Header
{
    /**
     * Version (high nibble) and IHL (low nibble, 32-bit words) offset.
     */
    public static final int VERSION_IHL_OFFSET = 0;

    /**
     * Type of service / DSCP+ECN offset.
     */
    public static final int TOS_OFFSET = 1;

    /**
     * Total length offset.
     */
    public static final int TOTAL_LENGTH_OFFSET = 2;

    /**
     * Identification offset.
     */
    public static final int IDENTIFICATION_OFFSET = 4;

    /**
     * Flags and fragment offset word offset.
     */
    public static final int FLAGS_FRAGMENT_OFFSET = 6;

    /**
     * Time to live offset.
     */
    public static final int TTL_OFFSET = 8;

    /**
     * Protocol offset.
     */
    public static final int PROTOCOL_OFFSET = 9;

    /**
     * Header checksum offset.
     */
    public static final int CHECKSUM_OFFSET = 10;

    /**
     * Source address offset.
     */
    public static final int SRC_ADDRESS_OFFSET = 12;

    /**
     * Destination address offset.
     */
    public static final int DST_ADDRESS_OFFSET = 16;

    /**
     * Header length without options.
     */
    public static final int MIN_LENGTH = 20;

    /**
     * Version 4, IHL 5 as the first byte.
     */
    public static final int VERSION_IHL_DEFAULT = 0x45;

    /**
     * Don't fragment flag in the flags/fragment word.
     */
    public static final int FLAG_DF = 0x4000;

    /**
     * More fragments flag in the flags/fragment word.
     */
    public static final int FLAG_MF = 0x2000;

    /**
     * Fragment offset mask in the flags/fragment word (8-byte units).
     */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a header.
     *
     * @param buffer holding the header.
     * @param offset of the first byte.
     * @return this.
     */
    public Ipv4Header wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return offset of the header in the buffer.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return version (4 for IPv4).
     */
    public int version()
    {
        return version(buffer, offset);
    }

    /**
     * @return header length in bytes (IHL * 4).
     */
    public int headerLength()
    {
        return headerLength(buffer, offset);
    }

    /**
     * @param version      4.
     * @param headerLength header length in bytes, multiple of 4.
     * @return this.
     */
    public Ipv4Header versionAndHeaderLength(final int version, final int headerLength)
    {
        buffer.putByte(offset + VERSION_IHL_OFFSET, (byte)((version << 4) | (headerLength >>> 2)));
        return this;
    }

    /**
     * @return type of service byte.
     */
    public int tos()
    {
        return buffer.getByte(offset + TOS_OFFSET) & 0xFF;
    }

    /**
     * @param tos type of service byte.
     * @return this.
     */
    public Ipv4Header tos(final int tos)
    {
        buffer.putByte(offset + TOS_OFFSET, (byte)tos);
        return this;
    }

    /**
     * @return total length in bytes.
     */
    public int totalLength()
    {
        return totalLength(buffer, offset);
    }

    /**
     * @param totalLength total length in bytes.
     * @return this.
     */
    public Ipv4Header totalLength(final int totalLength)
    {
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)totalLength, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return identification.
     */
    public int identification()
    {
        return identification(buffer, offset);
    }

    /**
     * @param identification identification.
     * @return this.
     */
    public Ipv4Header identification(final int identification)
    {
        buffer.putShort(offset + IDENTIFICATION_OFFSET, (short)identification, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return the 16-bit flags and fragment offset word.
     */
    public int flagsAndFragmentOffset()
    {
        return flagsAndFragmentOffset(buffer, offset);
    }

    /**
     * @param value the 16-bit flags and fragment offset word.
     * @return this.
     */
    public Ipv4Header flagsAndFragmentOffset(final int value)
    {
        buffer.putShort(offset + FLAGS_FRAGMENT_OFFSET, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return true if DF is set.
     */
    public boolean isDontFragment()
    {
        return 0 != (flagsAndFragmentOffset() & FLAG_DF);
    }

    /**
     * @return true if this is a fragment (MF set or non-zero fragment offset).
     */
    public boolean isFragment()
    {
        return isFragment(buffer, offset);
    }

    /**
     * @return fragment offset in bytes.
     */
    public int fragmentOffsetBytes()
    {
        return (flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK) << 3;
    }

    /**
     * @return time to live.
     */
    public int ttl()
    {
        return ttl(buffer, offset);
    }

    /**
     * @param ttl time to live (checksum not updated).
     * @return this.
     */
    public Ipv4Header ttl(final int ttl)
    {
        buffer.putByte(offset + TTL_OFFSET, (byte)ttl);
        return this;
    }

    /**
     * @return protocol.
     */
    public int protocol()
    {
        return protocol(buffer, offset);
    }

    /**
     * @param protocol protocol.
     * @return this.
     */
    public Ipv4Header protocol(final int protocol)
    {
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        return this;
    }

    /**
     * @return header checksum field.
     */
    public int checksum()
    {
        return checksum(buffer, offset);
    }

    /**
     * @param checksum header checksum field.
     * @return this.
     */
    public Ipv4Header checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return source address.
     */
    public int srcAddress()
    {
        return srcAddress(buffer, offset);
    }

    /**
     * @param address source address (checksum not updated).
     * @return this.
     */
    public Ipv4Header srcAddress(final int address)
    {
        buffer.putInt(offset + SRC_ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return destination address.
     */
    public int dstAddress()
    {
        return dstAddress(buffer, offset);
    }

    /**
     * @param address destination address (checksum not updated).
     * @return this.
     */
    public Ipv4Header dstAddress(final int address)
    {
        buffer.putInt(offset + DST_ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Recompute and store the header checksum.
     *
     * @return this.
     */
    public Ipv4Header updateChecksum()
    {
        Checksums.updateIpv4HeaderChecksum(buffer, offset);
        return this;
    }

    /**
     * @return true if the stored header checksum is valid.
     */
    public boolean isChecksumValid()
    {
        return Checksums.isIpv4HeaderChecksumValid(buffer, offset, headerLength());
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return version.
     */
    public static int version(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xF0) >>> 4;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return header length in bytes (IHL * 4).
     */
    public static int headerLength(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) & 0x0F) << 2;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return total length in bytes.
     */
    public static int totalLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return identification.
     */
    public static int identification(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the flags and fragment offset word.
     */
    public static int flagsAndFragmentOffset(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FLAGS_FRAGMENT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return true if MF is set or the fragment offset is non-zero.
     */
    public static boolean isFragment(final DirectBuffer buffer, final int offset)
    {
        return 0 != (flagsAndFragmentOffset(buffer, offset) & (FLAG_MF | FRAGMENT_OFFSET_MASK));
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return time to live.
     */
    public static int ttl(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return protocol.
     */
    public static int protocol(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return header checksum field.
     */
    public static int checksum(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return source address.
     */
    public static int srcAddress(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SRC_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return destination address.
     */
    public static int dstAddress(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + DST_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Decrement the TTL and patch the header checksum incrementally (RFC 1624). The caller has checked TTL &gt; 1
     * (or decides what to do with 0).
     *
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the new TTL.
     */
    public static int decrementTtl(final MutableDirectBuffer buffer, final int offset)
    {
        final int oldWord = buffer.getShort(offset + TTL_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int newWord = (oldWord - 0x100) & 0xFFFF;
        final int checksum = checksum(buffer, offset);
        buffer.putShort(offset + TTL_OFFSET, (short)newWord, ByteOrder.BIG_ENDIAN);
        buffer.putShort(
            offset + CHECKSUM_OFFSET, (short)Checksums.adjust16(checksum, oldWord, newWord), ByteOrder.BIG_ENDIAN);

        return newWord >>> 8;
    }

    /**
     * Rewrite the source address and patch the header checksum incrementally (transport checksums are the
     * caller's concern).
     *
     * @param buffer  holding the header.
     * @param offset  of the header.
     * @param address new source address.
     */
    public static void rewriteSrcAddress(final MutableDirectBuffer buffer, final int offset, final int address)
    {
        final int old = srcAddress(buffer, offset);
        buffer.putInt(offset + SRC_ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + CHECKSUM_OFFSET,
            (short)Checksums.adjust32(checksum(buffer, offset), old, address), ByteOrder.BIG_ENDIAN);
    }

    /**
     * Rewrite the destination address and patch the header checksum incrementally.
     *
     * @param buffer  holding the header.
     * @param offset  of the header.
     * @param address new destination address.
     */
    public static void rewriteDstAddress(final MutableDirectBuffer buffer, final int offset, final int address)
    {
        final int old = dstAddress(buffer, offset);
        buffer.putInt(offset + DST_ADDRESS_OFFSET, address, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + CHECKSUM_OFFSET,
            (short)Checksums.adjust32(checksum(buffer, offset), old, address), ByteOrder.BIG_ENDIAN);
    }
}
