package io.vrouter.core.fib;

import java.util.Arrays;

/**
 * FIFO of freed indices (plies, entries) that may be reused only once a grace period has passed since they
 * were freed, because lock-free readers may still be reading them. Writer-thread only.
 * <p>The grace period is time based: a forwarder reads a ply for the few nanoseconds of one lookup, so a
 * quarantine of {@code graceNs} (default {@link #DEFAULT_GRACE_NS}) covers every reader that is not descheduled
 * in the middle of a lookup for longer than that. A reader that is (a stall of 100 ms inside one lookup) could
 * read one wrong but well-formed leaf; it can never index out of bounds, since pools never shrink. An epoch
 * scheme (forwarders publishing a quiescent counter per duty cycle) can replace {@link #isReusable(long)} later
 * without touching the tries.
 */
final class Quarantine
{
    static final long DEFAULT_GRACE_NS = 100_000_000L;

    private final long graceNs;
    private final ReaderEpochs epochs;
    private int[] indices = new int[16];
    private long[] freedAtNs = new long[16];
    private long[] stamps = new long[16];
    private int head;
    private int size;

    Quarantine(final long graceNs, final ReaderEpochs epochs)
    {
        this.graceNs = graceNs;
        this.epochs = epochs;
    }

    void add(final int index, final long nowNs)
    {
        if (size == indices.length)
        {
            final int[] newIndices = new int[size * 2];
            final long[] newTimes = new long[size * 2];
            final long[] newStamps = new long[size * 2];
            for (int i = 0; i < size; i++)
            {
                final int j = (head + i) & (size - 1);
                newIndices[i] = indices[j];
                newTimes[i] = freedAtNs[j];
                newStamps[i] = stamps[j];
            }
            indices = newIndices;
            freedAtNs = newTimes;
            stamps = newStamps;
            head = 0;
        }
        final int tail = (head + size) & (indices.length - 1);
        indices[tail] = index;
        freedAtNs[tail] = nowNs;
        // Memory freed off-line (never published, nowNs far in the past) needs no reader to move on.
        stamps[tail] = null == epochs || nowNs <= Long.MIN_VALUE / 4 ? Long.MIN_VALUE : epochs.stamp();
        size++;
    }

    boolean isReusable(final long nowNs)
    {
        return size > 0 && isSafe(head, nowNs);
    }

    /** Number of entries reusable now, counting at most {@code limit}. */
    int reusable(final long nowNs, final int limit)
    {
        int n = 0;
        while (n < size && n < limit && isSafe((head + n) & (indices.length - 1), nowNs))
        {
            n++;
        }
        return n;
    }

    private boolean isSafe(final int i, final long nowNs)
    {
        return nowNs - freedAtNs[i] >= graceNs
            && (null == epochs || Long.MIN_VALUE == stamps[i] || epochs.isQuiescentSince(stamps[i]));
    }

    int poll()
    {
        final int index = indices[head];
        head = (head + 1) & (indices.length - 1);
        size--;
        return index;
    }

    int size()
    {
        return size;
    }

    void clear()
    {
        head = 0;
        size = 0;
        Arrays.fill(indices, 0);
    }

    long memoryBytes()
    {
        return 40L + 16 + 4L * indices.length + 32 + 16L * freedAtNs.length;
    }
}
