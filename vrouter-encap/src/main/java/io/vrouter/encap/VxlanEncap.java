package io.vrouter.encap;

import io.vrouter.wire.UdpHeader;
import io.vrouter.wire.VxlanHeader;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * VXLAN (RFC 7348) encapsulation as Contrail's {@code nh_vxlan_tunnel} does it.
 * <pre>
 *   frameOffset                                                              innerOffset
 *   | Ethernet 14 | IPv4 20 | UDP 8 (sport, 4789, len, 0) | VXLAN 8 (0x08000000, VNI &lt;&lt; 8) | inner |
 * </pre>
 * The inner part is whatever the caller put at {@code innerOffset}: an Ethernet frame (L2 VXLAN), or an IP packet
 * (Contrail's vtest golden capture for L3 routing over a VXLAN next hop carries the IP packet directly after the
 * VXLAN header). Outer IPv4 as for MPLSoUDP. Allocation-free.
 */
public final class VxlanEncap
{
    /**
     * Bytes added in front of the inner packet.
     */
    public static final int OVERHEAD = TunnelType.VXLAN_OVERHEAD;

    private VxlanEncap()
    {
    }

    /**
     * Encapsulate in place.
     *
     * @param buffer      holding the packet with at least {@link #OVERHEAD} bytes of headroom before it.
     * @param innerOffset offset of the inner frame or packet.
     * @param innerLength length of the inner frame or packet.
     * @param rewrite     tunnel next hop's prebuilt headers, of type {@link TunnelType#VXLAN}.
     * @param vni         VXLAN network identifier (24 bits).
     * @param ipId        outer IPv4 identification (global counter).
     * @param sourcePort  UDP source port (see {@link EntropyHash}).
     * @return offset of the outer Ethernet frame; its length is {@code innerLength + OVERHEAD}.
     */
    public static int encap(
        final MutableDirectBuffer buffer,
        final int innerOffset,
        final int innerLength,
        final EncapRewrite rewrite,
        final int vni,
        final int ipId,
        final int sourcePort)
    {
        assert TunnelType.VXLAN == rewrite.tunnelType() : rewrite.tunnelType();
        assert innerOffset >= OVERHEAD : innerOffset;

        final int frameOffset = innerOffset - OVERHEAD;
        buffer.putBytes(frameOffset, rewrite.bytes(), 0, EncapRewrite.VXLAN_OFFSET + VxlanHeader.HEADER_LENGTH);
        buffer.putInt(frameOffset + EncapRewrite.VXLAN_OFFSET + VxlanHeader.VNI_OFFSET, vni << 8, ByteOrder.BIG_ENDIAN);

        final int udpLength = innerLength + VxlanHeader.HEADER_LENGTH + UdpHeader.HEADER_LENGTH;
        EncapRewrite.writeOuterIpv4(buffer, frameOffset + EncapRewrite.IP_OFFSET, rewrite, udpLength + 20, ipId);

        final int udpOffset = frameOffset + EncapRewrite.TUNNEL_OFFSET;
        buffer.putShort(udpOffset + UdpHeader.SRC_PORT_OFFSET, (short)sourcePort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(udpOffset + UdpHeader.LENGTH_OFFSET, (short)udpLength, ByteOrder.BIG_ENDIAN);

        return frameOffset;
    }
}
