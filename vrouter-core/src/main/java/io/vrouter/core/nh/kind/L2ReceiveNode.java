package io.vrouter.core.nh.kind;

import java.nio.ByteOrder;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.wire.EtherType;

/**
 * {@code l2-receive}: a frame a pod sent to the gateway MAC: bridging ends, routing begins (reference §2.1
 * step 5, tf-vrouter's {@code nh_l2_rcv}).
 * <p>Reads: the frame's Ethernet type, {@code vrf}, {@code F_FROM_FABRIC}. Writes: clears {@code F_L2};
 * counts the VRF's L2 receives.
 * <p>Next: {@code ip4-input}, {@code ip6-input}. Drops: Invalid Protocol (neither IPv4 nor IPv6), Nowhere
 * To Go (a frame out of a tunnel: only interfaces take those).
 */
final class L2ReceiveNode extends OutputNode
{
    L2ReceiveNode(final Datapath dp)
    {
        super(NextHopKinds.L2_RECEIVE_NODE, "l2-receive", dp);
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            if (batch.hasFlag(slot, PacketBatch.F_FROM_FABRIC))
            {
                dp.drop(batch, slot, DropReason.NOWHERE_TO_GO);
                continue;
            }
            dp.counters().countVrf(batch.vrf(slot), VrfStat.L2_RECEIVES);
            batch.clearFlags(slot, PacketBatch.F_L2);
            final int etherType = batch.buffer(slot).getShort(batch.offset(slot) + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (etherType == EtherType.IPV4)
            {
                dp.next(batch, slot, NodeIds.IP4_INPUT);
            }
            else if (etherType == EtherType.IPV6)
            {
                dp.next(batch, slot, NodeIds.IP6_INPUT);
            }
            else
            {
                dp.drop(batch, slot, DropReason.INVALID_PROTOCOL);
            }
        }
    }
}
