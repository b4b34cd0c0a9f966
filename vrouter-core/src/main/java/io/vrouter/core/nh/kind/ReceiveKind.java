package io.vrouter.core.nh.kind;

import java.util.Map;

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
 * Receive next hops ({@code NH_RCV}): packets for this host. From the fabric, the outer destination's
 * receive next hop leads to decapsulation ({@code fabric-input} checks for it); a route through one
 * delivers the packet to the next hop's interface (vhost0), when it has one.
 */
final class ReceiveKind extends NextHopKind
{
    ReceiveKind()
    {
        super(NextHopType.RECEIVE, NextHopType.name(NextHopType.RECEIVE), "receive");
    }

    @Override
    public int l3Node(final int flags)
    {
        return NextHopKinds.RECEIVE_NODE;
    }

    @Override
    public NextHop build(final NextHopRequest request, final InterfaceTable interfaces, final NextHopTable nextHops)
        throws RequestException
    {
        if (request.oif() >= 0)
        {
            requireInterface(request.oif(), interfaces);
        }
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
        graph.add(new ReceiveNode(dp));
    }
}
