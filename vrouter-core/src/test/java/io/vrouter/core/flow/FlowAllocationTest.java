package io.vrouter.core.flow;

import static io.vrouter.core.flow.FlowNode.A;
import static io.vrouter.core.flow.FlowNode.B;
import static io.vrouter.core.flow.FlowNode.C;
import static io.vrouter.core.flow.FlowNode.NET_A;
import static io.vrouter.core.flow.FlowNode.NET_B;
import static io.vrouter.core.flow.FlowNode.POD_A;
import static io.vrouter.core.flow.FlowNode.POD_B;
import static io.vrouter.core.flow.FlowNode.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Rule;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;

/**
 * The flow stage allocates nothing per packet: flow hits both ways, drop-flow hits and in-line
 * setups of new flows (miss, policy, both inserts) leave the thread's allocation counter where it was.
 */
class FlowAllocationTest
{
    private static final int ROUNDS = 20_000;

    @Test
    void shouldHitAndSetUpFlowsWithoutAllocating() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1 << 18).withLimits(1 << 20, 1 << 20));
        n.policy(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, true, true));
        final Forwarder forwarder = n.t.forwarder();
        final PacketBatch batch = forwarder.newBatch();
        final byte[] hit = udp(A, B, 1, 2);
        final byte[] reply = udp(B, A, 2, 1);
        final byte[] denied = udp(A, C, 1, 2);
        final byte[] fresh = udp(A, B, 0, 53);
        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        // Two warm-up passes: the first lets C2 compile the path (code compiled earlier in this JVM by other
        // tests, with other profiles, is deoptimized and recompiled here), the second runs the recompiled code,
        // so that no deoptimization, whose re-materialized objects count as this thread's allocation, falls
        // into the measured pass.
        long sent = run(forwarder, batch, hit, reply, denied, fresh, 0);
        sent += run(forwarder, batch, hit, reply, denied, fresh, ROUNDS);
        final long before = mx.getCurrentThreadAllocatedBytes();
        sent += run(forwarder, batch, hit, reply, denied, fresh, 2 * ROUNDS);
        final long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertEquals(3L * ROUNDS * 3, sent, "hits both ways and new flows forwarded, denied dropped");
        assertEquals(3 * ROUNDS * 2 + 2 + 2, n.table.activeEntries());
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes");
    }

    private static long run(final Forwarder forwarder, final PacketBatch batch, final byte[] hit, final byte[] reply,
        final byte[] denied, final byte[] fresh, final int first)
    {
        long sent = 0;
        for (int r = first; r < first + ROUNDS; r++)
        {
            batch.clear();
            batch.add(POD_A, hit, 0, hit.length);
            batch.add(POD_B, reply, 0, reply.length);
            batch.add(POD_A, denied, 0, denied.length);
            final int slot = batch.add(POD_A, fresh, 0, fresh.length);
            batch.buffer(slot).putShort(PacketBatch.HEADROOM + 34, (short)(10_000 + r), java.nio.ByteOrder.BIG_ENDIAN);
            forwarder.process(batch);
            for (int i = 0; i < batch.outputCount(); i++)
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
