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
    private int[] indices = new int[16];
    private long[] freedAtNs = new long[16];
    private int head;
    private int size;

    Quarantine(final long graceNs)
    {
        this.graceNs = graceNs;
    }

    void add(final int index, final long nowNs)
    {
        if (size == indices.length)
        {
            final int[] newIndices = new int[size * 2];
            final long[] newTimes = new long[size * 2];
            for (int i = 0; i < size; i++)
            {
                final int j = (head + i) & (size - 1);
                newIndices[i] = indices[j];
                newTimes[i] = freedAtNs[j];
            }
            indices = newIndices;
            freedAtNs = newTimes;
            head = 0;
        }
        final int tail = (head + size) & (indices.length - 1);
        indices[tail] = index;
        freedAtNs[tail] = nowNs;
        size++;
    }

    boolean isReusable(final long nowNs)
    {
        return size > 0 && nowNs - freedAtNs[head] >= graceNs;
    }

    /** Number of entries reusable now, counting at most {@code limit}. */
    int reusable(final long nowNs, final int limit)
    {
        int n = 0;
        while (n < size && n < limit && nowNs - freedAtNs[(head + n) & (indices.length - 1)] >= graceNs)
        {
            n++;
        }
        return n;
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
        return 32L + 16 + 4L * indices.length + 16 + 8L * freedAtNs.length;
    }
}
