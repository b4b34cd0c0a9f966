package io.vrouter.core.nh.kind;

import java.util.Map;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.NextHopRequest;

/**
 * The registry of next-hop kinds, and the indices of their output nodes in every worker's graph.
 * <p>
 * Registering a kind is one line in {@link #KINDS}; its nodes get indices here, after the graph's fixed
 * nodes. The order of the indices is the order a graph pass runs the nodes in: the nodes that lead to
 * other next hops (VRF translation, composite) come before the ones that send, so an ECMP packet is sent
 * in the same pass it was routed in.
 */
public final class NextHopKinds
{
    static final int VRF_TRANSLATE_NODE = NodeIds.FIRST_KIND_NODE;
    static final int COMPOSITE_NODE = VRF_TRANSLATE_NODE + 1;
    static final int UDP_TUNNEL_NODE = COMPOSITE_NODE + 1;
    static final int VXLAN_NODE = UDP_TUNNEL_NODE + 1;
    static final int MPLS_UDP_NODE = VXLAN_NODE + 1;
    static final int MPLS_GRE_NODE = MPLS_UDP_NODE + 1;
    static final int INTERFACE_NODE = MPLS_GRE_NODE + 1;
    static final int RECEIVE_NODE = INTERFACE_NODE + 1;
    static final int RESOLVE_NODE = RECEIVE_NODE + 1;

    /** Number of node indices in a graph: the fixed nodes and every kind's. */
    public static final int NODE_COUNT = RESOLVE_NODE + 1;

    private static final NextHopKind[] KINDS =
    {
        new DiscardKind(),
        new ReceiveKind(),
        new InterfaceKind(),
        new TunnelKind(),
        new ResolveKind(),
        new CompositeKind(),
        new VrfTranslateKind(),
        new L2ReceiveKind(),
    };

    private static final NextHopKind[] BY_TYPE = new NextHopKind[NextHopType.MAX];

    static
    {
        for (final NextHopKind kind : KINDS)
        {
            if (BY_TYPE[kind.type()] != null)
            {
                throw new IllegalStateException("two next-hop kinds for type " + kind.type());
            }
            BY_TYPE[kind.type()] = kind;
        }
    }

    private NextHopKinds()
    {
    }

    /**
     * The kind of a next-hop type.
     *
     * @param type an {@code nhr_type} value.
     * @return the kind, or null when the forwarder has none for the type.
     */
    public static NextHopKind of(final int type)
    {
        return type >= 0 && type < BY_TYPE.length ? BY_TYPE[type] : null;
    }

    /**
     * Appends the lines of an {@code nh --list} block that depend on the next hop's type.
     *
     * @param nh  the next hop, as GET answers it.
     * @param out the block.
     */
    public static void list(final NextHopRequest nh, final StringBuilder out)
    {
        final NextHopKind kind = of(nh.type());
        if (kind != null)
        {
            kind.list(nh, out);
        }
        else if (nh.oif() >= 0)
        {
            out.append(NextHopText.INDENT).append("Oif:").append(nh.oif()).append('\n');
        }
    }

    /**
     * Describes a next hop for introspect: its type as introspect names it and the fields of its kind.
     *
     * @param nh        the next hop, as GET answers it.
     * @param out       the description, which has the common fields.
     * @param directory the node's interfaces and next hops.
     */
    public static void introspect(final NextHopRequest nh, final Map<String, Object> out,
        final NextHopDirectory directory)
    {
        final NextHopKind kind = of(nh.type());
        out.put("type", kind == null ? "discard" : kind.introspectType());
        if (kind != null)
        {
            kind.introspect(nh, out, directory);
        }
    }

    /**
     * Adds every kind's nodes to a worker's graph (the fixed nodes are the forwarder's).
     *
     * @param graph the graph, sized {@link #NODE_COUNT}.
     * @param dp    the worker's datapath.
     */
    public static void addNodes(final Graph graph, final Datapath dp)
    {
        for (final NextHopKind kind : KINDS)
        {
            kind.addNodes(graph, dp);
        }
    }
}
