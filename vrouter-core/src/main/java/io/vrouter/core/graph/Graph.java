package io.vrouter.core.graph;

/**
 * One worker's graph of nodes and the queues between them (VPP's next frames).
 * <p>
 * Overview. {@link #enqueue} appends a slot to a node's queue; {@link #run} calls every node whose
 * queue holds slots, in index order, and repeats the pass until every queue is empty. A node gets its
 * queue's slots as one vector and the graph swaps in an empty array first, so a node may enqueue
 * slots to itself or to nodes before it (a composite next hop whose member is another composite, a
 * VRF translation back to the lookup): they run in the next pass. Every path through the graph is
 * bounded (next-hop depth, one flow decision per packet), so the passes end. Nothing is allocated
 * per batch; one instance per worker thread.
 */
public final class Graph
{
    private final Node[] nodes;
    private int[][] queues;
    private final int[] queued;
    private int[] spare;
    private int pending;

    /**
     * An empty graph.
     *
     * @param nodeCount number of node indices.
     * @param slots     largest number of slots a batch has ({@link PacketBatch#slots()}).
     */
    public Graph(final int nodeCount, final int slots)
    {
        this.nodes = new Node[nodeCount];
        this.queues = new int[nodeCount][slots];
        this.queued = new int[nodeCount];
        this.spare = new int[slots];
    }

    /**
     * Places a node at its index.
     *
     * @param node the node.
     * @throws IllegalStateException if the index is taken or out of range.
     */
    public void add(final Node node)
    {
        if (node.id() < 0 || node.id() >= nodes.length || nodes[node.id()] != null)
        {
            throw new IllegalStateException("node " + node.name() + " cannot take index " + node.id());
        }
        nodes[node.id()] = node;
    }

    /**
     * Checks that every index has a node (after assembly).
     *
     * @throws IllegalStateException naming the first missing index.
     */
    public void checkComplete()
    {
        for (int i = 0; i < nodes.length; i++)
        {
            if (nodes[i] == null)
            {
                throw new IllegalStateException("graph has no node at index " + i);
            }
        }
    }

    /**
     * Number of node indices.
     *
     * @return the count.
     */
    public int size()
    {
        return nodes.length;
    }

    /**
     * The node at an index.
     *
     * @param id index.
     * @return the node.
     */
    public Node node(final int id)
    {
        return nodes[id];
    }

    /**
     * Makes room for a batch's slots (once per batch size; allocates only when a batch with more slots
     * than any before comes).
     *
     * @param slots the batch's {@link PacketBatch#slots()}.
     */
    public void ensureCapacity(final int slots)
    {
        if (slots > spare.length)
        {
            final int[][] grown = new int[nodes.length][];
            for (int i = 0; i < nodes.length; i++)
            {
                grown[i] = java.util.Arrays.copyOf(queues[i], slots);
            }
            queues = grown;
            spare = new int[slots];
        }
    }

    /**
     * Sends a slot to a node.
     *
     * @param batch the slot's batch (records the slot's next node).
     * @param slot  slot index.
     * @param node  the node's index.
     */
    public void enqueue(final PacketBatch batch, final int slot, final int node)
    {
        batch.next(slot, node);
        queues[node][queued[node]++] = slot;
        pending++;
    }

    /**
     * Runs the nodes until every queued slot has left the graph.
     *
     * @param batch the batch whose slots are queued.
     */
    public void run(final PacketBatch batch)
    {
        final Node[] nodes = this.nodes;
        final int[] queued = this.queued;
        while (pending > 0)
        {
            for (int i = 0; i < nodes.length; i++)
            {
                final int count = queued[i];
                if (count == 0)
                {
                    continue;
                }
                final int[] slots = queues[i];
                queues[i] = spare;
                spare = slots;
                queued[i] = 0;
                pending -= count;
                nodes[i].process(batch, slots, count);
            }
        }
    }
}
