package io.vrouter.core.forward;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.status.DropReason;
import io.vrouter.wire.Ipv4Header;

/**
 * {@code ip4-input}: a routed IPv4 packet from a pod, after the bridge handed it to L3 (reference §2.1
 * step 5, tf-vrouter's {@code vr_ip_input}): the header is validated once, the TTL checked, the flow
 * decided when the ingress interface has the policy flag and the flow was not decided before bridging.
 * <p>Reads: the IPv4 header; {@code F_CHECKED}, {@code F_FLOWED}, {@code flow} and the flow's destination
 * VRF in {@code aux} (written by {@code flow}); the ingress interface's flags and VRF. Writes: {@code l3},
 * {@code F_CHECKED},
 * {@code F_DECREMENT}; {@code vrf} = the VRF to route in (the flow's destination VRF when it translates,
 * else the interface's); before the flow, {@code nh} = the interface's next hop and the flow's resume point
 * (this node) and owner (the ingress interface).
 * <p>Next: {@code flow} (then back here), {@code ip4-lookup}. Drops: the header's reason (Pull, Invalid
 * Packet, Checksum Error), TTL Exceeded, Invalid IF.
 */
final class Ip4InputNode extends Node
{
    private final Datapath dp;

    Ip4InputNode(final Datapath dp)
    {
        super(NodeIds.IP4_INPUT, NodeIds.fixedName(NodeIds.IP4_INPUT));
        this.dp = dp;
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final UnsafeBuffer buf = batch.buffer(slot);
            final int l3 = batch.offset(slot) + Datapath.ETH_HLEN;
            if (!batch.hasFlag(slot, PacketBatch.F_CHECKED))
            {
                final DropReason bad = IpChecks.ipv4(buf, l3, batch.length(slot) - Datapath.ETH_HLEN);
                if (bad != null)
                {
                    dp.drop(batch, slot, bad);
                    continue;
                }
                batch.l3(slot, l3, Ipv4Header.totalLength(buf, l3));
                batch.setFlags(slot, PacketBatch.F_CHECKED);
            }
            if (Ipv4Header.ttl(buf, l3) <= 1)
            {
                dp.drop(batch, slot, DropReason.TTL_EXCEEDED);
                continue;
            }
            if (!batch.hasFlag(slot, PacketBatch.F_FLOWED) && (batch.vifFlags(slot) & VifFlags.POLICY_ENABLED) != 0)
            {
                final int inVif = batch.inVif(slot);
                final Vif vif = dp.interfaces().get(inVif);
                if (vif == null)
                {
                    dp.drop(batch, slot, DropReason.INVALID_IF);
                    continue;
                }
                batch.nh(slot, vif.nhId());
                batch.vrf(slot, batch.vifVrf(slot));
                batch.resume(slot, NodeIds.IP4_INPUT, inVif);
                dp.next(batch, slot, NodeIds.FLOW);
                continue;
            }
            batch.setFlags(slot, PacketBatch.F_DECREMENT);
            batch.vrf(slot, batch.flow(slot) >= 0 && batch.aux(slot) >= 0 ? batch.aux(slot) : batch.vifVrf(slot));
            dp.next(batch, slot, NodeIds.IP4_LOOKUP);
        }
    }
}
