package io.vrouter.core.forward;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

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
import io.vrouter.wire.EtherType;
import io.vrouter.wire.Icmpv6Header;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;
import io.vrouter.wire.MacAddress;

/**
 * {@code ethernet-input}: where every received frame enters the graph (tf-vrouter's {@code vif_rx}, then
 * reference §2.1 steps 1–3 for a frame from a pod). As VPP's device-input nodes hand the common case on
 * without a separate hop, this node does the interface's part and the Ethernet part in one pass.
 * <p>Reads: the slot's ingress interface (once per run of slots from one interface), the frame's Ethernet
 * header and, for unicast IP from an interface with the policy flag, its IP header; for a multicast
 * destination, the interface's multicast VRF. Writes: the slot's state, reset; {@code vrf} = the
 * interface's VRF (its multicast VRF for a multicast destination MAC, when it has one); {@code nh} = the
 * interface's own next hop (it keys the interface's flows); the ingress interface's flags and VRF, which
 * later nodes read instead of the interface; for the ingress flow, {@code l3}, {@code F_CHECKED},
 * {@code F_IPV6} and the flow node's resume point ({@code bridge-lookup}) and owner (the ingress interface).
 * Counts the frames received, per run of slots from one interface, and copies a frame to the interface's
 * mirror when the interface mirrors what it receives (flag Mr).
 * <p>Next: {@code fabric-input} (a frame from a physical interface); for a frame from any other:
 * {@code arp-input} (ARP), {@code nd-input} (IPv6 neighbour solicitation), {@code flow} (unicast IP from a
 * policy interface: the flow is decided before bridging, as Contrail does), {@code bridge-lookup}.
 * Drops: Invalid IF (no such interface), Pull (shorter than an Ethernet header), Interface Drop
 * (VLAN-tagged), the IP header's reason (policy interfaces only).
 */
final class EthernetInputNode extends Node
{
    private static final long MULTICAST_BIT = 0x010000000000L;

    private final Datapath dp;
    private final InterfaceTable interfaces;
    private final ForwardingCounters counters;

    EthernetInputNode(final Datapath dp)
    {
        super(NodeIds.ETHERNET_INPUT, NodeIds.fixedName(NodeIds.ETHERNET_INPUT));
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
            if (vif.type() == VifType.PHYSICAL)
            {
                dp.next(batch, slot, NodeIds.FABRIC_INPUT);
                continue;
            }
            final UnsafeBuffer buf = batch.buffer(slot);
            final int frame = batch.offset(slot);
            final int etherType = buf.getShort(frame + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (etherType == EtherType.VLAN)
            {
                dp.drop(batch, slot, DropReason.INTERFACE_DROP);
                continue;
            }
            if (etherType == EtherType.ARP)
            {
                dp.next(batch, slot, NodeIds.ARP_INPUT);
                continue;
            }
            final int l3 = frame + Datapath.ETH_HLEN;
            final int available = length - Datapath.ETH_HLEN;
            if (etherType == EtherType.IPV6 && isNeighborSolicitation(buf, l3, available))
            {
                dp.next(batch, slot, NodeIds.ND_INPUT);
                continue;
            }
            if ((MacAddress.read(buf, frame) & MULTICAST_BIT) == 0)
            {
                if (vif.hasFlag(VifFlags.POLICY_ENABLED)
                    && (etherType == EtherType.IPV4 || etherType == EtherType.IPV6))
                {
                    ingressFlow(batch, slot, buf, l3, available, etherType == EtherType.IPV6);
                    continue;
                }
            }
            else if (vif.mcastVrf() != Vif.NO_VRF)
            {
                batch.vrf(slot, vif.mcastVrf());
            }
            dp.next(batch, slot, NodeIds.BRIDGE_LOOKUP);
        }
        if (packets != 0)
        {
            counters.received(countedVif, packets, bytes);
        }
    }

    /**
     * The ingress flow of a unicast IP packet from a policy interface, before bridging (reference §2.1
     * step 3). Broadcast and multicast IP destinations are not flowed here; a malformed header is dropped
     * with the reason the routing path would count.
     */
    private void ingressFlow(
        final PacketBatch batch, final int slot, final UnsafeBuffer buf, final int l3, final int available,
        final boolean ipv6)
    {
        final DropReason bad = ipv6 ? IpChecks.ipv6(buf, l3, available) : IpChecks.ipv4(buf, l3, available);
        if (bad != null)
        {
            dp.drop(batch, slot, bad);
            return;
        }
        if (ipv6)
        {
            batch.l3(slot, l3, Ipv6Header.HEADER_LENGTH + Ipv6Header.payloadLength(buf, l3));
            batch.setFlags(slot, PacketBatch.F_CHECKED | PacketBatch.F_IPV6);
            if ((Ipv6Header.dstAddressHi(buf, l3) >>> 56) == 0xFF)
            {
                dp.next(batch, slot, NodeIds.BRIDGE_LOOKUP);
                return;
            }
        }
        else
        {
            batch.l3(slot, l3, Ipv4Header.totalLength(buf, l3));
            batch.setFlags(slot, PacketBatch.F_CHECKED);
            final int dst = Ipv4Header.dstAddress(buf, l3);
            if ((dst & 0xF0000000) == 0xE0000000 || dst == -1)
            {
                dp.next(batch, slot, NodeIds.BRIDGE_LOOKUP);
                return;
            }
        }
        batch.resume(slot, NodeIds.BRIDGE_LOOKUP, batch.inVif(slot));
        dp.next(batch, slot, NodeIds.FLOW);
    }

    private static boolean isNeighborSolicitation(final UnsafeBuffer buf, final int l3, final int available)
    {
        return available >= Ipv6Header.HEADER_LENGTH + Icmpv6Header.TARGET_ADDRESS_OFFSET + 16
            && Ipv6Header.nextHeader(buf, l3) == IpProtocol.ICMPV6
            && (buf.getByte(l3 + Ipv6Header.HEADER_LENGTH) & 0xFF) == Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION;
    }
}
