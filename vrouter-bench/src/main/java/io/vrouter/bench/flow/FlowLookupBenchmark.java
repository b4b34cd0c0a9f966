package io.vrouter.bench.flow;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.vrouter.core.flow.FlowKey;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.flow.FlowTableConfig;

/**
 * Flow lookup hit, per lookup, with {@code flows} entries in the table, keys visited in a random
 * order (so the cache sees what a busy node sees):
 * <ul>
 * <li>{@code flowTable}: fill the reused key from the packet's fields, hash, bucket probe of the
 * mapped table (what the forwarding core does per packet); must be 0 B/op.</li>
 * <li>{@code flowTableBatch}: the same for 64 keys at once through {@link FlowTable#lookupBatch}
 * (one pass touching every bucket, then the lookups), per lookup: what a forwarding batch can do.</li>
 * <li>{@code memoryLatencyFloor}: one dependent load per operation chasing a random cycle through an
 * {@code int[]} as big as the table: the machine's memory latency at that size, measured in the same
 * run; a lookup that misses the cache cannot beat it.</li>
 * <li>{@code baselineConcurrentHashMap}: {@code ConcurrentHashMap<Key, Integer>} with a boxed
 * record key built per lookup, the obvious Java alternative.</li>
 * </ul>
 * The table has twice as many hash entries as flows (Contrail sizes its 512 K table for ~half that).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlowLookupBenchmark
{
    /** The boxed key of the baseline. */
    record Key(int nh, int proto, int sport, int dport, long src, long dst)
    {
    }

    private static final int BATCH = 64;

    @Param({"1000", "100000", "1000000"})
    public int flows;

    /** {@code anonymous}: THP-advised anonymous memory; {@code file}: the daemon's mapped file (4 KiB pages). */
    @Param({"anonymous"})
    public String backing;

    private FlowTable table;
    private java.nio.file.Path file;
    private ConcurrentHashMap<Key, Integer> map;
    private int[] src;
    private int[] dst;
    private int[] ports;
    private int[] order;
    private int cursor;
    private int[] chase;
    private int chaseAt;
    private final FlowKey key = new FlowKey();
    private final FlowKey[] batchKeys = new FlowKey[BATCH];
    private final long[] batchHashes = new long[BATCH];
    private final int[] batchOut = new int[BATCH];

    @Setup(Level.Trial)
    public void setUp()
    {
        final FlowTableConfig config = FlowTableConfig.sized(Integer.highestOneBit(flows) * 4)
            .withLimits(1 << 24, 1 << 24);
        if ("file".equals(backing))
        {
            try
            {
                file = java.nio.file.Files.createTempFile("flow-bench", ".tbl");
                java.nio.file.Files.delete(file);
                table = FlowTable.open(file, config);
            }
            catch (final java.io.IOException e)
            {
                throw new IllegalStateException(e);
            }
        }
        else
        {
            table = FlowTable.createAnonymous(config);
        }
        map = new ConcurrentHashMap<>(flows * 2);
        src = new int[flows];
        dst = new int[flows];
        ports = new int[flows];
        final java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        final FlowTable.Setup s = new FlowTable.Setup();
        s.withReverse = false;
        for (int i = 0; i < flows; i++)
        {
            src[i] = 0x0A000000 | random.nextInt(1 << 24);
            dst[i] = 0x0B000000 | random.nextInt(1 << 24);
            ports[i] = random.nextInt();
            key.set4(12, 17, src[i], dst[i], ports[i] >>> 16, ports[i] & 0xFFFF);
            final int fi = table.insert(key, key.hash(), key, key.hash(), s, 0);
            if (fi < 0)
            {
                throw new IllegalStateException("table refused flow " + i + ": " + fi);
            }
            map.put(new Key(12, 17, ports[i] >>> 16, ports[i] & 0xFFFF, src[i], dst[i]), fi);
        }
        for (int i = 0; i < BATCH; i++)
        {
            batchKeys[i] = new FlowKey();
        }
        final int words = (int)Math.min(table.byteSize() / 4, Integer.MAX_VALUE - 8);
        final int[] perm = new int[words];
        for (int i = 0; i < words; i++)
        {
            perm[i] = i;
        }
        for (int i = words - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        chase = new int[words];
        for (int i = 0; i < words; i++)
        {
            chase[perm[i]] = perm[(i + 1) % words];
        }
        order = new int[flows];
        for (int i = 0; i < flows; i++)
        {
            order[i] = i;
        }
        for (int i = flows - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    @org.openjdk.jmh.annotations.TearDown(Level.Trial)
    public void tearDown() throws java.io.IOException
    {
        if (file != null)
        {
            table.close();
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    private int next()
    {
        final int i = order[cursor];
        cursor = cursor + 1 == order.length ? 0 : cursor + 1;
        return i;
    }

    @Benchmark
    public int flowTable()
    {
        final int i = next();
        final FlowKey k = key.set4(12, 17, src[i], dst[i], ports[i] >>> 16, ports[i] & 0xFFFF);
        return table.lookup(k, k.hash());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int flowTableBatch()
    {
        for (int b = 0; b < BATCH; b++)
        {
            final int i = next();
            final FlowKey k = batchKeys[b].set4(12, 17, src[i], dst[i], ports[i] >>> 16, ports[i] & 0xFFFF);
            batchHashes[b] = k.hash();
        }
        table.lookupBatch(batchKeys, batchHashes, BATCH, batchOut);
        return batchOut[BATCH - 1];
    }

    @Benchmark
    public int memoryLatencyFloor()
    {
        chaseAt = chase[chaseAt];
        return chaseAt;
    }

    @Benchmark
    public Integer baselineConcurrentHashMap()
    {
        final int i = next();
        return map.get(new Key(12, 17, ports[i] >>> 16, ports[i] & 0xFFFF, src[i], dst[i]));
    }
}
