package io.vrouter.encap;

import io.vrouter.wire.Checksums;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.EthernetHeader;
import io.vrouter.wire.GreHeader;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.MplsHeader;
import io.vrouter.wire.UdpHeader;
import io.vrouter.wire.VxlanHeader;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Validating decapsulation of MPLSoUDP, MPLSoGRE and VXLAN packets received from the fabric (Contrail's
 * {@code vr_fabric_input} -&gt; {@code vr_udp_input}/{@code vr_gre_input} -&gt; {@code vr_mpls_input} /
 * {@code vr_vxlan_input} checks, done once, R3).
 * <p>
 * Checks, in order: Ethernet EtherType (one 802.1Q tag skipped) is IPv4; IPv4 version 4, IHL &gt;= 5, header and
 * total length inside the received bytes, header checksum, not a fragment; UDP length inside the IP payload,
 * non-zero UDP checksum verified, destination port 6635 or 51234 (MPLS) or 4789 (VXLAN); GRE only with the C and K
 * flags, version 0, protocol 0x8847, checksum verified when present; MPLS: a top label 0xFFFFF without S (null
 * transport label) is popped, then the VPN label must have S=1; VXLAN: I flag required.
 * <p>
 * Returns a packed {@link DecapResult} or a negative {@link DecapResult} error code; never throws on malformed
 * input and never allocates. Label range, label/VNI table lookup and the MPLS TTL check are the forwarder's job.
 * The outer source address (for RPF and loop detection) is at
 * {@code Ipv4Header.srcAddress(buffer, EthernetHeader.payloadOffset(buffer, frameOffset))}.
 */
public final class TunnelDecap
{
    private TunnelDecap()
    {
    }

    /**
     * Decapsulate an Ethernet frame.
     *
     * @param buffer      holding the frame.
     * @param frameOffset offset of the Ethernet header.
     * @param frameLength received bytes.
     * @return packed result (header length counted from {@code frameOffset}) or a negative error code.
     */
    public static long decapFrame(final DirectBuffer buffer, final int frameOffset, final int frameLength)
    {
        if (frameLength < EthernetHeader.HEADER_LENGTH)
        {
            return DecapResult.PULL;
        }

        int l2Length = EthernetHeader.HEADER_LENGTH;
        int etherType = EthernetHeader.etherType(buffer, frameOffset);
        if (EtherType.VLAN == etherType)
        {
            if (frameLength < EthernetHeader.VLAN_HEADER_LENGTH)
            {
                return DecapResult.PULL;
            }
            l2Length = EthernetHeader.VLAN_HEADER_LENGTH;
            etherType = buffer.getShort(frameOffset + EthernetHeader.VLAN_ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) &
                0xFFFF;
        }
        if (EtherType.IPV4 != etherType)
        {
            return DecapResult.NOT_TUNNEL;
        }

        final long result = decapIpv4(buffer, frameOffset + l2Length, frameLength - l2Length);
        return result < 0 ? result : result + l2Length;
    }

    /**
     * Decapsulate an outer IPv4 packet.
     *
     * @param buffer   holding the packet.
     * @param ipOffset offset of the outer IPv4 header.
     * @param length   received bytes from {@code ipOffset} (may include link padding).
     * @return packed result (header length counted from {@code ipOffset}) or a negative error code.
     */
    public static long decapIpv4(final DirectBuffer buffer, final int ipOffset, final int length)
    {
        if (length < Ipv4Header.MIN_LENGTH)
        {
            return DecapResult.PULL;
        }

        final int versionIhl = buffer.getByte(ipOffset) & 0xFF;
        final int headerLength = (versionIhl & 0x0F) << 2;
        if ((versionIhl >>> 4) != 4 || headerLength < Ipv4Header.MIN_LENGTH)
        {
            return DecapResult.INVALID_PACKET;
        }
        if (headerLength > length)
        {
            return DecapResult.PULL;
        }
        final int totalLength = Ipv4Header.totalLength(buffer, ipOffset);
        if (totalLength < headerLength)
        {
            return DecapResult.INVALID_PACKET;
        }
        if (totalLength > length)
        {
            return DecapResult.PULL;
        }
        if (!Checksums.isIpv4HeaderChecksumValid(buffer, ipOffset, headerLength))
        {
            return DecapResult.CKSUM_ERR;
        }
        if (Ipv4Header.isFragment(buffer, ipOffset))
        {
            return DecapResult.FRAGMENT;
        }

        final int protocol = Ipv4Header.protocol(buffer, ipOffset);
        if (IpProtocol.UDP == protocol)
        {
            return decapUdp(buffer, ipOffset, headerLength, totalLength);
        }
        if (IpProtocol.GRE == protocol)
        {
            return decapGre(buffer, ipOffset, headerLength, totalLength);
        }

        return DecapResult.NOT_TUNNEL;
    }

    private static long decapUdp(
        final DirectBuffer buffer, final int ipOffset, final int ipHeaderLength, final int totalLength)
    {
        final int udpOffset = ipOffset + ipHeaderLength;
        final int available = totalLength - ipHeaderLength;
        if (available < UdpHeader.HEADER_LENGTH)
        {
            return DecapResult.PULL;
        }
        final int udpLength = UdpHeader.length(buffer, udpOffset);
        if (udpLength < UdpHeader.HEADER_LENGTH || udpLength > available)
        {
            return DecapResult.INVALID_PACKET;
        }
        if (0 != UdpHeader.checksum(buffer, udpOffset) && !Checksums.isIpv4TransportChecksumValid(
            buffer,
            udpOffset,
            udpLength,
            Ipv4Header.srcAddress(buffer, ipOffset),
            Ipv4Header.dstAddress(buffer, ipOffset),
            IpProtocol.UDP))
        {
            return DecapResult.CKSUM_ERR;
        }

        final int dstPort = UdpHeader.dstPort(buffer, udpOffset);
        final int payloadOffset = udpOffset + UdpHeader.HEADER_LENGTH;
        final int end = udpOffset + udpLength;
        if (TunnelType.MPLS_UDP_PORT == dstPort || TunnelType.MPLS_UDP_LEGACY_PORT == dstPort)
        {
            return decapMpls(buffer, TunnelType.MPLS_UDP, ipOffset, payloadOffset, end);
        }
        if (TunnelType.VXLAN_PORT == dstPort)
        {
            return decapVxlan(buffer, ipOffset, payloadOffset, end);
        }

        return DecapResult.NOT_TUNNEL;
    }

    private static long decapGre(
        final DirectBuffer buffer, final int ipOffset, final int ipHeaderLength, final int totalLength)
    {
        final int greOffset = ipOffset + ipHeaderLength;
        final int available = totalLength - ipHeaderLength;
        if (available < GreHeader.BASE_LENGTH)
        {
            return DecapResult.PULL;
        }
        final int flags = GreHeader.flagsAndVersion(buffer, greOffset);
        if (0 != (flags & ~(GreHeader.FLAG_CHECKSUM | GreHeader.FLAG_KEY)))
        {
            return DecapResult.INVALID_PACKET;
        }
        final int greLength = GreHeader.headerLength(flags);
        if (greLength > available)
        {
            return DecapResult.PULL;
        }
        if (EtherType.MPLS_UNICAST != GreHeader.protocol(buffer, greOffset))
        {
            return DecapResult.INVALID_PROTOCOL;
        }
        if (0 != (flags & GreHeader.FLAG_CHECKSUM) && 0xFFFF != Checksums.fold(
            Checksums.sum(buffer, greOffset, available, 0)))
        {
            return DecapResult.CKSUM_ERR;
        }

        return decapMpls(buffer, TunnelType.MPLS_GRE, ipOffset, greOffset + greLength, ipOffset + totalLength);
    }

    private static long decapMpls(
        final DirectBuffer buffer, final int tunnelType, final int start, final int mplsOffset, final int end)
    {
        int offset = mplsOffset;
        if (end - offset < MplsHeader.ENTRY_LENGTH)
        {
            return DecapResult.PULL;
        }
        int entry = MplsHeader.entry(buffer, offset);
        if (MplsHeader.NULL_TRANSPORT_LABEL == MplsHeader.label(entry) && !MplsHeader.isBottomOfStack(entry))
        {
            offset += MplsHeader.ENTRY_LENGTH;
            if (end - offset < MplsHeader.ENTRY_LENGTH)
            {
                return DecapResult.PULL;
            }
            entry = MplsHeader.entry(buffer, offset);
        }
        if (!MplsHeader.isBottomOfStack(entry))
        {
            return DecapResult.INVALID_LABEL;
        }

        final int innerOffset = offset + MplsHeader.ENTRY_LENGTH;
        if (innerOffset >= end)
        {
            return DecapResult.PULL;
        }

        return DecapResult.packMpls(
            tunnelType, MplsHeader.label(entry), MplsHeader.ttl(entry), innerOffset - start, end - innerOffset);
    }

    private static long decapVxlan(final DirectBuffer buffer, final int start, final int vxlanOffset, final int end)
    {
        if (end - vxlanOffset < VxlanHeader.HEADER_LENGTH)
        {
            return DecapResult.PULL;
        }
        if (0 == (VxlanHeader.flags(buffer, vxlanOffset) & VxlanHeader.FLAG_VNI_VALID))
        {
            return DecapResult.INVALID_VNID;
        }

        final int innerOffset = vxlanOffset + VxlanHeader.HEADER_LENGTH;
        if (innerOffset >= end)
        {
            return DecapResult.PULL;
        }

        return DecapResult.packVxlan(VxlanHeader.vni(buffer, vxlanOffset), innerOffset - start, end - innerOffset);
    }
}
