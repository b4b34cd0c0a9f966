package io.vrouter.core.forward;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;

/**
 * {@code interface-input}: where every received frame enters the graph (tf-vrouter's {@code vif_rx}).
 * <p>Reads: the slot's ingress interface (once per run of slots from one interface) and frame. Writes: the
 * slot's state, reset; {@code vrf} = the interface's VRF; {@code nh} = the interface's own next hop (it
 * keys the interface's flows); the ingress interface's flags and VRF, which later nodes read instead of the
 * interface. Counts the frames received, per run of slots from one interface, and copies a frame to the
 * interface's mirror when the interface mirrors what it receives (flag Mr).
 * <p>Next: {@code fabric-input} (a physical interface), {@code ethernet-input} (any other). Drops:
 * Invalid IF (no such interface), Pull (shorter than an Ethernet header).
 */
final class InterfaceInputNode extends Node
{
    private final Datapath dp;
    private final InterfaceTable interfaces;
    private final ForwardingCounters counters;

    InterfaceInputNode(final Datapath dp)
    {
        super(NodeIds.INTERFACE_INPUT, NodeIds.fixedName(NodeIds.INTERFACE_INPUT));
        this.dp = dp;
        this.interfaces = dp.interfaces();
        this.counters = dp.counters();
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        // Received packets are counted per run of slots from one interface (local sums, not one update of
        // the same shared counter per packet).
        int countedVif = -1;
        long packets = 0;
        long bytes = 0;
        // A port's batch comes from one interface: it is read once per run of slots from it.
        int lastVif = -1;
        Vif vif = null;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final int inVif = batch.inVif(slot);
            if (inVif != lastVif)
            {
                vif = interfaces.get(inVif);
                lastVif = inVif;
            }
            batch.resetState(slot);
            if (vif == null)
            {
                dp.drop(batch, slot, DropReason.INVALID_IF);
                continue;
            }
            final int length = batch.length(slot);
            if (inVif != countedVif)
            {
                if (packets != 0)
                {
                    counters.received(countedVif, packets, bytes);
                }
                countedVif = inVif;
                packets = 0;
                bytes = 0;
            }
            packets++;
            bytes += length;
            if (vif.hasFlag(VifFlags.MIRROR_RX) && vif.mirrorId() >= 0)
            {
                dp.mirror(batch, slot, vif.mirrorId(), batch.offset(slot), length, vif.inMirrorMd());
            }
            if (length < Datapath.ETH_HLEN)
            {
                dp.drop(batch, slot, DropReason.PULL);
                continue;
            }
            batch.vrf(slot, vif.vrf());
            batch.nh(slot, vif.nhId());
            batch.ingress(slot, vif.flags(), vif.vrf());
            dp.next(batch, slot, vif.type() == VifType.PHYSICAL ? NodeIds.FABRIC_INPUT : NodeIds.ETHERNET_INPUT);
        }
        if (packets != 0)
        {
            counters.received(countedVif, packets, bytes);
        }
    }
}
