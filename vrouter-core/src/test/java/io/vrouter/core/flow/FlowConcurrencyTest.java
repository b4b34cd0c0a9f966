package io.vrouter.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * Two workers creating the same flows at the same time end with one pair each; a reader listing
 * the table during churn (inserts and deletes) never sees a torn entry.
 */
class FlowConcurrencyTest
{
    static final int FLOWS = 20_000;

    static void pair(final FlowTable t, final FlowKey k, final FlowKey r, final FlowTable.Setup s, final int i)
    {
        k.set4(0, 17, 0x0A000000 | i, 0x0B000000 | i, i & 0xFFFF, (i * 7) & 0xFFFF);
        r.reverseOf(k);
        t.insert(k, k.hash(), r, r.hash(), s, 1);
    }

    @Test
    void twoWorkersCreatingTheSameFlowsEndWithOnePairEach() throws Exception
    {
        final FlowTable t = FlowTable.createAnonymous(FlowTableConfig.sized(1 << 16).withLimits(1 << 20, 1 << 20));
        final CyclicBarrier start = new CyclicBarrier(2);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Runnable worker = () ->
        {
            try
            {
                final FlowKey k = new FlowKey();
                final FlowKey r = new FlowKey();
                final FlowTable.Setup s = new FlowTable.Setup();
                start.await();
                for (int i = 0; i < FLOWS; i++)
                {
                    pair(t, k, r, s, i);
                }
            }
            catch (final Throwable e)
            {
                failure.set(e);
            }
        };
        final Thread a = new Thread(worker);
        final Thread b = new Thread(worker);
        a.start();
        b.start();
        a.join();
        b.join();
        assertEquals(null, failure.get());
        assertEquals(2 * FLOWS, t.activeEntries());
        int active = 0;
        for (int i = 0; i < t.totalEntries(); i++)
        {
            if (t.isActive(i))
            {
                active++;
                final int rf = t.intField(i, FlowTable.E_RFLOW);
                assertEquals(i, t.intField(rf, FlowTable.E_RFLOW), "entry " + i + " and its reverse link both ways");
            }
        }
        assertEquals(2 * FLOWS, active, "no duplicate entries");
        assertEquals(2 * FLOWS, t.created());
    }

    @Test
    void readerListsConsistentEntriesDuringChurn() throws Exception
    {
        final FlowTable t = FlowTable.createAnonymous(FlowTableConfig.sized(4096));
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread writer = new Thread(() ->
        {
            try
            {
                final FlowKey k = new FlowKey();
                final FlowKey r = new FlowKey();
                final FlowTable.Setup s = new FlowTable.Setup();
                int i = 0;
                while (!stop.get())
                {
                    pair(t, k, r, s, i);
                    final int old = t.lookup(k.set4(0, 17, 0x0A000000 | (i - 500), 0x0B000000 | (i - 500),
                        (i - 500) & 0xFFFF, ((i - 500) * 7) & 0xFFFF), k.hash());
                    if (old >= 0)
                    {
                        final int rf = t.intField(old, FlowTable.E_RFLOW);
                        t.delete(old, -1);
                        t.delete(rf, -1);
                    }
                    i++;
                }
            }
            catch (final Throwable e)
            {
                failure.set(e);
            }
        });
        writer.start();
        final FlowKey seen = new FlowKey();
        long checked = 0;
        final long end = System.nanoTime() + 1_000_000_000L;
        try
        {
            while (System.nanoTime() < end)
            {
                for (int e = 0; e < t.totalEntries(); e++)
                {
                    final int before = t.stateWord(e);
                    if ((before & 0xFF) != FlowTable.ACTIVE)
                    {
                        continue;
                    }
                    t.readKey(e, seen);
                    java.lang.invoke.VarHandle.acquireFence();
                    if (t.stateWord(e) != before)
                    {
                        continue;
                    }
                    // Every key the writer makes ties its fields together: a torn read breaks the tie.
                    final long forward = seen.srcLo >>> 24 == 0x0A ? seen.srcLo : seen.dstLo;
                    final int i = (int)(forward & 0xFFFFFF);
                    final boolean isForward = seen.srcLo >>> 24 == 0x0A;
                    assertEquals(isForward ? (0x0B000000L | i) : (0x0A000000L | i), isForward ? seen.dstLo
                        : seen.dstLo, "addresses of entry " + e);
                    assertEquals(isForward ? (i & 0xFFFF) : ((i * 7) & 0xFFFF), seen.sport, "ports of entry " + e);
                    checked++;
                }
            }
        }
        finally
        {
            stop.set(true);
            writer.join();
        }
        assertEquals(null, failure.get());
        assertTrue(checked > 1000, "the reader saw entries: " + checked);
    }
}
