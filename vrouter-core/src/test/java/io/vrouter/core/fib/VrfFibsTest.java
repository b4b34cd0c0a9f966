package io.vrouter.core.fib;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class VrfFibsTest
{
    @Test
    void shouldReturnDiscardForVrfWithoutTable()
    {
        final VrfFibs vrfs = new VrfFibs();
        assertEquals(FibLeaf.DISCARD, vrfs.lookup4(7, 0x0A000001));
        assertEquals(Fib6Leaf.DISCARD, vrfs.lookup6(7, 1, 1));
        assertNull(vrfs.ip4(7));
        assertEquals(VrfFibs.ENOENT, vrfs.delete4(7, 0x0A000000, 8, FibLeaf.DISCARD));
    }

    @Test
    void shouldCreateTablesLazilyPerVrfAndFamily()
    {
        final VrfFibs vrfs = new VrfFibs(16, new FibEntries());
        assertEquals(0, vrfs.add4(3, 0x0A000000, 8, FibLeaf.direct(8, 5)));
        assertEquals(0, vrfs.add6(3, 0x20010DB800000000L, 0, 32, Fib6Leaf.direct(32, 6)));
        assertNotNull(vrfs.ip4(3));
        assertNull(vrfs.ip4(4));
        assertEquals(FibLeaf.direct(8, 5), vrfs.lookup4(3, 0x0A010203));
        assertEquals(FibLeaf.DISCARD, vrfs.lookup4(4, 0x0A010203));
        assertEquals(Fib6Leaf.direct(32, 6), vrfs.lookup6(3, 0x20010DB812345678L, 9));
        assertEquals(VrfFibs.EINVAL, vrfs.add4(16, 0, 0, 0));
        assertEquals(0, vrfs.delete4(3, 0x0A000000, 8, FibLeaf.DISCARD));
        assertEquals(FibLeaf.DISCARD, vrfs.lookup4(3, 0x0A010203));
    }
}
