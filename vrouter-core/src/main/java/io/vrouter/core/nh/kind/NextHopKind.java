package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;

/**
 * One of Contrail's next-hop types as the forwarder implements it: which graph node sends a routed packet,
 * a bridged frame and a mirror copy through a next hop of this type (resolved once, when the next hop is
 * programmed, and stored in it), and the nodes themselves, created for each worker's graph.
 */
public abstract class NextHopKind
{
    private final int type;
    private final String name;

    /**
     * A kind.
     *
     * @param type the {@code nhr_type} value ({@link io.vrouter.core.nh.NextHopType}).
     * @param name the name {@code nh --list} prints after "Type:".
     */
    protected NextHopKind(final int type, final String name)
    {
        this.type = type;
        this.name = name;
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
}
