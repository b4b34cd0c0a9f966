package io.vrouter.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadersTest
{
    private static final byte[] VTEST_INPUT = HexFormat.of().parseHex(
        "deadbeef0001deadbeef00020800" + "4500006c000100004011747b0101010102020202" + "1f001f00005879a7");

    @Test
    void shouldParseFormatReadAndWriteMacAddresses()
    {
        final long mac = MacAddress.parse("de:ad:be:ef:00:01");
        assertEquals(0xDEADBEEF0001L, mac);
        assertEquals("de:ad:be:ef:00:01", MacAddress.format(mac));
        assertEquals(0xDEADBEEF0001L, MacAddress.parse("DE-AD-BE-EF-00-01"));

        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        MacAddress.write(buffer, 3, 0xFFEEDDCCBBAAL);
        assertEquals(0xFFEEDDCCBBAAL, MacAddress.read(buffer, 3));
        assertEquals(0, buffer.getByte(2));
        assertEquals(0, buffer.getByte(9));

        assertTrue(MacAddress.isBroadcast(MacAddress.BROADCAST));
        assertTrue(MacAddress.isMulticast(0x01005E000001L));
        assertFalse(MacAddress.isMulticast(mac));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("de:ad:be:ef:00"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("de:ad:be:ef:00:0g"));
    }

    @Test
    void shouldParseFormatAndMaskIpv4Addresses()
    {
        assertEquals(0x01020304, Ipv4Address.parse("1.2.3.4"));
        assertEquals(0xFFFFFFFF, Ipv4Address.parse("255.255.255.255"));
        assertEquals("10.1.200.3", Ipv4Address.format(Ipv4Address.parse("10.1.200.3")));
        assertEquals("255.255.255.255", Ipv4Address.format(-1));
        assertEquals(0, Ipv4Address.prefixMask(0));
        assertEquals(0xFFFFFF00, Ipv4Address.prefixMask(24));
        assertEquals(0xFFFFFFFF, Ipv4Address.prefixMask(32));
        assertEquals(0x80000000, Ipv4Address.prefixMask(1));
        assertEquals(0x0A010000, Ipv4Address.network(0x0A0101FF, 16));
        assertTrue(Ipv4Address.isInPrefix(Ipv4Address.parse("10.1.2.3"), Ipv4Address.parse("10.0.0.0"), 8));
        assertFalse(Ipv4Address.isInPrefix(Ipv4Address.parse("11.1.2.3"), Ipv4Address.parse("10.0.0.0"), 8));
        assertTrue(Ipv4Address.isInPrefix(123, 456, 0));
        assertTrue(Ipv4Address.isMulticast(Ipv4Address.parse("239.1.1.1")));
        for (final String bad : new String[]{ "1.2.3", "1.2.3.4.5", "1.2.3.256", "1..2.3", "a.b.c.d", "", "1.2.3." })
        {
            assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(bad), bad);
        }
    }

    @Test
    void shouldReadVtestInputPacket()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(VTEST_INPUT);
        final EthernetHeader eth = new EthernetHeader().wrap(buffer, 0);
        assertEquals(0xDEADBEEF0001L, eth.dstMac());
        assertEquals(0xDEADBEEF0002L, eth.srcMac());
        assertEquals(EtherType.IPV4, eth.etherType());
        assertFalse(eth.isVlanTagged());
        assertEquals(14, EthernetHeader.payloadOffset(buffer, 0));

        final Ipv4Header ip = new Ipv4Header().wrap(buffer, 14);
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(0x6C, ip.totalLength());
        assertEquals(1, ip.identification());
        assertFalse(ip.isDontFragment());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(IpProtocol.UDP, ip.protocol());
        assertEquals(0x747B, ip.checksum());
        assertTrue(ip.isChecksumValid());
        assertEquals(0x01010101, ip.srcAddress());
        assertEquals(0x02020202, Ipv4Header.dstAddress(buffer, 14));

        final UdpHeader udp = new UdpHeader().wrap(buffer, 34);
        assertEquals(7936, udp.srcPort());
        assertEquals(7936, udp.dstPort());
        assertEquals(0x58, udp.length());
        assertEquals(0x79A7, udp.checksum());
    }

    @Test
    void shouldHandleVlanTaggedFrames()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        new EthernetHeader().wrap(buffer, 0).set(1, 2, EtherType.VLAN);
        new VlanTag().wrap(buffer, 12).tci(5, true, 0xABC).etherType(EtherType.IPV6);

        final EthernetHeader eth = new EthernetHeader().wrap(buffer, 0);
        assertTrue(eth.isVlanTagged());
        assertEquals(0xABC, eth.vlanId());
        assertEquals(EtherType.IPV6, eth.payloadEtherType());
        assertEquals(18, eth.headerLength());
        assertEquals(18, EthernetHeader.payloadOffset(buffer, 0));
        final VlanTag tag = new VlanTag().wrap(buffer, 12);
        assertEquals(EtherType.VLAN, tag.tpid());
        assertEquals(5, tag.pcp());
        assertTrue(tag.dei());
        assertEquals(0xABC, VlanTag.vlanId(buffer, 12));
    }

    @Test
    void shouldBuildMplsLabelStackEntries()
    {
        assertEquals(0x0003013F, MplsHeader.entry(48, 0, true, 63));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        final MplsHeader mpls = new MplsHeader().wrap(buffer, 4).set(0xFFFFF, 7, false, 255);
        assertEquals(0xFFFFF, mpls.label());
        assertEquals(7, mpls.trafficClass());
        assertFalse(mpls.isBottomOfStack());
        assertEquals(255, mpls.ttl());
        assertEquals(0xFFFFFEFF, buffer.getInt(4, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void shouldComputeGreHeaderLengthAndVxlanFields()
    {
        assertEquals(4, GreHeader.headerLength(0));
        assertEquals(8, GreHeader.headerLength(GreHeader.FLAG_KEY));
        final int allOptions = GreHeader.FLAG_KEY | GreHeader.FLAG_CHECKSUM | GreHeader.FLAG_SEQUENCE;
        assertEquals(16, GreHeader.headerLength(allOptions));

        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        final VxlanHeader vxlan = new VxlanHeader().wrap(buffer, 0).flags(VxlanHeader.FLAG_VNI_VALID).vni(0x123456);
        assertEquals(0x123456, vxlan.vni());
        assertEquals("0800000012345600", HexFormat.of().formatHex(buffer.byteArray()));
    }

    @Test
    void shouldFindMssOptionAfterNops()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[28]);
        new TcpHeader().wrap(buffer, 0).headerLength(28).flags(TcpHeader.FLAG_SYN | TcpHeader.FLAG_ACK);
        buffer.putLong(20, 0x0101020405B40000L, ByteOrder.BIG_ENDIAN);

        assertEquals(22, TcpHeader.findMssOption(buffer, 0, 28));
        assertEquals(1460, TcpHeader.mss(buffer, 22));
        assertEquals(-1, TcpHeader.findMssOption(buffer, 0, 27));
        assertEquals(TcpHeader.FLAG_SYN | TcpHeader.FLAG_ACK, TcpHeader.flags(buffer, 0));
    }
}
