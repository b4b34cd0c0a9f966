package io.vrouter.core.forward;

import static io.vrouter.core.forward.ForwarderTest.A;
import static io.vrouter.core.forward.ForwarderTest.B;
import static io.vrouter.core.forward.ForwarderTest.C;
import static io.vrouter.core.forward.ForwarderTest.FABRIC;
import static io.vrouter.core.forward.ForwarderTest.POD_A;
import static io.vrouter.core.forward.ForwarderTest.POD_A_MAC;
import static io.vrouter.core.forward.ForwarderTest.POD_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.offload.TcpSegmenter;
import io.vrouter.core.testing.AllocationMeter;
import io.vrouter.core.testing.Frames;

/**
 * A pod's TCP super-frame (64 KB with a GSO size, partial checksum) crosses the forwarder as one unit: one slot in,
 * one slot out with its offload state kept, to a local pod or encapsulated once for the tunnel; the tunnel's MTU
 * check weighs the segment size, not the super-frame's; the segments' outer IDs are reserved; and forwarding and
 * segmenting super-frames allocates nothing.
 */
class SuperFrameForwardingTest
{
    private static final int PAYLOAD = 60_000;
    private static final int MSS = 1400;
    private static final int ROUNDS = 2_000;

    private static byte[] superFrame(final int dst)
    {
        final byte[] payload = new byte[PAYLOAD];
        new Random(12).nextBytes(payload);
        return Frames.tcpSuperFrame(false, BridgeTable.GATEWAY_MAC, POD_A_MAC, A, dst, payload, 0x18);
    }

    private static int add(final PacketBatch batch, final byte[] frame, final int mss)
    {
        final int slot = batch.add(POD_A, frame, 0, frame.length);
        batch.offload(slot, PacketBatch.VNET_F_NEEDS_CSUM, PacketBatch.GSO_TCPV4, mss,
            PacketBatch.HEADROOM + 14 + 20, 16);
        return slot;
    }

    /** ForwarderTest's node: pods A and B, remote pod C behind MPLSoUDP on a 1,500-byte fabric. */
    private static Forwarder forwarder()
    {
        final ForwarderTest fixture = new ForwarderTest();
        fixture.node();
        return fixture.t.forwarder();
    }

    @Test
    void superFrameCrossesThePipelineAsOneUnit()
    {
        final Forwarder forwarder = forwarder();
        final PacketBatch batch = forwarder.newSuperFrameBatch();
        assertEquals(PacketBatch.SUPER_FRAME, batch.maxFrame());
        batch.clear();
        add(batch, superFrame(C), MSS);
        add(batch, superFrame(B), MSS);
        final byte[] after = ForwarderTest.podToGateway(A, C, 64);
        batch.add(POD_A, after, 0, after.length);
        forwarder.process(batch);
        assertEquals(3, batch.outputCount(), "one slot out per super-frame");

        // Into the tunnel: encapsulated once, still a super-frame, its segments fit the 1,500-byte fabric.
        assertEquals(FABRIC, batch.outVif(0));
        assertTrue(batch.isSuperFrame(0));
        final UnsafeBuffer buf = batch.buffer(0);
        final int ip = batch.offset(0) + 14;
        final TcpSegmenter s = new TcpSegmenter();
        final int n = s.begin(buf, ip, batch.l3(0), batch.offset(0) + batch.length(0), false, batch.gsoSize(0), ip, 1);
        assertEquals((PAYLOAD + MSS - 1) / MSS, n);
        assertEquals(20 + 8 + 4 + 20 + 32 + MSS, s.headerLength() + s.payloadLength(0), "a full segment on the wire");
        final int firstId = buf.getShort(ip + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        // The next packet's outer ID comes after the ones the super-frame's segments take.
        final int nextId = batch.buffer(2).getShort(batch.offset(2) + 14 + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        assertEquals((firstId + n) & 0xFFFF, nextId, "outer IDs reserved for the segments");

        // To a local pod: routed whole, Ethernet rewritten, TTL decremented, offload state kept for the TAP.
        assertEquals(POD_B, batch.outVif(1));
        assertTrue(batch.isSuperFrame(1));
        assertEquals(14 + 20 + 32 + PAYLOAD, batch.length(1));
        assertEquals(MSS, batch.gsoSize(1));
        assertEquals(63, batch.buffer(1).getByte(batch.offset(1) + 14 + 8));
    }

    @Test
    void theTunnelMtuWeighsTheSegmentNotTheSuperFrame()
    {
        final Forwarder forwarder = forwarder();
        final PacketBatch batch = forwarder.newSuperFrameBatch();
        // 1,468 bytes of inner packet fit a 1,500-byte fabric: 20 + 32 + 1,416 does, 1,417 does not.
        batch.clear();
        add(batch, superFrame(C), 1416);
        add(batch, superFrame(C), 1417);
        forwarder.process(batch);
        assertEquals(FABRIC, batch.outVif(0), "segments of 1,468 bytes fit");
        assertEquals(POD_A, batch.outVif(1), "segments of 1,469 bytes with DF: fragmentation needed to the pod");
        assertFalse(batch.isSuperFrame(1), "the ICMP answer is no super-frame");
        final UnsafeBuffer icmp = batch.buffer(1);
        final int l3 = batch.offset(1) + 14;
        assertEquals(1, icmp.getByte(l3 + 9), "ICMP");
        assertEquals(3, icmp.getByte(l3 + 20), "destination unreachable");
        assertEquals(4, icmp.getByte(l3 + 21), "fragmentation needed");
        assertEquals(1468, icmp.getShort(l3 + 26, ByteOrder.BIG_ENDIAN) & 0xFFFF, "next-hop MTU");
    }

    @Test
    void forwardingAndSegmentingSuperFramesAllocatesNothing()
    {
        final Forwarder forwarder = forwarder();
        final PacketBatch batch = forwarder.newSuperFrameBatch();
        final byte[] toTunnel = superFrame(C);
        final byte[] toPod = superFrame(B);
        final TcpSegmenter s = new TcpSegmenter();
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        long segments = rounds(forwarder, batch, toTunnel, toPod, s, scratch, ROUNDS);
        final AllocationMeter meter = new AllocationMeter()
            .measure(pass -> rounds(forwarder, batch, toTunnel, toPod, s, scratch, ROUNDS), 0, 1024);
        segments += meter.result();
        assertEquals((long)(ROUNDS + meter.passes() * ROUNDS) * 2 * ((PAYLOAD + MSS - 1) / MSS), segments,
            "every super-frame forwarded and segmented");
        assertTrue(meter.leastAllocated() < 1024, "forwarding and segmenting " + ROUNDS * 4 + " super-frames allocated "
            + meter.leastAllocated() + " bytes in the quietest of " + meter.passes() + " passes");
    }

    private static long rounds(final Forwarder forwarder, final PacketBatch batch, final byte[] toTunnel,
        final byte[] toPod, final TcpSegmenter s, final UnsafeBuffer scratch, final int rounds)
    {
        long segments = 0;
        for (int r = 0; r < rounds; r++)
        {
            batch.clear();
            add(batch, toTunnel, MSS);
            add(batch, toPod, MSS);
            forwarder.process(batch);
            for (int i = 0; i < batch.count(); i++)
            {
                final int ip = batch.offset(i) + 14;
                final boolean tunnel = batch.outVif(i) == FABRIC;
                final int n = s.begin(batch.buffer(i), tunnel ? ip : batch.offset(i), batch.l3(i),
                    batch.offset(i) + batch.length(i), false, batch.gsoSize(i), tunnel ? ip : -1, 1);
                for (int k = 0; k < n; k++)
                {
                    s.header(k, scratch, 0);
                }
                segments += n;
            }
        }
        return segments;
    }
}
