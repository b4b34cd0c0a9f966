package io.vrouter.core.forward;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.flow.FlowStage;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.offload.TcpSegmenter;
import io.vrouter.core.status.DropReason;

/**
 * {@code flow}: the flow decision of a packet that needs one (reference §2.2): the ingress interface or
 * the chosen next hop has the policy flag. The worker's flow stage keys every packet of the vector, looks the
 * keys up together (the table's batched lookup: the memory misses of different packets overlap, as
 * {@code rte_hash_lookup_bulk}'s), then decides the packets in order: a hit applies the flow (statistics,
 * TCP state, NAT), a miss evaluates the compiled policy and sets up both directions in line. Without a flow
 * stage, the flow hook decides. A gate: a packet that passes goes on where the node that sent it said.
 * <p>Reads: {@code l3}, {@code F_IPV6}, {@code nh} (the next hop that keys the flow), {@code vrf}, the
 * resume node and owner (the interface a new flow is charged to). Writes: {@code F_FLOWED}; {@code flow}
 * and the flow's tunnel source port; {@code aux} = the flow's destination VRF, or -1. NAT rewrites the
 * packet in place; a flow that mirrors sends a copy to its mirror. A packet with a partial checksum (a pod port with
 * offloads, not a super-frame) has it completed first, and its offload state cleared: NAT updates checksums
 * incrementally, and a held packet is re-injected without its offload state (ADR 0012). A super-frame's checksums
 * are computed whole when it is segmented.
 * <p>A packet the flow stage finds to be the node's own ({@link FlowStage#toNode()}: in the fabric VRF, to the
 * node's fabric address, no translated flow's reply) goes on without a flow: its route is the node's receive
 * next hop, which hands it back to the node's kernel through the host port.
 * <p>Next: the slot's resume node; none for a packet held on a new flow the slow path decides (not a
 * drop). Drops: the flow's reason (Flow Action Drop, Flow Unusable, New Flows, flow limits, No Fragment
 * Entry, ...).
 */
final class FlowNode extends Node
{
    private final Datapath dp;
    private final FlowStage flows;
    private final FlowHook hook;

    FlowNode(final Datapath dp, final FlowHook hook)
    {
        super(NodeIds.FLOW, NodeIds.fixedName(NodeIds.FLOW));
        this.dp = dp;
        this.flows = dp.flows();
        this.hook = hook;
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        if (flows == null)
        {
            decideByHook(batch, slots, count);
            return;
        }
        // Key every packet, look all keys up at once (their memory misses overlap), then decide in order.
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            flows.key(i, batch.buffer(slot), batch.l3(slot), batch.hasFlag(slot, PacketBatch.F_IPV6) ? 6 : 4,
                batch.nh(slot));
        }
        flows.lookupKeyed(count);
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            batch.setFlags(slot, PacketBatch.F_FLOWED);
            if ((batch.vnetFlags(slot) & PacketBatch.VNET_F_NEEDS_CSUM) != 0 && !batch.isSuperFrame(slot)
                && TcpSegmenter.completeChecksum(batch.buffer(slot), batch.csumStart(slot), batch.csumOffset(slot),
                    batch.offset(slot) + batch.length(slot)))
            {
                batch.noOffload(slot);
            }
            final DropReason refused = flows.decideKeyed(i, batch.buffer(slot), batch.l3(slot),
                batch.hasFlag(slot, PacketBatch.F_IPV6) ? 6 : 4, batch.vrf(slot), batch.inVif(slot),
                batch.owner(slot), (batch.vifFlags(slot) & VifFlags.DROP_NEW_FLOWS) != 0, batch.offset(slot),
                batch.length(slot));
            if (refused != null)
            {
                dp.drop(batch, slot, refused);
                continue;
            }
            if (flows.held())
            {
                // Queued on a HOLD flow for the slow path: not sent now, not a drop.
                batch.drop(slot);
                batch.next(slot, PacketBatch.DONE);
                continue;
            }
            if (flows.toNode())
            {
                // The node's own packet (not a translated flow's reply): on to its route without a flow.
                dp.next(batch, slot, batch.resume(slot));
                continue;
            }
            batch.flow(slot, flows.index(), flows.udpSourcePort());
            batch.aux(slot, flows.destinationVrf());
            if (flows.mirror() >= 0)
            {
                dp.mirrorFlow(batch, slot, flows.mirror());
            }
            dp.next(batch, slot, batch.resume(slot));
        }
    }

    /** Without a flow stage: the hook decides each packet. */
    private void decideByHook(final PacketBatch batch, final int[] slots, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            batch.setFlags(slot, PacketBatch.F_FLOWED);
            final int version = batch.hasFlag(slot, PacketBatch.F_IPV6) ? 6 : 4;
            if (hook.decide(batch.buffer(slot), batch.l3(slot), version, batch.nh(slot), batch.vrf(slot))
                == FlowHook.FORWARD)
            {
                dp.next(batch, slot, batch.resume(slot));
            }
            else
            {
                dp.drop(batch, slot,
                    hook == FlowHook.NONE ? DropReason.FLOW_UNUSABLE : DropReason.FLOW_ACTION_DROP);
            }
        }
    }
}
