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

import org.junit.jupiter.api.Test;

import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Rule;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.testing.AllocationMeter;

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
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1 << 19).withLimits(1 << 20, 1 << 20));
        n.policy(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, true, true));
        final Forwarder forwarder = n.t.forwarder();
        final PacketBatch batch = forwarder.newBatch();
        final byte[] hit = udp(A, B, 1, 2);
        final byte[] reply = udp(B, A, 2, 1);
        final byte[] denied = udp(A, C, 1, 2);
        final byte[] fresh = udp(A, B, 0, 53);
        // Two warm-up passes: the first lets C2 compile the path (code compiled earlier in this JVM by other
        // tests, with other profiles, is deoptimized and recompiled here), the second runs the recompiled code.
        // The meter then repeats the measured pass if a late recompilation still fell into it.
        long sent = run(forwarder, batch, hit, reply, denied, fresh, 0);
        sent += run(forwarder, batch, hit, reply, denied, fresh, 1);
        final AllocationMeter meter = new AllocationMeter()
            .measure(pass -> run(forwarder, batch, hit, reply, denied, fresh, pass), 2, 1024);
        final int passes = 2 + meter.passes();
        sent += meter.result();
        assertEquals((long)passes * ROUNDS * 3, sent, "hits both ways and new flows forwarded, denied dropped");
        assertEquals(passes * ROUNDS * 2 + 2 + 2, n.table.activeEntries());
        assertTrue(meter.leastAllocated() < 1024, "allocated " + meter.leastAllocated() + " bytes in the quietest of "
            + meter.passes() + " passes of " + ROUNDS * 4 + " packets");
    }

    private static long run(final Forwarder forwarder, final PacketBatch batch, final byte[] hit, final byte[] reply,
        final byte[] denied, final byte[] fresh, final int pass)
    {
        long sent = 0;
        for (int r = pass * ROUNDS; r < (pass + 1) * ROUNDS; r++)
        {
            batch.clear();
            batch.add(POD_A, hit, 0, hit.length);
            batch.add(POD_B, reply, 0, reply.length);
            batch.add(POD_A, denied, 0, denied.length);
            final int slot = batch.add(POD_A, fresh, 0, fresh.length);
            // A new flow per round: source port from the round's low bits, destination port (1000 and up, never the
            // hit flows' ports) from its high bits.
            batch.buffer(slot).putShort(PacketBatch.HEADROOM + 34, (short)r, java.nio.ByteOrder.BIG_ENDIAN);
            batch.buffer(slot).putShort(PacketBatch.HEADROOM + 36, (short)(1000 + (r >>> 16)),
                java.nio.ByteOrder.BIG_ENDIAN);
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
