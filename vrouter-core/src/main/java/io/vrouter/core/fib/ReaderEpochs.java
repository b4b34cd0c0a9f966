package io.vrouter.core.fib;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Epoch-based reclamation for the FIB's freed plies and entries: memory the writer unlinked is
 * reused only after every registered reader has left the read section it may have been in when
 * the memory was unlinked (the quiescent-state idea of Contrail's {@code vr_defer}/RCU).
 * <p>
 * Overview. Each forwarding worker registers once and brackets every batch with
 * {@link #enter(int)} / {@link #exit(int)}; between batches it holds no reference into a FIB. On
 * entry a reader publishes the current writer epoch; on exit it publishes {@link #IDLE}. When the
 * writer frees something it takes a stamp ({@link #stamp()}: the epoch, then advances it). The
 * freed memory may be reused once {@link #isQuiescentSince(long)} holds: every reader is idle or
 * entered with an epoch later than the stamp.
 * <p>
 * Why it is safe: the writer unlinks (release store), then advances the epoch (volatile), then
 * reads the readers' slots (volatile). A reader writes its slot (volatile), then issues a full
 * fence, then reads the FIB. Volatile accesses are totally ordered, so either the writer sees the
 * reader's epoch (at most the stamp: reuse waits), or the reader's slot write comes after the
 * writer's check, so the reader's FIB reads come after the unlink and cannot reach the freed
 * memory. A reader that is stalled (descheduled, at a safepoint) keeps its epoch published and so
 * blocks reuse for as long as it is stalled: no wrong leaf, however long the stall.
 * <p>
 * Cost per batch: one volatile store, one full fence, one release store. Slots are 64 bytes apart
 * so workers do not share cache lines.
 */
public final class ReaderEpochs
{
    /** Slot value of a reader outside any read section. */
    public static final long IDLE = Long.MAX_VALUE;
    /** Default number of reader slots. */
    public static final int DEFAULT_MAX_READERS = 64;

    private static final int STRIDE = 8;

    private final AtomicLong epoch = new AtomicLong(1);
    private final AtomicLongArray observed;
    private final AtomicInteger registered = new AtomicInteger();
    private final int maxReaders;

    /**
     * Room for a number of readers.
     *
     * @param maxReaders most readers that may register.
     */
    public ReaderEpochs(final int maxReaders)
    {
        this.maxReaders = maxReaders;
        this.observed = new AtomicLongArray(maxReaders * STRIDE);
        for (int i = 0; i < maxReaders; i++)
        {
            observed.set(i * STRIDE, IDLE);
        }
    }

    /**
     * Registers a reader (once per worker thread).
     *
     * @return its slot.
     * @throws IllegalStateException when every slot is taken.
     */
    public int register()
    {
        final int slot = registered.getAndIncrement();
        if (slot >= maxReaders)
        {
            registered.decrementAndGet();
            throw new IllegalStateException("more than " + maxReaders + " FIB readers");
        }
        return slot;
    }

    /**
     * Starts a read section (a batch). The reader's FIB reads must follow this call.
     *
     * @param slot the reader's slot.
     */
    public void enter(final int slot)
    {
        observed.set(slot * STRIDE, epoch.get());
        VarHandle.fullFence();
    }

    /**
     * Ends a read section; the reader holds no FIB reference afterwards.
     *
     * @param slot the reader's slot.
     */
    public void exit(final int slot)
    {
        observed.setRelease(slot * STRIDE, IDLE);
    }

    /**
     * Writer: the stamp of memory unlinked just before this call.
     *
     * @return the stamp.
     */
    long stamp()
    {
        return epoch.getAndIncrement();
    }

    /**
     * Writer: whether memory stamped {@code stamp} can no longer be reached by any reader.
     *
     * @param stamp from {@link #stamp()}.
     * @return true when every reader is idle or entered after the stamp.
     */
    boolean isQuiescentSince(final long stamp)
    {
        final int n = Math.min(registered.get(), maxReaders);
        for (int i = 0; i < n; i++)
        {
            if (observed.get(i * STRIDE) <= stamp)
            {
                return false;
            }
        }
        return true;
    }
}
