package io.vrouter.core.fib;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random IPv6 add/delete/lookup sequences, mtrie vs {@link ReferenceLpm6}. Each sequence grows the table to a
 * number of routes: a short sweep by default, the full one under {@code mvn verify -Pfull-sweep}
 * ({@link Sweep}). The route count and the seed are printed when a sequence starts and the seed again on
 * failure ({@code -Dfib.seed=...} replays).
 */
class Ip6FibDifferentialTest
{
    @Test
    void shouldMatchReferenceWhilePromoting()
    {
        run("shouldMatchReferenceWhilePromoting", new Ip6Fib(300, Ip6Fib.DEFAULT_MAX_PLIES, 0), 2_000, 8_000, true);
    }

    @Test
    void shouldMatchReferenceWhenSmall()
    {
        run("shouldMatchReferenceWhenSmall", new Ip6Fib(Integer.MAX_VALUE, Ip6Fib.DEFAULT_MAX_PLIES, 0), 1_000,
            5_000, false);
    }

    @Test
    void shouldHandleDefaultAndHostRoutes()
    {
        final Ip6Fib fib = new Ip6Fib();
        final long hi = 0x20010DB800000000L;
        assertEquals(Fib6Leaf.DISCARD, fib.lookup(hi, 1));
        assertEquals(0, fib.add(0, 0, 0, Fib6Leaf.direct(0, 7)));
        assertEquals(0, fib.add(hi, 1, 128, Fib6Leaf.direct(128, 8)));
        assertEquals(0, fib.add(hi, 0, 32, Fib6Leaf.direct(32, 9)));
        assertEquals(Fib6Leaf.direct(128, 8), fib.lookup(hi, 1));
        assertEquals(Fib6Leaf.direct(32, 9), fib.lookup(hi, 2));
        assertEquals(Fib6Leaf.direct(0, 7), fib.lookup(-1L, -1L));
        assertEquals(128, Fib6Leaf.prefixLength(fib.lookup(hi, 1)));
        assertEquals(Ip6Fib.EINVAL, fib.add(hi, 0, 129, Fib6Leaf.direct(0, 1)));
        assertEquals(0, fib.delete(hi, 1, 128, Fib6Leaf.direct(32, 9)));
        assertEquals(Fib6Leaf.direct(32, 9), fib.lookup(hi, 1));
        assertEquals(Ip6Fib.ENOENT, fib.delete(hi, 1, 128, Fib6Leaf.direct(32, 9)));
        final List<String> routes = new ArrayList<>();
        fib.forEachRoute((h, l, plen, leaf) -> routes.add(Long.toHexString(h) + ":" + l + "/" + plen));
        assertEquals(List.of("0:0/0", "20010db800000000:0/32"), routes);
    }

    private static void run(
        final String name, final Ip6Fib fib, final int shortRoutes, final int fullRoutes, final boolean expectPromoted)
    {
        final Sweep sweep = Sweep.of("Ip6FibDifferentialTest." + name, shortRoutes, fullRoutes, "fib.seed");
        try
        {
            exercise(fib, sweep.rounds(), new SplittableRandom(sweep.seed()), expectPromoted);
        }
        catch (final Throwable t)
        {
            fail("seed " + sweep.seed() + ": " + t.getMessage(), t);
        }
    }

    private static int randomPlen(final SplittableRandom r)
    {
        if (r.nextInt(2000) == 0)
        {
            return r.nextInt(17); // rare: a short prefix rewrites every leaf below it (prefix expansion)
        }
        final int x = r.nextInt(100);
        if (x < 2)
        {
            return 17 + r.nextInt(8);
        }
        if (x < 30)
        {
            return 17 + r.nextInt(47);
        }
        if (x < 60)
        {
            return 64;
        }
        if (x < 80)
        {
            return 65 + r.nextInt(63);
        }
        return 128;
    }

    private static long[] randomAddress(final SplittableRandom r)
    {
        final int x = r.nextInt(100);
        final long hi;
        if (x < 10)
        {
            hi = r.nextLong() >>> 16;
        }
        else if (x < 20)
        {
            hi = 0xFFFF000000000000L | (r.nextLong() >>> 16);
        }
        else if (x < 70)
        {
            hi = 0x20010DB800000000L | (r.nextLong() >>> 32); // 2001:db8::/32, some nesting
        }
        else
        {
            hi = r.nextLong();
        }
        final long lo = r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(256);
        return new long[]{hi, lo};
    }

    private static void exercise(
        final Ip6Fib fib, final int routes, final SplittableRandom r, final boolean expectPromoted)
    {
        final ReferenceLpm6 ref = new ReferenceLpm6();
        final List<long[]> live = new ArrayList<>();
        int size = 0;
        while (size < routes)
        {
            final int op = r.nextInt(100);
            if (op < 65 || live.isEmpty())
            {
                final int plen = randomPlen(r);
                final long[] a = randomAddress(r);
                final long hi = ReferenceLpm6.maskHi(a[0], plen);
                final long lo = ReferenceLpm6.maskLo(a[1], plen);
                final int leaf = Fib6Leaf.direct(plen, 1 + r.nextInt(1 << 20));
                assertEquals(0, fib.add(hi, lo, plen, leaf));
                if (-1 == ref.get(hi, lo, plen))
                {
                    live.add(new long[]{hi, lo, plen});
                    size++;
                }
                ref.add(hi, lo, plen, leaf);
                check(fib, ref, a[0], a[1], r);
            }
            else
            {
                final int i = r.nextInt(live.size());
                final long[] route = live.get(i);
                live.set(i, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                size--;
                final int plen = (int)route[2];
                final int rc = fib.delete(route[0], route[1], plen, ref.covering(route[0], route[1], plen));
                assertTrue(0 == rc || Ip6Fib.ENOENT == rc, "delete rc " + rc);
                ref.delete(route[0], route[1], plen);
                check(fib, ref, route[0], route[1], r);
            }
        }
        final int n = 20_000;
        final long[] his = new long[n];
        final long[] los = new long[n];
        final int[] leaves = new int[n];
        for (int i = 0; i < n; i++)
        {
            final long[] a = i < live.size() ? live.get(i) : randomAddress(r);
            his[i] = a[0];
            los[i] = a[1] | (r.nextBoolean() ? 0 : r.nextInt(1 << 8));
            assertEquals(ref.lookup(his[i], los[i]), fib.lookup(his[i], los[i]), "lookup");
        }
        fib.lookup(his, los, leaves, n);
        for (int i = 0; i < n; i++)
        {
            assertEquals(ref.lookup(his[i], los[i]), leaves[i], "bulk lookup");
        }
        fib.forEachRoute((hi, lo, plen, leaf) -> assertEquals(leaf, ref.get(hi, lo, plen), "dumped route"));
        assertEquals(expectPromoted, fib.isPromoted());
    }

    private static void check(
        final Ip6Fib fib, final ReferenceLpm6 ref, final long hi, final long lo, final SplittableRandom r)
    {
        final long lo2 = lo ^ r.nextInt(16);
        assertEquals(ref.lookup(hi, lo), fib.lookup(hi, lo), "lookup after change");
        assertEquals(ref.lookup(hi, lo2), fib.lookup(hi, lo2), "lookup after change");
    }
}
