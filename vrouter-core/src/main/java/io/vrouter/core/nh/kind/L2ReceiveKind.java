package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.nh.NextHopType;

/**
 * L2-receive next hops ({@code NH_L2_RCV}): the bridge entry of the gateway MAC, which turns bridging into
 * routing: a bridged frame goes to the graph's {@code ip-input}. As a route's next hop it has nowhere to
 * send the packet.
 */
final class L2ReceiveKind extends NextHopKind
{
    L2ReceiveKind()
    {
        super(NextHopType.L2_RECEIVE, NextHopType.name(NextHopType.L2_RECEIVE));
    }

    @Override
    public int l3Node(final int flags)
    {
        return NodeIds.NOWHERE;
    }

    @Override
    public int l2Node(final int flags)
    {
        return NodeIds.IP_INPUT;
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        // Its node is the graph's fixed ip-input, where bridging becomes routing.
    }
}
