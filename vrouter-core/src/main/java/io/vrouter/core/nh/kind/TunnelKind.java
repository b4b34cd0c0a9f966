package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;

/**
 * Tunnel next hops ({@code NH_TUNNEL}): one node per encapsulation, chosen by the next hop's flags: MPLSoUDP,
 * MPLSoGRE, VXLAN, and the plain UDP tunnel that carries mirror copies to an analyzer. VXLAN and UDP tunnels
 * can be a mirror's next hop.
 */
final class TunnelKind extends NextHopKind
{
    TunnelKind()
    {
        super(NextHopType.TUNNEL, NextHopType.name(NextHopType.TUNNEL));
    }

    @Override
    public int l3Node(final int flags)
    {
        switch (flags & NextHopFlags.TUNNEL_TYPE_MASK)
        {
            case NextHopFlags.TUNNEL_UDP_MPLS:
                return NextHopKinds.MPLS_UDP_NODE;
            case NextHopFlags.TUNNEL_GRE:
                return NextHopKinds.MPLS_GRE_NODE;
            case NextHopFlags.TUNNEL_VXLAN:
                return NextHopKinds.VXLAN_NODE;
            case NextHopFlags.TUNNEL_UDP:
                return NextHopKinds.UDP_TUNNEL_NODE;
            default:
                return NodeIds.NOWHERE;
        }
    }

    @Override
    public int l2Node(final int flags)
    {
        return l3Node(flags);
    }

    @Override
    public int mirrorNode(final int flags)
    {
        final int node = l3Node(flags);
        return node == NextHopKinds.VXLAN_NODE || node == NextHopKinds.UDP_TUNNEL_NODE ? node : PacketBatch.DONE;
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new MplsUdpEncapNode(dp));
        graph.add(new MplsGreEncapNode(dp));
        graph.add(new VxlanEncapNode(dp));
        graph.add(new UdpTunnelNode(dp));
    }
}
