package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.status.VrfTally;

/**
 * {@code discard}: a route or bridge entry through a discard next hop.
 * <p>Reads: {@code vrf}, {@code F_L2}, {@code F_FROM_FABRIC}. Writes: nothing; counts the VRF's discards.
 * <p>Next: none. Drops: Discard; Nowhere To Go for a frame out of a tunnel (only interfaces take those).
 */
final class DiscardNode extends OutputNode
{
    DiscardNode(final Datapath dp)
    {
        super(NodeIds.DISCARD, NodeIds.fixedName(NodeIds.DISCARD), dp);
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        long tally = VrfTally.NONE;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            if (batch.hasFlag(slot, PacketBatch.F_FROM_FABRIC) && batch.hasFlag(slot, PacketBatch.F_L2))
            {
                dp.drop(batch, slot, DropReason.NOWHERE_TO_GO);
                continue;
            }
            tally = VrfTally.add(tally, batch.vrf(slot), dp.counters(), VrfStat.DISCARDS);
            dp.drop(batch, slot, DropReason.DISCARD);
        }
        VrfTally.flush(tally, dp.counters(), VrfStat.DISCARDS);
    }
}
