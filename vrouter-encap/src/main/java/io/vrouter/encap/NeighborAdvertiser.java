package io.vrouter.encap;

import io.vrouter.wire.Checksums;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.EthernetHeader;
import io.vrouter.wire.Icmpv6Header;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv6Header;
import io.vrouter.wire.MacAddress;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Turns an ICMPv6 Neighbor Solicitation into a Neighbor Advertisement in place (RFC 4861 §7.2.4), the IPv6
 * counterpart of {@link ArpResponder}. Allocation-free.
 * <pre>
 *   | Ethernet 14 (18) | IPv6 40 (hop limit 255, next 58) | NA 24: type 136, flags, target | TLLA option 8 |
 * </pre>
 */
public final class NeighborAdvertiser
{
    /**
     * Length of the NA message with a target link-layer address option.
     */
    public static final int NA_LENGTH = Icmpv6Header.ND_OPTIONS_OFFSET + Icmpv6Header.LINK_ADDRESS_OPTION_LENGTH;

    /**
     * Hop limit required on Neighbor Discovery messages.
     */
    public static final int ND_HOP_LIMIT = 255;

    /**
     * ff02::1, high 64 bits.
     */
    public static final long ALL_NODES_HI = 0xFF02_0000_0000_0000L;

    /**
     * ff02::1, low 64 bits.
     */
    public static final long ALL_NODES_LO = 1L;

    private NeighborAdvertiser()
    {
    }

    /**
     * Validate a Neighbor Solicitation and rewrite it into the advertisement for its target with {@code mac}.
     * IPv6 source = the target address; destination = the solicitation's source (ff02::1 with S clear when that
     * was unspecified); Ethernet dst = the solicitation's source link-layer option or Ethernet source. The buffer
     * must have room for the reply ({@code return} bytes from {@code frameOffset}).
     *
     * @param buffer      holding the frame.
     * @param frameOffset offset of the Ethernet header.
     * @param frameLength received bytes.
     * @param mac         MAC address to advertise.
     * @param flags       extra NA flags, e.g. {@link Icmpv6Header#NA_FLAG_ROUTER} | {@link
     *                    Icmpv6Header#NA_FLAG_OVERRIDE}; S is added for solicited replies.
     * @return length of the advertisement frame, or -1 if the frame is not a valid Neighbor Solicitation.
     */
    public static int advertise(
        final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final long mac, final int flags)
    {
        if (frameLength < EthernetHeader.HEADER_LENGTH ||
            EtherType.IPV6 != EthernetHeader.payloadEtherType(buffer, frameOffset))
        {
            return -1;
        }
        final int ipOffset = EthernetHeader.payloadOffset(buffer, frameOffset);
        final int icmpOffset = ipOffset + Ipv6Header.HEADER_LENGTH;
        if (icmpOffset + Icmpv6Header.ND_OPTIONS_OFFSET > frameOffset + frameLength)
        {
            return -1;
        }
        final int icmpLength = Ipv6Header.payloadLength(buffer, ipOffset);
        if (Ipv6Header.version(buffer, ipOffset) != 6 ||
            IpProtocol.ICMPV6 != Ipv6Header.nextHeader(buffer, ipOffset) ||
            ND_HOP_LIMIT != Ipv6Header.hopLimit(buffer, ipOffset) ||
            icmpLength < Icmpv6Header.ND_OPTIONS_OFFSET ||
            icmpOffset + icmpLength > frameOffset + frameLength ||
            Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION != Icmpv6Header.type(buffer, icmpOffset) ||
            0 != (buffer.getByte(icmpOffset + Icmpv6Header.CODE_OFFSET) & 0xFF) ||
            !Checksums.isIpv6TransportChecksumValid(buffer, ipOffset, icmpOffset, icmpLength, IpProtocol.ICMPV6))
        {
            return -1;
        }

        final long solicitorHi = Ipv6Header.srcAddressHi(buffer, ipOffset);
        final long solicitorLo = Ipv6Header.srcAddressLo(buffer, ipOffset);
        final long targetHi = Icmpv6Header.targetAddressHi(buffer, icmpOffset);
        final long targetLo = Icmpv6Header.targetAddressLo(buffer, icmpOffset);
        final int sllaOffset = Icmpv6Header.findNdOption(
            buffer, icmpOffset, icmpLength, Icmpv6Header.OPTION_SOURCE_LINK_ADDRESS);
        final boolean isUnspecified = 0 == solicitorHi && 0 == solicitorLo;

        final long dstHi = isUnspecified ? ALL_NODES_HI : solicitorHi;
        final long dstLo = isUnspecified ? ALL_NODES_LO : solicitorLo;
        final long dstMac;
        if (isUnspecified)
        {
            dstMac = 0x3333_0000_0001L;
        }
        else if (sllaOffset >= 0)
        {
            dstMac = Icmpv6Header.linkAddress(buffer, sllaOffset);
        }
        else
        {
            dstMac = EthernetHeader.srcMac(buffer, frameOffset);
        }
        final int naFlags = isUnspecified ? flags & ~Icmpv6Header.NA_FLAG_SOLICITED :
            flags | Icmpv6Header.NA_FLAG_SOLICITED;

        MacAddress.write(buffer, frameOffset + EthernetHeader.DST_MAC_OFFSET, dstMac);
        MacAddress.write(buffer, frameOffset + EthernetHeader.SRC_MAC_OFFSET, mac);

        buffer.putShort(ipOffset + Ipv6Header.PAYLOAD_LENGTH_OFFSET, (short)NA_LENGTH, ByteOrder.BIG_ENDIAN);
        buffer.putByte(ipOffset + Ipv6Header.HOP_LIMIT_OFFSET, (byte)ND_HOP_LIMIT);
        buffer.putLong(ipOffset + Ipv6Header.SRC_ADDRESS_OFFSET, targetHi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(ipOffset + Ipv6Header.SRC_ADDRESS_OFFSET + 8, targetLo, ByteOrder.BIG_ENDIAN);
        buffer.putLong(ipOffset + Ipv6Header.DST_ADDRESS_OFFSET, dstHi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(ipOffset + Ipv6Header.DST_ADDRESS_OFFSET + 8, dstLo, ByteOrder.BIG_ENDIAN);

        buffer.putByte(icmpOffset + Icmpv6Header.TYPE_OFFSET, (byte)Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT);
        buffer.putByte(icmpOffset + Icmpv6Header.CODE_OFFSET, (byte)0);
        buffer.putInt(icmpOffset + Icmpv6Header.NA_FLAGS_OFFSET, naFlags, ByteOrder.BIG_ENDIAN);
        final int optionOffset = icmpOffset + Icmpv6Header.ND_OPTIONS_OFFSET;
        buffer.putByte(optionOffset, (byte)Icmpv6Header.OPTION_TARGET_LINK_ADDRESS);
        buffer.putByte(optionOffset + 1, (byte)1);
        MacAddress.write(buffer, optionOffset + 2, mac);
        Checksums.updateIcmpv6Checksum(buffer, ipOffset, icmpOffset, NA_LENGTH);

        return icmpOffset + NA_LENGTH - frameOffset;
    }
}
