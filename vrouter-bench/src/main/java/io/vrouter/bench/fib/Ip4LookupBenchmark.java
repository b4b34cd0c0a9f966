package io.vrouter.bench.fib;

import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.Ip4Fib;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.concurrent.TimeUnit;

/**
 * IPv4 lookup in {@link Ip4Fib} loaded with the first N prefixes of the DPDK peer's dump, on its key sets. One
 * invocation looks up the next {@link #CHUNK} keys of the 2^20 (so every key is used and misses are real); the
 * score is per lookup. At 1 M prefixes setup asserts the peer's checksums.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dagrona.disable.bounds.checks=true")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class Ip4LookupBenchmark
{
    /** Keys per invocation. */
    public static final int CHUNK = 1024;
    private static final int BATCH = 64;

    @Param({"1000", "100000", "1000000"})
    int prefixes;

    @Param({"uniform", "inside", "hot1024"})
    String keys;

    private Ip4Fib fib;
    private int[] keySet;
    private final int[] leaves = new int[BATCH];
    private final int[] keyBatch = new int[BATCH];
    private int cursor;
    private int[] flat;

    @Setup(Level.Trial)
    public void setup()
    {
        fib = load(prefixes);
        keySet = LpmDump.keys(keys);
        long sum = 0;
        for (final int key : keySet)
        {
            sum += FibLeaf.nhId(fib.lookup(key), null);
        }
        long bulkSum = 0;
        final int[] out = new int[BATCH];
        for (int i = 0; i < keySet.length; i += BATCH)
        {
            fib.lookup(java.util.Arrays.copyOfRange(keySet, i, i + BATCH), out, BATCH);
            for (final int leaf : out)
            {
                bulkSum += FibLeaf.nhId(leaf, null);
            }
        }
        if (fib.isPromoted())
        {
            flat = new int[1 << 24];
            for (int i = 0; i < flat.length; i++)
            {
                final int a = fib.lookup(i << 8);
                flat[i] = a == fib.lookup((i << 8) | 0xFF) && FibLeaf.prefixLength(a) <= 24 ? a : -1;
            }
        }
        System.out.printf("%n[fib] %d prefixes, keys %s: checksum %d (bulk %d), memoryBytes %d, promoted %b%n",
            prefixes, keys, sum, bulkSum, fib.memoryBytes(), fib.isPromoted());
        if (sum != bulkSum || (1_000_000 == prefixes && sum != LpmDump.checksum(keys)))
        {
            throw new IllegalStateException("checksum " + sum + "/" + bulkSum + " != " + LpmDump.checksum(keys));
        }
    }

    static Ip4Fib load(final int limit)
    {
        final LpmDump.Prefixes p = LpmDump.prefixes(limit);
        final Ip4Fib fib = new Ip4Fib();
        for (int i = 0; i < p.size(); i++)
        {
            final int plen = p.length()[i];
            final int rc = fib.add(p.address()[i], plen, FibLeaf.direct(plen, p.nextHop()[i]));
            if (0 != rc)
            {
                throw new IllegalStateException("add " + i + " rc " + rc);
            }
        }
        return fib;
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int lookup()
    {
        final int[] k = keySet;
        final int start = cursor;
        cursor = (start + CHUNK) & (k.length - 1);
        int acc = 0;
        for (int i = start, end = start + CHUNK; i < end; i++)
        {
            acc += fib.lookup(k[i]);
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int lookupBulk64()
    {
        final int start = cursor;
        cursor = (start + CHUNK) & (keySet.length - 1);
        final int[] batch = leaves;
        int acc = 0;
        for (int i = start, end = start + CHUNK; i < end; i += BATCH)
        {
            fib.lookup(slice(i), batch, BATCH);
            for (int j = 0; j < BATCH; j++)
            {
                acc += batch[j];
            }
        }
        return acc;
    }

    /**
     * Baseline: a plain {@code int[2^24]} copy of the root (textbook DIR-24 with plain loads, no trie object),
     * falling back to the fib for the few /24s holding longer prefixes. Only meaningful once promoted.
     *
     * @return sum of leaves.
     */
    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int baselinePlainDir24()
    {
        final int[] k = keySet;
        final int[] table = flat;
        final int start = cursor;
        cursor = (start + CHUNK) & (k.length - 1);
        int acc = 0;
        for (int i = start, end = start + CHUNK; i < end; i++)
        {
            int leaf = table[k[i] >>> 8];
            if (leaf < 0)
            {
                leaf = fib.lookup(k[i]);
            }
            acc += leaf;
        }
        return acc;
    }

    private int[] slice(final int from)
    {
        System.arraycopy(keySet, from, keyBatch, 0, BATCH);
        return keyBatch;
    }

    /**
     * Runs this benchmark.
     *
     * @param args ignored.
     * @throws RunnerException on JMH failure.
     */
    public static void main(final String[] args) throws RunnerException
    {
        new Runner(new OptionsBuilder().include(Ip4LookupBenchmark.class.getSimpleName()).build()).run();
    }
}
