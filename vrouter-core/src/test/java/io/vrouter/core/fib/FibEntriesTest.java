package io.vrouter.core.fib;

import static io.vrouter.core.fib.RouteFlags.ARP_PROXY;
import static io.vrouter.core.fib.RouteFlags.LABEL_VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FibEntriesTest
{
    @Test
    void shouldUseDirectLeafWithoutLabelFlagsOrMac()
    {
        final FibEntries entries = new FibEntries();
        final int leaf = entries.leaf4(24, 12, RouteFlags.NO_LABEL, 0, 0);
        assertFalse(FibLeaf.isEntry(leaf));
        assertEquals(12, FibLeaf.nhId(leaf, entries));
        assertEquals(RouteFlags.NO_LABEL, FibLeaf.label(leaf, entries));
        assertEquals(0, FibLeaf.labelFlags(leaf, entries));
        assertEquals(24, FibLeaf.prefixLength(leaf));
        assertEquals(0, entries.size());
    }

    @Test
    void shouldInternAndShareTuples()
    {
        final FibEntries entries = new FibEntries();
        final int a = entries.leaf4(24, 12, 1000, LABEL_VALID | ARP_PROXY, 0x0200_0000_0001L);
        final int b = entries.leaf4(16, 12, 1000, LABEL_VALID | ARP_PROXY, 0x0200_0000_0001L);
        final int c = entries.leaf6(64, 13, 1000, LABEL_VALID, 0);
        assertTrue(FibLeaf.isEntry(a));
        assertEquals(FibLeaf.value(a), FibLeaf.value(b));
        assertEquals(2, entries.refCount(FibLeaf.value(a)));
        assertEquals(12, FibLeaf.nhId(a, entries));
        assertEquals(1000, FibLeaf.label(b, entries));
        assertEquals(LABEL_VALID | ARP_PROXY, FibLeaf.labelFlags(a, entries));
        assertEquals(0x0200_0000_0001L, FibLeaf.mac(a, entries));
        assertEquals(13, Fib6Leaf.nhId(c, entries));
        assertEquals(64, Fib6Leaf.prefixLength(c));
        assertEquals(LABEL_VALID, Fib6Leaf.labelFlags(c, entries));
        assertEquals(2, entries.size());
    }

    @Test
    void shouldReuseReleasedIndexOnlyAfterQuarantine()
    {
        final FibEntries quarantined = new FibEntries(16, Long.MAX_VALUE / 2);
        final int first = quarantined.intern(1, 5, LABEL_VALID, 0);
        quarantined.release(first);
        assertEquals(0, quarantined.refCount(first));
        assertNotEquals(first, quarantined.intern(2, 5, LABEL_VALID, 0));

        final FibEntries immediate = new FibEntries(16, 0);
        final int index = immediate.intern(1, 5, LABEL_VALID, 0);
        immediate.release(index);
        assertEquals(index, immediate.intern(2, 6, LABEL_VALID, 0));
        assertEquals(2, immediate.nhId(index));
    }

    @Test
    void shouldRefuseWhenFullOrInvalid()
    {
        final FibEntries entries = new FibEntries(2, 0);
        assertEquals(0, entries.intern(1, 1, 0, 0));
        assertEquals(1, entries.intern(2, 1, 0, 0));
        assertEquals(FibEntries.ENOSPC, entries.intern(3, 1, 0, 0));
        assertEquals(FibEntries.EINVAL, entries.intern(1, 1 << 24, 0, 0));
        assertEquals(FibEntries.EINVAL, entries.intern(1, 1, 0x20, 0));
    }
}
