package io.vrouter.core.fib;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory targets: an empty VRF within 4 KiB, 4,096 empty VRFs within 16 MiB (accounted with memoryBytes()).
 */
class FibMemoryTest
{
    @Test
    void shouldKeepEmptyVrfWithinFourKib()
    {
        final long bytes = new Ip4Fib().memoryBytes() + new Ip6Fib().memoryBytes();
        assertTrue(bytes <= 4096, "empty VRF " + bytes + " bytes");
    }

    @Test
    void shouldKeep4096EmptyVrfsWithinSixteenMib()
    {
        final VrfFibs vrfs = new VrfFibs(4096, new FibEntries());
        for (int vrf = 0; vrf < 4096; vrf++)
        {
            vrfs.createIp4(vrf);
            vrfs.createIp6(vrf);
        }
        final long bytes = vrfs.memoryBytes();
        assertTrue(bytes <= 16L << 20, "4096 empty VRFs " + bytes + " bytes");
    }

    @Test
    void shouldKeepSmallVrfWithinFourKibPerRoutePly()
    {
        final Ip4Fib fib = new Ip4Fib();
        fib.add(0x0A000000, 8, FibLeaf.direct(8, 1));
        fib.add(0, 0, FibLeaf.direct(0, 2));
        assertTrue(fib.memoryBytes() <= 4096, "VRF with two short routes " + fib.memoryBytes());
    }
}
