package io.vrouter.core.flow;

import static io.vrouter.core.testing.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * Route networks: longest prefix per VRF, removal and clearing, growth to 100 k prefixes, a reader
 * racing the writer's growth.
 */
class RouteNetworksTest
{
    @Test
    void shouldFindTheLongestPrefixOfTheVrf()
    {
        final RouteNetworks r = new RouteNetworks();
        assertEquals(RouteNetworks.NONE, r.lookup(1, ip("10.32.0.5")));
        r.put(1, ip("10.32.0.0"), 12, 7);
        r.put(1, ip("10.32.0.5"), 32, 9);
        r.put(1, 0, 0, 3);
        r.put(2, ip("10.32.0.5"), 32, 11);
        assertEquals(9, r.lookup(1, ip("10.32.0.5")), "/32 wins");
        assertEquals(7, r.lookup(1, ip("10.32.0.6")), "/12 next");
        assertEquals(7, r.lookup(1, ip("10.47.255.255")), "last address of the /12");
        assertEquals(3, r.lookup(1, ip("10.48.0.0")), "default route");
        assertEquals(11, r.lookup(2, ip("10.32.0.5")), "other VRF, its own route");
        assertEquals(RouteNetworks.NONE, r.lookup(2, ip("10.32.0.6")), "VRF 2 has no /12");
        assertEquals(RouteNetworks.NONE, r.lookup(3, ip("10.32.0.5")));
        assertEquals(RouteNetworks.NONE, r.lookup(-1, 0));
        assertEquals(RouteNetworks.NONE, r.lookup(70000, 0));
        assertEquals(4, r.size());
    }

    @Test
    void shouldIgnoreHostBitsAndReportThePreviousNetwork()
    {
        final RouteNetworks r = new RouteNetworks();
        assertEquals(RouteNetworks.NONE, r.put(1, ip("10.1.2.3"), 16, 5));
        assertEquals(5, r.get(1, ip("10.1.0.0"), 16));
        assertEquals(5, r.put(1, ip("10.1.9.9"), 16, 6), "same prefix, host bits differ");
        assertEquals(6, r.lookup(1, ip("10.1.200.1")));
        assertEquals(1, r.size());
    }

    @Test
    void shouldRemoveAndReuseAndClearOneVrf()
    {
        final RouteNetworks r = new RouteNetworks();
        r.put(1, ip("10.1.0.0"), 16, 5);
        r.put(1, ip("10.1.0.7"), 32, 6);
        r.put(2, ip("10.1.0.7"), 32, 8);
        assertEquals(6, r.put(1, ip("10.1.0.7"), 32, RouteNetworks.NONE));
        assertEquals(5, r.lookup(1, ip("10.1.0.7")), "falls back to the /16");
        assertEquals(RouteNetworks.NONE, r.put(1, ip("10.1.0.7"), 32, 12), "tombstone reused");
        assertEquals(12, r.lookup(1, ip("10.1.0.7")));
        assertEquals(2, r.clear(1));
        assertEquals(RouteNetworks.NONE, r.lookup(1, ip("10.1.0.7")));
        assertEquals(RouteNetworks.NONE, r.lookup(1, ip("10.1.0.8")));
        assertEquals(8, r.lookup(2, ip("10.1.0.7")), "VRF 2 untouched");
        assertEquals(1, r.size());
        assertEquals(RouteNetworks.NONE, r.put(1, ip("10.9.0.0"), 16, RouteNetworks.NONE), "removing nothing");
        assertEquals(1, r.size());
    }

    @Test
    void shouldRefuseOutOfRangeVrfsAndLengths()
    {
        final RouteNetworks r = new RouteNetworks();
        assertThrows(IllegalArgumentException.class, () -> r.put(-1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> r.put(65536, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> r.put(1, 0, 33, 1));
        assertEquals(0, r.size());
    }

    @Test
    void shouldHoldOneHundredThousandHostRoutes()
    {
        final RouteNetworks r = new RouteNetworks();
        final int base = ip("10.32.0.0");
        for (int i = 0; i < 100_000; i++)
        {
            r.put(1 + i % 4, base + i, 32, i % 30000);
        }
        assertEquals(100_000, r.size());
        for (int i = 0; i < 100_000; i++)
        {
            assertEquals(i % 30000, r.lookup(1 + i % 4, base + i), "address " + i);
            assertEquals(RouteNetworks.NONE, r.lookup(1 + (i + 1) % 4, base + i));
        }
        for (int i = 0; i < 100_000; i += 2)
        {
            r.put(1 + i % 4, base + i, 32, RouteNetworks.NONE);
        }
        assertEquals(50_000, r.size());
        assertEquals(RouteNetworks.NONE, r.lookup(1, base));
        assertEquals(1, r.lookup(2, base + 1));
    }

    @Test
    void shouldNeverLoseAPresentRouteToAReaderWhileTheWriterGrows() throws Exception
    {
        final RouteNetworks r = new RouteNetworks();
        final int fixed = ip("192.168.1.1");
        r.put(7, fixed, 32, 42);
        final AtomicInteger wrong = new AtomicInteger();
        final AtomicLong reads = new AtomicLong();
        final Thread reader = new Thread(() ->
        {
            while (!Thread.currentThread().isInterrupted())
            {
                if (r.lookup(7, fixed) != 42)
                {
                    wrong.incrementAndGet();
                }
                reads.incrementAndGet();
            }
        });
        reader.start();
        try
        {
            for (int i = 0; i < 200_000; i++)
            {
                r.put(7, ip("10.0.0.0") + i, 32, i % 1000);
            }
        }
        finally
        {
            reader.interrupt();
            reader.join(10_000);
        }
        assertEquals(0, wrong.get(), "lookups that missed a present route over " + reads.get() + " reads");
    }
}
