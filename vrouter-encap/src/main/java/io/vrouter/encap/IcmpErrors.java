package io.vrouter.encap;

import io.vrouter.wire.Checksums;
import io.vrouter.wire.IcmpHeader;
import io.vrouter.wire.Icmpv6Header;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Builders for the ICMP errors the forwarder sends back to a VM when a packet is too big for the tunnel
 * (Contrail's {@code AGENT_TRAP_HANDLE_DF} path): IPv4 "destination unreachable / fragmentation needed"
 * (RFC 792/1191) and ICMPv6 "packet too big" (RFC 4443).
 * <p>
 * The error is written at {@code dstOffset}; the quoted bytes of the offending packet follow its headers. The
 * destination may be the same buffer as the source: with {@code dstOffset + HEADERS == ipOffset} (headroom in
 * front of the offending packet) the quote is already in place and is not copied; other overlapping layouts are
 * not supported. Allocation-free. The caller adds the Ethernet header.
 */
public final class IcmpErrors
{
    /**
     * IPv4 + ICMP header bytes in front of the quote.
     */
    public static final int IPV4_HEADERS = Ipv4Header.MIN_LENGTH + IcmpHeader.HEADER_LENGTH;

    /**
     * IPv6 + ICMPv6 header bytes in front of the quote.
     */
    public static final int IPV6_HEADERS = Ipv6Header.HEADER_LENGTH + Icmpv6Header.HEADER_LENGTH;

    /**
     * Bytes of payload quoted after the offending IPv4 header.
     */
    public static final int IPV4_QUOTED_PAYLOAD = 8;

    /**
     * TTL / hop limit of generated errors.
     */
    public static final int TTL = 64;

    private IcmpErrors()
    {
    }

    /**
     * Build an IPv4 ICMP type 3 code 4 message quoting the offending header and 8 payload bytes.
     *
     * @param src        buffer holding the offending IPv4 packet.
     * @param ipOffset   offset of the offending IPv4 header.
     * @param ipLength   bytes of the offending packet available.
     * @param dst        buffer to write the ICMP packet to (may be {@code src}, see class comment).
     * @param dstOffset  where the new IPv4 header goes.
     * @param srcAddress source address of the error (e.g. the VM's gateway address).
     * @param mtu        next-hop MTU to report.
     * @return length of the IPv4 packet written.
     */
    public static int fragmentationNeeded(
        final DirectBuffer src,
        final int ipOffset,
        final int ipLength,
        final MutableDirectBuffer dst,
        final int dstOffset,
        final int srcAddress,
        final int mtu)
    {
        final int quoteLength = Math.min(Ipv4Header.headerLength(src, ipOffset) + IPV4_QUOTED_PAYLOAD, ipLength);
        final int dstAddress = Ipv4Header.srcAddress(src, ipOffset);
        final int icmpOffset = dstOffset + Ipv4Header.MIN_LENGTH;
        final int quoteOffset = dstOffset + IPV4_HEADERS;
        if (src != dst || quoteOffset != ipOffset)
        {
            dst.putBytes(quoteOffset, src, ipOffset, quoteLength);
        }

        final int totalLength = IPV4_HEADERS + quoteLength;
        dst.putByte(dstOffset, (byte)Ipv4Header.VERSION_IHL_DEFAULT);
        dst.putByte(dstOffset + Ipv4Header.TOS_OFFSET, (byte)0);
        dst.putShort(dstOffset + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)totalLength, ByteOrder.BIG_ENDIAN);
        dst.putInt(dstOffset + Ipv4Header.IDENTIFICATION_OFFSET, 0);
        dst.putShort(dstOffset + Ipv4Header.TTL_OFFSET, (short)((TTL << 8) | IpProtocol.ICMP), ByteOrder.BIG_ENDIAN);
        dst.putInt(dstOffset + Ipv4Header.SRC_ADDRESS_OFFSET, srcAddress, ByteOrder.BIG_ENDIAN);
        dst.putInt(dstOffset + Ipv4Header.DST_ADDRESS_OFFSET, dstAddress, ByteOrder.BIG_ENDIAN);
        Checksums.updateIpv4HeaderChecksum(dst, dstOffset);

        dst.putByte(icmpOffset + IcmpHeader.TYPE_OFFSET, (byte)IcmpHeader.TYPE_DEST_UNREACHABLE);
        dst.putByte(icmpOffset + IcmpHeader.CODE_OFFSET, (byte)IcmpHeader.CODE_FRAGMENTATION_NEEDED);
        dst.putShort(icmpOffset + IcmpHeader.CHECKSUM_OFFSET, (short)0);
        dst.putInt(icmpOffset + IcmpHeader.IDENTIFIER_OFFSET, mtu & 0xFFFF, ByteOrder.BIG_ENDIAN);
        final int checksum = Checksums.checksum(dst, icmpOffset, totalLength - Ipv4Header.MIN_LENGTH);
        dst.putShort(icmpOffset + IcmpHeader.CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);

        return totalLength;
    }

    /**
     * Build an ICMPv6 packet-too-big message quoting as much of the offending packet as fits in 1280 bytes.
     *
     * @param src       buffer holding the offending IPv6 packet.
     * @param ipOffset  offset of the offending IPv6 header.
     * @param ipLength  bytes of the offending packet available.
     * @param dst       buffer to write the ICMPv6 packet to (may be {@code src}, see class comment).
     * @param dstOffset where the new IPv6 header goes.
     * @param srcHi     source address of the error, high 64 bits.
     * @param srcLo     source address of the error, low 64 bits.
     * @param mtu       MTU to report.
     * @return length of the IPv6 packet written.
     */
    public static int packetTooBig(
        final DirectBuffer src,
        final int ipOffset,
        final int ipLength,
        final MutableDirectBuffer dst,
        final int dstOffset,
        final long srcHi,
        final long srcLo,
        final int mtu)
    {
        final int quoteLength = Math.min(ipLength, Ipv6Header.MIN_MTU - IPV6_HEADERS);
        final long dstHi = Ipv6Header.srcAddressHi(src, ipOffset);
        final long dstLo = Ipv6Header.srcAddressLo(src, ipOffset);
        final int icmpOffset = dstOffset + Ipv6Header.HEADER_LENGTH;
        final int quoteOffset = dstOffset + IPV6_HEADERS;
        if (src != dst || quoteOffset != ipOffset)
        {
            dst.putBytes(quoteOffset, src, ipOffset, quoteLength);
        }

        final int payloadLength = Icmpv6Header.HEADER_LENGTH + quoteLength;
        dst.putInt(dstOffset, 6 << 28, ByteOrder.BIG_ENDIAN);
        dst.putShort(dstOffset + Ipv6Header.PAYLOAD_LENGTH_OFFSET, (short)payloadLength, ByteOrder.BIG_ENDIAN);
        dst.putByte(dstOffset + Ipv6Header.NEXT_HEADER_OFFSET, (byte)IpProtocol.ICMPV6);
        dst.putByte(dstOffset + Ipv6Header.HOP_LIMIT_OFFSET, (byte)TTL);
        dst.putLong(dstOffset + Ipv6Header.SRC_ADDRESS_OFFSET, srcHi, ByteOrder.BIG_ENDIAN);
        dst.putLong(dstOffset + Ipv6Header.SRC_ADDRESS_OFFSET + 8, srcLo, ByteOrder.BIG_ENDIAN);
        dst.putLong(dstOffset + Ipv6Header.DST_ADDRESS_OFFSET, dstHi, ByteOrder.BIG_ENDIAN);
        dst.putLong(dstOffset + Ipv6Header.DST_ADDRESS_OFFSET + 8, dstLo, ByteOrder.BIG_ENDIAN);

        dst.putByte(icmpOffset + Icmpv6Header.TYPE_OFFSET, (byte)Icmpv6Header.TYPE_PACKET_TOO_BIG);
        dst.putByte(icmpOffset + Icmpv6Header.CODE_OFFSET, (byte)0);
        dst.putInt(icmpOffset + Icmpv6Header.MTU_OFFSET, mtu, ByteOrder.BIG_ENDIAN);
        Checksums.updateIcmpv6Checksum(dst, dstOffset, icmpOffset, payloadLength);

        return Ipv6Header.HEADER_LENGTH + payloadLength;
    }
}
