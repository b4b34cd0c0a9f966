package io.vrouter.core.fib;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The IPv4 LPM contract, run against every implementation.
 */
abstract class LongestPrefixMatchContractTests
{
    static final int A = 0x0A000000; // 10.0.0.0
    Lpm4 lpm;

    abstract Lpm4 newLpm();

    @BeforeEach
    void setUp()
    {
        lpm = newLpm();
    }

    static int ip(final int a, final int b, final int c, final int d)
    {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    static int leaf(final int plen, final int nh)
    {
        return FibLeaf.direct(plen, nh);
    }

    @Test
    void shouldReturnDiscardWhenEmpty()
    {
        assertEquals(FibLeaf.DISCARD, lpm.lookup(ip(10, 1, 2, 3)));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(0));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(-1));
    }

    @Test
    void shouldPreferLongerPrefixWhenNested()
    {
        assertEquals(0, lpm.add(ip(10, 0, 0, 0), 8, leaf(8, 1)));
        assertEquals(0, lpm.add(ip(10, 1, 0, 0), 16, leaf(16, 2)));
        assertEquals(0, lpm.add(ip(10, 1, 2, 0), 24, leaf(24, 3)));
        assertEquals(0, lpm.add(ip(10, 1, 2, 3), 32, leaf(32, 4)));
        assertEquals(0, lpm.add(ip(10, 1, 2, 128), 25, leaf(25, 5)));
        assertEquals(leaf(8, 1), lpm.lookup(ip(10, 9, 9, 9)));
        assertEquals(leaf(16, 2), lpm.lookup(ip(10, 1, 9, 9)));
        assertEquals(leaf(24, 3), lpm.lookup(ip(10, 1, 2, 4)));
        assertEquals(leaf(32, 4), lpm.lookup(ip(10, 1, 2, 3)));
        assertEquals(leaf(25, 5), lpm.lookup(ip(10, 1, 2, 200)));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(ip(11, 0, 0, 0)));
    }

    @Test
    void shouldNotOverwriteLongerPrefixWhenShorterAddedLater()
    {
        lpm.add(ip(10, 1, 2, 0), 24, leaf(24, 3));
        lpm.add(ip(10, 1, 0, 0), 16, leaf(16, 2));
        assertEquals(leaf(24, 3), lpm.lookup(ip(10, 1, 2, 9)));
        assertEquals(leaf(16, 2), lpm.lookup(ip(10, 1, 3, 9)));
    }

    @Test
    void shouldReplaceEqualPrefix()
    {
        lpm.add(ip(10, 1, 0, 0), 16, leaf(16, 2));
        lpm.add(ip(10, 1, 2, 0), 24, leaf(24, 3));
        assertEquals(0, lpm.add(ip(10, 1, 0, 0), 16, leaf(16, 7)));
        assertEquals(leaf(16, 7), lpm.lookup(ip(10, 1, 200, 1)));
        assertEquals(leaf(24, 3), lpm.lookup(ip(10, 1, 2, 1)));
    }

    @Test
    void shouldReplaceDeletedRouteByCoveringRoute()
    {
        lpm.add(ip(10, 1, 0, 0), 16, leaf(16, 2));
        lpm.add(ip(10, 1, 2, 0), 24, leaf(24, 3));
        lpm.add(ip(10, 1, 2, 64), 26, leaf(26, 4));
        assertEquals(0, lpm.delete(ip(10, 1, 2, 0), 24, leaf(16, 2)));
        assertEquals(leaf(16, 2), lpm.lookup(ip(10, 1, 2, 1)));
        assertEquals(leaf(26, 4), lpm.lookup(ip(10, 1, 2, 65)));
        assertEquals(0, lpm.delete(ip(10, 1, 2, 64), 26, leaf(16, 2)));
        assertEquals(leaf(16, 2), lpm.lookup(ip(10, 1, 2, 65)));
        assertEquals(0, lpm.delete(ip(10, 1, 0, 0), 16, FibLeaf.DISCARD));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(ip(10, 1, 2, 65)));
    }

    @Test
    void shouldReturnEnoentWhenRouteAbsent()
    {
        lpm.add(ip(10, 1, 0, 0), 16, leaf(16, 2));
        assertEquals(Ip4Fib.ENOENT, lpm.delete(ip(10, 1, 2, 0), 24, leaf(16, 2)));
        assertEquals(Ip4Fib.ENOENT, lpm.delete(ip(10, 2, 0, 0), 16, FibLeaf.DISCARD));
        assertEquals(Ip4Fib.ENOENT, lpm.delete(ip(10, 1, 2, 3), 32, leaf(16, 2)));
        assertEquals(leaf(16, 2), lpm.lookup(ip(10, 1, 2, 3)));
    }

    @Test
    void shouldHandleDefaultRoute()
    {
        assertEquals(0, lpm.add(0, 0, leaf(0, 9)));
        lpm.add(ip(10, 0, 0, 0), 8, leaf(8, 1));
        assertEquals(leaf(0, 9), lpm.lookup(ip(200, 1, 1, 1)));
        assertEquals(leaf(0, 9), lpm.lookup(-1));
        assertEquals(leaf(8, 1), lpm.lookup(ip(10, 1, 1, 1)));
        assertEquals(0, lpm.delete(0, 0, FibLeaf.DISCARD));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(ip(200, 1, 1, 1)));
        assertEquals(leaf(8, 1), lpm.lookup(ip(10, 1, 1, 1)));
    }

    @Test
    void shouldHandleHostRoutes()
    {
        lpm.add(ip(10, 1, 2, 3), 32, leaf(32, 4));
        assertEquals(leaf(32, 4), lpm.lookup(ip(10, 1, 2, 3)));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(ip(10, 1, 2, 2)));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(ip(10, 1, 2, 4)));
        assertEquals(0, lpm.delete(ip(10, 1, 2, 3), 32, FibLeaf.DISCARD));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(ip(10, 1, 2, 3)));
    }

    @Test
    void shouldHandleFirstAndLastSlashEight()
    {
        lpm.add(0, 8, leaf(8, 1));
        lpm.add(ip(255, 0, 0, 0), 8, leaf(8, 2));
        lpm.add(0, 32, leaf(32, 3));
        lpm.add(-1, 32, leaf(32, 4));
        lpm.add(ip(255, 255, 255, 0), 24, leaf(24, 5));
        assertEquals(leaf(32, 3), lpm.lookup(0));
        assertEquals(leaf(8, 1), lpm.lookup(1));
        assertEquals(leaf(8, 1), lpm.lookup(ip(0, 255, 255, 255)));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(ip(1, 0, 0, 0)));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(ip(254, 255, 255, 255)));
        assertEquals(leaf(8, 2), lpm.lookup(ip(255, 0, 0, 0)));
        assertEquals(leaf(24, 5), lpm.lookup(ip(255, 255, 255, 254)));
        assertEquals(leaf(32, 4), lpm.lookup(-1));
        assertEquals(0, lpm.delete(-1, 32, leaf(24, 5)));
        assertEquals(leaf(24, 5), lpm.lookup(-1));
        assertEquals(0, lpm.delete(0, 32, leaf(8, 1)));
        assertEquals(leaf(8, 1), lpm.lookup(0));
    }

    @Test
    void shouldRejectPrefixLengthAbove32()
    {
        assertEquals(Ip4Fib.EINVAL, lpm.add(A, 33, leaf(32, 1)));
        assertEquals(Ip4Fib.EINVAL, lpm.delete(A, 33, FibLeaf.DISCARD));
    }

    @Test
    void shouldIgnoreHostBits()
    {
        assertEquals(0, lpm.add(ip(10, 1, 2, 3), 16, leaf(16, 2)));
        assertEquals(leaf(16, 2), lpm.lookup(ip(10, 1, 0, 0)));
        assertEquals(leaf(16, 2), lpm.lookup(ip(10, 1, 255, 255)));
        assertEquals(0, lpm.delete(ip(10, 1, 99, 99), 16, FibLeaf.DISCARD));
        assertEquals(FibLeaf.DISCARD, lpm.lookup(ip(10, 1, 0, 0)));
    }

    @Test
    void shouldDumpEachRouteOnceWhenSplit()
    {
        lpm.add(ip(10, 0, 0, 0), 8, leaf(8, 1));
        lpm.add(ip(10, 1, 0, 0), 16, leaf(16, 2));
        lpm.add(ip(10, 1, 2, 0), 24, leaf(24, 3));
        lpm.add(ip(10, 1, 2, 3), 32, leaf(32, 4));
        lpm.add(ip(10, 200, 0, 0), 16, leaf(16, 2));
        lpm.add(ip(10, 201, 0, 0), 16, leaf(16, 2));
        lpm.add(ip(192, 168, 0, 0), 24, leaf(24, 6));
        lpm.add(ip(192, 168, 0, 128), 25, leaf(25, 6));
        final List<String> routes = new ArrayList<>();
        lpm.forEachRoute((prefix, plen, l) -> routes.add(
            Integer.toHexString(prefix) + "/" + plen + " " + FibLeaf.toString(l)));
        routes.sort(null);
        final List<String> expected = new ArrayList<>(List.of(
            "a000000/8 /8 nh 1", "a010000/16 /16 nh 2", "a010200/24 /24 nh 3", "a010203/32 /32 nh 4",
            "ac80000/16 /16 nh 2", "ac90000/16 /16 nh 2", "c0a80000/24 /24 nh 6", "c0a80080/25 /25 nh 6"));
        expected.sort(null);
        assertEquals(expected, routes);
    }
}
