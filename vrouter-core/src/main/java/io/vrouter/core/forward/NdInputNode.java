package io.vrouter.core.forward;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.status.DropReason;
import io.vrouter.encap.NeighborAdvertiser;
import io.vrouter.wire.Icmpv6Header;
import io.vrouter.wire.Ipv6Header;

/**
 * {@code nd-input}: an IPv6 neighbour solicitation from a pod, answered by proxy like ARP (reference §2.1
 * step 2): the advertisement is written in place and sent back out of the ingress interface.
 * <p>Reads: the solicitation's target; its route in the interface's VRF. Writes: the advertisement.
 * <p>Next: none (sent back). Drops: Nowhere To Go (Contrail would flood), Invalid Packet, Invalid IF.
 */
final class NdInputNode extends Node
{
    private final Datapath dp;

    NdInputNode(final Datapath dp)
    {
        super(NodeIds.ND_INPUT, NodeIds.fixedName(NodeIds.ND_INPUT));
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
            final int inVif = batch.inVif(slot);
            final Vif vif = dp.interfaces().get(inVif);
            if (vif == null)
            {
                dp.drop(batch, slot, DropReason.INVALID_IF);
                continue;
            }
            final int target = frame + Datapath.ETH_HLEN + Ipv6Header.HEADER_LENGTH
                + Icmpv6Header.TARGET_ADDRESS_OFFSET;
            final long hi = buf.getLong(target, ByteOrder.BIG_ENDIAN);
            final long lo = buf.getLong(target + 8, ByteOrder.BIG_ENDIAN);
            final long replyMac = NeighborProxy.proxyMac(vif, dp.fibs().lookup6(vif.vrf(), hi, lo), true,
                dp.fibEntries(), dp.counters());
            if (replyMac < 0)
            {
                dp.drop(batch, slot, DropReason.NOWHERE_TO_GO);
                continue;
            }
            final int length = NeighborAdvertiser.advertise(buf, frame, batch.length(slot), replyMac,
                Icmpv6Header.NA_FLAG_ROUTER | Icmpv6Header.NA_FLAG_OVERRIDE);
            if (length < 0)
            {
                dp.drop(batch, slot, DropReason.INVALID_PACKET);
                continue;
            }
            dp.transmit(batch, slot, inVif, frame, length);
        }
    }
}
