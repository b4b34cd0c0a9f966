package io.vrouter.core.nh.kind;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.status.VrfStat;
import io.vrouter.encap.UdpTunnelEncap;

/**
 * {@code udp-tunnel}: the plain UDP tunnel that carries mirror copies to an analyzer (Contrail's
 * {@code NH_FLAG_TUNNEL_UDP}; outer Ethernet/IPv4/UDP with the next hop's ports, no label). Routed packets
 * and bridged frames cannot take it (Invalid NH, after the shared checks of {@link TunnelEncapNode}).
 * Counts the VRF's UDP tunnels.
 */
final class UdpTunnelNode extends TunnelEncapNode
{
    UdpTunnelNode(final Datapath dp)
    {
        super(NextHopKinds.UDP_TUNNEL_NODE, "udp-tunnel", dp, VrfStat.UDP_TUNNELS);
    }

    @Override
    int encapPacket(final UnsafeBuffer buf, final int l3, final int length, final NextHop nh, final int label,
        final int ttl, final int sport, final int vrf, final boolean ipv6)
    {
        return -1;
    }

    @Override
    int encapFrame(final UnsafeBuffer buf, final int frame, final int length, final NextHop nh, final int label,
        final int sport, final int vrf)
    {
        return -1;
    }

    @Override
    void mirrorCopy(final PacketBatch batch, final int copy, final NextHop nh)
    {
        final int inner = batch.l3(copy);
        final int innerLength = batch.l3Length(copy);
        dp.counters().countVrf(nh.vrf(), VrfStat.UDP_TUNNELS);
        final int start = UdpTunnelEncap.encap(batch.buffer(copy), inner, innerLength, nh.outer(), dp.ipId());
        dp.sendCopy(batch, copy, nh.oif(), start, innerLength + inner - start);
    }
}
