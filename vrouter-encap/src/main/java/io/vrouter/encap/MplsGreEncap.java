package io.vrouter.encap;

import io.vrouter.wire.GreHeader;
import io.vrouter.wire.MplsHeader;
import org.agrona.MutableDirectBuffer;


/**
 * MPLSoGRE (RFC 4023) encapsulation as Contrail's {@code nh_gre_tunnel} does it.
 * <pre>
 *   frameOffset                                                innerOffset
 *   | Ethernet 14 | IPv4 20 (proto 47) | GRE 4 (0, 0x8847) | MPLS 4 | inner packet |
 * </pre>
 * Outer IPv4: total length = innerLength + 28, TTL 64, DF clear, ID = the inner IPv4 ID (Contrail copies it;
 * the caller passes {@code Ipv4Header.identification(buffer, innerOffset)} for IPv4 inner packets and its global
 * counter otherwise). Same MPLS entry as MPLSoUDP. Allocation-free.
 */
public final class MplsGreEncap
{
    /**
     * Bytes added in front of the inner packet.
     */
    public static final int OVERHEAD = TunnelType.MPLS_GRE_OVERHEAD;

    private MplsGreEncap()
    {
    }

    /**
     * Encapsulate in place.
     *
     * @param buffer      holding the packet with at least {@link #OVERHEAD} bytes of headroom before it.
     * @param innerOffset offset of the inner packet.
     * @param innerLength length of the inner packet.
     * @param rewrite     tunnel next hop's prebuilt headers, of type {@link TunnelType#MPLS_GRE}.
     * @param label       VPN label (20 bits).
     * @param ttl         MPLS TTL: inner TTL after decrement, 0 for unknown (sent as 64).
     * @param ipId        outer IPv4 identification (the inner IPv4 ID for IPv4 inner packets).
     * @return offset of the outer Ethernet frame; its length is {@code innerLength + OVERHEAD}.
     */
    public static int encap(
        final MutableDirectBuffer buffer,
        final int innerOffset,
        final int innerLength,
        final EncapRewrite rewrite,
        final int label,
        final int ttl,
        final int ipId)
    {
        assert TunnelType.MPLS_GRE == rewrite.tunnelType() : rewrite.tunnelType();
        assert innerOffset >= OVERHEAD : innerOffset;

        final int frameOffset = innerOffset - OVERHEAD;
        MplsHeader.pushBottomOfStack(buffer, innerOffset, label, ttl);
        buffer.putBytes(frameOffset, rewrite.bytes(), 0, EncapRewrite.TUNNEL_OFFSET + GreHeader.BASE_LENGTH);

        final int totalLength = innerLength + MplsHeader.ENTRY_LENGTH + GreHeader.BASE_LENGTH + 20;
        EncapRewrite.writeOuterIpv4(buffer, frameOffset + EncapRewrite.IP_OFFSET, rewrite, totalLength, ipId);

        return frameOffset;
    }
}
