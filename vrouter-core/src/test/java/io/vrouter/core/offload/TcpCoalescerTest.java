package io.vrouter.core.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.vrouter.core.testing.Frames;

/**
 * Coalescing segments into a super-frame, checked by a round trip: a super-frame ({@link Frames#tcpSuperFrame},
 * partial checksum, PSH) segmented by {@link TcpSegmenter} into complete segments, then coalesced, gives back the
 * super-frame byte for byte (headers with the whole length, the first segment's IP ID, PSH from the last segment,
 * the partial checksum), for IPv4 and IPv6; and what must not join does not: a gap in the sequence, another flow,
 * a bad checksum, a segment after a short one.
 */
class TcpCoalescerTest
{
    private static final int MSS = 1448;

    @Test
    void segmentsCoalesceBackIntoTheSuperFrameIpv4()
    {
        roundTrip(false, 30_001);
    }

    @Test
    void segmentsCoalesceBackIntoTheSuperFrameIpv6()
    {
        roundTrip(true, 20_000);
    }

    @Test
    void whatMayNotJoinDoesNot()
    {
        final UnsafeBuffer[] segs = segments(superFrame(false, 10 * MSS, 1, 0x10), MSS);
        final TcpCoalescer c = new TcpCoalescer();
        assertTrue(c.start(segs[0], 0, segs[0].capacity()));
        assertFalse(c.add(segs[2], 0, segs[2].capacity()), "a gap in the sequence");
        final byte[] payload = new byte[10 * MSS];
        final UnsafeBuffer[] other = segments(Frames.tcpSuperFrame(false, 0x020000000002L, 0x00005e000100L,
            Frames.ip("10.1.1.3"), Frames.ip("10.1.2.4"), payload, 0x10), MSS);
        assertFalse(c.add(other[1], 0, other[1].capacity()), "another flow, the right sequence number");
        final UnsafeBuffer corrupt = copy(segs[1]);
        corrupt.putByte(corrupt.capacity() - 1, (byte)(corrupt.getByte(corrupt.capacity() - 1) + 1));
        assertFalse(c.add(corrupt, 0, corrupt.capacity()), "a bad checksum");
        assertTrue(c.add(segs[1], 0, segs[1].capacity()));
        assertEquals(2, c.count());

        // A short segment ends the run: a (MSS, 100) then b's second segment, which follows in sequence.
        final UnsafeBuffer[] a = segments(superFrame(false, MSS + 100, 2, 0x10), MSS);
        final UnsafeBuffer[] b = segments(superFrame(false, MSS + 100 + MSS, 2, 0x10), MSS + 100);
        assertTrue(c.start(b[0], 0, b[0].capacity()));
        assertTrue(c.add(b[1], 0, b[1].capacity()), "b's segments join each other");
        assertTrue(c.start(a[0], 0, a[0].capacity()));
        assertTrue(c.add(a[1], 0, a[1].capacity()));
        assertFalse(c.add(b[1], 0, b[1].capacity()), "after a short segment");
        assertFalse(c.start(copyOf(Frames.tcpSyn4(1, 2, 3, 4, 1460)), 0, 58), "a SYN does not start a run");
    }

    private static void roundTrip(final boolean ipv6, final int payload)
    {
        final byte[] original = superFrame(ipv6, payload, 3, 0x18);
        final UnsafeBuffer[] segs = segments(original, MSS);
        final TcpCoalescer c = new TcpCoalescer();
        assertTrue(c.start(segs[0], 0, segs[0].capacity()));
        for (int k = 1; k < segs.length; k++)
        {
            assertTrue(c.add(segs[k], 0, segs[k].capacity()), "segment " + k);
        }
        assertEquals(segs.length, c.count());
        assertEquals(MSS, c.segmentSize());
        assertEquals(14 + (ipv6 ? 40 : 20), c.checksumStart());
        final UnsafeBuffer header = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final int h = c.header(header, 0);
        final byte[] joined = new byte[original.length];
        header.getBytes(0, joined, 0, h);
        int at = h;
        for (int k = 0; k < c.count(); k++)
        {
            final UnsafeBuffer p = new UnsafeBuffer(c.payloadAddress(k), c.payloadLength(k));
            p.getBytes(0, joined, at, c.payloadLength(k));
            at += c.payloadLength(k);
        }
        assertEquals(original.length, at);
        assertArrayEquals(original, joined, "the super-frame again, byte for byte");
    }

    private static byte[] superFrame(final boolean ipv6, final int payload, final long seed, final int flags)
    {
        final byte[] b = new byte[payload];
        new Random(seed).nextBytes(b);
        return Frames.tcpSuperFrame(ipv6, 0x020000000002L, 0x00005e000100L, Frames.ip("10.1.1.3"),
            Frames.ip("10.1.2.3"), b, flags);
    }

    /** The super-frame's segments, each complete (checksums valid) in a direct buffer of its exact size. */
    private static UnsafeBuffer[] segments(final byte[] frame, final int mss)
    {
        final UnsafeBuffer src = copyOf(frame);
        final boolean ipv6 = (frame[12] & 0xFF) == 0x86;
        final TcpSegmenter s = new TcpSegmenter();
        final int n = s.begin(src, 0, 14, frame.length, ipv6, mss, -1, 1);
        final UnsafeBuffer[] out = new UnsafeBuffer[n];
        for (int k = 0; k < n; k++)
        {
            final int len = s.headerLength() + s.payloadLength(k);
            out[k] = new UnsafeBuffer(ByteBuffer.allocateDirect(len));
            s.header(k, out[k], 0);
            out[k].putBytes(s.headerLength(), src, s.payloadOffset(k), s.payloadLength(k));
        }
        return out;
    }

    private static UnsafeBuffer copyOf(final byte[] b)
    {
        final UnsafeBuffer u = new UnsafeBuffer(ByteBuffer.allocateDirect(b.length));
        u.putBytes(0, b);
        return u;
    }

    private static UnsafeBuffer copy(final UnsafeBuffer b)
    {
        final UnsafeBuffer u = new UnsafeBuffer(ByteBuffer.allocateDirect(b.capacity()));
        u.putBytes(0, b, 0, b.capacity());
        return u;
    }
}
