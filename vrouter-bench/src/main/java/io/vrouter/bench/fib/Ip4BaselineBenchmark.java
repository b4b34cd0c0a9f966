package io.vrouter.bench.fib;

import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.ReferenceLpm;
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

import java.util.concurrent.TimeUnit;

/**
 * Baselines for {@link Ip4LookupBenchmark}, same files and method: the naive {@link ReferenceLpm} (33 hash probes)
 * and IPAddress's {@code IPv4AddressAssociativeTrie.longestPrefixMatchNode} (keys pre-built as IPv4Address).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dagrona.disable.bounds.checks=true")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Ip4BaselineBenchmark
{
    private static final int CHUNK = 256;

    /** Naive reference LPM. */
    @State(Scope.Thread)
    public static class Reference
    {
        @Param({"1000", "1000000"})
        int prefixes;

        @Param({"uniform", "inside"})
        String keys;

        ReferenceLpm lpm;
        int[] keySet;
        int cursor;

        @Setup(Level.Trial)
        public void setup()
        {
            final LpmDump.Prefixes p = LpmDump.prefixes(prefixes);
            lpm = new ReferenceLpm();
            for (int i = 0; i < p.size(); i++)
            {
                lpm.add(p.address()[i], p.length()[i], FibLeaf.direct(p.length()[i], p.nextHop()[i]));
            }
            keySet = LpmDump.keys(keys);
            if (1_000_000 == prefixes)
            {
                long sum = 0;
                for (final int key : keySet)
                {
                    sum += FibLeaf.value(lpm.lookup(key));
                }
                System.out.printf("%n[reference] checksum %d%n", sum);
                if (sum != LpmDump.checksum(keys))
                {
                    throw new IllegalStateException("checksum " + sum);
                }
            }
        }
    }

    /** IPAddress associative trie. */
    @State(Scope.Thread)
    public static class IpAddressTrie
    {
        @Param({"1000", "1000000"})
        int prefixes;

        @Param({"uniform", "inside"})
        String keys;

        IPv4AddressAssociativeTrie<Integer> trie;
        IPv4Address[] keySet;
        int cursor;

        @Setup(Level.Trial)
        public void setup()
        {
            final LpmDump.Prefixes p = LpmDump.prefixes(prefixes);
            trie = new IPv4AddressAssociativeTrie<>();
            for (int i = 0; i < p.size(); i++)
            {
                trie.put(new IPv4Address(p.address()[i], (int)p.length()[i]).toPrefixBlock(), p.nextHop()[i]);
            }
            final int[] k = LpmDump.keys(keys);
            keySet = new IPv4Address[k.length];
            long sum = 0;
            for (int i = 0; i < k.length; i++)
            {
                keySet[i] = new IPv4Address(k[i]);
                final var node = trie.longestPrefixMatchNode(keySet[i]);
                sum += null == node ? 0 : node.getValue();
            }
            System.out.printf("%n[ipaddress] checksum %d%n", sum);
            if (1_000_000 == prefixes && sum != LpmDump.checksum(keys))
            {
                throw new IllegalStateException("checksum " + sum);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int reference(final Reference s)
    {
        final int start = s.cursor;
        s.cursor = (start + CHUNK) & (s.keySet.length - 1);
        int acc = 0;
        for (int i = start; i < start + CHUNK; i++)
        {
            acc += s.lpm.lookup(s.keySet[i]);
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int ipaddress(final IpAddressTrie s)
    {
        final int start = s.cursor;
        s.cursor = (start + CHUNK) & (s.keySet.length - 1);
        int acc = 0;
        for (int i = start; i < start + CHUNK; i++)
        {
            final var node = s.trie.longestPrefixMatchNode(s.keySet[i]);
            acc += null == node ? 0 : node.getValue();
        }
        return acc;
    }
}
