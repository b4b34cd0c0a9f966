package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Internet checksums: RFC 1071 one's-complement sums, IPv4 header checksum, TCP/UDP/ICMPv6 checksums with the
 * IPv4/IPv6 pseudo-header, and RFC 1624 incremental updates.
 * <p>
 * A <em>sum</em> is an unfolded {@code long} accumulator of 16-bit big-endian words (32-bit words are added whole,
 * which is equivalent modulo 0xFFFF). Sums can be chained when every region but the last has an even length.
 * {@link #fold(long)} reduces a sum to 16 bits and {@link #finish(long)} returns the complemented checksum field
 * value. Everything here is allocation-free.
 */
public final class Checksums
{
    private Checksums()
    {
    }

    /**
     * Add the bytes of a region to a running sum, as 16-bit big-endian words; an odd last byte is padded with zero.
     *
     * @param buffer holding the region.
     * @param offset start of the region.
     * @param length of the region in bytes.
     * @param sum    running sum to add to (0 to start).
     * @return the new unfolded sum.
     */
    public static long sum(final DirectBuffer buffer, final int offset, final int length, final long sum)
    {
        long acc = sum;
        int index = offset;
        final int end = offset + length;

        while (end - index >= 8)
        {
            final long word = buffer.getLong(index, ByteOrder.BIG_ENDIAN);
            acc += (word >>> 32) + (word & 0xFFFF_FFFFL);
            index += 8;
        }
        if (end - index >= 4)
        {
            acc += buffer.getInt(index, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            index += 4;
        }
        if (end - index >= 2)
        {
            acc += buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            index += 2;
        }
        if (end - index == 1)
        {
            acc += (buffer.getByte(index) & 0xFF) << 8;
        }

        return acc;
    }

    /**
     * Fold a sum to 16 bits with end-around carry.
     *
     * @param sum unfolded sum.
     * @return one's-complement sum in 0..0xFFFF.
     */
    public static int fold(final long sum)
    {
        // Straight-line end-around carry: < 2^33, then < 2^17 + 2^16, then <= 0x10001, then <= 0xFFFF.
        long value = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        value = (value & 0xFFFF) + (value >>> 16);
        value = (value & 0xFFFF) + (value >>> 16);
        value = (value & 0xFFFF) + (value >>> 16);

        return (int)value;
    }

    /**
     * Checksum field value for a sum: the complement of the folded sum.
     *
     * @param sum unfolded sum.
     * @return checksum in 0..0xFFFF.
     */
    public static int finish(final long sum)
    {
        return ~fold(sum) & 0xFFFF;
    }

    /**
     * RFC 1071 checksum of a region.
     *
     * @param buffer holding the region.
     * @param offset start of the region.
     * @param length of the region in bytes.
     * @return checksum in 0..0xFFFF.
     */
    public static int checksum(final DirectBuffer buffer, final int offset, final int length)
    {
        return finish(sum(buffer, offset, length, 0));
    }

    /**
     * Compute the IPv4 header checksum (the stored checksum field is ignored). Header length is taken from IHL.
     *
     * @param buffer   holding the header.
     * @param ipOffset start of the IPv4 header.
     * @return checksum in 0..0xFFFF.
     */
    public static int ipv4HeaderChecksum(final DirectBuffer buffer, final int ipOffset)
    {
        final int headerLength = (buffer.getByte(ipOffset) & 0x0F) << 2;
        long sum = sum(buffer, ipOffset, Ipv4Header.CHECKSUM_OFFSET, 0);
        sum = sum(buffer, ipOffset + Ipv4Header.SRC_ADDRESS_OFFSET, headerLength - Ipv4Header.SRC_ADDRESS_OFFSET, sum);

        return finish(sum);
    }

    /**
     * Compute and store the IPv4 header checksum.
     *
     * @param buffer   holding the header.
     * @param ipOffset start of the IPv4 header.
     */
    public static void updateIpv4HeaderChecksum(final MutableDirectBuffer buffer, final int ipOffset)
    {
        buffer.putShort(
            ipOffset + Ipv4Header.CHECKSUM_OFFSET, (short)ipv4HeaderChecksum(buffer, ipOffset), ByteOrder.BIG_ENDIAN);
    }

    /**
     * Verify an IPv4 header checksum: the sum over the header including the checksum field must be 0xFFFF.
     *
     * @param buffer       holding the header.
     * @param ipOffset     start of the IPv4 header.
     * @param headerLength header length in bytes (IHL * 4), already validated against the buffer.
     * @return true if valid.
     */
    public static boolean isIpv4HeaderChecksumValid(
        final DirectBuffer buffer, final int ipOffset, final int headerLength)
    {
        if (Ipv4Header.MIN_LENGTH == headerLength)
        {
            // The common header without options: three loads, no loop.
            final long a = buffer.getLong(ipOffset, ByteOrder.BIG_ENDIAN);
            final long b = buffer.getLong(ipOffset + 8, ByteOrder.BIG_ENDIAN);
            final long c = buffer.getInt(ipOffset + 16, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            return 0xFFFF == fold((a >>> 32) + (a & 0xFFFF_FFFFL) + (b >>> 32) + (b & 0xFFFF_FFFFL) + c);
        }
        return 0xFFFF == fold(sum(buffer, ipOffset, headerLength, 0));
    }

    /**
     * Sum of the IPv4 pseudo-header (RFC 768/793).
     *
     * @param srcAddress source address.
     * @param dstAddress destination address.
     * @param protocol   IP protocol number.
     * @param l4Length   TCP/UDP length in bytes.
     * @return unfolded sum.
     */
    public static long pseudoHeaderSumIpv4(
        final int srcAddress, final int dstAddress, final int protocol, final int l4Length)
    {
        return (srcAddress & 0xFFFF_FFFFL) + (dstAddress & 0xFFFF_FFFFL) + protocol + l4Length;
    }

    /**
     * Sum of the IPv6 pseudo-header (RFC 8200 §8.1).
     *
     * @param srcHi      source address, high 64 bits.
     * @param srcLo      source address, low 64 bits.
     * @param dstHi      destination address, high 64 bits.
     * @param dstLo      destination address, low 64 bits.
     * @param nextHeader upper-layer protocol number.
     * @param l4Length   upper-layer packet length in bytes.
     * @return unfolded sum.
     */
    public static long pseudoHeaderSumIpv6(
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final int nextHeader,
        final int l4Length)
    {
        return (srcHi >>> 32) + (srcHi & 0xFFFF_FFFFL) + (srcLo >>> 32) + (srcLo & 0xFFFF_FFFFL) +
            (dstHi >>> 32) + (dstHi & 0xFFFF_FFFFL) + (dstLo >>> 32) + (dstLo & 0xFFFF_FFFFL) +
            (l4Length & 0xFFFF_FFFFL) + nextHeader;
    }

    /**
     * TCP/UDP checksum over IPv4: the checksum field inside the segment must be zero when computing.
     * For UDP, a computed 0 must be sent as 0xFFFF (see {@link #udpChecksumValue(int)}).
     *
     * @param buffer     holding the segment.
     * @param l4Offset   start of the TCP/UDP header.
     * @param l4Length   segment length in bytes.
     * @param srcAddress IPv4 source.
     * @param dstAddress IPv4 destination.
     * @param protocol   {@link IpProtocol#TCP} or {@link IpProtocol#UDP}.
     * @return checksum in 0..0xFFFF.
     */
    public static int ipv4TransportChecksum(
        final DirectBuffer buffer,
        final int l4Offset,
        final int l4Length,
        final int srcAddress,
        final int dstAddress,
        final int protocol)
    {
        return finish(sum(buffer, l4Offset, l4Length, pseudoHeaderSumIpv4(srcAddress, dstAddress, protocol, l4Length)));
    }

    /**
     * Verify a TCP/UDP checksum over IPv4 (the caller skips UDP checksum 0, which means "none").
     *
     * @param buffer     holding the segment.
     * @param l4Offset   start of the TCP/UDP header.
     * @param l4Length   segment length in bytes.
     * @param srcAddress IPv4 source.
     * @param dstAddress IPv4 destination.
     * @param protocol   IP protocol number.
     * @return true if valid.
     */
    public static boolean isIpv4TransportChecksumValid(
        final DirectBuffer buffer,
        final int l4Offset,
        final int l4Length,
        final int srcAddress,
        final int dstAddress,
        final int protocol)
    {
        final long pseudo = pseudoHeaderSumIpv4(srcAddress, dstAddress, protocol, l4Length);
        return 0xFFFF == fold(sum(buffer, l4Offset, l4Length, pseudo));
    }

    /**
     * Upper-layer checksum over IPv6 (TCP, UDP, ICMPv6): the checksum field must be zero when computing.
     *
     * @param buffer     holding the packet.
     * @param ipOffset   start of the IPv6 header (addresses are read from it).
     * @param l4Offset   start of the upper-layer header.
     * @param l4Length   upper-layer length in bytes.
     * @param nextHeader upper-layer protocol number.
     * @return checksum in 0..0xFFFF.
     */
    public static int ipv6TransportChecksum(
        final DirectBuffer buffer, final int ipOffset, final int l4Offset, final int l4Length, final int nextHeader)
    {
        return finish(sum(buffer, l4Offset, l4Length, ipv6PseudoSum(buffer, ipOffset, l4Length, nextHeader)));
    }

    /**
     * Verify an upper-layer checksum over IPv6.
     *
     * @param buffer     holding the packet.
     * @param ipOffset   start of the IPv6 header.
     * @param l4Offset   start of the upper-layer header.
     * @param l4Length   upper-layer length in bytes.
     * @param nextHeader upper-layer protocol number.
     * @return true if valid.
     */
    public static boolean isIpv6TransportChecksumValid(
        final DirectBuffer buffer, final int ipOffset, final int l4Offset, final int l4Length, final int nextHeader)
    {
        return 0xFFFF == fold(sum(buffer, l4Offset, l4Length, ipv6PseudoSum(buffer, ipOffset, l4Length, nextHeader)));
    }

    /**
     * Compute and store the ICMPv6 checksum of a message directly following (or after extension headers of) an
     * IPv6 header.
     *
     * @param buffer     holding the packet.
     * @param ipOffset   start of the IPv6 header.
     * @param icmpOffset start of the ICMPv6 message.
     * @param icmpLength length of the ICMPv6 message.
     */
    public static void updateIcmpv6Checksum(
        final MutableDirectBuffer buffer, final int ipOffset, final int icmpOffset, final int icmpLength)
    {
        buffer.putShort(icmpOffset + Icmpv6Header.CHECKSUM_OFFSET, (short)0);
        final int checksum = ipv6TransportChecksum(buffer, ipOffset, icmpOffset, icmpLength, IpProtocol.ICMPV6);
        buffer.putShort(icmpOffset + Icmpv6Header.CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
    }

    /**
     * UDP transmits a computed checksum of 0 as 0xFFFF (0 means "no checksum").
     *
     * @param computed checksum from {@link #ipv4TransportChecksum} or {@link #ipv6TransportChecksum}.
     * @return the value to put on the wire.
     */
    public static int udpChecksumValue(final int computed)
    {
        return 0 == computed ? 0xFFFF : computed;
    }

    /**
     * RFC 1624 eqn. 3 incremental update for one 16-bit field: {@code HC' = ~(~HC + ~m + m')}.
     *
     * @param checksum old checksum field value.
     * @param oldValue old 16-bit field value.
     * @param newValue new 16-bit field value.
     * @return new checksum field value.
     */
    public static int adjust16(final int checksum, final int oldValue, final int newValue)
    {
        final long sum = (~checksum & 0xFFFF) + (~oldValue & 0xFFFF) + (newValue & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    /**
     * RFC 1624 incremental update for a 32-bit field (e.g. an IPv4 address rewrite), as two 16-bit changes.
     *
     * @param checksum old checksum field value.
     * @param oldValue old 32-bit field value.
     * @param newValue new 32-bit field value.
     * @return new checksum field value.
     */
    public static int adjust32(final int checksum, final int oldValue, final int newValue)
    {
        final long sum = (~checksum & 0xFFFF) +
            (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF) +
            (newValue >>> 16) + (newValue & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    private static long ipv6PseudoSum(
        final DirectBuffer buffer, final int ipOffset, final int l4Length, final int nextHeader)
    {
        final long sum = sum(buffer, ipOffset + Ipv6Header.SRC_ADDRESS_OFFSET, 32, 0);
        return sum + (l4Length & 0xFFFF_FFFFL) + nextHeader;
    }
}
