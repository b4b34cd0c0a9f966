package io.vrouter.core.fib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IPv6 FIB's contract, case by case, on both representations (8-bit root, and promoted from
 * the start to the 16-bit root): the same cases as the IPv4 contract, at IPv6 widths.
 */
class Ip6FibContractTest
{
    private static final long DOC = 0x20010DB800000000L;

    private static Ip6Fib fib(final boolean big)
    {
        return new Ip6Fib(big ? 0 : Integer.MAX_VALUE, Ip6Fib.DEFAULT_MAX_PLIES, Ip4Fib.DEFAULT_GRACE_NS);
    }

    private static int leaf(final int plen, final int nh)
    {
        return Fib6Leaf.direct(plen, nh);
    }

    @ParameterizedTest(name = "big={0}")
    @ValueSource(booleans = {false, true})
    void shouldPreferLongerPrefixWhateverTheOrder(final boolean big)
    {
        final Ip6Fib f = fib(big);
        assertEquals(0, f.add(DOC, 0, 64, leaf(64, 3)));
        assertEquals(0, f.add(DOC, 0, 32, leaf(32, 2)));
        assertEquals(0, f.add(DOC, 0x100, 120, leaf(120, 4)));
        assertEquals(leaf(120, 4), f.lookup(DOC, 0x1FF));
        assertEquals(leaf(64, 3), f.lookup(DOC, 0x200));
        assertEquals(leaf(32, 2), f.lookup(DOC | 1, 0));
        assertEquals(Fib6Leaf.DISCARD, f.lookup(DOC + (1L << 32), 0));
    }

    @ParameterizedTest(name = "big={0}")
    @ValueSource(booleans = {false, true})
    void shouldReplaceEqualPrefixAndDeleteToTheCoveringRoute(final boolean big)
    {
        final Ip6Fib f = fib(big);
        assertEquals(0, f.add(DOC, 0, 32, leaf(32, 2)));
        assertEquals(0, f.add(DOC, 0, 48, leaf(48, 5)));
        assertEquals(0, f.add(DOC, 0, 48, leaf(48, 6)));
        assertEquals(leaf(48, 6), f.lookup(DOC, 9));
        assertEquals(0, f.delete(DOC, 0, 48, leaf(32, 2)));
        assertEquals(leaf(32, 2), f.lookup(DOC, 9));
        assertEquals(Ip6Fib.ENOENT, f.delete(DOC, 0, 48, leaf(32, 2)));
        assertEquals(0, f.delete(DOC, 0, 32, Fib6Leaf.DISCARD));
        assertEquals(Fib6Leaf.DISCARD, f.lookup(DOC, 9));
    }

    @ParameterizedTest(name = "big={0}")
    @ValueSource(booleans = {false, true})
    void shouldHandleTheFirstAndLastSlashEightAndHostRoutes(final boolean big)
    {
        final Ip6Fib f = fib(big);
        assertEquals(0, f.add(0, 0, 8, leaf(8, 1)));
        assertEquals(0, f.add(0xFF00000000000000L, 0, 8, leaf(8, 2)));
        assertEquals(0, f.add(-1L, -1L, 128, leaf(128, 3)));
        assertEquals(leaf(8, 1), f.lookup(0x00FFFFFFFFFFFFFFL, -1L));
        assertEquals(leaf(8, 2), f.lookup(0xFF00000000000000L, 0));
        assertEquals(leaf(8, 2), f.lookup(-1L, -2L));
        assertEquals(leaf(128, 3), f.lookup(-1L, -1L));
        assertEquals(Fib6Leaf.DISCARD, f.lookup(0x0100000000000000L, 0));
    }

    @ParameterizedTest(name = "big={0}")
    @ValueSource(booleans = {false, true})
    void shouldRefuseOverlongPrefixAndIgnoreHostBits(final boolean big)
    {
        final Ip6Fib f = fib(big);
        assertEquals(Ip6Fib.EINVAL, f.add(DOC, 0, 129, leaf(0, 1)));
        assertEquals(0, f.add(DOC | 0xFFFF, 0, 32, leaf(32, 4)));
        assertEquals(leaf(32, 4), f.lookup(DOC, 0));
    }

    @ParameterizedTest(name = "big={0}")
    @ValueSource(booleans = {false, true})
    void shouldDumpEachRouteOnceWhenSplitByMoreSpecifics(final boolean big)
    {
        final Ip6Fib f = fib(big);
        assertEquals(0, f.add(DOC, 0, 32, leaf(32, 2)));
        assertEquals(0, f.add(DOC | 0x0000000100000000L >>> 32, 0, 64, leaf(64, 3)));
        assertEquals(0, f.add(DOC | 0x00000000FFFF0000L, 0, 48, leaf(48, 4)));
        final List<String> routes = new ArrayList<>();
        f.forEachRoute((hi, lo, plen, l) -> routes.add(Long.toHexString(hi) + "/" + plen + "->" + Fib6Leaf.nhId(l,
            null)));
        assertEquals(List.of("20010db800000000/32->2", "20010db800000001/64->3", "20010db8ffff0000/48->4"), routes);
    }
}
