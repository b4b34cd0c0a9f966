package io.vrouter.core.fib;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random add/delete/lookup sequences, mtrie vs {@link ReferenceLpm}; deletes carry the covering route computed
 * from the reference, as Contrail's agent does. Each sequence grows the table to a number of routes: a short
 * sweep by default (still well past the promotion points: 2,000 plies come at about 1,800 routes of this mix,
 * the default 8,192 at about 9,000), the full one under {@code mvn verify -Pfull-sweep} ({@link Sweep}). The
 * route count and the seed are printed when a sequence starts, the seed again on failure ({@code -Dfib.seed=...}
 * replays).
 */
class Ip4FibDifferentialTest
{
    @Test
    void shouldMatchReferenceWhilePromoting()
    {
        run("shouldMatchReferenceWhilePromoting", new Ip4Fib(2000, Ip4Fib.DEFAULT_MAX_PLIES, 0), 20_000, 200_000,
            true);
    }

    @Test
    void shouldMatchReferenceWhenBig()
    {
        run("shouldMatchReferenceWhenBig", new Ip4Fib(0, Ip4Fib.DEFAULT_MAX_PLIES, 0), 20_000, 200_000, true);
    }

    @Test
    void shouldMatchReferenceWhenSmall()
    {
        run("shouldMatchReferenceWhenSmall", new Ip4Fib(Integer.MAX_VALUE, Ip4Fib.DEFAULT_MAX_PLIES, 0), 5_000,
            20_000, false);
    }

    @Test
    void shouldMatchReferenceWithDefaultSettings()
    {
        run("shouldMatchReferenceWithDefaultSettings", new Ip4Fib(), 20_000, 50_000, true);
    }

    private static void run(
        final String name, final Ip4Fib fib, final int shortRoutes, final int fullRoutes, final boolean expectPromoted)
    {
        final Sweep sweep = Sweep.of("Ip4FibDifferentialTest." + name, shortRoutes, fullRoutes, "fib.seed");
        try
        {
            exercise(fib, sweep.rounds(), new SplittableRandom(sweep.seed()), expectPromoted);
        }
        catch (final Throwable t)
        {
            fail("seed " + sweep.seed() + ": " + t.getMessage(), t);
        }
    }

    static int randomPlen(final SplittableRandom r)
    {
        if (r.nextInt(5000) == 0)
        {
            return r.nextInt(8); // rare: /0-/7 rewrite up to 2^24 root slots of the big representation
        }
        final int x = r.nextInt(100);
        if (x < 5)
        {
            return 8 + r.nextInt(8);
        }
        if (x < 30)
        {
            return 16 + r.nextInt(8);
        }
        if (x < 65)
        {
            return 24;
        }
        return 25 + r.nextInt(8);
    }

    static int randomAddress(final SplittableRandom r)
    {
        final int x = r.nextInt(100);
        if (x < 10)
        {
            return r.nextInt() >>> 8;           // 0.0.0.0/8
        }
        if (x < 20)
        {
            return 0xFF000000 | (r.nextInt() >>> 8); // 255.0.0.0/8
        }
        if (x < 50)
        {
            return 0x0A000000 | (r.nextInt() >>> 12); // dense: 10.0.0.0/12, lots of nesting
        }
        return r.nextInt();
    }

    private static void exercise(
        final Ip4Fib fib, final int routes, final SplittableRandom r, final boolean expectPromoted)
    {
        final ReferenceLpm ref = new ReferenceLpm();
        final List<long[]> live = new ArrayList<>();
        int ops = 0;
        while (ref.size() < routes)
        {
            ops++;
            final int op = r.nextInt(100);
            if (op < 65 || live.isEmpty())
            {
                final int plen = randomPlen(r);
                final int prefix = randomAddress(r) & ReferenceLpm.mask(plen);
                final int leaf = r.nextInt(4) == 0 ?
                    FibLeaf.entry(plen, r.nextInt(1 << 20)) : FibLeaf.direct(plen, 1 + r.nextInt(1 << 20));
                final int existing = ref.get(prefix, plen);
                assertEquals(0, fib.add(prefix, plen, leaf), "add");
                ref.add(prefix, plen, leaf);
                if (-1 == existing)
                {
                    live.add(new long[]{prefix, plen});
                }
                check(fib, ref, prefix, plen, r);
            }
            else if (op < 95)
            {
                final int i = r.nextInt(live.size());
                final long[] route = live.get(i);
                live.set(i, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                final int prefix = (int)route[0];
                final int plen = (int)route[1];
                final int replacement = ref.covering(prefix, plen);
                final int rc = fib.delete(prefix, plen, replacement);
                assertTrue(0 == rc || Ip4Fib.ENOENT == rc, "delete rc " + rc);
                ref.delete(prefix, plen, replacement);
                check(fib, ref, prefix, plen, r);
            }
            else
            {
                final int plen = randomPlen(r);
                final int prefix = randomAddress(r) & ReferenceLpm.mask(plen);
                if (-1 == ref.get(prefix, plen))
                {
                    assertEquals(Ip4Fib.ENOENT, fib.delete(prefix, plen, ref.covering(prefix, plen)),
                        "delete of absent " + Integer.toHexString(prefix) + "/" + plen);
                }
            }
        }
        for (int i = 0; i < 300_000; i++)
        {
            final int a = randomAddress(r);
            assertEquals(ref.lookup(a), fib.lookup(a), () -> "lookup " + Integer.toHexString(a));
        }
        final int[] keys = new int[1000];
        final int[] leaves = new int[1000];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = randomAddress(r);
        }
        fib.lookup(keys, leaves, keys.length);
        for (int i = 0; i < keys.length; i++)
        {
            assertEquals(ref.lookup(keys[i]), leaves[i], "bulk");
        }
        final int[] dumped = new int[1];
        fib.forEachRoute((prefix, plen, leaf) ->
        {
            dumped[0]++;
            assertEquals(leaf, ref.get(prefix, plen), () -> "dumped " + Integer.toHexString(prefix) + "/" + plen);
        });
        assertTrue(dumped[0] <= ref.size() && dumped[0] > ref.size() * 9 / 10, "dumped " + dumped[0]);
        assertEquals(expectPromoted, fib.isPromoted());
        assertTrue(ops > routes);
    }

    private static void check(
        final Ip4Fib fib, final ReferenceLpm ref, final int prefix, final int plen, final SplittableRandom r)
    {
        final int last = prefix | ~ReferenceLpm.mask(plen);
        final int inside = prefix | (r.nextInt() & ~ReferenceLpm.mask(plen));
        for (final int a : new int[]{prefix, last, inside, prefix - 1, last + 1})
        {
            final int expected = ref.lookup(a);
            final int actual = fib.lookup(a);
            if (expected != actual)
            {
                fail("after " + Integer.toHexString(prefix) + "/" + plen + " lookup " + Integer.toHexString(a) +
                    " expected " + FibLeaf.toString(expected) + " got " + FibLeaf.toString(actual));
            }
        }
    }
}
