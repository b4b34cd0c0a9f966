package io.vrouter.bench.fib;

import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.Ip4Fib;
import io.vrouter.core.fib.ReferenceLpm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Route add and delete at 1 M prefixes while another thread looks up (JMH group: one writer, one reader).
 * <p>The writer cycles through 65,536 new routes (prefix lengths drawn from the file's own mix, so 3 % are /8-/15,
 * disjoint from each other and absent from the file): each invocation adds the next route if it is absent, or
 * deletes it (replacement = covering route from the file, as the agent computes it) if present, so the score of
 * {@code writer} is the mean of add and delete. Separate add/delete means are printed at tear-down.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dagrona.disable.bounds.checks=true")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Group)
public class Ip4UpdateBenchmark
{
    private static final int ROUTES = 1 << 16;
    private static final int CHUNK = 1024;

    private Ip4Fib fib;
    private int[] prefix;
    private int[] plen;
    private int[] leaf;
    private int[] cover;
    private boolean[] present;
    private int next;
    private long addNs;
    private long adds;
    private long deleteNs;
    private long deletes;
    private int[] keys;

    @Setup(Level.Trial)
    public void setup()
    {
        final LpmDump.Prefixes p = LpmDump.prefixes(Integer.MAX_VALUE);
        fib = Ip4LookupBenchmark.load(p.size());
        final ReferenceLpm fileRoutes = new ReferenceLpm();
        for (int i = 0; i < p.size(); i++)
        {
            fileRoutes.add(p.address()[i], p.length()[i], FibLeaf.direct(p.length()[i], p.nextHop()[i]));
        }
        final TreeMap<Long, Long> taken = new TreeMap<>();
        final SplittableRandom r = new SplittableRandom(7);
        prefix = new int[ROUTES];
        plen = new int[ROUTES];
        leaf = new int[ROUTES];
        cover = new int[ROUTES];
        present = new boolean[ROUTES];
        int n = 0;
        while (n < ROUTES)
        {
            final int len = Math.max(8, p.length()[r.nextInt(p.size())]);
            final int pfx = r.nextInt() & ReferenceLpm.mask(len);
            final long first = pfx & 0xFFFFFFFFL;
            final long last = first + (1L << (32 - len)) - 1;
            final Map.Entry<Long, Long> below = taken.floorEntry(last);
            if (-1 != fileRoutes.get(pfx, len) || (null != below && below.getValue() >= first))
            {
                continue;
            }
            taken.put(first, last);
            prefix[n] = pfx;
            plen[n] = len;
            leaf[n] = FibLeaf.direct(len, 0x7FFFF - (n & 0xFFFF));
            cover[n] = fileRoutes.covering(pfx, len);
            n++;
        }
        keys = LpmDump.keys("uniform");
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        System.out.printf("%n[update] adds %d mean %.1f ns, deletes %d mean %.1f ns, routes %d, memoryBytes %d%n",
            adds, (double)addNs / Math.max(1, adds), deletes, (double)deleteNs / Math.max(1, deletes),
            fib.routeCount(), fib.memoryBytes());
    }

    @Benchmark
    @Group("rw")
    @GroupThreads(1)
    public int writer()
    {
        final int i = next;
        next = (i + 1) & (ROUTES - 1);
        final long start = System.nanoTime();
        final int rc;
        if (present[i])
        {
            rc = fib.delete(prefix[i], plen[i], cover[i]);
            deleteNs += System.nanoTime() - start;
            deletes++;
        }
        else
        {
            rc = fib.add(prefix[i], plen[i], leaf[i]);
            addNs += System.nanoTime() - start;
            adds++;
        }
        present[i] = !present[i];
        return rc;
    }

    /** Reader thread state (its own cursor). */
    @State(Scope.Thread)
    public static class Cursor
    {
        int value;
    }

    @Benchmark
    @Group("rw")
    @GroupThreads(1)
    @OperationsPerInvocation(CHUNK)
    public int reader(final Cursor c)
    {
        final int[] k = keys;
        final int start = c.value;
        c.value = (start + CHUNK) & (k.length - 1);
        int acc = 0;
        for (int i = start, end = start + CHUNK; i < end; i++)
        {
            acc += fib.lookup(k[i]);
        }
        return acc;
    }
}
