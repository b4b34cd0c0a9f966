package io.vrouter.core.forward;

import static io.vrouter.core.forward.ForwarderTest.A;
import static io.vrouter.core.forward.ForwarderTest.B;
import static io.vrouter.core.forward.ForwarderTest.C;
import static io.vrouter.core.forward.ForwarderTest.FABRIC;
import static io.vrouter.core.forward.ForwarderTest.LOCAL;
import static io.vrouter.core.forward.ForwarderTest.POD_A;
import static io.vrouter.core.forward.ForwarderTest.REMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.vrouter.core.test.Frames;

/**
 * The forwarding path allocates nothing per packet: after warm-up, forwarding a large number of
 * packets on every main path (pod to pod, pod to tunnel, fabric to pod, ARP proxy, drops) leaves
 * the thread's allocated-bytes counter where it was.
 */
class ForwarderAllocationTest
{
    private static final int WARMUP_ROUNDS = 20_000;
    private static final int MEASURED_ROUNDS = 20_000;

    @Test
    void shouldForwardWithoutAllocating()
    {
        final ForwarderTest fixture = new ForwarderTest();
        fixture.node();
        final Forwarder forwarder = fixture.t.forwarder();
        final PacketBatch batch = forwarder.newBatch();

        final byte[] podToPod = ForwarderTest.podToGateway(A, B, 64);
        final byte[] podToRemote = ForwarderTest.podToGateway(A, C, 64);
        final byte[] arp = Frames.arpRequest(ForwarderTest.POD_A_MAC, A, C);
        final byte[] ttlExpired = ForwarderTest.podToGateway(A, C, 1);
        final byte[] fromFabric = fixture.t.send(POD_A, podToRemote).get(0).bytes();
        final ByteBuffer bb = ByteBuffer.wrap(fromFabric);
        bb.putInt(26, REMOTE).putInt(30, LOCAL);
        fromFabric[24] = 0;
        fromFabric[25] = 0;
        final int c = Frames.checksum(fromFabric, 14, 20, 0);
        fromFabric[24] = (byte)(c >>> 8);
        fromFabric[25] = (byte)c;
        bb.putInt(42, (17 << 12) | (1 << 8) | 63);

        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported());

        long forwarded = run(forwarder, batch, podToPod, podToRemote, arp, ttlExpired, fromFabric, WARMUP_ROUNDS);
        final long before = mx.getCurrentThreadAllocatedBytes();
        forwarded += run(forwarder, batch, podToPod, podToRemote, arp, ttlExpired, fromFabric, MEASURED_ROUNDS);
        final long allocated = mx.getCurrentThreadAllocatedBytes() - before;

        assertEquals((long)(WARMUP_ROUNDS + MEASURED_ROUNDS) * 4 * 4, forwarded, "every packet but the TTL drops sent");
        assertTrue(allocated < 1024, "forwarding " + MEASURED_ROUNDS * 20 + " packets allocated " + allocated
            + " bytes");
    }

    private static long run(final Forwarder forwarder, final PacketBatch batch, final byte[] podToPod,
        final byte[] podToRemote, final byte[] arp, final byte[] ttlExpired, final byte[] fromFabric, final int rounds)
    {
        long sent = 0;
        for (int r = 0; r < rounds; r++)
        {
            batch.clear();
            for (int k = 0; k < 4; k++)
            {
                batch.add(POD_A, podToPod, 0, podToPod.length);
                batch.add(POD_A, podToRemote, 0, podToRemote.length);
                batch.add(POD_A, arp, 0, arp.length);
                batch.add(POD_A, ttlExpired, 0, ttlExpired.length);
                batch.add(FABRIC, fromFabric, 0, fromFabric.length);
            }
            forwarder.process(batch);
            for (int i = 0; i < batch.count(); i++)
            {
                if (batch.outVif(i) != PacketBatch.DROPPED)
                {
                    sent++;
                }
            }
        }
        return sent;
    }
}
