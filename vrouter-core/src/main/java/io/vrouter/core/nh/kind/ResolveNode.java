package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.status.VrfTally;

/**
 * {@code resolve}: a route through a resolve next hop.
 * <p>Reads: {@code vrf}. Writes: nothing; counts the VRF's resolves.
 * <p>Next: none. Drops: Trap No IF (Contrail would trap it to the agent).
 */
final class ResolveNode extends OutputNode
{
    ResolveNode(final Datapath dp)
    {
        super(NextHopKinds.RESOLVE_NODE, "resolve", dp);
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        long tally = VrfTally.NONE;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            tally = VrfTally.add(tally, batch.vrf(slot), dp.counters(), VrfStat.RESOLVES);
            dp.drop(batch, slot, DropReason.TRAP_NO_IF);
        }
        VrfTally.flush(tally, dp.counters(), VrfStat.RESOLVES);
    }
}
