package io.vrouter.bench.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vrouter.core.flow.FlowKey;
import io.vrouter.core.flow.FlowTable;

/**
 * The peer-flow benchmark reads the peer's dump format right and does the work it claims (JMH itself is not run
 * here): a dump written in the peer's format (shared/peers/dpdk-flow/README.md) decodes to the written keys, the
 * setup's checksums (single and burst) pass, the insert state inserts every key into an emptied table, and the
 * table has the peer's capacity.
 */
class PeerFlowBenchmarkTest
{
    private static final int FLOWS = 1000;

    @Test
    void shouldDecodeThePeersDumpAndDoItsWork(@TempDir final Path dir) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(7);
        final ByteBuffer keys = ByteBuffer.allocate(FLOWS * 16).order(ByteOrder.LITTLE_ENDIAN);
        final int[][] written = new int[FLOWS][];
        final Set<String> distinct = new HashSet<>();
        for (int i = 0; i < FLOWS; i++)
        {
            int[] k;
            do
            {
                k = new int[] {0x0A000000 | random.nextInt(1 << 24), 0x0A000000 | random.nextInt(1 << 24),
                    random.nextInt(1 << 16), random.nextInt(1 << 16), 16 + random.nextInt(1024),
                    random.nextBoolean() ? 6 : 17};
            }
            while (!distinct.add(java.util.Arrays.toString(k)));
            written[i] = k;
            keys.putInt(k[0]).putInt(k[1]).putShort((short)k[2]).putShort((short)k[3]).putShort((short)k[4])
                .put((byte)k[5]).put((byte)0);
        }
        final ByteBuffer order = ByteBuffer.allocate(4096 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4096; i++)
        {
            order.putInt(random.nextInt(FLOWS));
        }
        Files.createDirectories(dir.resolve("1000"));
        Files.write(dir.resolve("1000/flow-keys.bin"), keys.array());
        Files.write(dir.resolve("1000/flow-order.bin"), order.array());

        final String before = System.getProperty(PeerFlowBenchmark.DIR_PROP_NAME);
        System.setProperty(PeerFlowBenchmark.DIR_PROP_NAME, dir.toString());
        try
        {
            final PeerFlowBenchmark b = new PeerFlowBenchmark();
            b.flows = FLOWS;
            b.setUp();
            final FlowKey k = new FlowKey();
            final PeerFlowBenchmark.Keys read = PeerFlowBenchmark.Keys.read(FLOWS);
            for (int i = 0; i < FLOWS; i++)
            {
                read.fill(k, i);
                final int[] w = written[i];
                assertEquals(w[0], k.src4(), "source of key " + i);
                assertEquals(w[1], k.dst4(), "destination of key " + i);
                assertEquals(w[2], k.sport, "source port of key " + i);
                assertEquals(w[3], k.dport, "destination port of key " + i);
                assertEquals(w[4], k.nhId, "next hop of key " + i);
                assertEquals(w[5], k.proto, "protocol of key " + i);
            }
            for (int i = 0; i < 200; i++)
            {
                assertTrue(b.lookup() >= 0, "every lookup hits");
                assertTrue(b.lookupBurst64() >= 0, "every burst hits");
            }
            final PeerFlowBenchmark.Empty empty = new PeerFlowBenchmark.Empty();
            empty.setUp(b);
            assertEquals(0, empty.table.activeEntries(), "the warmed-up table is empty");
            b.insertAll(empty);
            empty.check();
            empty.empty();
            assertEquals(0, empty.table.activeEntries(), "emptied again");
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty(PeerFlowBenchmark.DIR_PROP_NAME);
            }
            else
            {
                System.setProperty(PeerFlowBenchmark.DIR_PROP_NAME, before);
            }
        }
    }

    @Test
    void shouldSizeTheTableAsThePeer()
    {
        for (final int flows : new int[] {1000, 100_000, 1_000_000})
        {
            final FlowTable t = FlowTable.createAnonymous(PeerFlowBenchmark.config(flows));
            assertTrue(t.totalEntries() >= flows * 5L / 4, flows + " flows: " + t.totalEntries() + " entries");
            assertTrue(t.totalEntries() < flows * 5L / 2, flows + " flows: at most twice the peer's entries");
        }
        assertEquals(256, FlowTable.createAnonymous(PeerFlowBenchmark.config(1000)).buckets(), "as rte_hash's");
        assertEquals(262_144, FlowTable.createAnonymous(PeerFlowBenchmark.config(1_000_000)).buckets(),
            "as rte_hash's");
    }
}
