package io.vrouter.core.nh.kind;

import java.util.Map;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.encap.EncapRewrite;
import io.vrouter.encap.TunnelType;

/**
 * One of Contrail's next-hop types as the forwarder implements it, in one place: the rules a
 * {@code vr_nexthop_req} of this type must follow ({@link #build}), the graph nodes that send a routed
 * packet, a bridged frame and a mirror copy through a next hop of this type (resolved once, when the next
 * hop is programmed, and stored in it), the nodes themselves, and how the next hop is described in answers,
 * in {@code nh --list} and in introspect.
 */
public abstract class NextHopKind
{
    /** Length of an L2 rewrite, and of a tunnel's outer Ethernet header: destination, source, type. */
    protected static final int L2_REWRITE = 14;

    private final int type;
    private final String name;
    private final String introspectType;

    /**
     * A kind.
     *
     * @param type           the {@code nhr_type} value ({@link io.vrouter.core.nh.NextHopType}).
     * @param name           the name {@code nh --list} prints after "Type:".
     * @param introspectType the {@code type} introspect gives next hops of this kind.
     */
    protected NextHopKind(final int type, final String name, final String introspectType)
    {
        this.type = type;
        this.name = name;
        this.introspectType = introspectType;
    }

    /**
     * The {@code nhr_type} value.
     *
     * @return the type.
     */
    public final int type()
    {
        return type;
    }

    /**
     * The type's name as Contrail's {@code nh} prints it.
     *
     * @return e.g. {@code Encap}.
     */
    public final String name()
    {
        return name;
    }

    /**
     * The type's name as Contrail's introspect prints it.
     *
     * @return e.g. {@code interface}.
     */
    public final String introspectType()
    {
        return introspectType;
    }

    // ------------------------------------------------------------------------------------------ programming

    /**
     * The next hop an ADD of this type programs, after this type's rules: the fields the request checks
     * itself ({@link NextHopRequest#validate()}) and the common ones (id, VRF, no change of type) are
     * checked before. Throws before anything is written.
     *
     * @param request    the request.
     * @param interfaces the interfaces it may refer to.
     * @param nextHops   the next hops it may refer to.
     * @return the next hop.
     * @throws RequestException naming the field that breaks a rule.
     */
    public abstract NextHop build(NextHopRequest request, InterfaceTable interfaces, NextHopTable nextHops)
        throws RequestException;

    /**
     * The next hop a request describes, with this kind's nodes resolved: the common fields as the request
     * carries them (addresses and ports turned from Contrail's network-order encodings), and the parts the
     * kind computed.
     *
     * @param request    the request.
     * @param members    a composite's members, else empty.
     * @param labels     a composite's member labels (-1 for none), else empty.
     * @param outer      a tunnel's prebuilt outer headers, else null.
     * @param tunnelKind a tunnel's {@link TunnelType}, else {@link TunnelType#NONE}.
     * @return the next hop.
     */
    protected final NextHop nextHop(final NextHopRequest request, final int[] members, final int[] labels,
        final EncapRewrite outer, final int tunnelKind)
    {
        final int flags = request.flags();
        return new NextHop(request.id(), type, request.family(), flags, request.vrf(), request.oif(),
            request.encap().clone(), Integer.reverseBytes(request.tunSip()), Integer.reverseBytes(request.tunDip()),
            Short.reverseBytes((short)request.tunSport()) & 0xFFFF,
            Short.reverseBytes((short)request.tunDport()) & 0xFFFF, members, labels, request.ecmpConfigHash(), outer,
            tunnelKind, l3Node(flags), l2Node(flags), mirrorNode(flags));
    }

    /**
     * Refuses a request whose outgoing interface does not exist.
     *
     * @param oif        the interface.
     * @param interfaces the interfaces.
     * @throws RequestException ENODEV, naming {@code nhr_encap_oif_id}.
     */
    protected static void requireInterface(final int oif, final InterfaceTable interfaces) throws RequestException
    {
        if (interfaces.get(oif) == null)
        {
            throw RequestException.refuse(Errno.ENODEV, NextHopRequest.Field.NHR_ENCAP_OIF_ID,
                "no interface " + oif);
        }
    }

    // ------------------------------------------------------------------------------------------ the graph

    /**
     * The node that sends a routed packet through a next hop of this kind.
     *
     * @param flags the next hop's flags ({@link io.vrouter.core.nh.NextHopFlags}).
     * @return a node index.
     */
    public abstract int l3Node(int flags);

    /**
     * The node that sends a bridged frame (bridge table, MPLS bridge label, VXLAN) through a next hop of
     * this kind; by default {@code nowhere-to-go}.
     *
     * @param flags the next hop's flags.
     * @return a node index.
     */
    public int l2Node(final int flags)
    {
        return NodeIds.NOWHERE;
    }

    /**
     * The node that sends a mirror copy through a next hop of this kind, if it can carry one.
     *
     * @param flags the next hop's flags.
     * @return a node index, or {@link PacketBatch#DONE} when a next hop of this kind cannot be a mirror's.
     */
    public int mirrorNode(final int flags)
    {
        return PacketBatch.DONE;
    }

    /**
     * Adds this kind's nodes to a worker's graph.
     *
     * @param graph the worker's graph.
     * @param dp    the worker's datapath, which the nodes use.
     */
    abstract void addNodes(Graph graph, Datapath dp);

    // ------------------------------------------------------------------------------------------ descriptions

    /**
     * Adds this kind's fields to a GET or DUMP answer (the common ones are there already); by default none.
     *
     * @param nh     the next hop.
     * @param answer the answer being built.
     */
    public void describe(final NextHop nh, final NextHopRequest.Builder answer)
    {
    }

    /**
     * Appends this kind's lines of an {@code nh --list} block, after the "Flags:" line, each starting with
     * {@link NextHopText#INDENT} and ending with a newline; by default the interface, when there is one.
     *
     * @param nh  the next hop, as GET answers it.
     * @param out the block.
     */
    public void list(final NextHopRequest nh, final StringBuilder out)
    {
        if (nh.oif() >= 0)
        {
            out.append(NextHopText.INDENT).append("Oif:").append(nh.oif()).append('\n');
        }
    }

    /**
     * The introspect name of a next hop's interface.
     *
     * @param directory the node's interfaces.
     * @param oif       the interface.
     * @return its name, or {@code vif0/N} when it has none.
     */
    protected static String interfaceName(final NextHopDirectory directory, final int oif)
    {
        final String name = directory.interfaceName(oif);
        return name == null ? "vif0/" + oif : name;
    }

    /**
     * Puts this kind's fields into a next hop's introspect description (the index, type, policy and VRF are
     * there already); by default none.
     *
     * @param nh        the next hop, as GET answers it.
     * @param out       the description.
     * @param directory the interfaces' names and the other next hops.
     */
    public void introspect(final NextHopRequest nh, final Map<String, Object> out,
        final NextHopDirectory directory)
    {
    }
}
