package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.nh.NextHopType;

/**
 * Composite next hops ({@code NH_COMPOSITE}) with ECMP members: a routed packet takes one member, chosen by
 * its flow (sticky once the flow has one) or by the hash of its fields.
 */
final class CompositeKind extends NextHopKind
{
    CompositeKind()
    {
        super(NextHopType.COMPOSITE, NextHopType.name(NextHopType.COMPOSITE));
    }

    @Override
    public int l3Node(final int flags)
    {
        return NextHopKinds.COMPOSITE_NODE;
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new CompositeNode(dp));
    }
}
