package io.vrouter.core.flow;

import java.util.concurrent.TimeUnit;

/**
 * Sizes and limits of a flow table.
 *
 * @param hashEntries     Contrail's hash entries (a power of two, at least 4; Contrail: 524,288); the table holds
 *                        {@code hashEntries + overflowEntries} entries behind one cuckoo index.
 * @param overflowEntries Contrail's overflow entries (Contrail: {@code (entries / 5 + 1023) & ~1023}), a multiple of 4.
 * @param maxPerVif       most active entries one ingress interface may own (both directions count).
 * @param maxPerVrf       most active entries in one VRF.
 * @param maxHold         most entries in HOLD (waiting for the slow path) at once.
 * @param idleTimeoutNs   idle time after which a forwarding flow is aged out (Contrail: 180 s).
 * @param dropTimeoutNs   idle time after which a drop flow is aged out (shorter, OpenSDN #48).
 * @param tcpCloseNs      time a TCP flow that saw FIN in both directions or RST stays before eviction.
 */
public record FlowTableConfig(
    int hashEntries,
    int overflowEntries,
    int maxPerVif,
    int maxPerVrf,
    int maxHold,
    long idleTimeoutNs,
    long dropTimeoutNs,
    long tcpCloseNs)
{
    /** Contrail's default number of hash entries. */
    public static final int DEFAULT_ENTRIES = 512 * 1024;

    /**
     * Validates.
     */
    public FlowTableConfig
    {
        if (hashEntries < 4 || Integer.bitCount(hashEntries) != 1 || overflowEntries < 0 || overflowEntries % 4 != 0
            || (long)hashEntries + overflowEntries > Integer.MAX_VALUE / FlowTable.ENTRY_SIZE
            || FlowTable.fileSize(hashEntries, overflowEntries) > Integer.MAX_VALUE
            || maxPerVif < 1 || maxPerVrf < 1 || maxHold < 0 || idleTimeoutNs <= 0 || dropTimeoutNs <= 0
            || tcpCloseNs < 0)
        {
            throw new IllegalArgumentException("invalid flow table configuration: " + this);
        }
    }

    /**
     * Contrail's overflow size for a number of hash entries.
     *
     * @param hashEntries hash entries.
     * @return overflow entries.
     */
    public static int contrailOverflow(final int hashEntries)
    {
        return (hashEntries / 5 + 1023) & ~1023;
    }

    /**
     * Contrail's sizes (512 K + 105,472 overflow = 629,760 entries), 180 s idle, 10 s for drop flows,
     * per-interface limit at a quarter of the table, per-VRF at half.
     *
     * @return the configuration.
     */
    public static FlowTableConfig defaults()
    {
        return sized(DEFAULT_ENTRIES);
    }

    /**
     * Defaults for a smaller table (tests, replay).
     *
     * @param hashEntries hash entries (power of two).
     * @return the configuration.
     */
    public static FlowTableConfig sized(final int hashEntries)
    {
        final int total = hashEntries + contrailOverflow(hashEntries);
        return new FlowTableConfig(hashEntries, contrailOverflow(hashEntries), Math.max(total / 4, 1),
            Math.max(total / 2, 1), 4096, TimeUnit.SECONDS.toNanos(180), TimeUnit.SECONDS.toNanos(10),
            TimeUnit.SECONDS.toNanos(2));
    }

    /**
     * A copy with other per-interface and per-VRF limits.
     *
     * @param perVif per-interface limit.
     * @param perVrf per-VRF limit.
     * @return the configuration.
     */
    public FlowTableConfig withLimits(final int perVif, final int perVrf)
    {
        return new FlowTableConfig(hashEntries, overflowEntries, perVif, perVrf, maxHold, idleTimeoutNs,
            dropTimeoutNs, tcpCloseNs);
    }

    /**
     * Total entries.
     *
     * @return hash + overflow.
     */
    public int totalEntries()
    {
        return hashEntries + overflowEntries;
    }
}
