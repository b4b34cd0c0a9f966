package io.vrouter.core.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The bridge table: exact-match semantics, capacity, tombstones and rebuilds, and lock-free
 * readers that only ever see a right answer while the writer churns.
 */
class BridgeTableTest
{
    @Test
    void shouldFindReplaceAndRemoveByVrfAndMac()
    {
        final BridgeTable t = new BridgeTable(16);
        assertTrue(t.put(new BridgeEntry(1, 0xaaL, 5, -1, 0)));
        assertTrue(t.put(new BridgeEntry(2, 0xaaL, 6, -1, 0)));
        assertEquals(5, t.lookup(1, 0xaaL).nhId());
        assertEquals(6, t.lookup(2, 0xaaL).nhId());
        assertTrue(t.put(new BridgeEntry(1, 0xaaL, 7, 16, BridgeEntry.FLAG_LABEL_VALID)));
        assertEquals(7, t.lookup(1, 0xaaL).nhId());
        assertEquals(2, t.size());
        assertTrue(t.remove(1, 0xaaL));
        assertFalse(t.remove(1, 0xaaL));
        assertNull(t.lookup(1, 0xaaL));
        assertEquals(6, t.lookup(2, 0xaaL).nhId());
    }

    @Test
    void shouldRefuseInsertsBeyondCapacityButAllowReplacement()
    {
        final BridgeTable t = new BridgeTable(4);
        for (int i = 0; i < 4; i++)
        {
            assertTrue(t.put(new BridgeEntry(0, i, i, -1, 0)));
        }
        assertFalse(t.put(new BridgeEntry(0, 99, 1, -1, 0)));
        assertTrue(t.put(new BridgeEntry(0, 2, 42, -1, 0)));
        assertEquals(42, t.lookup(0, 2).nhId());
    }

    @Test
    void shouldSurviveLongChurnThroughTombstonesAndRebuilds()
    {
        final BridgeTable t = new BridgeTable(64);
        for (int round = 0; round < 10_000; round++)
        {
            final long mac = round;
            assertTrue(t.put(new BridgeEntry(round & 3, mac, round, -1, 0)));
            assertEquals(round, t.lookup(round & 3, mac).nhId());
            if (round >= 32)
            {
                assertTrue(t.remove((round - 32) & 3, round - 32));
            }
        }
        assertEquals(32, t.size());
    }

    @Test
    void shouldNeverShowAReaderAWrongEntryWhileTheWriterChurns() throws Exception
    {
        final BridgeTable t = new BridgeTable(256);
        final long stableMac = 0x0200_0000_0001L;
        t.put(new BridgeEntry(7, stableMac, 1000, -1, 0));
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<String> failure = new AtomicReference<>();
        final AtomicLong reads = new AtomicLong();
        final Thread reader = new Thread(() ->
        {
            long n = 0;
            while (!stop.get())
            {
                final BridgeEntry e = t.lookup(7, stableMac);
                if (e == null || e.nhId() != 1000 || e.mac() != stableMac || e.vrf() != 7)
                {
                    failure.compareAndSet(null, "stable entry read as " + e);
                }
                final long churned = 0x0300_0000_0000L | (n & 127);
                final BridgeEntry c = t.lookup(7, churned);
                if (c != null && (c.mac() != churned || c.vrf() != 7 || c.nhId() != (int)(n & 127)))
                {
                    failure.compareAndSet(null, "churned entry read as " + c);
                }
                n++;
            }
            reads.set(n);
        });
        reader.start();
        final long end = System.nanoTime() + 1_000_000_000L;
        long round = 0;
        while (System.nanoTime() < end && failure.get() == null)
        {
            final int k = (int)(round & 127);
            t.put(new BridgeEntry(7, 0x0300_0000_0000L | k, k, -1, 0));
            if ((round & 1) == 0)
            {
                t.remove(7, 0x0300_0000_0000L | ((k + 64) & 127));
            }
            round++;
        }
        stop.set(true);
        reader.join();
        assertNull(failure.get(), failure.get());
        assertTrue(reads.get() > 1000, "the reader ran: " + reads.get());
        assertEquals(1000, t.lookup(7, stableMac).nhId());
    }
}
