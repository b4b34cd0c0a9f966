package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.nh.NextHopType;

/**
 * Resolve next hops ({@code NH_RESOLVE}): Contrail traps the packet to the agent to resolve ARP; this
 * forwarder has no trap interface.
 */
final class ResolveKind extends NextHopKind
{
    ResolveKind()
    {
        super(NextHopType.RESOLVE, NextHopType.name(NextHopType.RESOLVE));
    }

    @Override
    public int l3Node(final int flags)
    {
        return NextHopKinds.RESOLVE_NODE;
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new ResolveNode(dp));
    }
}
