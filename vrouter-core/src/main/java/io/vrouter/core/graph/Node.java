package io.vrouter.core.graph;

/**
 * One node of the forwarding graph: a step of the packet pipeline that processes every packet queued
 * for it in one call, a vector at a time (VPP's graph node).
 * <p>
 * A node reads the slots' frames and per-slot state ({@link PacketBatch}), decides each packet, and
 * hands each slot on: to a next node ({@link Graph#enqueue}), or to an end (sent, dropped and counted,
 * held). A node never keeps per-packet state in its own fields between slots. Each node class states
 * in its header comment what it reads, what it writes and which nodes it can send to; its name is the
 * stable kebab-case one that counters, traces and the CLI show ({@code ip4-lookup}).
 */
public abstract class Node
{
    private final int id;
    private final String name;

    /**
     * A node at a fixed place in the graph.
     *
     * @param id   its index in the graph ({@link NodeIds}).
     * @param name its kebab-case name.
     */
    protected Node(final int id, final String name)
    {
        this.id = id;
        this.name = name;
    }

    /**
     * The node's index in the graph; slots are enqueued to it by this number.
     *
     * @return the index.
     */
    public final int id()
    {
        return id;
    }

    /**
     * The node's name.
     *
     * @return e.g. {@code ip4-lookup}.
     */
    public final String name()
    {
        return name;
    }

    /**
     * Processes the slots queued for this node. Every slot must leave: enqueued to a next node, sent
     * (its output set in the batch) or dropped and counted.
     *
     * @param batch the batch the slots belong to.
     * @param slots slot indices; only the first {@code count} are valid, and the array is the node's
     *              own until it returns.
     * @param count number of slots.
     */
    public abstract void process(PacketBatch batch, int[] slots, int count);

    @Override
    public String toString()
    {
        return name;
    }
}
