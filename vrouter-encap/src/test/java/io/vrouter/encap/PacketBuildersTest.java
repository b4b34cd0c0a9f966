package io.vrouter.encap;

import io.vrouter.wire.ArpHeader;
import io.vrouter.wire.Checksums;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.EthernetHeader;
import io.vrouter.wire.IcmpHeader;
import io.vrouter.wire.Icmpv6Header;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Address;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;
import io.vrouter.wire.MacAddress;
import io.vrouter.wire.TcpHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketBuildersTest
{
    private static final long VM_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final long ROUTER_MAC = MacAddress.parse("00:00:5e:00:01:00");

    @Test
    void shouldBuildFragmentationNeededInPlace()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
        final byte[] offending = Hex.decode(
            "450005dc12344000400600000a0000010a0000020400005000000001000000005010ffff00000000" + "00".repeat(1460));
        buffer.putBytes(128, offending);
        Checksums.updateIpv4HeaderChecksum(buffer, 128);

        final int gateway = Ipv4Address.parse("10.0.0.254");
        final int length = IcmpErrors.fragmentationNeeded(
            buffer, 128, offending.length, buffer, 128 - IcmpErrors.IPV4_HEADERS, gateway, 1454);

        final int ip = 128 - 28;
        assertEquals(20 + 8 + 28, length);
        assertEquals(length, Ipv4Header.totalLength(buffer, ip));
        assertEquals(IpProtocol.ICMP, Ipv4Header.protocol(buffer, ip));
        assertEquals(Ipv4Address.parse("10.0.0.254"), Ipv4Header.srcAddress(buffer, ip));
        assertEquals(Ipv4Address.parse("10.0.0.1"), Ipv4Header.dstAddress(buffer, ip));
        assertTrue(Checksums.isIpv4HeaderChecksumValid(buffer, ip, 20));
        final IcmpHeader icmp = new IcmpHeader().wrap(buffer, ip + 20);
        assertEquals(3, icmp.type());
        assertEquals(4, icmp.code());
        assertEquals(1454, icmp.nextHopMtu());
        assertEquals(0xFFFF, Checksums.fold(Checksums.sum(buffer, ip + 20, length - 20, 0)));
        assertEquals("450005dc12344000", Hex.encode(buffer.byteArray(), ip + 28, 8));
        assertEquals("0400005000000001", Hex.encode(buffer.byteArray(), ip + 48, 8));
    }

    @Test
    void shouldBuildFragmentationNeededIntoSeparateBuffer()
    {
        final UnsafeBuffer src =
            new UnsafeBuffer(Hex.decode("4500001c000000004011000001020304050607080035003500080000"));
        final UnsafeBuffer dst = new UnsafeBuffer(new byte[128]);

        final int length = IcmpErrors.fragmentationNeeded(src, 0, 28, dst, 14, 0x0A000001, 1400);

        assertEquals(56, length);
        assertEquals(0x01020304, Ipv4Header.dstAddress(dst, 14));
        assertEquals("4500001c000000004011000001020304050607080035003500080000",
            Hex.encode(dst.byteArray(), 14 + 28, 28));
    }

    @Test
    void shouldBuildPacketTooBigQuotingAtMost1280Bytes()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final int ip = 128;
        new Ipv6Header().wrap(buffer, ip).versionClassFlow(0, 0x12345).payloadLength(1960).nextHeader(IpProtocol.UDP)
            .hopLimit(63).srcAddress(0x20010DB800000000L, 1).dstAddress(0x20010DB800000001L, 2);

        final int length = IcmpErrors.packetTooBig(
            buffer, ip, 2000, buffer, ip - IcmpErrors.IPV6_HEADERS, 0xFE80000000000000L, 1, 1450);

        final int out = ip - 48;
        assertEquals(1280, length);
        assertEquals(6, Ipv6Header.version(buffer, out));
        assertEquals(1240, Ipv6Header.payloadLength(buffer, out));
        assertEquals(IpProtocol.ICMPV6, Ipv6Header.nextHeader(buffer, out));
        assertEquals(0x20010DB800000000L, Ipv6Header.dstAddressHi(buffer, out));
        assertEquals(1L, Ipv6Header.dstAddressLo(buffer, out));
        assertEquals(0xFE80000000000000L, Ipv6Header.srcAddressHi(buffer, out));
        final Icmpv6Header icmp = new Icmpv6Header().wrap(buffer, out + 40);
        assertEquals(Icmpv6Header.TYPE_PACKET_TOO_BIG, icmp.type());
        assertEquals(1450, icmp.mtu());
        assertTrue(Checksums.isIpv6TransportChecksumValid(buffer, out, out + 40, 1240, IpProtocol.ICMPV6));
    }

    @Test
    void shouldTurnArpRequestIntoReply()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(Hex.decode(
            "ffffffffffff020000000001 0806 0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a0000fe" +
                "000000000000000000000000000000000000").clone());

        final int length = ArpResponder.reply(buffer, 0, buffer.capacity(), ROUTER_MAC);

        assertEquals(42, length);
        assertEquals(
            "020000000001 00005e000100 0806 0001 0800 06 04 0002 00005e000100 0a0000fe 020000000001 0a000001"
                .replace(" ", ""),
            Hex.encode(buffer.byteArray(), 0, 42));
        assertEquals(-1, ArpResponder.reply(buffer, 0, buffer.capacity(), ROUTER_MAC));
        assertEquals(-1, ArpResponder.reply(buffer, 0, 41, ROUTER_MAC));
    }

    @Test
    void shouldAnswerArpRequestInsideVlanTag()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(Hex.decode(
            "ffffffffffff020000000001 8100 0064 0806 0001 0800 06 04 0001 020000000001 0a000001 000000000000" +
                "0a0000fe"));

        assertEquals(46, ArpResponder.reply(buffer, 0, buffer.capacity(), ROUTER_MAC));
        final ArpHeader arp = new ArpHeader().wrap(buffer, 18);
        assertEquals(ArpHeader.OP_REPLY, arp.operation());
        assertEquals(ROUTER_MAC, arp.senderMac());
        assertEquals(0x0A0000FE, arp.senderIp());
        assertEquals(100, new EthernetHeader().wrap(buffer, 0).vlanId());
    }

    @Test
    void shouldTurnNeighborSolicitationIntoAdvertisement()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final long vmHi = 0x20010DB800000000L;
        final long vmLo = 0x10L;
        final long gwLo = 0x1L;
        new EthernetHeader().wrap(buffer, 0).set(0x3333FF000001L, VM_MAC, EtherType.IPV6);
        new Ipv6Header().wrap(buffer, 14).versionClassFlow(0, 0).payloadLength(32).nextHeader(IpProtocol.ICMPV6)
            .hopLimit(255).srcAddress(vmHi, vmLo).dstAddress(0xFF02000000000000L, 0x00000001FF000001L);
        new Icmpv6Header().wrap(buffer, 54).type(Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION).code(0)
            .targetAddress(vmHi, gwLo)
            .linkAddressOption(Icmpv6Header.ND_OPTIONS_OFFSET, Icmpv6Header.OPTION_SOURCE_LINK_ADDRESS, VM_MAC);
        Checksums.updateIcmpv6Checksum(buffer, 14, 54, 32);

        final int length = NeighborAdvertiser.advertise(
            buffer, 0, 86, ROUTER_MAC, Icmpv6Header.NA_FLAG_ROUTER | Icmpv6Header.NA_FLAG_OVERRIDE);

        assertEquals(86, length);
        assertEquals(VM_MAC, EthernetHeader.dstMac(buffer, 0));
        assertEquals(ROUTER_MAC, EthernetHeader.srcMac(buffer, 0));
        final Ipv6Header ip = new Ipv6Header().wrap(buffer, 14);
        assertEquals(vmHi, ip.srcAddressHi());
        assertEquals(gwLo, ip.srcAddressLo());
        assertEquals(vmLo, ip.dstAddressLo());
        assertEquals(255, ip.hopLimit());
        final Icmpv6Header na = new Icmpv6Header().wrap(buffer, 54);
        assertEquals(Icmpv6Header.TYPE_NEIGHBOR_ADVERTISEMENT, na.type());
        assertEquals(0xE0000000, na.naFlags());
        assertEquals(gwLo, na.targetAddressLo());
        final int tlla = Icmpv6Header.findNdOption(buffer, 54, 32, Icmpv6Header.OPTION_TARGET_LINK_ADDRESS);
        assertEquals(54 + 24, tlla);
        assertEquals(ROUTER_MAC, Icmpv6Header.linkAddress(buffer, tlla));
        assertTrue(Checksums.isIpv6TransportChecksumValid(buffer, 14, 54, 32, IpProtocol.ICMPV6));

        assertEquals(-1, NeighborAdvertiser.advertise(buffer, 0, 86, ROUTER_MAC, 0));
    }

    @Test
    void shouldAdvertiseToAllNodesForDuplicateAddressDetection()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        new EthernetHeader().wrap(buffer, 0).set(0x3333FF000001L, VM_MAC, EtherType.IPV6);
        new Ipv6Header().wrap(buffer, 14).versionClassFlow(0, 0).payloadLength(24).nextHeader(IpProtocol.ICMPV6)
            .hopLimit(255).srcAddress(0, 0).dstAddress(0xFF02000000000000L, 0x00000001FF000001L);
        new Icmpv6Header().wrap(buffer, 54).type(Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION).code(0)
            .targetAddress(0x20010DB800000000L, 1);
        Checksums.updateIcmpv6Checksum(buffer, 14, 54, 24);

        assertEquals(86, NeighborAdvertiser.advertise(buffer, 0, 78, ROUTER_MAC, Icmpv6Header.NA_FLAG_OVERRIDE));
        assertEquals(0x333300000001L, EthernetHeader.dstMac(buffer, 0));
        assertEquals(NeighborAdvertiser.ALL_NODES_HI, Ipv6Header.dstAddressHi(buffer, 14));
        assertEquals(Icmpv6Header.NA_FLAG_OVERRIDE, new Icmpv6Header().wrap(buffer, 54).naFlags());
        assertTrue(Checksums.isIpv6TransportChecksumValid(buffer, 14, 54, 32, IpProtocol.ICMPV6));
    }

    @Test
    void shouldRejectNeighborSolicitationWithBadChecksumOrHopLimit()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        new EthernetHeader().wrap(buffer, 0).set(0x3333FF000001L, VM_MAC, EtherType.IPV6);
        new Ipv6Header().wrap(buffer, 14).versionClassFlow(0, 0).payloadLength(24).nextHeader(IpProtocol.ICMPV6)
            .hopLimit(255).srcAddress(1, 2).dstAddress(3, 4);
        new Icmpv6Header().wrap(buffer, 54).type(Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION).targetAddress(5, 6);
        assertEquals(-1, NeighborAdvertiser.advertise(buffer, 0, 78, ROUTER_MAC, 0));

        Checksums.updateIcmpv6Checksum(buffer, 14, 54, 24);
        buffer.putByte(14 + Ipv6Header.HOP_LIMIT_OFFSET, (byte)64);
        assertEquals(-1, NeighborAdvertiser.advertise(buffer, 0, 78, ROUTER_MAC, 0));
        assertEquals(-1, NeighborAdvertiser.advertise(buffer, 0, 60, ROUTER_MAC, 0));
    }

    @Test
    void shouldClampMssOnSynAndFixChecksum()
    {
        final UnsafeBuffer buffer = synWithOptions("020405b4" + "0402080a0000000100000000" + "01030307");
        final int tcpLength = buffer.capacity() - 20;

        assertEquals(1400, MssClamp.clamp(buffer, 20, tcpLength, 1400));
        assertEquals(1400, TcpHeader.mss(buffer, TcpHeader.findMssOption(buffer, 20, tcpLength)));
        assertTrue(Checksums.isIpv4TransportChecksumValid(buffer, 20, tcpLength, 0x0A000001, 0x0A000002,
            IpProtocol.TCP));
        assertEquals(1400, MssClamp.clamp(buffer, 20, tcpLength, 1460));
    }

    @Test
    void shouldClampOddAlignedMssOption()
    {
        final UnsafeBuffer buffer = synWithOptions("01020405b4010101");
        final int tcpLength = buffer.capacity() - 20;

        assertEquals(21 + 20, TcpHeader.findMssOption(buffer, 20, tcpLength));
        assertEquals(1360, MssClamp.clamp(buffer, 20, tcpLength, 1360));
        assertTrue(Checksums.isIpv4TransportChecksumValid(buffer, 20, tcpLength, 0x0A000001, 0x0A000002,
            IpProtocol.TCP));
    }

    @Test
    void shouldIgnoreNonSynAndMalformedOptions()
    {
        final UnsafeBuffer noSyn = synWithOptions("020405b4");
        noSyn.putByte(20 + TcpHeader.FLAGS_OFFSET, (byte)TcpHeader.FLAG_ACK);
        assertEquals(-1, MssClamp.clamp(noSyn, 20, noSyn.capacity() - 20, 1000));

        assertEquals(-1, clamp("0400020405b4"));
        assertEquals(-1, clamp("00000000020405b4"));
        assertEquals(-1, clamp("08ff0000"));
        assertEquals(-1, clamp("020305b4"));
        assertEquals(-1, clamp("010101"));
        assertEquals(1000, clamp("010101020405b4"));
        assertEquals(1336, MssClamp.maxMss(1500, 124, 20));
    }

    private static int clamp(final String optionsHex)
    {
        final UnsafeBuffer buffer = synWithOptions(optionsHex);
        return MssClamp.clamp(buffer, 20, buffer.capacity() - 20, 1000);
    }

    private static UnsafeBuffer synWithOptions(final String optionsHex)
    {
        final String padded = optionsHex + "00".repeat((8 - (optionsHex.length() % 8)) % 8 / 2);
        final int optionsLength = padded.length() / 2;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20 + 20 + optionsLength]);
        new Ipv4Header().wrap(buffer, 0).versionAndHeaderLength(4, 20).totalLength(buffer.capacity()).ttl(64)
            .protocol(IpProtocol.TCP).srcAddress(0x0A000001).dstAddress(0x0A000002).updateChecksum();
        new TcpHeader().wrap(buffer, 20).srcPort(40000).dstPort(80).sequence(1).headerLength(20 + optionsLength)
            .flags(TcpHeader.FLAG_SYN).window(65535);
        buffer.putBytes(40, Hex.decode(padded));
        final int checksum = Checksums.ipv4TransportChecksum(
            buffer, 20, buffer.capacity() - 20, 0x0A000001, 0x0A000002, IpProtocol.TCP);
        buffer.putShort(20 + TcpHeader.CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return buffer;
    }
}
