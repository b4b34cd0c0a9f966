package io.vrouter.core.forward;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopMap;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.status.DropReason;

/**
 * {@code vxlan-input}: the VNI of a decapsulated VXLAN frame to its next hop (reference §2.3, tf-vrouter's
 * {@code vr_vxlan_input}): a VRF-translate next hop means "bridge the inner frame in that VRF"; any other
 * next hop takes the frame itself.
 * <p>Reads: {@code label} (the VNI), {@code l3} (the inner frame). Writes: the slot's frame extent (the
 * inner frame), {@code vrf}, {@code nh}, {@code F_L2}, {@code F_FROM_FABRIC}.
 * <p>Next: {@code bridge-lookup} (VRF translate), else the next hop's L2 node. Drops: Invalid VNID, Pull.
 */
final class VxlanInputNode extends Node
{
    private final Datapath dp;
    private final NextHopMap vxlan;

    VxlanInputNode(final Datapath dp)
    {
        super(NodeIds.VXLAN_INPUT, NodeIds.fixedName(NodeIds.VXLAN_INPUT));
        this.dp = dp;
        this.vxlan = dp.vxlan();
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final int nhId = vxlan.nhId(batch.label(slot));
            final NextHop nh = nhId == NextHopMap.NO_NH ? null : dp.nextHops().get(nhId);
            if (nh == null)
            {
                dp.drop(batch, slot, DropReason.INVALID_VNID);
                continue;
            }
            if (batch.l3Length(slot) < Datapath.ETH_HLEN)
            {
                dp.drop(batch, slot, DropReason.PULL);
                continue;
            }
            batch.frame(slot, batch.l3(slot), batch.l3Length(slot));
            batch.setFlags(slot, PacketBatch.F_L2 | PacketBatch.F_FROM_FABRIC);
            batch.vrf(slot, nh.vrf());
            if (nh.type() == NextHopType.VRF_TRANSLATE)
            {
                dp.next(batch, slot, NodeIds.BRIDGE_LOOKUP);
                continue;
            }
            batch.nh(slot, nhId);
            dp.next(batch, slot, nh.l2Node());
        }
    }
}
