package io.vrouter.core.forward;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.status.DropReason;
import io.vrouter.encap.DecapResult;
import io.vrouter.encap.TunnelDecap;
import io.vrouter.encap.TunnelType;

/**
 * {@code tunnel-decap}: validates the outer IPv4 header and removes the outer headers of MPLSoUDP,
 * MPLSoGRE or VXLAN (reference §2.3 steps 2–3, wire formats in {@code docs/wire-formats.md}). A packet for
 * this node that is no tunnel goes to the receive next hop's interface (the host), when it has one.
 * <p>Reads: {@code l3} (the outer IPv4 header and the bytes after it), {@code nh} (the receive next hop).
 * Writes: {@code l3} = the inner packet or frame and its length, {@code label} = the MPLS label or the VNI,
 * {@code aux} = the label's TTL (MPLS).
 * <p>Next: {@code mpls-input}, {@code vxlan-input}. Drops: the decapsulation's reason (Pull, Checksum
 * Error, Invalid Label, Invalid VNID, Invalid Protocol, Fragments, Invalid Packet).
 */
final class TunnelDecapNode extends Node
{
    private final Datapath dp;

    TunnelDecapNode(final Datapath dp)
    {
        super(NodeIds.TUNNEL_DECAP, NodeIds.fixedName(NodeIds.TUNNEL_DECAP));
        this.dp = dp;
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final int l3 = batch.l3(slot);
            final long result = TunnelDecap.decapIpv4(batch.buffer(slot), l3, batch.l3Length(slot));
            if (DecapResult.isError(result))
            {
                final int code = DecapResult.errorCode(result);
                final NextHop receive = dp.nextHops().get(batch.nh(slot));
                if (code == DecapResult.NOT_TUNNEL && receive != null && receive.oif() >= 0)
                {
                    dp.transmit(batch, slot, receive.oif(), batch.offset(slot), batch.length(slot));
                    continue;
                }
                dp.drop(batch, slot, decapError(code));
                continue;
            }
            batch.l3(slot, l3 + DecapResult.headerLength(result), DecapResult.innerLength(result));
            if (DecapResult.tunnelType(result) == TunnelType.VXLAN)
            {
                batch.label(slot, DecapResult.vni(result));
                dp.next(batch, slot, NodeIds.VXLAN_INPUT);
                continue;
            }
            batch.label(slot, DecapResult.label(result));
            batch.aux(slot, DecapResult.ttl(result));
            dp.next(batch, slot, NodeIds.MPLS_INPUT);
        }
    }

    private static DropReason decapError(final int code)
    {
        switch (code)
        {
            case DecapResult.PULL:
                return DropReason.PULL;
            case DecapResult.CKSUM_ERR:
                return DropReason.CKSUM_ERR;
            case DecapResult.INVALID_LABEL:
                return DropReason.INVALID_LABEL;
            case DecapResult.INVALID_VNID:
                return DropReason.INVALID_VNID;
            case DecapResult.INVALID_PROTOCOL:
                return DropReason.INVALID_PROTOCOL;
            case DecapResult.FRAGMENT:
                return DropReason.FRAGMENTS;
            default:
                return DropReason.INVALID_PACKET;
        }
    }
}
