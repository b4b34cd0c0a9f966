package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.encap.TunnelType;

/**
 * Resolve next hops ({@code NH_RESOLVE}): Contrail traps the packet to the agent to resolve ARP; this
 * forwarder has no trap interface.
 */
final class ResolveKind extends NextHopKind
{
    ResolveKind()
    {
        super(NextHopType.RESOLVE, NextHopType.name(NextHopType.RESOLVE), "resolve");
    }

    @Override
    public int l3Node(final int flags)
    {
        return NextHopKinds.RESOLVE_NODE;
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
        graph.add(new ResolveNode(dp));
    }
}
