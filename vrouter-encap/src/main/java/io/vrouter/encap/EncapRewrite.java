package io.vrouter.encap;

import io.vrouter.wire.Checksums;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.EthernetHeader;
import io.vrouter.wire.GreHeader;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Address;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.MacAddress;
import io.vrouter.wire.UdpHeader;
import io.vrouter.wire.VxlanHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Prebuilt outer headers of a tunnel next hop: "paint" bytes copied in front of every packet, built once when the
 * next hop is programmed (control path; may allocate).
 * <pre>
 *   MPLS_UDP: Ethernet 14 | IPv4 20 (proto 17) | UDP 8 (dst 6635, csum 0)                  = 42 bytes
 *   MPLS_GRE: Ethernet 14 | IPv4 20 (proto 47) | GRE 4 (flags 0, proto 0x8847)             = 38 bytes
 *   VXLAN:    Ethernet 14 | IPv4 20 (proto 17) | UDP 8 (dst 4789, csum 0) | VXLAN 8 (I flag) = 50 bytes
 *   UDP:      Ethernet 14 | IPv4 20 (proto 17) | UDP 8 (sport, dport of the next hop)     = 42 bytes
 * </pre>
 * The Ethernet part is Contrail's 14-byte {@code nhr_encap} (next-hop MAC, fabric MAC, 0x0800). IPv4 is version 4,
 * IHL 5, TOS as given (0 without a QoS map), flags/fragment 0 (DF clear), TTL 64; total length, ID, checksum, UDP
 * length and source port and the VNI are left zero and fixed per packet. {@link #ipChecksumBase()} is the sum of
 * the IPv4 header without those per-packet fields so that the per-packet checksum costs two additions.
 * <p>
 * Immutable after construction, so safe to read from any forwarding thread once published.
 */
public final class EncapRewrite
{
    /**
     * Offset of the outer IPv4 header in the rewrite.
     */
    public static final int IP_OFFSET = EthernetHeader.HEADER_LENGTH;

    /**
     * Offset of the UDP or GRE header in the rewrite.
     */
    public static final int TUNNEL_OFFSET = IP_OFFSET + Ipv4Header.MIN_LENGTH;

    /**
     * Offset of the VXLAN header in a VXLAN rewrite.
     */
    public static final int VXLAN_OFFSET = TUNNEL_OFFSET + UdpHeader.HEADER_LENGTH;

    private final int tunnelType;
    private final int length;
    private final int srcAddress;
    private final int dstAddress;
    private final long ipChecksumBase;
    private final UnsafeBuffer bytes;

    private EncapRewrite(
        final int tunnelType,
        final long dstMac,
        final long srcMac,
        final int srcAddress,
        final int dstAddress,
        final int tos,
        final int udpSourcePort,
        final int udpDestinationPort)
    {
        this.tunnelType = tunnelType;
        this.srcAddress = srcAddress;
        this.dstAddress = dstAddress;

        switch (tunnelType)
        {
            case TunnelType.MPLS_UDP:
            case TunnelType.UDP:
                length = TUNNEL_OFFSET + UdpHeader.HEADER_LENGTH;
                break;
            case TunnelType.MPLS_GRE:
                length = TUNNEL_OFFSET + GreHeader.BASE_LENGTH;
                break;
            case TunnelType.VXLAN:
                length = VXLAN_OFFSET + VxlanHeader.HEADER_LENGTH;
                break;
            default:
                throw new IllegalArgumentException("unknown tunnel type: " + tunnelType);
        }

        bytes = new UnsafeBuffer(new byte[length]);
        new EthernetHeader().wrap(bytes, 0).set(dstMac, srcMac, EtherType.IPV4);
        new Ipv4Header().wrap(bytes, IP_OFFSET)
            .versionAndHeaderLength(4, Ipv4Header.MIN_LENGTH)
            .tos(tos)
            .ttl(TunnelType.OUTER_TTL)
            .protocol(TunnelType.MPLS_GRE == tunnelType ? IpProtocol.GRE : IpProtocol.UDP)
            .srcAddress(srcAddress)
            .dstAddress(dstAddress);

        if (TunnelType.MPLS_GRE == tunnelType)
        {
            new GreHeader().wrap(bytes, TUNNEL_OFFSET).flagsAndVersion(0).protocol(EtherType.MPLS_UNICAST);
        }
        else
        {
            new UdpHeader().wrap(bytes, TUNNEL_OFFSET)
                .dstPort(TunnelType.VXLAN == tunnelType ? TunnelType.VXLAN_PORT : TunnelType.MPLS_UDP_PORT);
            if (TunnelType.UDP == tunnelType)
            {
                new UdpHeader().wrap(bytes, TUNNEL_OFFSET).srcPort(udpSourcePort).dstPort(udpDestinationPort);
            }
            if (TunnelType.VXLAN == tunnelType)
            {
                new VxlanHeader().wrap(bytes, VXLAN_OFFSET).flags(VxlanHeader.FLAG_VNI_VALID);
            }
        }

        ipChecksumBase = Checksums.sum(bytes, IP_OFFSET, Ipv4Header.MIN_LENGTH, 0);
    }

    /**
     * Build a rewrite.
     *
     * @param tunnelType {@link TunnelType#MPLS_UDP}, {@link TunnelType#MPLS_GRE} or {@link TunnelType#VXLAN}.
     * @param dstMac     outer destination MAC (next hop / gateway on the fabric).
     * @param srcMac     outer source MAC (fabric interface).
     * @param srcAddress outer IPv4 source (this vRouter).
     * @param dstAddress outer IPv4 destination (remote vRouter / gateway).
     * @param tos        outer TOS byte (DSCP from the QoS map, else 0).
     * @return the rewrite.
     */
    public static EncapRewrite create(
        final int tunnelType,
        final long dstMac,
        final long srcMac,
        final int srcAddress,
        final int dstAddress,
        final int tos)
    {
        return new EncapRewrite(tunnelType, dstMac, srcMac, srcAddress, dstAddress, tos, 0, 0);
    }

    /**
     * Build a rewrite from Contrail's 14-byte {@code nhr_encap} (dst MAC, src MAC, EtherType 0x0800).
     *
     * @param tunnelType tunnel type.
     * @param encap      buffer holding the 14 bytes.
     * @param offset     of the first byte.
     * @param srcAddress outer IPv4 source.
     * @param dstAddress outer IPv4 destination.
     * @return the rewrite.
     */
    public static EncapRewrite fromNextHopEncap(
        final int tunnelType, final DirectBuffer encap, final int offset, final int srcAddress, final int dstAddress)
    {
        if (EtherType.IPV4 != EthernetHeader.etherType(encap, offset))
        {
            throw new IllegalArgumentException("tunnel encap must carry EtherType 0x0800");
        }
        return new EncapRewrite(
            tunnelType,
            EthernetHeader.dstMac(encap, offset),
            EthernetHeader.srcMac(encap, offset),
            srcAddress,
            dstAddress,
            0,
            0,
            0);
    }

    /**
     * Build a plain UDP tunnel rewrite ({@link TunnelType#UDP}, Contrail's {@code nh_udp_tunnel}) from the
     * 14-byte {@code nhr_encap} and the next hop's {@code nhr_tun_sport}/{@code nhr_tun_dport}.
     *
     * @param encap      buffer holding the 14 bytes (dst MAC, src MAC, 0x0800).
     * @param offset     of the first byte.
     * @param srcAddress outer IPv4 source.
     * @param dstAddress outer IPv4 destination (the analyzer).
     * @param sourcePort UDP source port.
     * @param destPort   UDP destination port.
     * @return the rewrite.
     */
    public static EncapRewrite udpTunnel(
        final DirectBuffer encap,
        final int offset,
        final int srcAddress,
        final int dstAddress,
        final int sourcePort,
        final int destPort)
    {
        if (EtherType.IPV4 != EthernetHeader.etherType(encap, offset))
        {
            throw new IllegalArgumentException("tunnel encap must carry EtherType 0x0800");
        }
        return new EncapRewrite(TunnelType.UDP, EthernetHeader.dstMac(encap, offset),
            EthernetHeader.srcMac(encap, offset), srcAddress, dstAddress, 0, sourcePort & 0xFFFF, destPort & 0xFFFF);
    }

    /**
     * @param tunnelType tunnel type.
     * @param dstMac     outer destination MAC.
     * @param srcMac     outer source MAC.
     * @param srcAddress outer IPv4 source.
     * @param dstAddress outer IPv4 destination.
     * @return the rewrite with TOS 0.
     */
    public static EncapRewrite create(
        final int tunnelType, final long dstMac, final long srcMac, final int srcAddress, final int dstAddress)
    {
        return new EncapRewrite(tunnelType, dstMac, srcMac, srcAddress, dstAddress, 0, 0, 0);
    }

    /**
     * @return tunnel type.
     */
    public int tunnelType()
    {
        return tunnelType;
    }

    /**
     * @return bytes of prebuilt header in {@link #bytes()}.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return bytes the encapsulation adds in front of the inner packet (rewrite plus MPLS entry for MPLS tunnels).
     */
    public int overhead()
    {
        return TunnelType.overhead(tunnelType);
    }

    /**
     * @return the prebuilt header bytes; do not modify.
     */
    public DirectBuffer bytes()
    {
        return bytes;
    }

    /**
     * @return outer IPv4 source.
     */
    public int srcAddress()
    {
        return srcAddress;
    }

    /**
     * @return outer IPv4 destination.
     */
    public int dstAddress()
    {
        return dstAddress;
    }

    /**
     * @return outer destination MAC.
     */
    public long dstMac()
    {
        return EthernetHeader.dstMac(bytes, 0);
    }

    /**
     * @return outer source MAC.
     */
    public long srcMac()
    {
        return EthernetHeader.srcMac(bytes, 0);
    }

    /**
     * @return unfolded checksum sum of the outer IPv4 header with total length, ID and checksum zero.
     */
    public long ipChecksumBase()
    {
        return ipChecksumBase;
    }

    /**
     * @return a readable summary (control path only).
     */
    @Override
    public String toString()
    {
        return "EncapRewrite{" + TunnelType.name(tunnelType) +
            " " + MacAddress.format(srcMac()) + " -> " + MacAddress.format(dstMac()) +
            " " + Ipv4Address.format(srcAddress) +
            " -> " + Ipv4Address.format(dstAddress) + "}";
    }

    static void writeOuterIpv4(
        final MutableDirectBuffer buffer,
        final int ipOffset,
        final EncapRewrite rewrite,
        final int totalLength,
        final int ipId)
    {
        buffer.putShort(ipOffset + Ipv4Header.TOTAL_LENGTH_OFFSET, (short)totalLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ipOffset + Ipv4Header.IDENTIFICATION_OFFSET, (short)ipId, ByteOrder.BIG_ENDIAN);
        final int checksum = Checksums.finish(rewrite.ipChecksumBase + totalLength + (ipId & 0xFFFF));
        buffer.putShort(ipOffset + Ipv4Header.CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
    }
}
