package io.vrouter.core.status;

/**
 * The counters one forwarding worker writes: drops by reason in total and per interface,
 * interface packet/byte counters and per-VRF statistics.
 * <p>
 * Overview: one instance per worker, written only by that worker (plain stores, no atomics on the
 * per-packet path); other threads read them for CLI and introspect and may see values a few
 * packets old. Totals over workers are summed by the reader. Arrays are sized once from the table
 * limits and never grow, so nothing is allocated per packet.
 */
public final class ForwardingCounters implements CounterSource
{
    private final int interfaces;
    private final int vrfs;
    private final long[] drops = new long[DropReason.COUNT];
    private final long[] interfaceDrops;
    private final long[] interfaceCounters;
    private final long[] vrfStats;

    /**
     * Counters sized for the given table limits.
     *
     * @param interfaces number of interface slots.
     * @param vrfs       number of VRFs.
     */
    public ForwardingCounters(final int interfaces, final int vrfs)
    {
        this.interfaces = interfaces;
        this.vrfs = vrfs;
        this.interfaceDrops = new long[interfaces * DropReason.COUNT];
        this.interfaceCounters = new long[interfaces * IF_COUNTERS];
        this.vrfStats = new long[vrfs * VrfStat.COUNT];
    }

    /**
     * Counts one drop, in total and on the interface the packet arrived on.
     *
     * @param reason   why.
     * @param vifIndex the ingress interface, or -1 when unknown.
     */
    public void drop(final DropReason reason, final int vifIndex)
    {
        final int id = reason.ordinal();
        drops[id]++;
        if (vifIndex >= 0 && vifIndex < interfaces)
        {
            interfaceDrops[vifIndex * DropReason.COUNT + id]++;
            interfaceCounters[vifIndex * IF_COUNTERS + IF_DROPS]++;
        }
    }

    /**
     * Counts a received packet.
     *
     * @param vifIndex interface.
     * @param bytes    frame length.
     */
    public void received(final int vifIndex, final int bytes)
    {
        final int base = vifIndex * IF_COUNTERS;
        interfaceCounters[base + IF_IPACKETS]++;
        interfaceCounters[base + IF_IBYTES] += bytes;
    }

    /**
     * Counts a sent packet.
     *
     * @param vifIndex interface.
     * @param bytes    frame length.
     */
    public void sent(final int vifIndex, final int bytes)
    {
        final int base = vifIndex * IF_COUNTERS;
        interfaceCounters[base + IF_OPACKETS]++;
        interfaceCounters[base + IF_OBYTES] += bytes;
    }

    /**
     * Bumps a VRF statistic.
     *
     * @param vrf  VRF id.
     * @param stat which counter.
     */
    public void countVrf(final int vrf, final VrfStat stat)
    {
        if (vrf >= 0 && vrf < vrfs)
        {
            vrfStats[vrf * VrfStat.COUNT + stat.ordinal()]++;
        }
    }

    /**
     * Total drops for a reason.
     *
     * @param reason the reason.
     * @return the count.
     */
    public long drops(final DropReason reason)
    {
        return drops[reason.ordinal()];
    }

    /**
     * Drops for a reason on one interface.
     *
     * @param vifIndex the interface.
     * @param reason   the reason.
     * @return the count.
     */
    public long drops(final int vifIndex, final DropReason reason)
    {
        return interfaceDrops[vifIndex * DropReason.COUNT + reason.ordinal()];
    }

    /**
     * Sum of all drops.
     *
     * @return the count.
     */
    public long totalDrops()
    {
        long sum = 0;
        for (final long d : drops)
        {
            sum += d;
        }
        return sum;
    }

    @Override
    public long interfaceCounter(final int vifIndex, final int counter)
    {
        return interfaceCounters[vifIndex * IF_COUNTERS + counter];
    }

    /**
     * A VRF statistic.
     *
     * @param vrf  VRF id.
     * @param stat which counter.
     * @return the value.
     */
    public long vrfStat(final int vrf, final VrfStat stat)
    {
        return vrfStats[vrf * VrfStat.COUNT + stat.ordinal()];
    }

    @Override
    public void clearInterface(final int vifIndex)
    {
        java.util.Arrays.fill(interfaceDrops, vifIndex * DropReason.COUNT, (vifIndex + 1) * DropReason.COUNT, 0);
        java.util.Arrays.fill(interfaceCounters, vifIndex * IF_COUNTERS, (vifIndex + 1) * IF_COUNTERS, 0);
    }

    /**
     * Resets every counter ({@code dropstats --clear}).
     */
    public void clear()
    {
        java.util.Arrays.fill(drops, 0);
        java.util.Arrays.fill(interfaceDrops, 0);
        java.util.Arrays.fill(interfaceCounters, 0);
        java.util.Arrays.fill(vrfStats, 0);
    }
}
