package io.vrouter.encap;

import io.vrouter.wire.MplsHeader;
import io.vrouter.wire.UdpHeader;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * MPLSoUDP (RFC 7510) encapsulation as Contrail's {@code nh_mpls_udp_tunnel} does it: paint the prebuilt outer
 * headers of an {@link EncapRewrite} into the headroom in front of the inner packet, then fix up the per-packet
 * fields.
 * <pre>
 *   frameOffset                                                     innerOffset
 *   | Ethernet 14 | IPv4 20 | UDP 8 (sport, 6635, len, 0) | MPLS 4 | inner IP packet (innerLength) |
 * </pre>
 * Outer IPv4: total length = innerLength + 32, ID = caller's global counter, checksum computed; UDP length =
 * innerLength + 12, checksum 0; MPLS entry = label &lt;&lt; 12 | EXP 0 | S=1 | TTL where TTL is the inner TTL after
 * the forwarding decrement (64 when 0/unknown). Allocation-free; no table lookups.
 */
public final class MplsUdpEncap
{
    /**
     * Bytes added in front of the inner packet.
     */
    public static final int OVERHEAD = TunnelType.MPLS_UDP_OVERHEAD;

    private MplsUdpEncap()
    {
    }

    /**
     * Encapsulate in place.
     *
     * @param buffer      holding the packet with at least {@link #OVERHEAD} bytes of headroom before it.
     * @param innerOffset offset of the inner packet (IP packet for L3, Ethernet frame for L2 labels).
     * @param innerLength length of the inner packet.
     * @param rewrite     tunnel next hop's prebuilt headers, of type {@link TunnelType#MPLS_UDP}.
     * @param label       VPN label (20 bits).
     * @param ttl         MPLS TTL: inner TTL after decrement, 0 for unknown (sent as 64).
     * @param ipId        outer IPv4 identification (global counter).
     * @param sourcePort  UDP source port (see {@link EntropyHash}).
     * @return offset of the outer Ethernet frame; its length is {@code innerLength + OVERHEAD}.
     */
    public static int encap(
        final MutableDirectBuffer buffer,
        final int innerOffset,
        final int innerLength,
        final EncapRewrite rewrite,
        final int label,
        final int ttl,
        final int ipId,
        final int sourcePort)
    {
        assert TunnelType.MPLS_UDP == rewrite.tunnelType() : rewrite.tunnelType();
        assert innerOffset >= OVERHEAD : innerOffset;

        final int frameOffset = innerOffset - OVERHEAD;
        MplsHeader.pushBottomOfStack(buffer, innerOffset, label, ttl);
        buffer.putBytes(frameOffset, rewrite.bytes(), 0, EncapRewrite.TUNNEL_OFFSET + UdpHeader.HEADER_LENGTH);

        final int udpLength = innerLength + MplsHeader.ENTRY_LENGTH + UdpHeader.HEADER_LENGTH;
        EncapRewrite.writeOuterIpv4(buffer, frameOffset + EncapRewrite.IP_OFFSET, rewrite, udpLength + 20, ipId);

        final int udpOffset = frameOffset + EncapRewrite.TUNNEL_OFFSET;
        buffer.putShort(udpOffset + UdpHeader.SRC_PORT_OFFSET, (short)sourcePort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(udpOffset + UdpHeader.LENGTH_OFFSET, (short)udpLength, ByteOrder.BIG_ENDIAN);

        return frameOffset;
    }

    /**
     * Push one bottom-of-stack MPLS entry in front of the inner packet, for transmit paths where the kernel adds
     * the outer IP/UDP (an underlay UDP socket bound to port 6635).
     *
     * @param buffer      holding the packet with at least 4 bytes of headroom.
     * @param innerOffset offset of the inner packet.
     * @param label       VPN label.
     * @param ttl         MPLS TTL, 0 for unknown (sent as 64).
     * @return offset of the MPLS entry (the UDP payload start).
     */
    public static int pushLabel(
        final MutableDirectBuffer buffer, final int innerOffset, final int label, final int ttl)
    {
        return MplsHeader.pushBottomOfStack(buffer, innerOffset, label, ttl);
    }
}
