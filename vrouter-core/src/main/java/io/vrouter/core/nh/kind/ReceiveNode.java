package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.status.VrfTally;

/**
 * {@code receive}: a routed packet for this host, delivered as it is to the receive next hop's interface
 * (Contrail's receive next hop is vhost0's): not a forward, so the TTL stays; when the next hop has an
 * Ethernet rewrite (the host port's: to the kernel side's MAC, from the gateway MAC) its MACs replace the
 * frame's, otherwise the frame keeps its Ethernet header.
 * <p>Reads: {@code nh}, {@code vrf}, {@code l3}. Writes: the frame's MACs (with a rewrite); the slot's output;
 * counts the VRF's receives.
 * <p>Next: none (sent). Drops: Nowhere To Go (no interface), Invalid NH.
 */
final class ReceiveNode extends OutputNode
{
    ReceiveNode(final Datapath dp)
    {
        super(NextHopKinds.RECEIVE_NODE, "receive", dp);
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
            tally = VrfTally.add(tally, batch.vrf(slot), dp.counters(), VrfStat.RECEIVES);
            if (nh.oif() < 0)
            {
                dp.drop(batch, slot, DropReason.NOWHERE_TO_GO);
                continue;
            }
            final int start = batch.l3(slot) - Datapath.ETH_HLEN;
            final byte[] encap = nh.encap();
            if (encap.length >= Datapath.ETH_HLEN)
            {
                batch.buffer(slot).putBytes(start, encap, 0, 12);
            }
            dp.transmit(batch, slot, nh.oif(), start, batch.l3Length(slot) + Datapath.ETH_HLEN);
        }
        VrfTally.flush(tally, dp.counters(), VrfStat.RECEIVES);
    }
}
