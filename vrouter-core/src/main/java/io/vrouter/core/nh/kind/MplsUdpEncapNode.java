package io.vrouter.core.nh.kind;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.status.VrfStat;
import io.vrouter.encap.MplsUdpEncap;

/**
 * {@code mpls-udp-encap}: MPLS over UDP (RFC 7510, destination port 6635), the tunnel between vRouters; the
 * shared behaviour and contract are {@link TunnelEncapNode}'s. Counts the VRF's MPLSoUDP tunnels.
 */
final class MplsUdpEncapNode extends TunnelEncapNode
{
    MplsUdpEncapNode(final Datapath dp)
    {
        super(NextHopKinds.MPLS_UDP_NODE, "mpls-udp-encap", dp, VrfStat.UDP_MPLS_TUNNELS);
    }

    @Override
    int encapPacket(final UnsafeBuffer buf, final int l3, final int length, final NextHop nh, final int label,
        final int ttl, final int sport, final int vrf, final boolean ipv6)
    {
        return MplsUdpEncap.encap(buf, l3, length, nh.outer(), label, ttl, dp.ipId(), sport);
    }

    @Override
    int encapFrame(final UnsafeBuffer buf, final int frame, final int length, final NextHop nh, final int label,
        final int sport, final int vrf)
    {
        return MplsUdpEncap.encap(buf, frame, length, nh.outer(), label, 64, dp.ipId(), sport);
    }
}
