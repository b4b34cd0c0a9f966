package io.vrouter.core.flow;

import static io.vrouter.core.flow.FlowNode.A;
import static io.vrouter.core.flow.FlowNode.A2;
import static io.vrouter.core.flow.FlowNode.B;
import static io.vrouter.core.flow.FlowNode.C;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Rule;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.testing.TestTopology.Output;
import io.vrouter.wire.IpProtocol;

/**
 * The flow node decides a vector of packets at once (every packet keyed, the keys looked up together, then the
 * packets decided in order). That must be the same as deciding the packets one by one: the same packets out, byte
 * for byte, the same drops under the same reasons, the same flows with the same statistics and TCP state. Two
 * identical nodes get the same random traffic (new flows, their replies, repeats within a vector, TCP SYN / FIN /
 * RST, ICMP, denied flows, a table small enough to fill), one in vectors of random sizes, the other one packet per
 * vector. The seed is printed.
 */
class FlowBatchTest
{
    private static final int[] ADDRESSES = {A, A2, B, C};
    /** SYN, SYN-ACK, ACK (twice as likely), FIN-ACK, RST. */
    private static final int[] TCP_FLAGS = {0x02, 0x12, 0x10, 0x10, 0x11, 0x04};

    @Test
    void vectorsDecideAsSinglePacketsDo() throws Exception
    {
        final long seed = System.nanoTime();
        System.out.println("FlowBatchTest seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final FlowTableConfig small = FlowTableConfig.sized(64);
        final FlowNode vectors = node(small);
        final FlowNode singles = node(small);
        int packets = 0;
        for (int round = 0; round < 300; round++)
        {
            final int n = 1 + random.nextInt(32);
            final byte[][] frames = new byte[n][];
            final int[] from = new int[n];
            for (int i = 0; i < n; i++)
            {
                if (i > 0 && random.nextInt(3) == 0)
                {
                    // The same flow again within the vector, often right after itself (a run of one flow), with its
                    // own TCP flags.
                    final int j = random.nextBoolean() ? i - 1 : random.nextInt(i);
                    frames[i] = frames[j].clone();
                    if (frames[i][23] == IpProtocol.TCP)
                    {
                        frames[i][14 + 20 + 13] = (byte)TCP_FLAGS[random.nextInt(TCP_FLAGS.length)];
                    }
                    from[i] = from[j];
                }
                else
                {
                    final int src = ADDRESSES[random.nextInt(ADDRESSES.length)];
                    final int dst = ADDRESSES[random.nextInt(ADDRESSES.length)];
                    frames[i] = frame(random, src, dst);
                    from[i] = FlowNode.podOf(src);
                }
            }
            final List<Output> together = vectors.t.send(from, copies(frames));
            final List<Output> oneByOne = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                oneByOne.addAll(singles.t.send(from[i], frames[i].clone()));
            }
            assertEquals(oneByOne.size(), together.size(), "packets out, seed " + seed + ", round " + round);
            for (int i = 0; i < together.size(); i++)
            {
                assertEquals(oneByOne.get(i).vif(), together.get(i).vif(), "output interface, seed " + seed);
                assertArrayEquals(oneByOne.get(i).bytes(), together.get(i).bytes(), "bytes out, seed " + seed);
            }
            packets += n;
            if (random.nextInt(20) == 0)
            {
                final long later = TimeUnit.SECONDS.toNanos(1 + random.nextInt(200));
                vectors.clock.addAndGet(later);
                singles.clock.addAndGet(later);
                assertEquals(singles.vrouter.newFlowAger().scanAll(), vectors.vrouter.newFlowAger().scanAll(),
                    "aged, seed " + seed);
            }
        }
        for (final DropReason r : DropReason.BY_ID)
        {
            assertEquals(singles.drops(r), vectors.drops(r), r.label() + ", seed " + seed);
        }
        assertEquals(singles.table.activeEntries(), vectors.table.activeEntries(), "flows, seed " + seed);
        assertEquals(singles.table.created(), vectors.table.created(), "flows created, seed " + seed);
        int compared = 0;
        final FlowKey key = new FlowKey();
        for (int i = 0; i < singles.table.totalEntries(); i++)
        {
            if (!singles.table.isActive(i))
            {
                continue;
            }
            singles.table.readKey(i, key);
            // Compared as a lookup finds them (a pod's flow to itself has a reverse with the same key).
            final int mine = singles.table.lookup(key, key.hash());
            final int other = vectors.table.lookup(key, key.hash());
            assertTrue(other >= 0, "flow " + key + " missing, seed " + seed);
            for (final int field : new int[] {FlowTable.E_ACTION, FlowTable.E_FLAGS, FlowTable.E_TCP_FLAGS,
                FlowTable.E_UDP_SPORT})
            {
                assertEquals(singles.table.intField(mine, field), vectors.table.intField(other, field),
                    "field " + field + " of " + key + ", seed " + seed);
            }
            for (final int field : new int[] {FlowTable.E_PACKETS, FlowTable.E_BYTES})
            {
                assertEquals(singles.table.longField(mine, field), vectors.table.longField(other, field),
                    "statistics of " + key + ", seed " + seed);
            }
            compared++;
        }
        assertTrue(compared > 0 && packets > 3000, "traffic made flows: " + compared + " flows, " + packets);
        assertTrue(vectors.drops(DropReason.FLOW_TABLE_FULL) + vectors.drops(DropReason.FLOW_ACTION_DROP) > 0,
            "the table filled or a policy denied, seed " + seed);
    }

    private static FlowNode node(final FlowTableConfig config) throws Exception
    {
        final FlowNode n = new FlowNode(config);
        // A to B passes both ways; C denies UDP from A; everything else passes.
        n.policy(new Rule(Endpoint.cidr("10.1.0.0/16"), Endpoint.cidr("10.3.0.0/16"), IpProtocol.UDP, 0, 65535, 0,
            65535, false, false), Rule.of(Endpoint.ANYWHERE, Endpoint.ANYWHERE, PolicyTable.ANY_PROTOCOL, true,
            true));
        return n;
    }

    private static byte[] frame(final SplittableRandom random, final int src, final int dst)
    {
        final int sport = 1000 + random.nextInt(24);
        final int dport = 80 + random.nextInt(2);
        switch (random.nextInt(4))
        {
            case 0:
                return FlowNode.udp(src, dst, sport, dport);
            case 1:
                return FlowNode.icmpEcho(src, dst, random.nextBoolean() ? 8 : 0, sport);
            default:
                return FlowNode.tcp(src, dst, sport, dport, TCP_FLAGS[random.nextInt(TCP_FLAGS.length)]);
        }
    }

    private static byte[][] copies(final byte[][] frames)
    {
        final byte[][] out = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++)
        {
            out[i] = frames[i].clone();
        }
        return out;
    }
}
