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
import io.vrouter.core.status.DropReason;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.Icmpv6Header;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;
import io.vrouter.wire.MacAddress;

/**
 * {@code ethernet-input}: a frame from a pod interface (reference §2.1 steps 1–3).
 * <p>Reads: the frame's Ethernet header and, for unicast IP from an interface with the policy flag, its IP
 * header; the ingress interface's flags (as recorded by {@code interface-input}) and, for a multicast destination,
 * its multicast VRF. Writes: {@code vrf} = the interface's multicast VRF for a
 * multicast destination MAC (when it has one); for the ingress flow, {@code l3}, {@code F_CHECKED},
 * {@code F_IPV6} and the flow node's resume point ({@code bridge-lookup}) and owner (the ingress interface).
 * <p>Next: {@code arp-input} (ARP), {@code nd-input} (IPv6 neighbour solicitation), {@code flow} (unicast IP
 * from a policy interface: the flow is decided before bridging, as Contrail does), {@code bridge-lookup}.
 * Drops: Interface Drop (VLAN-tagged), Invalid IF (multicast from a deleted interface), the IP header's
 * reason (policy interfaces only).
 */
final class EthernetInputNode extends Node
{
    private static final long MULTICAST_BIT = 0x010000000000L;

    private final Datapath dp;
    private final InterfaceTable interfaces;

    EthernetInputNode(final Datapath dp)
    {
        super(NodeIds.ETHERNET_INPUT, NodeIds.fixedName(NodeIds.ETHERNET_INPUT));
        this.dp = dp;
        this.interfaces = dp.interfaces();
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
            final boolean unicast = (MacAddress.read(buf, frame) & MULTICAST_BIT) == 0;
            if (unicast)
            {
                if ((batch.vifFlags(slot) & VifFlags.POLICY_ENABLED) != 0
                    && (etherType == EtherType.IPV4 || etherType == EtherType.IPV6))
                {
                    ingressFlow(batch, slot, buf, l3, available, etherType == EtherType.IPV6);
                    continue;
                }
                dp.next(batch, slot, NodeIds.BRIDGE_LOOKUP);
                continue;
            }
            final Vif vif = interfaces.get(batch.inVif(slot));
            if (vif == null)
            {
                dp.drop(batch, slot, DropReason.INVALID_IF);
                continue;
            }
            if (vif.mcastVrf() != Vif.NO_VRF)
            {
                batch.vrf(slot, vif.mcastVrf());
            }
            dp.next(batch, slot, NodeIds.BRIDGE_LOOKUP);
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
