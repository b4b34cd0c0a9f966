package io.vrouter.core.status;

/**
 * A node's running count of one VRF statistic over its vector, held in one {@code long} local: the VRF in
 * the high half, the count in the low half. A node adds each slot's event and the count goes to the
 * shared counters once per run of slots in one VRF ({@link #add} flushes when the VRF changes,
 * {@link #flush} at the end of the vector) instead of once per packet: the same counter updated packet
 * after packet makes every slot wait for the previous slot's store.
 * <pre>{@code
 * long tally = VrfTally.NONE;
 * for (...) { ...; tally = VrfTally.add(tally, vrf, counters, VrfStat.ENCAPS); }
 * VrfTally.flush(tally, counters, VrfStat.ENCAPS);
 * }</pre>
 */
public final class VrfTally
{
    /** The empty tally: no VRF, nothing counted. */
    public static final long NONE = 0xFFFFFFFF00000000L;

    private VrfTally()
    {
    }

    /**
     * Counts one event in a VRF.
     *
     * @param tally    the running tally.
     * @param vrf      the event's VRF.
     * @param counters where a finished run goes.
     * @param stat     the statistic.
     * @return the new tally.
     */
    public static long add(final long tally, final int vrf, final ForwardingCounters counters, final VrfStat stat)
    {
        if ((int)(tally >>> 32) == vrf)
        {
            return tally + 1;
        }
        flush(tally, counters, stat);
        return ((long)vrf << 32) | 1;
    }

    /**
     * Adds what the tally holds to the counters.
     *
     * @param tally    the tally.
     * @param counters the counters.
     * @param stat     the statistic.
     */
    public static void flush(final long tally, final ForwardingCounters counters, final VrfStat stat)
    {
        final int count = (int)tally;
        if (count != 0)
        {
            counters.countVrf((int)(tally >>> 32), stat, count);
        }
    }
}
