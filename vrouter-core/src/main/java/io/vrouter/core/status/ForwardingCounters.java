package io.vrouter.core.status;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The counters one forwarding worker writes: drops by reason in total and per interface,
 * interface packet/byte counters and per-VRF statistics.
 * <p>
 * Overview: one instance per worker, written only by that worker (plain stores, no atomics on the
 * per-packet path); other threads read them for CLI and introspect and may see values a few
 * packets old. Totals over workers are summed by the reader. Storage is sized once from the table
 * limits and never grows, so nothing is allocated per packet.
 * <p>
 * Storage is one block of {@link #bytesFor(int, int)} bytes: by default on the heap; the daemon
 * passes a slice of a memory-mapped file instead so tools read the counters from another process
 * (docs/counters.md, "Shared memory"). Block layout, 8-byte native-order counters: drops
 * [{@link DropReason#COUNT}], then per interface drops [interfaces × DropReason.COUNT], then per
 * interface counters [interfaces × {@link CounterSource#IF_COUNTERS}], then per VRF statistics
 * [vrfs × {@link VrfStat#COUNT}].
 */
public final class ForwardingCounters implements CounterSource
{
    private final int interfaces;
    private final int vrfs;
    private final AtomicBuffer buffer;
    private final int interfaceDropsOffset;
    private final int interfaceCountersOffset;
    private final int vrfStatsOffset;

    /**
     * Counters on the heap.
     *
     * @param interfaces interface slots.
     * @param vrfs       VRFs.
     */
    public ForwardingCounters(final int interfaces, final int vrfs)
    {
        this(interfaces, vrfs, new UnsafeBuffer(new byte[bytesFor(interfaces, vrfs)]));
    }

    /**
     * Counters in caller-provided storage (e.g. a slice of a shared-memory file), used from its
     * start; existing values are kept.
     *
     * @param interfaces interface slots.
     * @param vrfs       VRFs.
     * @param buffer     at least {@link #bytesFor(int, int)} bytes, 8-byte aligned.
     */
    public ForwardingCounters(final int interfaces, final int vrfs, final AtomicBuffer buffer)
    {
        if (buffer.capacity() < bytesFor(interfaces, vrfs))
        {
            throw new IllegalArgumentException("counter storage of " + buffer.capacity() + " bytes, "
                + bytesFor(interfaces, vrfs) + " needed");
        }
        this.interfaces = interfaces;
        this.vrfs = vrfs;
        this.buffer = buffer;
        this.interfaceDropsOffset = DropReason.COUNT * Long.BYTES;
        this.interfaceCountersOffset = interfaceDropsOffset + interfaces * DropReason.COUNT * Long.BYTES;
        this.vrfStatsOffset = interfaceCountersOffset + interfaces * IF_COUNTERS * Long.BYTES;
    }

    /**
     * Bytes one worker's counters take.
     *
     * @param interfaces interface slots.
     * @param vrfs       VRFs.
     * @return the size of the storage block.
     */
    public static int bytesFor(final int interfaces, final int vrfs)
    {
        final long bytes = ((long)DropReason.COUNT + (long)interfaces * DropReason.COUNT
            + (long)interfaces * IF_COUNTERS + (long)vrfs * VrfStat.COUNT) * Long.BYTES;
        if (bytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("counters for " + interfaces + " interfaces and " + vrfs
                + " VRFs exceed 2 GiB");
        }
        return (int)bytes;
    }

    private void increment(final int offset)
    {
        buffer.putLong(offset, buffer.getLong(offset) + 1);
    }

    private void add(final int offset, final long delta)
    {
        buffer.putLong(offset, buffer.getLong(offset) + delta);
    }

    /**
     * Counts a drop.
     *
     * @param reason   why.
     * @param vifIndex the interface the packet arrived on, or -1.
     */
    public void drop(final DropReason reason, final int vifIndex)
    {
        final int id = reason.ordinal();
        increment(id * Long.BYTES);
        if (vifIndex >= 0 && vifIndex < interfaces)
        {
            increment(interfaceDropsOffset + (vifIndex * DropReason.COUNT + id) * Long.BYTES);
            increment(interfaceCountersOffset + (vifIndex * IF_COUNTERS + IF_DROPS) * Long.BYTES);
        }
    }

    /**
     * Counts a received packet.
     *
     * @param vifIndex the interface.
     * @param bytes    frame length.
     */
    public void received(final int vifIndex, final int bytes)
    {
        final int base = interfaceCountersOffset + vifIndex * IF_COUNTERS * Long.BYTES;
        increment(base + IF_IPACKETS * Long.BYTES);
        add(base + IF_IBYTES * Long.BYTES, bytes);
    }

    /**
     * Counts packets received on one interface, all at once (a node's run of slots from the interface).
     *
     * @param vifIndex the interface.
     * @param packets  packets.
     * @param bytes    their frames' bytes.
     */
    public void received(final int vifIndex, final long packets, final long bytes)
    {
        final int base = interfaceCountersOffset + vifIndex * IF_COUNTERS * Long.BYTES;
        add(base + IF_IPACKETS * Long.BYTES, packets);
        add(base + IF_IBYTES * Long.BYTES, bytes);
    }

    /**
     * Counts packets sent on one interface, all at once (a batch's run of slots to the interface).
     *
     * @param vifIndex the interface.
     * @param packets  packets.
     * @param bytes    their frames' bytes.
     */
    public void sent(final int vifIndex, final long packets, final long bytes)
    {
        final int base = interfaceCountersOffset + vifIndex * IF_COUNTERS * Long.BYTES;
        add(base + IF_OPACKETS * Long.BYTES, packets);
        add(base + IF_OBYTES * Long.BYTES, bytes);
    }

    /**
     * Counts a sent packet.
     *
     * @param vifIndex the interface.
     * @param bytes    frame length.
     */
    public void sent(final int vifIndex, final int bytes)
    {
        final int base = interfaceCountersOffset + vifIndex * IF_COUNTERS * Long.BYTES;
        increment(base + IF_OPACKETS * Long.BYTES);
        add(base + IF_OBYTES * Long.BYTES, bytes);
    }

    /**
     * Counts a VRF statistic.
     *
     * @param vrf  the VRF.
     * @param stat the statistic.
     */
    public void countVrf(final int vrf, final VrfStat stat)
    {
        if (vrf >= 0 && vrf < vrfs)
        {
            increment(vrfStatsOffset + (vrf * VrfStat.COUNT + stat.ordinal()) * Long.BYTES);
        }
    }

    /**
     * Counts a VRF statistic several times at once (a node's run of slots in one VRF).
     *
     * @param vrf   the VRF.
     * @param stat  the statistic.
     * @param count how many.
     */
    public void countVrf(final int vrf, final VrfStat stat, final long count)
    {
        if (vrf >= 0 && vrf < vrfs)
        {
            add(vrfStatsOffset + (vrf * VrfStat.COUNT + stat.ordinal()) * Long.BYTES, count);
        }
    }

    /**
     * Drops of one reason.
     *
     * @param reason the reason.
     * @return the count.
     */
    public long drops(final DropReason reason)
    {
        return buffer.getLong(reason.ordinal() * Long.BYTES);
    }

    /**
     * Drops of one reason on one interface.
     *
     * @param vifIndex the interface.
     * @param reason   the reason.
     * @return the count.
     */
    public long drops(final int vifIndex, final DropReason reason)
    {
        return buffer.getLong(interfaceDropsOffset + (vifIndex * DropReason.COUNT + reason.ordinal()) * Long.BYTES);
    }

    /**
     * All drops.
     *
     * @return the sum over reasons.
     */
    public long totalDrops()
    {
        long sum = 0;
        for (int i = 0; i < DropReason.COUNT; i++)
        {
            sum += buffer.getLong(i * Long.BYTES);
        }
        return sum;
    }

    @Override
    public long interfaceCounter(final int vifIndex, final int counter)
    {
        return buffer.getLong(interfaceCountersOffset + (vifIndex * IF_COUNTERS + counter) * Long.BYTES);
    }

    /**
     * A VRF statistic.
     *
     * @param vrf  the VRF.
     * @param stat the statistic.
     * @return the count.
     */
    public long vrfStat(final int vrf, final VrfStat stat)
    {
        return buffer.getLong(vrfStatsOffset + (vrf * VrfStat.COUNT + stat.ordinal()) * Long.BYTES);
    }

    @Override
    public void clearInterface(final int vifIndex)
    {
        buffer.setMemory(interfaceDropsOffset + vifIndex * DropReason.COUNT * Long.BYTES,
            DropReason.COUNT * Long.BYTES, (byte)0);
        buffer.setMemory(interfaceCountersOffset + vifIndex * IF_COUNTERS * Long.BYTES,
            IF_COUNTERS * Long.BYTES, (byte)0);
    }

    /**
     * Zeroes every counter.
     */
    public void clear()
    {
        buffer.setMemory(0, bytesFor(interfaces, vrfs), (byte)0);
    }
}
