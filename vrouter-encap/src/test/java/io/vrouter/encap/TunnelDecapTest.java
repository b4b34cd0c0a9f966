package io.vrouter.encap;

import io.vrouter.wire.Checksums;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.GreHeader;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Address;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.MacAddress;
import io.vrouter.wire.MplsHeader;
import io.vrouter.wire.UdpHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunnelDecapTest
{
    private static final int HEADROOM = 128;
    private static final int INNER_LENGTH = 0x6C;
    private static final byte[] INNER = Hex.decode(
        "4500006c000100003f11757b01010101020202021f001f00005879a7" + "6b6f6b6f74696e79".repeat(10));
    private static final int IP = 14;
    private static final int L4 = 34;

    private final long dstMac = MacAddress.parse("de:ad:be:ef:00:01");
    private final long srcMac = MacAddress.parse("de:ad:be:ef:00:02");
    private final int sip = Ipv4Address.parse("1.1.2.2");
    private final int dip = Ipv4Address.parse("2.2.1.1");

    private UnsafeBuffer buffer;
    private int frameOffset;
    private int frameLength;

    private void encap(final int tunnelType, final int labelOrVni, final int ttl)
    {
        buffer = new UnsafeBuffer(new byte[1024]);
        buffer.putBytes(HEADROOM, INNER);
        final EncapRewrite rewrite = EncapRewrite.create(tunnelType, dstMac, srcMac, sip, dip);
        switch (tunnelType)
        {
            case TunnelType.MPLS_UDP:
                frameOffset = MplsUdpEncap.encap(buffer, HEADROOM, INNER_LENGTH, rewrite, labelOrVni, ttl, 9, 50000);
                break;
            case TunnelType.MPLS_GRE:
                frameOffset = MplsGreEncap.encap(buffer, HEADROOM, INNER_LENGTH, rewrite, labelOrVni, ttl, 9);
                break;
            default:
                frameOffset = VxlanEncap.encap(buffer, HEADROOM, INNER_LENGTH, rewrite, labelOrVni, 9, 50000);
                break;
        }
        frameLength = INNER_LENGTH + TunnelType.overhead(tunnelType);
    }

    private long decap()
    {
        return TunnelDecap.decapFrame(buffer, frameOffset, frameLength);
    }

    private void fixIpChecksum()
    {
        Checksums.updateIpv4HeaderChecksum(buffer, frameOffset + IP);
    }

    private void putIpShort(final int fieldOffset, final int value)
    {
        buffer.putShort(frameOffset + IP + fieldOffset, (short)value, ByteOrder.BIG_ENDIAN);
        fixIpChecksum();
    }

    private void assertInner(final long result)
    {
        assertTrue(result >= 0, DecapResult.name((int)result));
        assertEquals(HEADROOM, frameOffset + DecapResult.headerLength(result));
        assertEquals(INNER_LENGTH, DecapResult.innerLength(result));
    }

    @Test
    void shouldRoundTripMplsOverUdp()
    {
        encap(TunnelType.MPLS_UDP, 0xABCDE, 63);
        final long result = decap();

        assertInner(result);
        assertEquals(TunnelType.MPLS_UDP, DecapResult.tunnelType(result));
        assertEquals(0xABCDE, DecapResult.label(result));
        assertEquals(63, DecapResult.ttl(result));
    }

    @Test
    void shouldRoundTripMplsOverGre()
    {
        encap(TunnelType.MPLS_GRE, 16, 1);
        final long result = decap();

        assertInner(result);
        assertEquals(TunnelType.MPLS_GRE, DecapResult.tunnelType(result));
        assertEquals(16, DecapResult.label(result));
        assertEquals(1, DecapResult.ttl(result));
    }

    @Test
    void shouldRoundTripVxlan()
    {
        encap(TunnelType.VXLAN, 0xFFFFFF, 0);
        final long result = decap();

        assertInner(result);
        assertEquals(TunnelType.VXLAN, DecapResult.tunnelType(result));
        assertEquals(0xFFFFFF, DecapResult.vni(result));
    }

    @Test
    void shouldDecapFromOuterIpPacket()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        final long result = TunnelDecap.decapIpv4(buffer, frameOffset + IP, frameLength - IP);

        assertEquals(HEADROOM, frameOffset + IP + DecapResult.headerLength(result));
        assertEquals(48, DecapResult.label(result));
    }

    @Test
    void shouldAcceptLinkPaddingAfterTheIpPacket()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        frameLength += 6;

        assertInner(decap());
    }

    @Test
    void shouldSkipOneVlanTag()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        final UnsafeBuffer tagged = new UnsafeBuffer(new byte[1024]);
        tagged.putBytes(0, buffer, frameOffset, 12);
        tagged.putInt(12, (EtherType.VLAN << 16) | 100, ByteOrder.BIG_ENDIAN);
        tagged.putBytes(16, buffer, frameOffset + 12, frameLength - 12);

        final long result = TunnelDecap.decapFrame(tagged, 0, frameLength + 4);
        assertEquals(18 + 20 + 8 + 4, DecapResult.headerLength(result));
        assertEquals(48, DecapResult.label(result));
    }

    @Test
    void shouldAcceptLegacyMplsUdpPort()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        buffer.putShort(frameOffset + L4 + UdpHeader.DST_PORT_OFFSET, (short)51234, ByteOrder.BIG_ENDIAN);

        assertEquals(48, DecapResult.label(decap()));
    }

    @Test
    void shouldPopNullTransportLabel()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        // Rebuild with one more entry: shift the outer headers 4 bytes left and insert 0xFFFFF, S=0.
        buffer.putBytes(frameOffset - 4, buffer, frameOffset, 42);
        frameOffset -= 4;
        frameLength += 4;
        buffer.putInt(frameOffset + 42, MplsHeader.entry(MplsHeader.NULL_TRANSPORT_LABEL, 0, false, 64),
            ByteOrder.BIG_ENDIAN);
        putIpShort(Ipv4Header.TOTAL_LENGTH_OFFSET, frameLength - IP);
        buffer.putShort(frameOffset + L4 + UdpHeader.LENGTH_OFFSET, (short)(frameLength - L4), ByteOrder.BIG_ENDIAN);

        final long result = decap();
        assertInner(result);
        assertEquals(48, DecapResult.label(result));
        assertEquals(63, DecapResult.ttl(result));
    }

    @Test
    void shouldVerifyNonZeroUdpChecksum()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        final int udpLength = frameLength - L4;
        final int checksum = Checksums.ipv4TransportChecksum(buffer, frameOffset + L4, udpLength, sip, dip,
            IpProtocol.UDP);
        buffer.putShort(frameOffset + L4 + UdpHeader.CHECKSUM_OFFSET, (short)Checksums.udpChecksumValue(checksum),
            ByteOrder.BIG_ENDIAN);
        assertInner(decap());

        buffer.putByte(HEADROOM + 40, (byte)(buffer.getByte(HEADROOM + 40) + 1));
        assertEquals(DecapResult.CKSUM_ERR, decap());
    }

    @Test
    void shouldRejectTruncatedFrames()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        assertEquals(DecapResult.PULL, TunnelDecap.decapFrame(buffer, frameOffset, 13));
        assertEquals(DecapResult.PULL, TunnelDecap.decapFrame(buffer, frameOffset, 14 + 19));
        assertEquals(DecapResult.PULL, TunnelDecap.decapFrame(buffer, frameOffset, frameLength - 1));
        assertEquals(DecapResult.PULL, TunnelDecap.decapFrame(buffer, frameOffset, 0));
    }

    @Test
    void shouldRejectWrongIpVersion()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        buffer.putByte(frameOffset + IP, (byte)0x65);
        fixIpChecksum();

        assertEquals(DecapResult.INVALID_PACKET, decap());
    }

    @Test
    void shouldRejectShortIhl()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        buffer.putByte(frameOffset + IP, (byte)0x44);

        assertEquals(DecapResult.INVALID_PACKET, decap());
    }

    @Test
    void shouldRejectIhlBeyondReceivedBytes()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        buffer.putByte(frameOffset + IP, (byte)0x4F);

        assertEquals(DecapResult.PULL, TunnelDecap.decapFrame(buffer, frameOffset, 14 + 40));
    }

    @Test
    void shouldRejectTotalLengthLongerThanReceived()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        putIpShort(Ipv4Header.TOTAL_LENGTH_OFFSET, frameLength - IP + 1);

        assertEquals(DecapResult.PULL, decap());
    }

    @Test
    void shouldRejectTotalLengthShorterThanHeader()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        putIpShort(Ipv4Header.TOTAL_LENGTH_OFFSET, 19);

        assertEquals(DecapResult.INVALID_PACKET, decap());
    }

    @Test
    void shouldRejectBadHeaderChecksum()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        buffer.putShort(frameOffset + IP + Ipv4Header.CHECKSUM_OFFSET, (short)0x1234);

        assertEquals(DecapResult.CKSUM_ERR, decap());
    }

    @Test
    void shouldRejectOuterFragments()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        putIpShort(Ipv4Header.FLAGS_FRAGMENT_OFFSET, Ipv4Header.FLAG_MF);
        assertEquals(DecapResult.FRAGMENT, decap());

        putIpShort(Ipv4Header.FLAGS_FRAGMENT_OFFSET, 185);
        assertEquals(DecapResult.FRAGMENT, decap());

        putIpShort(Ipv4Header.FLAGS_FRAGMENT_OFFSET, Ipv4Header.FLAG_DF);
        assertInner(decap());
    }

    @Test
    void shouldReportNonTunnelTraffic()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        buffer.putShort(frameOffset + 12, (short)EtherType.ARP, ByteOrder.BIG_ENDIAN);
        assertEquals(DecapResult.NOT_TUNNEL, decap());

        encap(TunnelType.MPLS_UDP, 48, 63);
        buffer.putShort(frameOffset + L4 + UdpHeader.DST_PORT_OFFSET, (short)53, ByteOrder.BIG_ENDIAN);
        assertEquals(DecapResult.NOT_TUNNEL, decap());

        encap(TunnelType.MPLS_UDP, 48, 63);
        buffer.putByte(frameOffset + IP + Ipv4Header.PROTOCOL_OFFSET, (byte)IpProtocol.TCP);
        fixIpChecksum();
        assertEquals(DecapResult.NOT_TUNNEL, decap());
    }

    @Test
    void shouldRejectBadUdpLengths()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        final int udpLengthOffset = frameOffset + L4 + UdpHeader.LENGTH_OFFSET;
        buffer.putShort(udpLengthOffset, (short)(frameLength - L4 + 1), ByteOrder.BIG_ENDIAN);
        assertEquals(DecapResult.INVALID_PACKET, decap());

        buffer.putShort(frameOffset + L4 + UdpHeader.LENGTH_OFFSET, (short)7, ByteOrder.BIG_ENDIAN);
        assertEquals(DecapResult.INVALID_PACKET, decap());

        putIpShort(Ipv4Header.TOTAL_LENGTH_OFFSET, 20 + 7);
        assertEquals(DecapResult.PULL, decap());
    }

    @Test
    void shouldRejectLabelWithoutBottomOfStack()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        buffer.putInt(HEADROOM - 4, MplsHeader.entry(48, 0, false, 63), ByteOrder.BIG_ENDIAN);

        assertEquals(DecapResult.INVALID_LABEL, decap());
    }

    @Test
    void shouldRejectTruncatedLabelStack()
    {
        encap(TunnelType.MPLS_UDP, 48, 63);
        // UDP payload of 3 bytes: no room for a label.
        putIpShort(Ipv4Header.TOTAL_LENGTH_OFFSET, 20 + 8 + 3);
        buffer.putShort(frameOffset + L4 + UdpHeader.LENGTH_OFFSET, (short)(8 + 3), ByteOrder.BIG_ENDIAN);
        assertEquals(DecapResult.PULL, decap());

        // Only the null transport label.
        putIpShort(Ipv4Header.TOTAL_LENGTH_OFFSET, 20 + 8 + 4);
        buffer.putShort(frameOffset + L4 + UdpHeader.LENGTH_OFFSET, (short)(8 + 4), ByteOrder.BIG_ENDIAN);
        buffer.putInt(HEADROOM - 4, MplsHeader.entry(MplsHeader.NULL_TRANSPORT_LABEL, 0, false, 64),
            ByteOrder.BIG_ENDIAN);
        assertEquals(DecapResult.PULL, decap());

        // A label and no inner packet.
        buffer.putInt(HEADROOM - 4, MplsHeader.entry(48, 0, true, 64), ByteOrder.BIG_ENDIAN);
        assertEquals(DecapResult.PULL, decap());
    }

    @Test
    void shouldRequireVxlanIFlag()
    {
        encap(TunnelType.VXLAN, 48, 0);
        buffer.putInt(HEADROOM - 8, 0, ByteOrder.BIG_ENDIAN);

        assertEquals(DecapResult.INVALID_VNID, decap());
    }

    @Test
    void shouldRejectTruncatedVxlan()
    {
        encap(TunnelType.VXLAN, 48, 0);
        putIpShort(Ipv4Header.TOTAL_LENGTH_OFFSET, 20 + 8 + 7);
        buffer.putShort(frameOffset + L4 + UdpHeader.LENGTH_OFFSET, (short)(8 + 7), ByteOrder.BIG_ENDIAN);

        assertEquals(DecapResult.PULL, decap());
    }

    @Test
    void shouldRejectUnsupportedGreFlagsAndVersion()
    {
        encap(TunnelType.MPLS_GRE, 48, 63);
        buffer.putShort(frameOffset + L4, (short)GreHeader.FLAG_SEQUENCE, ByteOrder.BIG_ENDIAN);
        assertEquals(DecapResult.INVALID_PACKET, decap());

        buffer.putShort(frameOffset + L4, (short)GreHeader.FLAG_ROUTING, ByteOrder.BIG_ENDIAN);
        assertEquals(DecapResult.INVALID_PACKET, decap());

        buffer.putShort(frameOffset + L4, (short)1, ByteOrder.BIG_ENDIAN);
        assertEquals(DecapResult.INVALID_PACKET, decap());
    }

    @Test
    void shouldRejectGreProtocolOtherThanMpls()
    {
        encap(TunnelType.MPLS_GRE, 48, 63);
        buffer.putShort(frameOffset + L4 + GreHeader.PROTOCOL_OFFSET, (short)EtherType.IPV4, ByteOrder.BIG_ENDIAN);

        assertEquals(DecapResult.INVALID_PROTOCOL, decap());
    }

    @Test
    void shouldRejectTruncatedGre()
    {
        encap(TunnelType.MPLS_GRE, 48, 63);
        putIpShort(Ipv4Header.TOTAL_LENGTH_OFFSET, 20 + 3);
        assertEquals(DecapResult.PULL, decap());

        buffer.putShort(frameOffset + L4, (short)(GreHeader.FLAG_KEY | GreHeader.FLAG_CHECKSUM), ByteOrder.BIG_ENDIAN);
        putIpShort(Ipv4Header.TOTAL_LENGTH_OFFSET, 20 + 11);
        assertEquals(DecapResult.PULL, decap());
    }

    @Test
    void shouldAcceptGreKeyAndVerifyGreChecksum()
    {
        // Hand-built: IPv4 | GRE C+K (12 bytes) | MPLS | inner.
        buffer = new UnsafeBuffer(new byte[1024]);
        frameOffset = 10;
        final int greOffset = frameOffset + L4;
        final int mplsOffset = greOffset + 12;
        frameLength = L4 + 12 + 4 + INNER_LENGTH;
        buffer.putBytes(mplsOffset + 4, INNER);
        buffer.putInt(mplsOffset, MplsHeader.entry(99, 0, true, 17), ByteOrder.BIG_ENDIAN);
        buffer.putShort(greOffset, (short)(GreHeader.FLAG_CHECKSUM | GreHeader.FLAG_KEY), ByteOrder.BIG_ENDIAN);
        buffer.putShort(greOffset + 2, (short)EtherType.MPLS_UNICAST, ByteOrder.BIG_ENDIAN);
        buffer.putInt(greOffset + 8, 0xCAFE, ByteOrder.BIG_ENDIAN);
        final int greChecksum = Checksums.checksum(buffer, greOffset, frameLength - L4);
        buffer.putShort(greOffset + 4, (short)greChecksum, ByteOrder.BIG_ENDIAN);
        buffer.putShort(frameOffset + 12, (short)EtherType.IPV4, ByteOrder.BIG_ENDIAN);
        new Ipv4Header().wrap(buffer, frameOffset + IP)
            .versionAndHeaderLength(4, 20).totalLength(frameLength - IP).ttl(64).protocol(IpProtocol.GRE)
            .srcAddress(sip).dstAddress(dip).updateChecksum();

        final long result = decap();
        assertEquals(mplsOffset + 4, frameOffset + DecapResult.headerLength(result));
        assertEquals(99, DecapResult.label(result));
        assertEquals(17, DecapResult.ttl(result));
        assertEquals(0xCAFE, new GreHeader().wrap(buffer, greOffset).key());

        buffer.putByte(mplsOffset + 30, (byte)0x55);
        assertEquals(DecapResult.CKSUM_ERR, decap());
    }

    @Test
    void shouldNeverThrowOnRandomCorruption()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        for (int i = 0; i < 30_000; i++)
        {
            encap(1 + random.nextInt(3), random.nextInt(0x100000), random.nextInt(256));
            final int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++)
            {
                final int at = frameOffset + random.nextInt(60);
                buffer.putByte(at, (byte)random.nextInt(256));
            }
            if (random.nextBoolean())
            {
                fixIpChecksum();
            }
            final int length = random.nextBoolean() ? frameLength : random.nextInt(frameLength + 1);
            final long result;
            try
            {
                result = TunnelDecap.decapFrame(buffer, frameOffset, length);
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("seed=" + seed + " iteration=" + i, ex);
            }
            if (result >= 0)
            {
                final int end = DecapResult.headerLength(result) + DecapResult.innerLength(result);
                assertTrue(end <= length, "seed=" + seed + " iteration=" + i);
                assertTrue(DecapResult.innerLength(result) > 0, "seed=" + seed + " iteration=" + i);
            }
        }
    }

    @Test
    void shouldNameErrorCodes()
    {
        assertEquals("pull", DecapResult.name(DecapResult.PULL));
        assertEquals("cksum-err", DecapResult.name(DecapResult.CKSUM_ERR));
        assertEquals("fragment", DecapResult.name(DecapResult.FRAGMENT));
        assertEquals("unknown", DecapResult.name(-100));
        assertEquals(DecapResult.INVALID_LABEL, DecapResult.errorCode(DecapResult.INVALID_LABEL));
    }
}
