package io.vrouter.core.fib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Epoch-based reclamation: freed memory waits for readers that may still see it, and only for those.
 */
class ReaderEpochsTest
{
    @Test
    void shouldBlockReuseWhileAReaderFromBeforeTheFreeIsInside()
    {
        final ReaderEpochs epochs = new ReaderEpochs(4);
        final int reader = epochs.register();
        epochs.enter(reader);
        final Quarantine q = new Quarantine(0, epochs);
        q.add(7, 0);
        assertFalse(q.isReusable(Long.MAX_VALUE / 2), "the reader may still hold ply 7");
        epochs.exit(reader);
        assertTrue(q.isReusable(Long.MAX_VALUE / 2));
        assertEquals(7, q.poll());
    }

    @Test
    void shouldNotWaitForReadersThatEnteredAfterTheFree()
    {
        final ReaderEpochs epochs = new ReaderEpochs(4);
        final int reader = epochs.register();
        final Quarantine q = new Quarantine(0, epochs);
        q.add(3, 0);
        epochs.enter(reader);
        assertTrue(q.isReusable(Long.MAX_VALUE / 2), "a reader that entered after the unlink cannot reach it");
    }

    @Test
    void shouldStillHonourTheTimeGrace()
    {
        final ReaderEpochs epochs = new ReaderEpochs(4);
        epochs.register();
        final Quarantine q = new Quarantine(1_000, epochs);
        q.add(3, 10_000);
        assertFalse(q.isReusable(10_500));
        assertTrue(q.isReusable(11_000));
    }

    @Test
    void shouldKeepAStalledReaderSafeForAnyLength()
    {
        final ReaderEpochs epochs = new ReaderEpochs(4);
        final int stalled = epochs.register();
        final int busy = epochs.register();
        epochs.enter(stalled);
        final Quarantine q = new Quarantine(0, epochs);
        for (int i = 0; i < 100; i++)
        {
            epochs.enter(busy);
            q.add(i, i);
            epochs.exit(busy);
        }
        assertEquals(0, q.reusable(Long.MAX_VALUE / 2, 100), "nothing while the stalled reader is inside");
        epochs.exit(stalled);
        assertEquals(100, q.reusable(Long.MAX_VALUE / 2, 100));
    }

    @Test
    void shouldRefuseMoreReadersThanSlots()
    {
        final ReaderEpochs epochs = new ReaderEpochs(1);
        epochs.register();
        assertThrows(IllegalStateException.class, epochs::register);
    }
}
