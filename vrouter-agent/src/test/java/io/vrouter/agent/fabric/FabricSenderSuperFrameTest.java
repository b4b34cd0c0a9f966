package io.vrouter.agent.fabric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteOrder;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.testing.AllocationMeter;
import io.vrouter.core.testing.Frames;
import io.vrouter.wire.Checksums;

/**
 * A tunnel super-frame (outer Ethernet/IPv4/UDP, MPLS, a pod's 30 KB TCP super-frame with a partial checksum and a
 * GSO size) queued on a fabric sender leaves as one MPLSoUDP datagram per segment through the raw socket, all in one
 * {@code sendmmsg}: on loopback a second fabric port receives them, each with its own valid outer header, the same
 * source port, a complete inner TCP segment (the outer IDs are the kernel's to strip here; TcpSegmenterTest checks
 * them), and the payloads concatenated equal the
 * super-frame's. Queuing and sending super-frames allocates nothing per super-frame or datagram. Needs the raw
 * socket (root).
 */
class FabricSenderSuperFrameTest
{
    private static final int PAYLOAD = 30_000;
    private static final int MSS = 1400;
    private static final int SEGMENTS = (PAYLOAD + MSS - 1) / MSS;
    private static final int OUTER = 14 + 20 + 8 + 4;
    /** Super-frames sent before measuring, so that the JIT has compiled the path. */
    private static final int WARMUP = 3000;

    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    /** The tunnel super-frame in slot 0 of the batch, as the forwarder leaves it; the inner payload. */
    private static byte[] superFrame(final PacketBatch batch, final int dstPort)
    {
        final byte[] payload = new byte[PAYLOAD];
        new Random(7).nextBytes(payload);
        final byte[] inner = Frames.tcpSuperFrame(false, 1, 2, Frames.ip("10.1.1.3"), Frames.ip("10.1.1.5"), payload,
            0x18);
        batch.clear();
        final int slot = batch.claim();
        final UnsafeBuffer b = batch.buffer(slot);
        final int eth = PacketBatch.HEADROOM - OUTER + 14;
        final int ip = eth + 14;
        final int innerLength = inner.length - 14;
        b.putBytes(ip + 20 + 8 + 4, inner, 14, innerLength);
        b.setMemory(eth, 12, (byte)2);
        b.putShort(eth + 12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        b.putByte(ip, (byte)0x45);
        b.putShort(ip + 4, (short)0x0100, ByteOrder.BIG_ENDIAN);
        b.putByte(ip + 8, (byte)64);
        b.putByte(ip + 9, (byte)17);
        b.putInt(ip + 12, 0x7f000001, ByteOrder.BIG_ENDIAN);
        b.putInt(ip + 16, 0x7f000001, ByteOrder.BIG_ENDIAN);
        b.putShort(ip + 20, (short)54321, ByteOrder.BIG_ENDIAN);
        b.putShort(ip + 22, (short)dstPort, ByteOrder.BIG_ENDIAN);
        b.putInt(ip + 28, (4321 << 12) | 0x100 | 63, ByteOrder.BIG_ENDIAN);
        batch.commit(slot, 3, OUTER + innerLength - 14);
        batch.frame(slot, eth, OUTER + innerLength);
        final int l3 = ip + 32;
        batch.l3(slot, l3, innerLength);
        batch.offload(slot, PacketBatch.VNET_F_NEEDS_CSUM, PacketBatch.GSO_TCPV4, MSS, l3 + 20, 16);
        return payload;
    }

    private static long rounds(final FabricSender sender, final PacketBatch out, final int perFlush)
    {
        for (int r = 0; r < 200; r++)
        {
            for (int k = 0; k < perFlush; k++)
            {
                sender.queue(out, 0);
            }
            sender.flush();
        }
        return 200;
    }

    @Test
    void superFrameLeavesAsOneDatagramPerSegmentWithoutAllocating() throws Exception
    {
        final InetAddress lo = InetAddress.getByName("127.0.0.1");
        final int portB = freePort();
        try (FabricPort a = new FabricPort(new InetSocketAddress(lo, freePort()), 0);
            FabricPort b = new FabricPort(new InetSocketAddress(lo, portB), 0))
        {
            a.start();
            b.start();
            Assumptions.assumeTrue(a.rawFd() >= 0, "SKIPPED LOUDLY: no raw IPv4 socket (not root), super-frames "
                + "leave only through the raw socket's sendmmsg with per-segment outer headers");
            final PacketBatch out = new PacketBatch(4, 2048, 4, PacketBatch.SUPER_FRAME);
            final byte[] payload = superFrame(out, portB);
            final FabricSender sender = a.newSender(256, 1);
            sender.queue(out, 0);
            sender.flush();
            assertEquals(SEGMENTS, sender.sent(), "one datagram per segment");
            assertEquals(1, sender.superFrames());
            assertEquals(SEGMENTS, sender.segments());

            final PacketBatch in = new PacketBatch(64, 2048);
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (in.count() < SEGMENTS && System.nanoTime() < deadline)
            {
                b.drain(in);
                Thread.sleep(1);
            }
            assertEquals(SEGMENTS, in.count());
            final ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int k = 0; k < SEGMENTS; k++)
            {
                final UnsafeBuffer got = in.buffer(k);
                final int ip = in.offset(k) + 14;
                assertEquals(54321, got.getShort(ip + 20, ByteOrder.BIG_ENDIAN) & 0xFFFF, "source port " + k);
                final int inner = ip + 32;
                final int total = got.getShort(inner + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                assertTrue(Checksums.isIpv4HeaderChecksumValid(got, inner, 20), "inner IPv4 checksum " + k);
                assertTrue(Checksums.isIpv4TransportChecksumValid(got, inner + 20, total - 20,
                    got.getInt(inner + 12, ByteOrder.BIG_ENDIAN), got.getInt(inner + 16, ByteOrder.BIG_ENDIAN), 6),
                    "inner TCP checksum " + k);
                final byte[] data = new byte[total - 52];
                got.getBytes(inner + 52, data);
                joined.write(data);
            }
            assertArrayEquals(payload, joined.toByteArray(), "the payload, in order");

            for (int r = 0; r < WARMUP; r++)
            {
                sender.queue(out, 0);
                sender.flush();
            }
            // Per packet nothing: 200 flushes of two super-frames (8,800 datagrams) allocate no more than 200 flushes
            // of one (4,400). The sendmmsg downcall itself allocates a few dozen bytes per call (not per datagram),
            // which the second bound allows.
            final AllocationMeter one = new AllocationMeter().measure(pass -> rounds(sender, out, 1), 0, 1024);
            final AllocationMeter two = new AllocationMeter().measure(pass -> rounds(sender, out, 2), 0, 1024);
            System.out.println("FabricSenderSuperFrameTest: 200 sendmmsg of 1 super-frame allocated "
                + one.leastAllocated() + " bytes, of 2: " + two.leastAllocated());
            assertTrue(two.leastAllocated() - one.leastAllocated() < 1024, "200 more super-frames (4,400 datagrams) "
                + "allocated " + (two.leastAllocated() - one.leastAllocated()) + " bytes more");
            assertTrue(one.leastAllocated() < 200 * 64, "200 flushes allocated " + one.leastAllocated() + " bytes");
        }
    }
}
