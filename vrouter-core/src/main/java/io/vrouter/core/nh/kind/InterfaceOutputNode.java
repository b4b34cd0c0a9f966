package io.vrouter.core.nh.kind;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.status.VrfTally;
import io.vrouter.wire.AddressFamily;
import io.vrouter.wire.EtherType;

/**
 * {@code interface-output}: sends on the interface of an interface next hop (tf-vrouter's
 * {@code nh_encap_l3} / {@code nh_encap_l2}). A routed packet gets the next hop's Ethernet rewrite and, from
 * a pod, its TTL decremented; a next hop with the policy (or flow-lookup) flag first sends an unflowed
 * packet to the flow node, which returns it here. A bridged frame goes out as it is. A mirror copy goes out
 * as it is (bridge family) or behind the next hop's Ethernet header.
 * <p>Reads: {@code nh}, {@code vrf}, {@code l3}, {@code F_IPV6}, {@code F_DECREMENT}, {@code F_FLOWED},
 * {@code F_L2}, {@code F_FROM_FABRIC}, {@code F_MIRROR}. Writes: the slot's output; before the flow, its
 * resume point (this node) and owner (the next hop's interface). Counts the VRF's encaps or L2 encaps.
 * <p>Next: {@code flow}; else none (sent). Drops: Invalid NH, Interface TX Discard; Clone Fail (copies).
 */
final class InterfaceOutputNode extends OutputNode
{
    InterfaceOutputNode(final Datapath dp)
    {
        super(NextHopKinds.INTERFACE_NODE, "interface-output", dp);
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        newVector();
        long encaps = VrfTally.NONE;
        long l2Encaps = VrfTally.NONE;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final NextHop nh = nextHop(batch, slot);
            final int flags = batch.flags(slot);
            if ((flags & PacketBatch.F_MIRROR) != 0)
            {
                mirrorCopy(batch, slot, nh);
                continue;
            }
            if (nh == null)
            {
                dp.drop(batch, slot, DropReason.INVALID_NH);
                continue;
            }
            if ((flags & PacketBatch.F_L2) != 0)
            {
                l2Encaps = VrfTally.add(l2Encaps, (flags & PacketBatch.F_FROM_FABRIC) != 0 ? nh.vrf() : batch.vrf(slot),
                    dp.counters(), VrfStat.L2_ENCAPS);
                transmit(batch, slot, nh.oif(), batch.offset(slot), batch.length(slot));
                continue;
            }
            if ((flags & PacketBatch.F_FLOWED) == 0
                && nh.hasFlag(NextHopFlags.POLICY_ENABLED | NextHopFlags.FLOW_LOOKUP))
            {
                batch.resume(slot, id(), nh.oif());
                dp.next(batch, slot, NodeIds.FLOW);
                continue;
            }
            final UnsafeBuffer buf = batch.buffer(slot);
            final int l3 = batch.l3(slot);
            final boolean ipv6 = (flags & PacketBatch.F_IPV6) != 0;
            if ((flags & PacketBatch.F_DECREMENT) != 0)
            {
                Datapath.decrementTtl(buf, l3, ipv6);
            }
            encaps = VrfTally.add(encaps, batch.vrf(slot), dp.counters(), VrfStat.ENCAPS);
            final int start = l3 - Datapath.ETH_HLEN;
            final byte[] encap = nh.encap();
            if (encap.length >= Datapath.ETH_HLEN)
            {
                buf.putBytes(start, encap, 0, 12);
            }
            buf.putShort(start + 12, (short)(ipv6 ? EtherType.IPV6 : EtherType.IPV4), ByteOrder.BIG_ENDIAN);
            transmit(batch, slot, nh.oif(), start, batch.l3Length(slot) + Datapath.ETH_HLEN);
        }
        VrfTally.flush(encaps, dp.counters(), VrfStat.ENCAPS);
        VrfTally.flush(l2Encaps, dp.counters(), VrfStat.L2_ENCAPS);
    }

    private void transmit(final PacketBatch batch, final int slot, final int oif, final int offset, final int length)
    {
        final Vif out = outInterface(oif);
        if (out == null)
        {
            dp.drop(batch, slot, DropReason.INTERFACE_TX_DISCARD);
            return;
        }
        dp.transmit(batch, slot, out, oif, offset, length);
    }

    private void mirrorCopy(final PacketBatch batch, final int copy, final NextHop nh)
    {
        if (nh == null)
        {
            dp.dropCopy(batch, copy);
            return;
        }
        final UnsafeBuffer out = batch.buffer(copy);
        final int inner = batch.l3(copy);
        final int start;
        if (nh.family() != AddressFamily.BRIDGE && nh.encap().length >= Datapath.ETH_HLEN)
        {
            if (inner == batch.offset(copy))
            {
                // The copy is the frame itself: rewrite its MACs and keep its Ethernet type.
                out.putBytes(inner, nh.encap(), 0, 12);
                start = inner;
            }
            else
            {
                start = inner - Datapath.ETH_HLEN;
                out.putBytes(start, nh.encap(), 0, Datapath.ETH_HLEN);
            }
        }
        else
        {
            start = inner;
        }
        dp.sendCopy(batch, copy, nh.oif(), start, batch.l3Length(copy) + inner - start);
    }
}
