package io.vrouter.bench.fib;

import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.Ip4Fib;
import io.vrouter.core.fib.Ip6Fib;
import io.vrouter.core.fib.VrfFibs;

/**
 * Prints the memory of the 1 M-prefix IPv4 table, the 200 k IPv6 table and 4,096 empty VRFs: {@code memoryBytes()}
 * and the heap growth measured around building them (after full GCs). Run with
 * {@code bin/vrouter-bench fib-memory}.
 */
public final class FibMemoryReport
{
    private FibMemoryReport()
    {
    }

    private static long usedAfterGc()
    {
        final Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++)
        {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /**
     * @param args ignored.
     */
    public static void main(final String[] args)
    {
        final double mib = 1 << 20;
        long before = usedAfterGc();
        final long start = System.nanoTime();
        final Ip4Fib fib = Ip4LookupBenchmark.load(Integer.MAX_VALUE);
        final long buildNs = System.nanoTime() - start;
        long heap = usedAfterGc() - before;
        System.out.printf("IPv4 1M: build %.2f s (%.2f us/add incl. promotion), routeCount %d, plies %d, " +
            "memoryBytes %.1f MiB, heap growth %.1f MiB%n", buildNs / 1e9, buildNs / 1e3 / 1_000_000,
            fib.routeCount(), fib.plyCount(), fib.memoryBytes() / mib, heap / mib);

        before = usedAfterGc();
        final VrfFibs vrfs = new VrfFibs(4096, new FibEntries());
        for (int vrf = 0; vrf < 4096; vrf++)
        {
            vrfs.createIp4(vrf);
            vrfs.createIp6(vrf);
        }
        heap = usedAfterGc() - before;
        System.out.printf("4096 empty VRFs (v4+v6 tables created): memoryBytes %.2f MiB, heap growth %.2f MiB; " +
            "one empty VRF: %d bytes%n", vrfs.memoryBytes() / mib, heap / mib,
            new Ip4Fib().memoryBytes() + new Ip6Fib().memoryBytes());

        before = usedAfterGc();
        final Ip6Fib fib6 = new Ip6Fib();
        final LpmDump.Prefixes6 p6 = LpmDump.prefixes6();
        for (int i = 0; i < p6.size(); i++)
        {
            final int plen = p6.length()[i] & 0xFF;
            fib6.add(p6.hi()[i], p6.lo()[i], plen, io.vrouter.core.fib.Fib6Leaf.direct(plen, i + 1));
        }
        heap = usedAfterGc() - before;
        System.out.printf("IPv6 200k: plies %d, memoryBytes %.1f MiB, heap growth %.1f MiB%n",
            fib6.plyCount(), fib6.memoryBytes() / mib, heap / mib);
        if (fib.lookup(0) == 42 && fib6.lookup(0, 0) == 42 && vrfs.lookup4(1, 0) == 42)
        {
            System.out.println();
        }
    }
}
