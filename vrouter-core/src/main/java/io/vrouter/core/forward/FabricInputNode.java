package io.vrouter.core.forward;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.status.VrfTally;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.Ipv4Header;

/**
 * {@code fabric-input}: a frame from the fabric (reference §2.3 step 1): the outer IPv4 destination must
 * resolve, in the fabric interface's VRF, to this node's receive next hop. The outer header is validated
 * whole by the decapsulation, only for packets addressed to this node; anything else is dropped by the
 * lookup without being trusted further.
 * <p>Reads: the outer Ethernet type and IPv4 destination, {@code vrf} (the fabric interface's). Writes:
 * {@code nh} = the receive next hop, {@code l3} = the outer IPv4 header (its length unchecked yet).
 * <p>Next: {@code tunnel-decap}. Drops: Nowhere To Go (ARP and IPv6 underlay: the host stack's in Contrail),
 * Pull, Invalid NH, Discard, Invalid Source (not addressed to this node).
 */
final class FabricInputNode extends Node
{
    private final Datapath dp;

    FabricInputNode(final Datapath dp)
    {
        super(NodeIds.FABRIC_INPUT, NodeIds.fixedName(NodeIds.FABRIC_INPUT));
        this.dp = dp;
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        long tally = VrfTally.NONE;
        // Tunnel packets from the fabric are addressed to this node: the destination's next hop is looked
        // up once per run of slots with the same (VRF, destination).
        int lastVrf = -1;
        int lastDst = 0;
        int nhId = -1;
        NextHop nh = null;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final UnsafeBuffer buf = batch.buffer(slot);
            final int frame = batch.offset(slot);
            if ((buf.getShort(frame + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) != EtherType.IPV4)
            {
                dp.drop(batch, slot, DropReason.NOWHERE_TO_GO);
                continue;
            }
            final int l3 = frame + Datapath.ETH_HLEN;
            final int available = batch.length(slot) - Datapath.ETH_HLEN;
            if (available < Ipv4Header.MIN_LENGTH)
            {
                dp.drop(batch, slot, DropReason.PULL);
                continue;
            }
            final int vrf = batch.vrf(slot);
            final int dst = Ipv4Header.dstAddress(buf, l3);
            if (vrf != lastVrf || dst != lastDst || nhId < 0)
            {
                nhId = FibLeaf.nhId(dp.fibs().lookup4(vrf, dst), dp.fibEntries());
                nh = dp.nextHops().get(nhId);
                lastVrf = vrf;
                lastDst = dst;
            }
            if (nh == null || !nh.isValid())
            {
                dp.drop(batch, slot, DropReason.INVALID_NH);
                continue;
            }
            if (nh.type() != NextHopType.RECEIVE)
            {
                dp.drop(batch, slot,
                    nh.type() == NextHopType.DISCARD ? DropReason.DISCARD : DropReason.INVALID_SOURCE);
                continue;
            }
            tally = VrfTally.add(tally, vrf, dp.counters(), VrfStat.RECEIVES);
            batch.nh(slot, nhId);
            batch.l3(slot, l3, available);
            dp.next(batch, slot, NodeIds.TUNNEL_DECAP);
        }
        VrfTally.flush(tally, dp.counters(), VrfStat.RECEIVES);
    }
}
