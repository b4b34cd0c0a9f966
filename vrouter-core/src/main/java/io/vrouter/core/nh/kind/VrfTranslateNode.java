package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.status.VrfTally;

/**
 * {@code vrf-translate}: routes the packet again, in the next hop's VRF.
 * <p>Reads: {@code nh}, {@code vrf}, {@code F_IPV6}, {@code depth}. Writes: {@code vrf} = the next hop's,
 * {@code depth} + 1; counts the old VRF's translations.
 * <p>Next: {@code ip4-lookup}, {@code ip6-lookup}. Drops: Invalid NH.
 */
final class VrfTranslateNode extends OutputNode
{
    VrfTranslateNode(final Datapath dp)
    {
        super(NextHopKinds.VRF_TRANSLATE_NODE, "vrf-translate", dp);
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        newVector();
        long tally = VrfTally.NONE;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final NextHop nh = nextHop(batch, slot);
            if (nh == null)
            {
                dp.drop(batch, slot, DropReason.INVALID_NH);
                continue;
            }
            tally = VrfTally.add(tally, batch.vrf(slot), dp.counters(), VrfStat.VRF_TRANSLATES);
            batch.vrf(slot, nh.vrf());
            batch.depth(slot, batch.depth(slot) + 1);
            dp.next(batch, slot,
                batch.hasFlag(slot, PacketBatch.F_IPV6) ? NodeIds.IP6_LOOKUP : NodeIds.IP4_LOOKUP);
        }
        VrfTally.flush(tally, dp.counters(), VrfStat.VRF_TRANSLATES);
    }
}
