package io.vrouter.bench.fib;

import io.vrouter.core.fib.Fib6Leaf;
import io.vrouter.core.fib.Ip6Fib;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * IPv6 lookup at the peer's 200 k random prefixes, inside keys: scalar and lock-step bulk (64 keys, level by level).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dagrona.disable.bounds.checks=true", "-Xmx8g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class Ip6LookupBenchmark
{
    private static final int CHUNK = 1024;
    private static final int BATCH = 64;

    private Ip6Fib fib;
    private long[] his;
    private long[] los;
    private final long[] batchHi = new long[BATCH];
    private final long[] batchLo = new long[BATCH];
    private final int[] leaves = new int[BATCH];
    private int cursor;

    @Setup(Level.Trial)
    public void setup()
    {
        final LpmDump.Prefixes6 p = LpmDump.prefixes6();
        fib = new Ip6Fib();
        final long start = System.nanoTime();
        for (int i = 0; i < p.size(); i++)
        {
            final int plen = p.length()[i] & 0xFF;
            final int rc = fib.add(p.hi()[i], p.lo()[i], plen, Fib6Leaf.direct(plen, i + 1));
            if (0 != rc)
            {
                throw new IllegalStateException("add " + i + " rc " + rc);
            }
        }
        final long buildNs = System.nanoTime() - start;
        final long[][] keys = LpmDump.keys6();
        his = keys[0];
        los = keys[1];
        long sum = 0;
        for (int i = 0; i < his.length; i++)
        {
            sum += Fib6Leaf.nhId(fib.lookup(his[i], los[i]), null);
        }
        System.out.printf("%n[fib6] %d prefixes, build %.2f s (%.2f us/add), plies %d, memoryBytes %d, checksum %d%n",
            p.size(), buildNs / 1e9, buildNs / 1e3 / p.size(), fib.plyCount(), fib.memoryBytes(), sum);
        if (8 * sum != LpmDump.CHECKSUM6_INSIDE) // the peer sums 8 passes per sample for IPv6
        {
            throw new IllegalStateException("checksum 8 x " + sum + " != " + LpmDump.CHECKSUM6_INSIDE);
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int lookup()
    {
        final int start = cursor;
        cursor = (start + CHUNK) & (his.length - 1);
        int acc = 0;
        for (int i = start, end = start + CHUNK; i < end; i++)
        {
            acc += fib.lookup(his[i], los[i]);
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int lookupBulk64()
    {
        final int start = cursor;
        cursor = (start + CHUNK) & (his.length - 1);
        int acc = 0;
        for (int i = start, end = start + CHUNK; i < end; i += BATCH)
        {
            System.arraycopy(his, i, batchHi, 0, BATCH);
            System.arraycopy(los, i, batchLo, 0, BATCH);
            fib.lookup(batchHi, batchLo, leaves, BATCH);
            for (int j = 0; j < BATCH; j++)
            {
                acc += leaves[j];
            }
        }
        return acc;
    }
}
