package io.vrouter.core.forward;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.status.VrfTally;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;

/**
 * {@code ip-input}: where bridging becomes routing (reference §2.1 step 5, tf-vrouter's {@code nh_l2_rcv}
 * and {@code vr_ip_input}). A frame a pod sent to the gateway MAC arrives here as the L2-receive next
 * hop's node: its IPv4 or IPv6 header is validated once, the TTL or hop limit checked, and the flow
 * decided when the ingress interface has the policy flag and the flow was not decided before bridging.
 * <p>Reads: the Ethernet type and the IP header; {@code F_L2}, {@code F_FROM_FABRIC}, {@code F_CHECKED},
 * {@code F_FLOWED}, {@code flow} and the flow's destination VRF in {@code aux} (written by {@code flow});
 * the ingress interface's flags and VRF. Writes: clears {@code F_L2}; {@code l3}, {@code F_CHECKED},
 * {@code F_IPV6}, {@code F_DECREMENT}; {@code vrf} = the VRF to route in (the flow's destination VRF when it
 * translates, else the interface's); before the flow, {@code nh} = the interface's next hop and the flow's
 * resume point (this node) and owner (the ingress interface). Counts the VRF's L2 receives.
 * <p>Next: {@code flow} (then back here), {@code ip4-lookup}, {@code ip6-lookup}. Drops: Invalid Protocol
 * (neither IPv4 nor IPv6), Nowhere To Go (a frame out of a tunnel: only interfaces take those), the
 * header's reason (Pull, Invalid Packet, Checksum Error), TTL Exceeded, Invalid IF.
 */
final class IpInputNode extends Node
{
    private final Datapath dp;

    IpInputNode(final Datapath dp)
    {
        super(NodeIds.IP_INPUT, NodeIds.fixedName(NodeIds.IP_INPUT));
        this.dp = dp;
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        long l2Receives = VrfTally.NONE;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            int flags = batch.flags(slot);
            if ((flags & PacketBatch.F_L2) != 0)
            {
                if ((flags & PacketBatch.F_FROM_FABRIC) != 0)
                {
                    dp.drop(batch, slot, DropReason.NOWHERE_TO_GO);
                    continue;
                }
                l2Receives = VrfTally.add(l2Receives, batch.vrf(slot), dp.counters(), VrfStat.L2_RECEIVES);
                flags &= ~PacketBatch.F_L2;
            }
            final UnsafeBuffer buf = batch.buffer(slot);
            final int frame = batch.offset(slot);
            final int l3 = frame + Datapath.ETH_HLEN;
            final boolean ipv6;
            if ((flags & PacketBatch.F_CHECKED) == 0)
            {
                final int etherType = buf.getShort(frame + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                final int available = batch.length(slot) - Datapath.ETH_HLEN;
                if (etherType == EtherType.IPV4)
                {
                    final DropReason bad = IpChecks.ipv4(buf, l3, available);
                    if (bad != null)
                    {
                        dp.drop(batch, slot, bad);
                        continue;
                    }
                    batch.l3(slot, l3, Ipv4Header.totalLength(buf, l3));
                    flags |= PacketBatch.F_CHECKED;
                    ipv6 = false;
                }
                else if (etherType == EtherType.IPV6)
                {
                    final DropReason bad = IpChecks.ipv6(buf, l3, available);
                    if (bad != null)
                    {
                        dp.drop(batch, slot, bad);
                        continue;
                    }
                    batch.l3(slot, l3, Ipv6Header.HEADER_LENGTH + Ipv6Header.payloadLength(buf, l3));
                    flags |= PacketBatch.F_CHECKED | PacketBatch.F_IPV6;
                    ipv6 = true;
                }
                else
                {
                    dp.drop(batch, slot, DropReason.INVALID_PROTOCOL);
                    continue;
                }
            }
            else
            {
                ipv6 = (flags & PacketBatch.F_IPV6) != 0;
            }
            if ((ipv6 ? Ipv6Header.hopLimit(buf, l3) : Ipv4Header.ttl(buf, l3)) <= 1)
            {
                batch.flags(slot, flags);
                dp.drop(batch, slot, DropReason.TTL_EXCEEDED);
                continue;
            }
            if ((flags & PacketBatch.F_FLOWED) == 0 && (batch.vifFlags(slot) & VifFlags.POLICY_ENABLED) != 0)
            {
                final int inVif = batch.inVif(slot);
                final Vif vif = dp.interfaces().get(inVif);
                batch.flags(slot, flags);
                if (vif == null)
                {
                    dp.drop(batch, slot, DropReason.INVALID_IF);
                    continue;
                }
                batch.nh(slot, vif.nhId());
                batch.vrf(slot, batch.vifVrf(slot));
                batch.resume(slot, NodeIds.IP_INPUT, inVif);
                dp.next(batch, slot, NodeIds.FLOW);
                continue;
            }
            batch.flags(slot, flags | PacketBatch.F_DECREMENT);
            batch.vrf(slot, batch.flow(slot) >= 0 && batch.aux(slot) >= 0 ? batch.aux(slot) : batch.vifVrf(slot));
            dp.next(batch, slot, ipv6 ? NodeIds.IP6_LOOKUP : NodeIds.IP4_LOOKUP);
        }
        VrfTally.flush(l2Receives, dp.counters(), VrfStat.L2_RECEIVES);
    }
}
