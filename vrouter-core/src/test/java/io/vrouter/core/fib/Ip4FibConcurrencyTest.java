package io.vrouter.core.fib;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader looks up keys while the writer flaps a more-specific route, churns plies (alloc, collapse, reuse after
 * a short quarantine) and promotes the table. The reader must only ever see a leaf valid before or after a change.
 */
class Ip4FibConcurrencyTest
{
    private static final int STABLE = FibLeaf.direct(16, 100);
    private static final int FLAP = FibLeaf.direct(24, 200);
    private static final int FLAP_HOST = FibLeaf.direct(32, 300);
    private static final int KEY = 0x0A010263;        // 10.1.2.99
    private static final int HOST_KEY = 0x0A020305;   // 10.2.3.5

    @Test
    void shouldOnlySeeLeavesValidBeforeOrAfterEachChange() throws InterruptedException
    {
        churnWhileReading(new Ip4Fib(300, Ip4Fib.DEFAULT_MAX_PLIES, Ip4Fib.DEFAULT_GRACE_NS), null);
    }

    /**
     * The same churn with no time grace at all: only the reader's epochs keep freed plies from being reused
     * under it. Without them this fails within a second on a 2-vCPU machine.
     */
    @Test
    void shouldProtectRegisteredReadersByEpochsAlone() throws InterruptedException
    {
        final ReaderEpochs epochs = new ReaderEpochs(4);
        churnWhileReading(new Ip4Fib(300, Ip4Fib.DEFAULT_MAX_PLIES, 0, epochs), epochs);
    }

    private static void churnWhileReading(final Ip4Fib fib, final ReaderEpochs epochs) throws InterruptedException
    {
        final int slot = null == epochs ? -1 : epochs.register();
        fib.add(0x0A010000, 16, STABLE);
        fib.add(0x0A020000, 16, STABLE);
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<String> error = new AtomicReference<>();
        final AtomicLong lookups = new AtomicLong();
        final Thread reader = new Thread(() ->
        {
            final int[] keys = new int[64];
            final int[] leaves = new int[64];
            for (int i = 0; i < keys.length; i++)
            {
                keys[i] = 0 == (i & 1) ? KEY : HOST_KEY;
            }
            long n = 0;
            while (!done.get() && null == error.get())
            {
                if (null != epochs)
                {
                    epochs.enter(slot);
                }
                final int a = fib.lookup(KEY);
                final int b = fib.lookup(HOST_KEY);
                if ((a != STABLE && a != FLAP) || (b != STABLE && b != FLAP_HOST))
                {
                    error.set("saw " + FibLeaf.toString(a) + " / " + FibLeaf.toString(b));
                }
                fib.lookup(keys, leaves, keys.length);
                for (int i = 0; i < keys.length; i++)
                {
                    final int l = leaves[i];
                    if (l != STABLE && l != (0 == (i & 1) ? FLAP : FLAP_HOST))
                    {
                        error.set("bulk saw " + FibLeaf.toString(l));
                    }
                }
                if (null != epochs)
                {
                    epochs.exit(slot);
                }
                n++;
            }
            lookups.set(n);
        }, "fib-reader");
        reader.start();
        final SplittableRandom r = new SplittableRandom(42);
        boolean promotedWhileReading = false;
        for (int i = 0; i < 200_000 && null == error.get(); i++)
        {
            assertEquals(0, fib.add(0x0A010200, 24, FLAP));
            assertEquals(0, fib.add(HOST_KEY, 32, FLAP_HOST));
            final int churn = 0x14000000 | (r.nextInt() >>> 8) & ~0x3;
            fib.add(churn, 30, FibLeaf.direct(30, 7));
            assertEquals(0, fib.delete(0x0A010200, 24, STABLE));
            assertEquals(0, fib.delete(HOST_KEY, 32, STABLE));
            if (0 == (i & 1))
            {
                fib.delete(churn, 30, FibLeaf.DISCARD);
            }
            promotedWhileReading |= fib.isPromoted();
        }
        done.set(true);
        reader.join();
        assertNull(error.get());
        assertTrue(promotedWhileReading, "promotion should have happened during the run");
        assertTrue(lookups.get() > 1000, "reader made progress: " + lookups.get());
    }
}
