package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.nh.NextHopType;

/**
 * Interface next hops ({@code NH_ENCAP}, "Encap"): send on a local interface, routed packets with the next
 * hop's Ethernet rewrite, bridged frames as they are; mirror copies too.
 */
final class InterfaceKind extends NextHopKind
{
    InterfaceKind()
    {
        super(NextHopType.ENCAP, NextHopType.name(NextHopType.ENCAP));
    }

    @Override
    public int l3Node(final int flags)
    {
        return NextHopKinds.INTERFACE_NODE;
    }

    @Override
    public int l2Node(final int flags)
    {
        return NextHopKinds.INTERFACE_NODE;
    }

    @Override
    public int mirrorNode(final int flags)
    {
        return NextHopKinds.INTERFACE_NODE;
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new InterfaceOutputNode(dp));
    }
}
