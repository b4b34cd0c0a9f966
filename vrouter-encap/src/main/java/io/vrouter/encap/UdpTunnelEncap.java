package io.vrouter.encap;

import io.vrouter.wire.Checksums;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.UdpHeader;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Plain UDP tunnel encapsulation, as Contrail's {@code nh_udp_tunnel} sends mirror copies to an analyzer.
 * <pre>
 *   frameOffset                                                         innerOffset
 *   | Ethernet 14 | IPv4 20 (TTL 64, proto 17) | UDP 8 (NH sport, NH dport, len, csum) | inner |
 * </pre>
 * The inner part is whatever the caller put at {@code innerOffset}: the mirrored frame, or for a dynamic
 * mirror Contrail's pcap record header, the metadata and the frame. Unlike the other tunnels the UDP checksum
 * is computed over the whole datagram (Contrail leaves a partial checksum for the NIC to finish; a userspace
 * data plane has no NIC to finish it). Source and destination ports are the next hop's
 * {@code nhr_tun_sport}/{@code nhr_tun_dport}, already in the rewrite. Allocation-free.
 */
public final class UdpTunnelEncap
{
    /**
     * Bytes added in front of the inner packet.
     */
    public static final int OVERHEAD = TunnelType.UDP_OVERHEAD;

    private UdpTunnelEncap()
    {
    }

    /**
     * Encapsulate in place.
     *
     * @param buffer      holding the packet with at least {@link #OVERHEAD} bytes of headroom before it.
     * @param innerOffset offset of the inner data.
     * @param innerLength length of the inner data.
     * @param rewrite     the next hop's prebuilt headers, of type {@link TunnelType#UDP}.
     * @param ipId        outer IPv4 identification.
     * @return offset of the outer Ethernet frame; its length is {@code innerLength + OVERHEAD}.
     */
    public static int encap(
        final MutableDirectBuffer buffer,
        final int innerOffset,
        final int innerLength,
        final EncapRewrite rewrite,
        final int ipId)
    {
        assert TunnelType.UDP == rewrite.tunnelType() : rewrite.tunnelType();
        assert innerOffset >= OVERHEAD : innerOffset;

        final int frameOffset = innerOffset - OVERHEAD;
        buffer.putBytes(frameOffset, rewrite.bytes(), 0, OVERHEAD);
        final int udpLength = innerLength + UdpHeader.HEADER_LENGTH;
        EncapRewrite.writeOuterIpv4(buffer, frameOffset + EncapRewrite.IP_OFFSET, rewrite, udpLength + 20, ipId);

        final int udpOffset = frameOffset + EncapRewrite.TUNNEL_OFFSET;
        buffer.putShort(udpOffset + UdpHeader.LENGTH_OFFSET, (short)udpLength, ByteOrder.BIG_ENDIAN);
        final int checksum = Checksums.ipv4TransportChecksum(
            buffer, udpOffset, udpLength, rewrite.srcAddress(), rewrite.dstAddress(), IpProtocol.UDP);
        buffer.putShort(udpOffset + UdpHeader.CHECKSUM_OFFSET, (short)Checksums.udpChecksumValue(checksum),
            ByteOrder.BIG_ENDIAN);
        return frameOffset;
    }
}
