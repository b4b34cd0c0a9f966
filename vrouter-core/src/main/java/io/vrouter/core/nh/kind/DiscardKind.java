package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.encap.TunnelType;

/**
 * Discard next hops ({@code NH_DISCARD}, "Drop"): next hop 0 and the leaf of every range without a route.
 * Its node has a fixed index ({@link NodeIds#DISCARD}) because the table's next hop 0 exists before any
 * kind is asked.
 */
final class DiscardKind extends NextHopKind
{
    DiscardKind()
    {
        super(NextHopType.DISCARD, NextHopType.name(NextHopType.DISCARD), "discard");
    }

    @Override
    public int l3Node(final int flags)
    {
        return NodeIds.DISCARD;
    }

    @Override
    public int l2Node(final int flags)
    {
        return NodeIds.DISCARD;
    }

    @Override
    public NextHop build(final NextHopRequest request, final InterfaceTable interfaces, final NextHopTable nextHops)
        throws RequestException
    {
        return nextHop(request, new int[0], new int[0], null, TunnelType.NONE);
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new DiscardNode(dp));
    }
}
