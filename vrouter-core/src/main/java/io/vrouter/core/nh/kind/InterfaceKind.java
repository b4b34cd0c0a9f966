package io.vrouter.core.nh.kind;

import java.util.Map;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.encap.TunnelType;
import io.vrouter.wire.AddressFamily;

/**
 * Interface next hops ({@code NH_ENCAP}, "Encap"): send on a local interface, routed packets with the next
 * hop's Ethernet rewrite, bridged frames as they are; mirror copies too. Rules: the interface exists; an
 * inet or inet6 next hop (or any that carries a rewrite) has a 14-byte rewrite.
 */
final class InterfaceKind extends NextHopKind
{
    InterfaceKind()
    {
        super(NextHopType.ENCAP, NextHopType.name(NextHopType.ENCAP), "interface");
    }

    @Override
    public NextHop build(final NextHopRequest request, final InterfaceTable interfaces, final NextHopTable nextHops)
        throws RequestException
    {
        requireInterface(request.oif(), interfaces);
        final int rewrite = request.encap().length;
        final int family = request.family();
        if ((rewrite != 0 || family == AddressFamily.INET || family == AddressFamily.INET6) && rewrite < L2_REWRITE)
        {
            throw RequestException.refuse(Errno.EINVAL, NextHopRequest.Field.NHR_ENCAP,
                "an L2 rewrite needs 14 bytes, got " + rewrite);
        }
        return nextHop(request, new int[0], new int[0], null, TunnelType.NONE);
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

    @Override
    public void list(final NextHopRequest nh, final StringBuilder out)
    {
        final byte[] encap = nh.encap();
        out.append(NextHopText.INDENT).append("EncapFmly:0000 Oif:").append(nh.oif()).append(" Len:")
            .append(encap.length).append('\n');
        if (encap.length > 0)
        {
            out.append(NextHopText.INDENT).append("Encap Data: ").append(NextHopText.hex(encap)).append('\n');
        }
    }

    @Override
    public void introspect(final NextHopRequest nh, final Map<String, Object> out,
        final NextHopDirectory directory)
    {
        out.put("itf", interfaceName(directory, nh.oif()));
        out.put("mac", NextHopText.introspectMac(nh.encap(), 0));
    }
}
