package io.vrouter.agent.state;

import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.table.Tables;

/**
 * Reconciles the flow table (which survives restarts in its file, ADR 0006) with the forwarder's
 * tables after they were restored or swept: a flow whose key next hop, source next hop or owning
 * interface does not exist (or whose index read from the file is out of range) is evicted, so that no
 * flow points at a next hop that is not there. Run on the conductor, the flow table's writer.
 */
public final class FlowReconciler
{
    private FlowReconciler()
    {
    }

    /**
     * Evicts every active flow that refers to a missing next hop or interface.
     *
     * @param flows  the flow table.
     * @param tables the forwarder's tables.
     * @return flows evicted.
     */
    public static int reconcile(final FlowTable flows, final Tables tables)
    {
        if (flows == null || flows.readOnly())
        {
            return 0;
        }
        int evicted = 0;
        final int total = flows.totalEntries();
        for (int i = 0; i < total; i++)
        {
            if (!flows.isActive(i))
            {
                continue;
            }
            if (!valid(flows, tables, i) && flows.delete(i, -1))
            {
                evicted++;
            }
        }
        return evicted;
    }

    /**
     * Whether one active flow's references resolve.
     *
     * @param flows  the flow table.
     * @param tables the tables.
     * @param i      the entry.
     * @return true when its next hops and interface exist.
     */
    static boolean valid(final FlowTable flows, final Tables tables, final int i)
    {
        final int nh = flows.intField(i, FlowTable.E_NH);
        if (nh < 0 || nh >= tables.nextHops().size() || tables.nextHops().get(nh) == null)
        {
            return false;
        }
        final int srcNh = flows.intField(i, FlowTable.E_SRC_NH);
        if (srcNh != 0 && srcNh != -1 && (srcNh < 0 || srcNh >= tables.nextHops().size()
            || tables.nextHops().get(srcNh) == null))
        {
            return false;
        }
        final int vif = flows.intField(i, FlowTable.E_OWNER_VIF);
        return vif == -1 || (vif >= 0 && vif < tables.interfaces().size() && tables.interfaces().get(vif) != null);
    }
}
