package io.vrouter.encap;

import io.vrouter.wire.EthernetHeader;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Address;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.MacAddress;
import io.vrouter.wire.UdpHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden bytes from Contrail's vtest ("MPLSoUDP/MPLSoGRE/VXLAN - Routing L2RCV nh"): every packet of the
 * {@code *_routing_src.pcap} input, routed to NH 12 (encap de:ad:be:ef:00:01 de:ad:be:ef:00:02 0800, sip 1.1.2.2,
 * dip 2.2.1.1) with label/VNI 48, must come out byte-for-byte as in {@code *_routing_dest.pcap}.
 */
class VtestGoldenPcapTest
{
    private static final int HEADROOM = 128;
    private static final int LABEL = 48;
    private static final int VRF = 0;

    private static final EncapRewrite MPLS_UDP = rewrite(TunnelType.MPLS_UDP);
    private static final EncapRewrite MPLS_GRE = rewrite(TunnelType.MPLS_GRE);
    private static final EncapRewrite VXLAN = rewrite(TunnelType.VXLAN);

    private static EncapRewrite rewrite(final int tunnelType)
    {
        return EncapRewrite.create(
            tunnelType,
            MacAddress.parse("de:ad:be:ef:00:01"),
            MacAddress.parse("de:ad:be:ef:00:02"),
            Ipv4Address.parse("1.1.2.2"),
            Ipv4Address.parse("2.2.1.1"));
    }

    @Test
    void shouldReproduceMplsOverUdpCapture()
    {
        assertCapture("mplsoudp_routing_src.pcap", "mplsoudp_routing_dest.pcap", TunnelType.MPLS_UDP);
    }

    @Test
    void shouldReproduceMplsOverGreCapture()
    {
        assertCapture("mplsogre_routing_src.pcap", "mplsogre_routing_dest.pcap", TunnelType.MPLS_GRE);
    }

    @Test
    void shouldReproduceVxlanCapture()
    {
        assertCapture("vxlan_routing_src.pcap", "vxlan_routing_dest.pcap", TunnelType.VXLAN);
    }

    @Test
    void shouldDecapsulateEveryExpectedPacketBackToTheRoutedInnerPacket()
    {
        for (final String name : new String[]{
            "mplsoudp_routing_dest.pcap", "mplsogre_routing_dest.pcap", "vxlan_routing_dest.pcap" })
        {
            final List<byte[]> packets = PcapFile.read(PcapFile.vtestPcap(name));
            for (final byte[] packet : packets)
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(packet);
                final long result = TunnelDecap.decapFrame(buffer, 0, packet.length);
                assertEquals(0, DecapResult.errorCode(result), name + ": " + DecapResult.name((int)result));
                final int innerOffset = DecapResult.headerLength(result);
                assertEquals(0x6C, DecapResult.innerLength(result));
                assertEquals(63, Ipv4Header.ttl(buffer, innerOffset));
                if (DecapResult.tunnelType(result) == TunnelType.VXLAN)
                {
                    assertEquals(LABEL, DecapResult.vni(result));
                }
                else
                {
                    assertEquals(LABEL, DecapResult.label(result));
                    assertEquals(63, DecapResult.ttl(result));
                }
            }
        }
    }

    private static void assertCapture(final String input, final String expected, final int tunnelType)
    {
        final List<byte[]> inputs = PcapFile.read(PcapFile.vtestPcap(input));
        final List<byte[]> outputs = PcapFile.read(PcapFile.vtestPcap(expected));
        assertEquals(inputs.size(), outputs.size(), "packet count");

        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADROOM + 2048]);
        int ipIdCounter = 1;
        for (int i = 0; i < inputs.size(); i++)
        {
            final byte[] in = inputs.get(i);
            buffer.setMemory(0, buffer.capacity(), (byte)0);
            buffer.putBytes(HEADROOM, in);

            // What the forwarder does before the tunnel NH: strip L2, decrement TTL, hash the inner 5-tuple.
            final int ipOffset = HEADROOM + EthernetHeader.HEADER_LENGTH;
            final int innerLength = Ipv4Header.totalLength(buffer, ipOffset);
            final int ttl = Ipv4Header.decrementTtl(buffer, ipOffset);
            final int l4Offset = ipOffset + Ipv4Header.headerLength(buffer, ipOffset);
            final boolean hasPorts = Ipv4Header.protocol(buffer, ipOffset) == IpProtocol.UDP;
            final int sourcePort = EntropyHash.sourcePort(
                Ipv4Header.srcAddress(buffer, ipOffset),
                Ipv4Header.dstAddress(buffer, ipOffset),
                VRF,
                hasPorts ? UdpHeader.srcPort(buffer, l4Offset) : 0,
                hasPorts ? UdpHeader.dstPort(buffer, l4Offset) : 0);

            final int frameOffset;
            switch (tunnelType)
            {
                case TunnelType.MPLS_UDP:
                    frameOffset = MplsUdpEncap.encap(
                        buffer, ipOffset, innerLength, MPLS_UDP, LABEL, ttl, ipIdCounter++, sourcePort);
                    break;
                case TunnelType.MPLS_GRE:
                    frameOffset = MplsGreEncap.encap(
                        buffer, ipOffset, innerLength, MPLS_GRE, LABEL, ttl,
                        Ipv4Header.identification(buffer, ipOffset));
                    break;
                default:
                    frameOffset = VxlanEncap.encap(
                        buffer, ipOffset, innerLength, VXLAN, LABEL, ipIdCounter++, sourcePort);
                    break;
            }

            final byte[] out = outputs.get(i);
            final int frameLength = innerLength + TunnelType.overhead(tunnelType);
            final byte[] actual = new byte[frameLength];
            buffer.getBytes(frameOffset, actual);
            assertArrayEquals(out, actual, expected + " packet " + i + ": expected " +
                Hex.encode(out, 0, out.length) + " but was " + Hex.encode(actual, 0, actual.length));
        }
    }
}
