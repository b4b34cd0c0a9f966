package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.nh.NextHopType;

/**
 * Receive next hops ({@code NH_RCV}): packets for this host. From the fabric, the outer destination's
 * receive next hop leads to decapsulation ({@code fabric-input} checks for it); a route through one
 * delivers the packet to the next hop's interface (vhost0), when it has one.
 */
final class ReceiveKind extends NextHopKind
{
    ReceiveKind()
    {
        super(NextHopType.RECEIVE, NextHopType.name(NextHopType.RECEIVE));
    }

    @Override
    public int l3Node(final int flags)
    {
        return NextHopKinds.RECEIVE_NODE;
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new ReceiveNode(dp));
    }
}
