package io.vrouter.core.nh.kind;

import java.util.Map;

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
 * L2-receive next hops ({@code NH_L2_RCV}): the bridge entry of the gateway MAC, which turns bridging into
 * routing: a bridged frame goes to the graph's {@code ip-input}. As a route's next hop it has nowhere to
 * send the packet.
 */
final class L2ReceiveKind extends NextHopKind
{
    L2ReceiveKind()
    {
        super(NextHopType.L2_RECEIVE, NextHopType.name(NextHopType.L2_RECEIVE), "l2-receive");
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
    public NextHop build(final NextHopRequest request, final InterfaceTable interfaces, final NextHopTable nextHops)
        throws RequestException
    {
        return nextHop(request, new int[0], new int[0], null, TunnelType.NONE);
    }

    @Override
    public void introspect(final NextHopRequest nh, final Map<String, Object> out,
        final NextHopDirectory directory)
    {
        out.put("itf", interfaceName(directory, nh.oif()));
        out.put("mac", NextHopText.introspectMac(nh.encap(), 0));
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        // Its node is the graph's fixed ip-input, where bridging becomes routing.
    }
}
