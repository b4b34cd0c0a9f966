package io.vrouter.core.nh.kind;

import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.encap.EncapRewrite;
import io.vrouter.encap.TunnelType;

/**
 * Tunnel next hops ({@code NH_TUNNEL}): one node per encapsulation, chosen by the next hop's flags: MPLSoUDP,
 * MPLSoGRE, VXLAN, and the plain UDP tunnel that carries mirror copies to an analyzer. VXLAN and UDP tunnels
 * can be a mirror's next hop. Rules: the interface exists; exactly one tunnel type flag; the 14-byte outer
 * Ethernet header; a UDP tunnel has the analyzer's destination port. The outer headers are built here, once
 * (reference §2.4: "paint" at programming time, fix up per packet).
 */
final class TunnelKind extends NextHopKind
{
    TunnelKind()
    {
        super(NextHopType.TUNNEL, NextHopType.name(NextHopType.TUNNEL), "tunnel");
    }

    @Override
    public NextHop build(final NextHopRequest request, final InterfaceTable interfaces, final NextHopTable nextHops)
        throws RequestException
    {
        requireInterface(request.oif(), interfaces);
        final int kind = tunnelType(request.flags());
        final byte[] encap = request.encap();
        if (encap.length != L2_REWRITE)
        {
            throw RequestException.refuse(Errno.EINVAL, NextHopRequest.Field.NHR_ENCAP,
                "a tunnel needs the 14-byte outer Ethernet header, got " + encap.length);
        }
        final int source = Integer.reverseBytes(request.tunSip());
        final int destination = Integer.reverseBytes(request.tunDip());
        // Contrail carries the UDP tunnel ports in network byte order, like the addresses.
        final int sport = Short.reverseBytes((short)request.tunSport()) & 0xFFFF;
        final int dport = Short.reverseBytes((short)request.tunDport()) & 0xFFFF;
        if (kind == TunnelType.UDP && dport == 0)
        {
            throw RequestException.refuse(Errno.EINVAL, NextHopRequest.Field.NHR_TUN_DPORT,
                "a UDP tunnel needs the analyzer's destination port");
        }
        final EncapRewrite outer;
        try
        {
            outer = kind == TunnelType.UDP
                ? EncapRewrite.udpTunnel(new UnsafeBuffer(encap.clone()), 0, source, destination, sport, dport)
                : EncapRewrite.fromNextHopEncap(kind, new UnsafeBuffer(encap.clone()), 0, source, destination);
        }
        catch (final IllegalArgumentException e)
        {
            throw RequestException.refuse(Errno.EINVAL, NextHopRequest.Field.NHR_ENCAP, e.getMessage());
        }
        return nextHop(request, new int[0], new int[0], outer, kind);
    }

    private static int tunnelType(final int flags) throws RequestException
    {
        switch (flags & NextHopFlags.TUNNEL_TYPE_MASK)
        {
            case NextHopFlags.TUNNEL_UDP_MPLS:
                return TunnelType.MPLS_UDP;
            case NextHopFlags.TUNNEL_GRE:
                return TunnelType.MPLS_GRE;
            case NextHopFlags.TUNNEL_VXLAN:
                return TunnelType.VXLAN;
            case NextHopFlags.TUNNEL_UDP:
                return TunnelType.UDP;
            default:
                throw RequestException.refuse(Errno.EINVAL, NextHopRequest.Field.NHR_FLAGS,
                    "a tunnel needs exactly one of MPLSoUDP, MPLSoGRE, Vxlan, Udp");
        }
    }

    @Override
    public int l3Node(final int flags)
    {
        switch (flags & NextHopFlags.TUNNEL_TYPE_MASK)
        {
            case NextHopFlags.TUNNEL_UDP_MPLS:
                return NextHopKinds.MPLS_UDP_NODE;
            case NextHopFlags.TUNNEL_GRE:
                return NextHopKinds.MPLS_GRE_NODE;
            case NextHopFlags.TUNNEL_VXLAN:
                return NextHopKinds.VXLAN_NODE;
            case NextHopFlags.TUNNEL_UDP:
                return NextHopKinds.UDP_TUNNEL_NODE;
            default:
                return NodeIds.NOWHERE;
        }
    }

    @Override
    public int l2Node(final int flags)
    {
        return l3Node(flags);
    }

    @Override
    public int mirrorNode(final int flags)
    {
        final int node = l3Node(flags);
        return node == NextHopKinds.VXLAN_NODE || node == NextHopKinds.UDP_TUNNEL_NODE ? node : PacketBatch.DONE;
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new MplsUdpEncapNode(dp));
        graph.add(new MplsGreEncapNode(dp));
        graph.add(new VxlanEncapNode(dp));
        graph.add(new UdpTunnelNode(dp));
    }

    @Override
    public void describe(final NextHop nh, final NextHopRequest.Builder answer)
    {
        answer.tunnel(Integer.reverseBytes(nh.tunnelSrc()), Integer.reverseBytes(nh.tunnelDst()));
        if (nh.tunnelKind() == TunnelType.UDP)
        {
            answer.tunnelPorts(Short.reverseBytes((short)nh.tunnelSport()),
                Short.reverseBytes((short)nh.tunnelDport()));
        }
    }

    @Override
    public void list(final NextHopRequest nh, final StringBuilder out)
    {
        final byte[] encap = nh.encap();
        out.append(NextHopText.INDENT).append("Oif:").append(nh.oif()).append(" Len:").append(encap.length)
            .append(" Data:").append(NextHopText.hex(encap)).append('\n');
        out.append(NextHopText.INDENT).append("Sip:").append(NextHopText.ip(Integer.reverseBytes(nh.tunSip())))
            .append(" Dip:").append(NextHopText.ip(Integer.reverseBytes(nh.tunDip()))).append('\n');
        if ((nh.flags() & NextHopFlags.TUNNEL_UDP) != 0)
        {
            out.append(NextHopText.INDENT).append("Sport:").append(Short.reverseBytes((short)nh.tunSport()) & 0xFFFF)
                .append(" Dport:").append(Short.reverseBytes((short)nh.tunDport()) & 0xFFFF).append('\n');
        }
    }

    @Override
    public void introspect(final NextHopRequest nh, final Map<String, Object> out,
        final NextHopDirectory directory)
    {
        final int flags = nh.flags();
        out.put("itf", interfaceName(directory, nh.oif()));
        out.put("mac", NextHopText.introspectMac(nh.encap(), 0));
        out.put("tunnel_type", (flags & NextHopFlags.TUNNEL_VXLAN) != 0 ? "VXLAN"
            : (flags & NextHopFlags.TUNNEL_GRE) != 0 ? "MPLSoGRE" : "MPLSoUDP");
        out.put("sip", NextHopText.ip(Integer.reverseBytes(nh.tunSip())));
        out.put("dip", NextHopText.ip(Integer.reverseBytes(nh.tunDip())));
    }
}
