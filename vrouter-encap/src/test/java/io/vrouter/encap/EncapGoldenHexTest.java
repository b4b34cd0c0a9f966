package io.vrouter.encap;

import io.vrouter.wire.Ipv4Address;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Self-contained golden bytes (first packet of the vtest captures, payload shortened to the UDP header) so that the
 * encapsulations are covered without the shared pcaps.
 */
class EncapGoldenHexTest
{
    private static final String INNER_AFTER_TTL_DECREMENT =
        "4500006c000100003f11757b01010101020202021f001f00005879a7";
    private static final String OUTER_ETHERNET = "deadbeef0001deadbeef00020800";
    private static final int LABEL = 48;

    private final long dstMac = MacAddress.parse("de:ad:be:ef:00:01");
    private final long srcMac = MacAddress.parse("de:ad:be:ef:00:02");
    private final int sip = Ipv4Address.parse("1.1.2.2");
    private final int dip = Ipv4Address.parse("2.2.1.1");

    @Test
    void shouldEncapsulateMplsOverUdp()
    {
        final EncapRewrite rewrite = EncapRewrite.create(TunnelType.MPLS_UDP, dstMac, srcMac, sip, dip);
        final UnsafeBuffer buffer = innerPacket();

        final int frameOffset = MplsUdpEncap.encap(buffer, 128, 0x6C, rewrite, LABEL, 63, 1, 60166);

        assertEquals(128 - 46, frameOffset);
        assertEquals(
            OUTER_ETHERNET + "4500008c000100004011745b0101020202020101" + "eb0619eb00780000" + "0003013f" +
                INNER_AFTER_TTL_DECREMENT,
            Hex.encode(buffer.byteArray(), frameOffset, 46 + 28));
    }

    @Test
    void shouldUseIdFromCallerAndDefaultMplsTtl()
    {
        final EncapRewrite rewrite = EncapRewrite.create(TunnelType.MPLS_UDP, dstMac, srcMac, sip, dip);
        final UnsafeBuffer buffer = innerPacket();

        final int frameOffset = MplsUdpEncap.encap(buffer, 128, 0x6C, rewrite, LABEL, 0, 2, 60166);

        assertEquals("4500008c000200004011745a", Hex.encode(buffer.byteArray(), frameOffset + 14, 12));
        assertEquals("00030140", Hex.encode(buffer.byteArray(), frameOffset + 42, 4));
        assertEquals(true, new Ipv4Header().wrap(buffer, frameOffset + 14).isChecksumValid());
    }

    @Test
    void shouldEncapsulateMplsOverGre()
    {
        final EncapRewrite rewrite = EncapRewrite.create(TunnelType.MPLS_GRE, dstMac, srcMac, sip, dip);
        final UnsafeBuffer buffer = innerPacket();

        final int frameOffset = MplsGreEncap.encap(
            buffer, 128, 0x6C, rewrite, LABEL, 63, Ipv4Header.identification(buffer, 128));

        assertEquals(128 - 42, frameOffset);
        assertEquals(
            OUTER_ETHERNET + "4500008800010000402f74410101020202020101" + "00008847" + "0003013f" +
                INNER_AFTER_TTL_DECREMENT,
            Hex.encode(buffer.byteArray(), frameOffset, 42 + 28));
    }

    @Test
    void shouldEncapsulateInnerIpPacketOverVxlan()
    {
        final EncapRewrite rewrite = EncapRewrite.create(TunnelType.VXLAN, dstMac, srcMac, sip, dip);
        final UnsafeBuffer buffer = innerPacket();

        final int frameOffset = VxlanEncap.encap(buffer, 128, 0x6C, rewrite, LABEL, 1, 60166);

        assertEquals(128 - 50, frameOffset);
        assertEquals(
            OUTER_ETHERNET + "4500009000010000401174570101020202020101" + "eb0612b5007c0000" +
                "0800000000003000" + INNER_AFTER_TTL_DECREMENT,
            Hex.encode(buffer.byteArray(), frameOffset, 50 + 28));
    }

    @Test
    void shouldEncapsulateInnerEthernetFrameOverVxlan()
    {
        final EncapRewrite rewrite = EncapRewrite.create(TunnelType.VXLAN, dstMac, srcMac, sip, dip);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final byte[] frame = Hex.decode("020000000001020000000002 0800" + INNER_AFTER_TTL_DECREMENT);
        buffer.putBytes(128, frame);

        final int frameOffset = VxlanEncap.encap(buffer, 128, 14 + 0x6C, rewrite, 0xABCDEF, 7, 52000);

        assertEquals(
            OUTER_ETHERNET + "4500009e00070000401174430101020202020101" + "cb2012b5008a0000" + "08000000abcdef00" +
                "0200000000010200000000020800",
            Hex.encode(buffer.byteArray(), frameOffset, 50 + 14));
        assertEquals(true, new Ipv4Header().wrap(buffer, frameOffset + 14).isChecksumValid());
    }

    @Test
    void shouldBuildRewriteFromNextHopEncapBytes()
    {
        final UnsafeBuffer encap = new UnsafeBuffer(Hex.decode(OUTER_ETHERNET));
        final EncapRewrite rewrite = EncapRewrite.fromNextHopEncap(TunnelType.MPLS_UDP, encap, 0, sip, dip);

        assertEquals(dstMac, rewrite.dstMac());
        assertEquals(srcMac, rewrite.srcMac());
        assertEquals(42, rewrite.length());
        assertEquals(46, rewrite.overhead());
        assertEquals(
            OUTER_ETHERNET + "45000000000000004011000001010202020201010000" + "19eb00000000",
            Hex.encode(rewrite.bytes().byteArray(), 0, rewrite.length()));
    }

    @Test
    void shouldPushLabelForKernelUdpSocketPath()
    {
        final UnsafeBuffer buffer = innerPacket();

        assertEquals(124, MplsUdpEncap.pushLabel(buffer, 128, LABEL, 63));
        assertEquals("0003013f", Hex.encode(buffer.byteArray(), 124, 4));
    }

    private static UnsafeBuffer innerPacket()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        buffer.putBytes(128, Hex.decode(INNER_AFTER_TTL_DECREMENT));
        return buffer;
    }
}
