package io.vrouter.core.forward;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopMap;
import io.vrouter.core.status.DropReason;
import io.vrouter.wire.AddressFamily;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;

/**
 * {@code mpls-input}: the MPLS label of a decapsulated packet to its next hop (reference §2.3 step 4,
 * tf-vrouter's {@code vr_mpls_input}). A bridge-family next hop takes the inner Ethernet frame; any other
 * takes the inner IP packet, whose header is validated here; there is no second TTL decrement.
 * <p>Reads: {@code label}, {@code aux} (the label's TTL), {@code l3} (the inner packet or frame). Writes:
 * {@code nh} = the label's next hop, {@code vrf} = the next hop's VRF, {@code label} = none; for a frame
 * the slot's frame extent, {@code F_L2} and {@code F_FROM_FABRIC}; for a packet {@code l3},
 * {@code F_CHECKED}, {@code F_IPV6}.
 * <p>Next: the next hop's L2 node (a frame) or L3 node (a packet). Drops: Invalid Label (no next hop for
 * the label), TTL Exceeded, Invalid NH, Invalid Protocol (neither IPv4 nor IPv6), the inner header's reason.
 */
final class MplsInputNode extends Node
{
    private final Datapath dp;
    private final NextHopMap labels;

    MplsInputNode(final Datapath dp)
    {
        super(NodeIds.MPLS_INPUT, NodeIds.fixedName(NodeIds.MPLS_INPUT));
        this.dp = dp;
        this.labels = dp.labels();
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        // A vector's packets mostly carry one label (one pod's): its next hop is read once per run.
        int lastLabel = -1;
        int nhId = NextHopMap.NO_NH;
        NextHop nh = null;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final int label = batch.label(slot);
            if (label != lastLabel)
            {
                nhId = labels.nhId(label);
                nh = nhId == NextHopMap.NO_NH ? null : dp.nextHops().get(nhId);
                lastLabel = label;
            }
            if (nhId == NextHopMap.NO_NH)
            {
                dp.drop(batch, slot, DropReason.INVALID_LABEL);
                continue;
            }
            if (batch.aux(slot) <= 1)
            {
                dp.drop(batch, slot, DropReason.TTL_EXCEEDED);
                continue;
            }
            if (nh == null || !nh.isValid())
            {
                dp.drop(batch, slot, DropReason.INVALID_NH);
                continue;
            }
            final int inner = batch.l3(slot);
            final int innerLength = batch.l3Length(slot);
            batch.vrf(slot, nh.vrf());
            batch.label(slot, RouteFlags.NO_LABEL);
            if (nh.family() == AddressFamily.BRIDGE)
            {
                batch.frame(slot, inner, innerLength);
                batch.nh(slot, nhId);
                batch.setFlags(slot, PacketBatch.F_L2 | PacketBatch.F_FROM_FABRIC);
                dp.next(batch, slot, nh.l2Node());
                continue;
            }
            final UnsafeBuffer buf = batch.buffer(slot);
            final int version = innerLength > 0 ? (buf.getByte(inner) & 0xF0) >>> 4 : 0;
            if (version == 4)
            {
                final DropReason bad = IpChecks.ipv4(buf, inner, innerLength);
                if (bad != null)
                {
                    dp.drop(batch, slot, bad);
                    continue;
                }
                batch.l3(slot, inner, Ipv4Header.totalLength(buf, inner));
                batch.setFlags(slot, PacketBatch.F_CHECKED);
            }
            else if (version == 6)
            {
                final DropReason bad = IpChecks.ipv6(buf, inner, innerLength);
                if (bad != null)
                {
                    dp.drop(batch, slot, bad);
                    continue;
                }
                batch.l3(slot, inner, Ipv6Header.HEADER_LENGTH + Ipv6Header.payloadLength(buf, inner));
                batch.setFlags(slot, PacketBatch.F_CHECKED | PacketBatch.F_IPV6);
            }
            else
            {
                dp.drop(batch, slot, DropReason.INVALID_PROTOCOL);
                continue;
            }
            dp.toNextHop(batch, slot, nhId, nh);
        }
    }
}
