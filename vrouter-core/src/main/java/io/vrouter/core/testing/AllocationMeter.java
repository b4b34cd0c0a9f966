package io.vrouter.core.testing;

import java.lang.management.ManagementFactory;
import java.util.function.IntToLongFunction;

/**
 * Measures what a pass of per-packet work allocates on the calling thread, robust against the JIT.
 * <p>
 * A deoptimization or an on-stack replacement that falls into a measured pass re-materializes scalar-replaced
 * objects on the heap, and those bytes count as the thread's allocation although no packet allocated anything.
 * Such events are one-off; a per-packet allocation repeats in every pass. So the meter runs measured passes until
 * one allocates less than the limit (at most {@link #MAX_PASSES}) and reports the least: a path that allocates per
 * packet fails every pass, a path that does not passes the first quiet one.
 */
public final class AllocationMeter
{
    /** Measured passes at most. */
    public static final int MAX_PASSES = 5;

    private final com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private long least = Long.MAX_VALUE;
    private long result;
    private int passes;

    /**
     * Runs measured passes of {@code pass} (its argument is the pass number, counting on from the warm-up passes
     * the caller ran) until one allocates less than {@code limit} bytes.
     *
     * @param pass   one pass of work, returning a count (e.g. packets sent) that is summed over the passes.
     * @param first  the number given to the first measured pass.
     * @param limit  bytes a quiet pass stays below.
     * @return this meter, to read {@link #leastAllocated()}, {@link #result()} and {@link #passes()}.
     */
    public AllocationMeter measure(final IntToLongFunction pass, final int first, final long limit)
    {
        if (!mx.isThreadAllocatedMemorySupported())
        {
            throw new IllegalStateException("this JVM does not count per-thread allocation");
        }
        while (passes < MAX_PASSES && least >= limit)
        {
            final long before = mx.getCurrentThreadAllocatedBytes();
            result += pass.applyAsLong(first + passes);
            least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
            passes++;
        }
        return this;
    }

    /**
     * @return the fewest bytes a measured pass allocated.
     */
    public long leastAllocated()
    {
        return least;
    }

    /**
     * @return the sum of the measured passes' counts.
     */
    public long result()
    {
        return result;
    }

    /**
     * @return how many measured passes ran.
     */
    public int passes()
    {
        return passes;
    }
}
