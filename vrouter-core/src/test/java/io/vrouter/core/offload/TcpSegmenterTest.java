package io.vrouter.core.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.vrouter.core.testing.Frames;

/**
 * Software segmentation of TCP super-frames, checked against golden rules computed here independently: every
 * segment's IPv4 header and TCP checksums valid, lengths right, IPv4 IDs consecutive, sequence numbers contiguous,
 * the payloads concatenated equal to the super-frame's, FIN and PSH only on the last segment, CWR only on the
 * first; IPv4 and IPv6, a segment size that does not divide the payload, and a tunnel's outer headers.
 */
class TcpSegmenterTest
{
    private static final int ETH = 14;
    private static final int BASE = 128;
    private static final int SEQ = 0xFFFF_F000;
    private static final int ACK = 0x1000_0001;

    /** Flags of the super-frame: ACK, PSH, FIN and CWR. */
    private static final int FLAGS = 0x10 | 0x08 | 0x01 | 0x80;

    @Test
    void ipv4SuperFrameWithFinAndPshSegmentsCorrectly()
    {
        final byte[] payload = payload(65_000, 1);
        final UnsafeBuffer buf = superFrame(false, payload, FLAGS, 0);
        check(buf, BASE, BASE + ETH, false, payload, 1448, FLAGS, -1, 1);
    }

    @Test
    void ipv6SuperFrameSegmentsCorrectly()
    {
        final byte[] payload = payload(40_001, 2);
        final UnsafeBuffer buf = superFrame(true, payload, FLAGS, 0);
        check(buf, BASE, BASE + ETH, true, payload, 1428, FLAGS, -1, 1);
    }

    @Test
    void oddSegmentSizeAndPayloadOfOneSegment()
    {
        final byte[] payload = payload(7_777, 3);
        check(superFrame(false, payload, 0x10, 0), BASE, BASE + ETH, false, payload, 999, 0x10, -1, 1);
        final byte[] small = payload(500, 4);
        check(superFrame(false, small, 0x18, 0), BASE, BASE + ETH, false, small, 1448, 0x18, -1, 1);
    }

    @Test
    void tunnelSegmentsGetTheirOwnOuterHeaders()
    {
        // Outer Ethernet, IPv4, UDP, MPLS (46 bytes) in front of the inner IPv4 packet; segments start at the outer
        // IPv4 header, as a raw socket sends them; the outer IDs step by 2 (two workers).
        final byte[] payload = payload(30_000, 5);
        final UnsafeBuffer buf = superFrame(false, payload, FLAGS, 46 - ETH);
        final int outerEth = BASE - (46 - ETH);
        final int outerIp = outerEth + ETH;
        buf.putByte(outerIp, (byte)0x45);
        buf.putShort(outerIp + 4, (short)0x0100, java.nio.ByteOrder.BIG_ENDIAN);
        buf.putByte(outerIp + 8, (byte)64);
        buf.putByte(outerIp + 9, (byte)17);
        buf.putInt(outerIp + 12, Frames.ip("172.31.250.1"), java.nio.ByteOrder.BIG_ENDIAN);
        buf.putInt(outerIp + 16, Frames.ip("172.31.250.2"), java.nio.ByteOrder.BIG_ENDIAN);
        buf.putShort(outerIp + 20, (short)0xeb06, java.nio.ByteOrder.BIG_ENDIAN);
        buf.putShort(outerIp + 22, (short)6635, java.nio.ByteOrder.BIG_ENDIAN);
        buf.putInt(outerIp + 28, (17 << 12) | 0x100 | 63, java.nio.ByteOrder.BIG_ENDIAN);
        check(buf, outerIp, BASE + ETH, false, payload, 1360, FLAGS, outerIp, 2);
    }

    @Test
    void whatIsNoTcpSuperFrameIsRefused()
    {
        final UnsafeBuffer buf = superFrame(false, payload(3000, 6), 0x10, 0);
        final TcpSegmenter s = new TcpSegmenter();
        buf.putByte(BASE + ETH + 9, (byte)17);
        assertEquals(-1, s.begin(buf, BASE, BASE + ETH, BASE + ETH + 3000 + 52, false, 1448, -1, 1));
        buf.putByte(BASE + ETH + 9, (byte)6);
        assertEquals(-1, s.begin(buf, BASE, BASE + ETH, BASE + ETH + 100, false, 1448, -1, 1), "truncated frame");
        assertEquals(-1, s.begin(buf, BASE, BASE + ETH, BASE + ETH + 3000 + 52, false, 0, -1, 1), "no segment size");
    }

    @Test
    void partialChecksumsAreCompleted()
    {
        // A TCP packet as a pod's kernel hands it over with NEEDS_CSUM: the field holds the pseudo-header sum.
        final byte[] payload = payload(1000, 7);
        final UnsafeBuffer buf = superFrame(false, payload, 0x18, 0);
        final int ip = BASE + ETH;
        final int end = ip + 20 + 32 + payload.length;
        assertTrue(TcpSegmenter.completeChecksum(buf, ip + 20, 16, end));
        assertEquals(0, onesComplementOfTcp(bytes(buf, ip, end - ip), false), "TCP checksum valid");
        // Offsets beyond the packet are refused.
        assertTrue(!TcpSegmenter.completeChecksum(buf, ip + 20, 16, ip + 30));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void check(final UnsafeBuffer buf, final int start, final int l3, final boolean ipv6,
        final byte[] payload, final int mss, final int flags, final int outerIp, final int outerStep)
    {
        final int ipHeader = ipv6 ? 40 : 20;
        final int end = l3 + ipHeader + 32 + payload.length;
        final TcpSegmenter s = new TcpSegmenter();
        final int n = s.begin(buf, start, l3, end, ipv6, mss, outerIp, outerStep);
        assertEquals((payload.length + mss - 1) / mss, n, "segments");
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
        final ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int k = 0; k < n; k++)
        {
            final int h = s.header(k, scratch, 0);
            assertEquals(l3 - start + ipHeader + 32, h, "header length");
            final int len = s.payloadLength(k);
            assertEquals(k < n - 1 ? mss : payload.length - (n - 1) * mss, len, "segment " + k + " length");
            final byte[] seg = new byte[h + len];
            scratch.getBytes(0, seg, 0, h);
            buf.getBytes(s.payloadOffset(k), seg, h, len);
            final int ip = l3 - start;
            final ByteBuffer bb = ByteBuffer.wrap(seg);
            if (ipv6)
            {
                assertEquals(32 + len, bb.getShort(ip + 4) & 0xFFFF, "IPv6 payload length");
            }
            else
            {
                assertEquals(20 + 32 + len, bb.getShort(ip + 2) & 0xFFFF, "IPv4 total length");
                assertEquals((0x1234 + k) & 0xFFFF, bb.getShort(ip + 4) & 0xFFFF, "IPv4 ID");
                assertEquals(0xFFFF, foldRaw(seg, ip, 20, 0), "IPv4 header checksum of segment " + k);
            }
            final byte[] packet = java.util.Arrays.copyOfRange(seg, ip, seg.length);
            assertEquals(0, onesComplementOfTcp(packet, ipv6), "TCP checksum of segment " + k);
            final int th = ip + ipHeader;
            assertEquals(SEQ + k * mss, bb.getInt(th + 4), "sequence number of segment " + k);
            assertEquals(ACK, bb.getInt(th + 8), "ack of segment " + k);
            int expected = flags;
            if (k < n - 1)
            {
                expected &= ~0x09;
            }
            if (k > 0)
            {
                expected &= ~0x80;
            }
            assertEquals(expected, seg[th + 13] & 0xFF, "flags of segment " + k);
            if (outerIp >= 0)
            {
                assertEquals(seg.length, bb.getShort(2) & 0xFFFF, "outer total length");
                assertEquals((0x0100 + k * outerStep) & 0xFFFF, bb.getShort(4) & 0xFFFF, "outer ID");
                assertEquals(0xFFFF, foldRaw(seg, 0, 20, 0), "outer header checksum");
                assertEquals(seg.length - 20, bb.getShort(24) & 0xFFFF, "outer UDP length");
                assertEquals(0xeb06, bb.getShort(20) & 0xFFFF, "same entropy port on every segment");
            }
            joined.write(seg, h, len);
        }
        assertArrayEquals(payload, joined.toByteArray(), "payload concatenation");
    }

    /** The one's complement sum folded to 16 bits (0xffff over a region with a valid checksum). */
    private static int foldRaw(final byte[] b, final int off, final int len, final long initial)
    {
        return ~Frames.checksum(b, off, len, initial) & 0xFFFF;
    }

    /** 0 when the TCP checksum of an IP packet (from its IP header) is valid. */
    private static int onesComplementOfTcp(final byte[] packet, final boolean ipv6)
    {
        final int ipHeader = ipv6 ? 40 : 20;
        final int tcpLength = packet.length - ipHeader;
        long pseudo = 6 + tcpLength;
        final int addrFrom = ipv6 ? 8 : 12;
        final int addrLen = ipv6 ? 32 : 8;
        for (int i = 0; i < addrLen; i += 2)
        {
            pseudo += ((packet[addrFrom + i] & 0xFF) << 8) | (packet[addrFrom + i + 1] & 0xFF);
        }
        return 0xFFFF - foldRaw(packet, ipHeader, tcpLength, pseudo);
    }

    private static byte[] bytes(final UnsafeBuffer buf, final int from, final int length)
    {
        final byte[] b = new byte[length];
        buf.getBytes(from, b, 0, length);
        return b;
    }

    private static byte[] payload(final int length, final long seed)
    {
        final byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** {@link Frames#tcpSuperFrame} at {@link #BASE} of a direct buffer, with {@code headroom} bytes free before. */
    private static UnsafeBuffer superFrame(final boolean ipv6, final byte[] payload, final int flags,
        final int headroom)
    {
        assertTrue(headroom <= BASE);
        final byte[] f = Frames.tcpSuperFrame(ipv6, 0x020000000002L, 0x00005e000100L, Frames.ip("10.1.1.3"),
            Frames.ip("10.1.2.3"), payload, flags);
        final UnsafeBuffer buf = new UnsafeBuffer(ByteBuffer.allocateDirect(BASE + f.length + 64));
        buf.putBytes(BASE, f);
        return buf;
    }
}
