package io.vrouter.core.flow;

import java.util.function.LongSupplier;

/**
 * Ages the flow table: removes pairs idle longer than the idle timeout (drop flows: the shorter
 * drop timeout) and TCP flows closed (FIN both ways, or RST) longer than the close time. Run it
 * periodically from the conductor or a low-priority thread; each call scans a slice of the table
 * so one call stays short. Deletes take the table's write lock and mark the entry BUSY first, so a worker never
 * sees a half-deleted entry: it sees the old entry or a miss.
 */
public final class FlowAger
{
    private final FlowTable table;
    private final LongSupplier clock;
    private int cursor;
    private long aged;
    private long evicted;

    /**
     * An ager.
     *
     * @param table the table.
     * @param clock nanosecond clock, the same the workers use.
     */
    public FlowAger(final FlowTable table, final LongSupplier clock)
    {
        this.table = table;
        this.clock = clock;
    }

    /**
     * Scans up to {@code entries} entries from where the last call stopped.
     *
     * @param entries how many entries to look at.
     * @return pairs (or lone entries) removed by this call.
     */
    public int scan(final int entries)
    {
        final long now = clock.getAsLong();
        final FlowTableConfig c = table.config();
        final int total = table.totalEntries();
        int removed = 0;
        for (int n = 0; n < Math.min(entries, total); n++)
        {
            final int i = cursor;
            cursor = cursor + 1 == total ? 0 : cursor + 1;
            final int state = table.stateWord(i);
            if ((state & 0xFF) != FlowTable.ACTIVE)
            {
                continue;
            }
            final int action = table.intField(i, FlowTable.E_ACTION);
            final long idle = now - table.longField(i, FlowTable.E_LAST_SEEN);
            final int rflow = table.intField(i, FlowTable.E_RFLOW);
            final boolean paired = rflow >= 0 && rflow < total
                && (table.intField(i, FlowTable.E_FLAGS) & FlowAction.FLAG_RFLOW_VALID) != 0;
            final long pairIdle = paired && table.isActive(rflow)
                ? Math.min(idle, now - table.longField(rflow, FlowTable.E_LAST_SEEN)) : idle;
            final long limit = action == FlowAction.DROP ? c.dropTimeoutNs() : c.idleTimeoutNs();
            final int closedAt = table.intField(i, FlowTable.E_CLOSED_AT);
            final boolean closed = closedAt != 0
                && (int)(now / 1_000_000L) - closedAt >= c.tcpCloseNs() / 1_000_000L;
            if (pairIdle >= limit || closed)
            {
                final int rgen = paired ? table.gen(rflow) : -1;
                if (table.delete(i, state >>> 8))
                {
                    removed++;
                    if (closed)
                    {
                        evicted++;
                    }
                    else
                    {
                        aged++;
                    }
                    if (paired)
                    {
                        table.delete(rflow, rgen);
                    }
                }
            }
        }
        return removed;
    }

    /**
     * Scans the whole table once.
     *
     * @return entries removed.
     */
    public int scanAll()
    {
        return scan(table.totalEntries());
    }

    /**
     * Flows removed for being idle so far.
     *
     * @return count.
     */
    public long aged()
    {
        return aged;
    }

    /**
     * TCP flows evicted after close so far.
     *
     * @return count.
     */
    public long evicted()
    {
        return evicted;
    }
}
