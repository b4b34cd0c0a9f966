package io.vrouter.core.nh.kind;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.status.VrfStat;
import io.vrouter.encap.MplsGreEncap;
import io.vrouter.wire.Ipv4Header;

/**
 * {@code mpls-gre-encap}: MPLS over GRE; the shared behaviour and contract are {@link TunnelEncapNode}'s.
 * The outer IPv4 ID of a routed IPv4 packet is the inner one's, as Contrail's. Counts the VRF's MPLSoGRE
 * tunnels.
 */
final class MplsGreEncapNode extends TunnelEncapNode
{
    MplsGreEncapNode(final Datapath dp)
    {
        super(NextHopKinds.MPLS_GRE_NODE, "mpls-gre-encap", dp, VrfStat.GRE_MPLS_TUNNELS);
    }

    @Override
    int encapPacket(final UnsafeBuffer buf, final int l3, final int length, final NextHop nh, final int label,
        final int ttl, final int sport, final int vrf, final boolean ipv6)
    {
        return MplsGreEncap.encap(buf, l3, length, nh.outer(), label, ttl,
            ipv6 ? dp.ipId() : Ipv4Header.identification(buf, l3));
    }

    @Override
    int encapFrame(final UnsafeBuffer buf, final int frame, final int length, final NextHop nh, final int label,
        final int sport, final int vrf)
    {
        return MplsGreEncap.encap(buf, frame, length, nh.outer(), label, 64, dp.ipId());
    }
}
