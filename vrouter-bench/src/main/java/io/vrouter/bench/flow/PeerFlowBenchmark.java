package io.vrouter.bench.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.vrouter.core.flow.FlowKey;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.flow.FlowTableConfig;

/**
 * The flow table doing the very work of the DPDK {@code rte_hash} peer ({@code shared/peers/dpdk-flow}): the
 * peer's N keys ({@code DIR/N/flow-keys.bin}, key i holds value i + 1) inserted, then looked up in the peer's
 * order ({@code DIR/N/flow-order.bin}, 2^22 indexes, all hits), one at a time and in bursts of 64. Setup checks
 * that a pass over the order sums to the peer's checksum (sum of the values found) both ways. The directory
 * comes from {@code -Dvrouter.flow.dump} (default {@code /tmp/flowdump}); create it with
 * {@code bash shared/peers/dpdk-flow/run.sh /tmp/flowdump}. Scores are per lookup and per insert.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dagrona.disable.bounds.checks=true")
public class PeerFlowBenchmark
{
    /** System property naming the dump directory. */
    public static final String DIR_PROP_NAME = "vrouter.flow.dump";

    private static final int BURST = 64;
    private static final int KEY_BYTES = 16;

    @Param({"1000", "100000", "1000000"})
    public int flows;

    private Keys keys;
    private FlowTable table;
    private int[] values;
    private int cursor;
    private final FlowKey key = new FlowKey();
    private final FlowKey[] burstKeys = new FlowKey[BURST];
    private final long[] burstHashes = new long[BURST];
    private final int[] burstOut = new int[BURST];
    private final long[] burstWords = new long[2 * BURST];

    /**
     * The peer's keys as the peer holds them (16 bytes a key, two longs, so that filling a key reads one cache
     * line as the peer's {@code &keys[order[i]]} does) and its lookup order.
     */
    record Keys(long[] packed, int[] order)
    {
        int size()
        {
            return packed.length / 2;
        }

        /** Decodes key i: u32 src, u32 dst, u16 sport, u16 dport, u16 nh, u8 proto, u8 pad (little-endian). */
        FlowKey fill(final FlowKey k, final int i)
        {
            return fill(k, packed[2 * i], packed[2 * i + 1]);
        }

        /** Decodes a key from its two little-endian longs. */
        static FlowKey fill(final FlowKey k, final long a, final long b)
        {
            return k.set4((int)(b >>> 32) & 0xFFFF, (int)(b >>> 48) & 0xFF, (int)a, (int)(a >>> 32),
                (int)b & 0xFFFF, (int)(b >>> 16) & 0xFFFF);
        }

        /** The peer's checksum: every lookup hits, key i holds i + 1. */
        long checksum()
        {
            long sum = 0;
            for (final int i : order)
            {
                sum += i + 1;
            }
            return sum;
        }

        static Keys read(final int n)
        {
            final Path dir = Path.of(System.getProperty(DIR_PROP_NAME, "/tmp/flowdump"), Integer.toString(n));
            try
            {
                final ByteBuffer kb = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("flow-keys.bin")))
                    .order(ByteOrder.LITTLE_ENDIAN);
                final ByteBuffer ob = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("flow-order.bin")))
                    .order(ByteOrder.LITTLE_ENDIAN);
                if (kb.remaining() != n * KEY_BYTES || ob.remaining() % 4 != 0)
                {
                    throw new IllegalStateException(dir + ": " + kb.remaining() + " key bytes for " + n + " keys, "
                        + ob.remaining() + " order bytes (see shared/peers/dpdk-flow/README.md)");
                }
                final Keys k = new Keys(new long[2 * n], new int[ob.remaining() / 4]);
                for (int i = 0; i < 2 * n; i++)
                {
                    k.packed[i] = kb.getLong();
                }
                for (int i = 0; i < k.order.length; i++)
                {
                    final int o = ob.getInt();
                    if (o < 0 || o >= n)
                    {
                        throw new IllegalStateException(dir + "/flow-order.bin: index " + o + " out of " + n);
                    }
                    k.order[i] = o;
                }
                return k;
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(dir + ": no peer dump here; create it with "
                    + "bash shared/peers/dpdk-flow/run.sh " + dir.getParent(), e);
            }
        }
    }

    /**
     * The peer's capacity: its {@code rte_hash} has 1.25 N entries (in {@code align32pow2(1.25 N) / 8} buckets of
     * 8). The flow table gets the smallest Contrail-shaped size (hash entries a power of two, plus Contrail's
     * overflow) holding at least as many entries; its index then has as many buckets as the peer's at 1,000 and
     * 1,000,000 flows and twice as many at 100,000.
     */
    static FlowTableConfig config(final int flows)
    {
        final long capacity = flows + flows / 4L;
        int hash = 4;
        while (hash + FlowTableConfig.contrailOverflow(hash) < capacity)
        {
            hash <<= 1;
        }
        return FlowTableConfig.sized(hash).withLimits(1 << 24, 1 << 24);
    }

    static int insertAll(final FlowTable table, final Keys keys, final FlowKey key, final int[] values)
    {
        final FlowTable.Setup s = new FlowTable.Setup();
        s.withReverse = false;
        int last = 0;
        for (int i = 0; i < keys.size(); i++)
        {
            keys.fill(key, i);
            final long h = key.hash();
            last = table.insert(key, h, key, h, s, 0);
            if (last < 0)
            {
                throw new IllegalStateException("table refused key " + i + ": " + last);
            }
            if (values != null)
            {
                values[last] = i + 1;
            }
        }
        return last;
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        keys = Keys.read(flows);
        table = FlowTable.createAnonymous(config(flows));
        values = new int[table.totalEntries()];
        insertAll(table, keys, key, values);
        for (int i = 0; i < BURST; i++)
        {
            burstKeys[i] = new FlowKey();
        }
        long single = 0;
        for (final int i : keys.order)
        {
            keys.fill(key, i);
            final int fi = table.lookup(key, key.hash());
            single += fi >= 0 ? values[fi] : 0;
        }
        long bulk = 0;
        for (int at = 0; at + BURST <= keys.order.length; at += BURST)
        {
            for (int b = 0; b < BURST; b++)
            {
                burstHashes[b] = keys.fill(burstKeys[b], keys.order[at + b]).hash();
            }
            table.lookupBatch(burstKeys, burstHashes, BURST, burstOut);
            for (int b = 0; b < BURST; b++)
            {
                bulk += burstOut[b] >= 0 ? values[burstOut[b]] : 0;
            }
        }
        if (keys.order.length % BURST != 0)
        {
            throw new IllegalStateException("the peer's order has " + keys.order.length + " indexes, not a multiple of "
                + BURST);
        }
        final long expected = keys.checksum();
        System.out.printf("%n[flow] %d flows: chk single %d, bulk %d, peer's %d%n", flows, single, bulk, expected);
        if (single != expected || bulk != expected)
        {
            throw new IllegalStateException("checksum single " + single + " / bulk " + bulk + " != " + expected);
        }
    }

    private int next()
    {
        final int i = keys.order[cursor];
        cursor = cursor + 1 == keys.order.length ? 0 : cursor + 1;
        return i;
    }

    /**
     * One lookup, the key filled from the peer's columns and hashed (the peer's single lookup hashes too).
     *
     * @return the flow index.
     */
    @Benchmark
    public int lookup()
    {
        final FlowKey k = keys.fill(key, next());
        return table.lookup(k, k.hash());
    }

    /**
     * A burst of 64 lookups through {@link FlowTable#lookupBatch}; per lookup. The 64 keys are first gathered
     * from the peer's array (two longs each, one tight loop, so their cache misses overlap, as the peer's
     * {@code rte_hash_lookup_bulk} overlaps them in its hash loop), then filled into the keys and hashed.
     *
     * @return the last flow index.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int lookupBurst64()
    {
        gatherBurst();
        for (int b = 0; b < BURST; b++)
        {
            burstHashes[b] = Keys.fill(burstKeys[b], burstWords[2 * b], burstWords[2 * b + 1]).hash();
        }
        table.lookupBatch(burstKeys, burstHashes, BURST, burstOut);
        return burstOut[BURST - 1];
    }

    private void gatherBurst()
    {
        // The order's length is a multiple of 64 (checked in setUp) and bursts start at multiples of 64.
        final long[] packed = keys.packed;
        final int[] order = keys.order;
        final int at = cursor & -BURST;
        for (int b = 0; b < BURST; b++)
        {
            final int i = order[at + b];
            burstWords[2 * b] = packed[2 * i];
            burstWords[2 * b + 1] = packed[2 * i + 1];
        }
        cursor = at + BURST == order.length ? 0 : at + BURST;
    }

    /**
     * The harness alone: a burst of 64 keys gathered from the peer's array, filled and hashed as in
     * {@link #lookupBurst64}, no table lookup (what the burst spends outside the table); per key.
     *
     * @return a value depending on every hash.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long baselineFillHash64()
    {
        gatherBurst();
        long x = 0;
        for (int b = 0; b < BURST; b++)
        {
            x ^= burstHashes[b] = Keys.fill(burstKeys[b], burstWords[2 * b], burstWords[2 * b + 1]).hash();
        }
        return x;
    }

    /**
     * An empty table for each invocation of the insert benchmark. The peer inserts into a table whose memory
     * {@code rte_hash_create} has already zeroed (touched); so this table is made once per trial, filled and
     * emptied until the insert path has run at least {@value #WARM_INSERTS} times (page faults taken, code
     * compiled: the peer's code is compiled ahead of time), and emptied again before each invocation, outside
     * the measurement.
     */
    @State(Scope.Thread)
    public static class Empty
    {
        static final int WARM_INSERTS = 300_000;

        FlowTable table;
        private Keys keys;
        private final FlowKey key = new FlowKey();

        /**
         * @param bench the benchmark state (table size and keys).
         */
        @Setup(Level.Trial)
        public void setUp(final PeerFlowBenchmark bench)
        {
            keys = bench.keys;
            table = FlowTable.createAnonymous(config(bench.flows));
            int done = 0;
            while (done < WARM_INSERTS)
            {
                insertAll(table, keys, key, null);
                empty();
                done += keys.size();
            }
        }

        /** Deletes every flow (not measured). */
        @Setup(Level.Invocation)
        public void empty()
        {
            for (int i = 0; i < table.totalEntries() && table.activeEntries() > 0; i++)
            {
                if (table.isActive(i))
                {
                    table.delete(i, -1);
                }
            }
        }

        /**
         * Checks that the invocation inserted every key.
         */
        @TearDown(Level.Invocation)
        public void check()
        {
            if (table.activeEntries() != keys.size())
            {
                throw new IllegalStateException(table.activeEntries() + " flows after inserting " + keys.size());
            }
        }
    }

    /**
     * Inserts all N keys into an empty table (the peer's {@code rte_hash_add_key_data} loop). Single shot per
     * invocation, the table emptied before each one outside the measurement; the score is the time for all N
     * inserts (divide by {@code flows} for the peer's ns per insert).
     *
     * @param empty the empty table.
     * @return the last index.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 3, batchSize = 1)
    @Measurement(iterations = 10, batchSize = 1)
    public int insertAll(final Empty empty)
    {
        return insertAll(empty.table, keys, key, null);
    }
}
