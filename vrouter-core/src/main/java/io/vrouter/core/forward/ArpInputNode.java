package io.vrouter.core.forward;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.encap.ArpResponder;
import io.vrouter.wire.ArpHeader;

/**
 * {@code arp-input}: an ARP packet from a pod (reference §2.1 step 2): requests the proxy matrix answers
 * are turned into the reply in place and sent back out of the interface they came from.
 * <p>Reads: the ARP header; the target's route in the interface's VRF. Writes: the reply, in place.
 * <p>Next: none (sent back on the ingress interface). Drops: Invalid ARP (malformed), Nowhere To Go
 * (replies, gratuitous ARP and requests Contrail would flood: this forwarder has no flood trees), Invalid IF.
 */
final class ArpInputNode extends Node
{
    private final Datapath dp;

    ArpInputNode(final Datapath dp)
    {
        super(NodeIds.ARP_INPUT, NodeIds.fixedName(NodeIds.ARP_INPUT));
        this.dp = dp;
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final UnsafeBuffer buf = batch.buffer(slot);
            final int frame = batch.offset(slot);
            final int length = batch.length(slot);
            final int inVif = batch.inVif(slot);
            final int arp = frame + Datapath.ETH_HLEN;
            if (length < Datapath.ETH_HLEN + ArpHeader.LENGTH || !ArpHeader.isEthernetIpv4(buf, arp))
            {
                dp.drop(batch, slot, DropReason.INVALID_ARP);
                continue;
            }
            final Vif vif = dp.interfaces().get(inVif);
            if (vif == null)
            {
                dp.drop(batch, slot, DropReason.INVALID_IF);
                continue;
            }
            if (ArpHeader.operation(buf, arp) != ArpHeader.OP_REQUEST
                || ArpHeader.senderIp(buf, arp) == ArpHeader.targetIp(buf, arp))
            {
                // Replies and gratuitous ARP are flooded by Contrail; this forwarder has no flood trees.
                dp.counters().countVrf(vif.vrf(), VrfStat.ARP_VIRTUAL_FLOOD);
                dp.drop(batch, slot, DropReason.NOWHERE_TO_GO);
                continue;
            }
            final long replyMac = NeighborProxy.proxyMac(vif,
                dp.fibs().lookup4(vif.vrf(), ArpHeader.targetIp(buf, arp)), false, dp.fibEntries(), dp.counters());
            if (replyMac < 0)
            {
                dp.drop(batch, slot, DropReason.NOWHERE_TO_GO);
                continue;
            }
            final int reply = ArpResponder.reply(buf, frame, length, replyMac);
            if (reply < 0)
            {
                dp.drop(batch, slot, DropReason.INVALID_ARP);
                continue;
            }
            dp.transmit(batch, slot, inVif, frame, reply);
        }
    }
}
