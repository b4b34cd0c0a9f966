package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.status.VrfTally;

/**
 * {@code composite}: an ECMP composite next hop picks one member per packet (reference §1.3): the member its
 * flow already chose (stickiness), else the flow hash modulo the member count, stored into the flow for the
 * packets after it. A member's own label, when it has one, replaces the route's.
 * <p>Reads: {@code nh}, {@code vrf}, {@code l3}, {@code F_IPV6}, {@code flow}, {@code label},
 * {@code depth}. Writes: {@code nh} = the member, {@code label}, {@code depth} + 1; the flow's ECMP member.
 * Counts the VRF's composites.
 * <p>Next: the member's L3 node. Drops: Invalid NH (no members, or the member is gone), Packet Loop.
 */
final class CompositeNode extends OutputNode
{
    CompositeNode(final Datapath dp)
    {
        super(NextHopKinds.COMPOSITE_NODE, "composite", dp);
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
            tally = VrfTally.add(tally, batch.vrf(slot), dp.counters(), VrfStat.ECMP_COMPOSITES);
            final int members = nh.members().length;
            if (members == 0)
            {
                dp.drop(batch, slot, DropReason.INVALID_NH);
                continue;
            }
            final int member = member(batch, slot, members);
            final int memberLabel = nh.labels()[member];
            if (memberLabel >= 0 && memberLabel != RouteFlags.NO_LABEL)
            {
                batch.label(slot, memberLabel);
            }
            batch.depth(slot, batch.depth(slot) + 1);
            dp.toNextHop(batch, slot, nh.members()[member]);
        }
        VrfTally.flush(tally, dp.counters(), VrfStat.ECMP_COMPOSITES);
    }

    private int member(final PacketBatch batch, final int slot, final int members)
    {
        final int flowIndex = batch.flow(slot);
        if (flowIndex >= 0)
        {
            final FlowTable ft = dp.flows().table();
            final int stored = ft.intField(flowIndex, FlowTable.E_ECMP);
            if (stored >= 0 && stored < members)
            {
                return stored;
            }
            final int chosen = (hash(batch, slot) & 0x7FFFFFFF) % members;
            ft.putIntField(flowIndex, FlowTable.E_ECMP, chosen);
            return chosen;
        }
        return (hash(batch, slot) & 0x7FFFFFFF) % members;
    }

    private static int hash(final PacketBatch batch, final int slot)
    {
        return Datapath.flowHash(batch.buffer(slot), batch.l3(slot), batch.hasFlag(slot, PacketBatch.F_IPV6),
            batch.vrf(slot));
    }
}
