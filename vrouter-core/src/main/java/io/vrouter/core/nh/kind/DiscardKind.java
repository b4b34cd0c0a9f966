package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.nh.NextHopType;

/**
 * Discard next hops ({@code NH_DISCARD}, "Drop"): next hop 0 and the leaf of every range without a route.
 * Its node has a fixed index ({@link NodeIds#DISCARD}) because the table's next hop 0 exists before any
 * kind is asked.
 */
final class DiscardKind extends NextHopKind
{
    DiscardKind()
    {
        super(NextHopType.DISCARD, NextHopType.name(NextHopType.DISCARD));
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
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new DiscardNode(dp));
    }
}
