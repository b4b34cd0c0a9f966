package io.vrouter.core.graph;

/**
 * One worker's graph of nodes and the queues between them (VPP's next frames).
 * <p>
 * Overview. A node marks where each slot of its vector goes next ({@link #enqueue}: one store into
 * the batch's per-slot next-node array); when the node returns, the graph moves the slots to their next
 * nodes' queues, a run of consecutive slots bound for the same node at a time (VPP's
 * {@code vlib_buffer_enqueue_to_next}). Marking instead of appending keeps the per-slot cost to one
 * independent store: appending to a queue from inside the node's loop makes every slot wait for the
 * previous slot's update of the queue's count. Slots that did not exist when the node started (mirror
 * copies, packets re-injected from the hold queue) enter a queue directly ({@link #inject}).
 * <p>
 * {@link #run} calls every node whose queue holds slots, in index order, and repeats the pass until a
 * pass finds every queue empty. A node gets its queue as one vector and the graph swaps in an empty
 * array first, so a node may send slots to itself or to nodes before it (an interface next hop with the
 * policy flag to the flow node, a VRF translation back to the lookup): they run in the next pass.
 * Every path through the graph is bounded (next-hop depth, one flow decision per packet), so the passes
 * end. A node must send on or end every slot of its vector; should one fail to (a bug), the slot would
 * come back to it pass after pass, so after {@link #MAX_PASSES} passes the graph hands what is left to
 * its leak handler, which drops and counts it. Nothing is allocated per batch; one instance per worker
 * thread.
 */
public final class Graph
{
    /**
     * Passes after which slots still in the graph are taken as lost by a node (a packet needs a few: one
     * more for each detour to an earlier node, such as the flow node or a VRF translation).
     */
    public static final int MAX_PASSES = 64;

    /** What happens to a slot that is still in the graph after {@link #MAX_PASSES} passes. */
    @FunctionalInterface
    public interface LeakHandler
    {
        /**
         * Ends a slot the graph gave up on.
         *
         * @param batch the batch.
         * @param slot  the slot.
         */
        void onLeak(PacketBatch batch, int slot);
    }

    private final Node[] nodes;
    private int[][] queues;
    private final int[] queued;
    private int[] spare;
    private int[] identity;
    private final boolean[] inOrder;
    private int[][] filled;
    private LeakHandler leakHandler = (batch, slot) -> batch.drop(slot);
    private final int[] single = new int[1];
    private Node[] observedNodes;
    private Observer observedFor;

    /**
     * Watches each slot go through each node, in {@link #run(PacketBatch, int, int, Observer)} (packet
     * trace). Called on the
     * worker's thread; may allocate (an observed run is a diagnostic, never the packet path).
     */
    public interface Observer
    {
        /**
         * A node is about to process one slot.
         *
         * @param node  the node.
         * @param batch the batch.
         * @param slot  the slot.
         */
        void before(Node node, PacketBatch batch, int slot);

        /**
         * The node has processed the slot: {@link PacketBatch#next(int)} is where it sent it, or
         * {@link PacketBatch#DONE} when it ended it (sent, dropped, held).
         *
         * @param node  the node.
         * @param batch the batch.
         * @param slot  the slot.
         */
        void after(Node node, PacketBatch batch, int slot);
    }

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
        this.identity = identity(slots);
        this.inOrder = new boolean[nodeCount];
        this.filled = filled(nodeCount, slots);
    }

    /** For each node index and {@link PacketBatch#DONE} (at 0), an array of it, to compare marks with. */
    private static int[][] filled(final int nodeCount, final int slots)
    {
        final int[][] arrays = new int[nodeCount + 1][slots];
        for (int i = 0; i <= nodeCount; i++)
        {
            java.util.Arrays.fill(arrays[i], i - 1);
        }
        return arrays;
    }

    private static int[] identity(final int slots)
    {
        final int[] ids = new int[slots];
        for (int i = 0; i < slots; i++)
        {
            ids[i] = i;
        }
        return ids;
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
        observedFor = null;
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
            identity = identity(slots);
            filled = filled(nodes.length, slots);
        }
    }

    /**
     * Sends a slot of the running node's vector to a node: marks it, and the graph moves it when the
     * running node returns.
     *
     * @param batch the slot's batch.
     * @param slot  slot index, one of the running node's vector.
     * @param node  the next node's index.
     */
    public void enqueue(final PacketBatch batch, final int slot, final int node)
    {
        batch.next(slot, node);
    }

    /**
     * Puts a new slot (a mirror copy, a re-injected packet) straight into a node's queue.
     *
     * @param batch the slot's batch.
     * @param slot  slot index, in no node's vector.
     * @param node  the node's index.
     */
    public void inject(final PacketBatch batch, final int slot, final int node)
    {
        batch.next(slot, PacketBatch.DONE);
        queues[node][queued[node]++] = slot;
        inOrder[node] = false;
    }

    /**
     * Runs the nodes until every queued slot has left the graph: passes over the nodes in index order
     * until a pass finds every queue empty.
     *
     * @param batch the batch whose slots are queued.
     */
    public void run(final PacketBatch batch)
    {
        run(batch, nodes);
    }

    /**
     * The passes over the queues, with the nodes given: the graph's own, or the same nodes wrapped for an
     * observer. Either way the loop makes one virtual call per node vector, so a traced run leaves no branch
     * or profile behind in the packet path's compiled loop.
     */
    private void run(final PacketBatch batch, final Node[] nodes)
    {
        final int[] queued = this.queued;
        boolean work = true;
        int passes = 0;
        while (work)
        {
            if (++passes > MAX_PASSES)
            {
                abandon(batch);
                return;
            }
            work = false;
            for (int i = 0; i < nodes.length; i++)
            {
                final int count = queued[i];
                if (count == 0)
                {
                    continue;
                }
                work = true;
                final int[] slots = queues[i];
                queues[i] = spare;
                spare = slots;
                queued[i] = 0;
                final boolean ordered = inOrder[i];
                inOrder[i] = false;
                nodes[i].process(batch, slots, count);
                moveOn(batch, slots, count, ordered);
            }
        }
    }

    /**
     * Sets what happens to slots still in the graph after {@link #MAX_PASSES} passes (by default they are
     * marked dropped, uncounted).
     *
     * @param handler the handler; must not allocate.
     */
    public void leakHandler(final LeakHandler handler)
    {
        this.leakHandler = handler;
    }

    private void abandon(final PacketBatch batch)
    {
        for (int node = 0; node < nodes.length; node++)
        {
            final int[] queue = queues[node];
            for (int i = 0; i < queued[node]; i++)
            {
                batch.next(queue[i], PacketBatch.DONE);
                leakHandler.onLeak(batch, queue[i]);
            }
            queued[node] = 0;
            inOrder[node] = false;
        }
    }

    /**
     * Runs the graph on the first {@code count} slots of a batch, all entering at one node: that node gets
     * them as one vector without a queue, then the graph runs until every slot has left it.
     *
     * @param batch the batch.
     * @param entry the node every slot enters at.
     * @param count number of slots, from slot 0.
     */
    public void run(final PacketBatch batch, final int entry, final int count)
    {
        run(batch, entry, count, null);
    }

    /**
     * {@link #run(PacketBatch, int, int)} with an observer: the same passes over the same queues, but each
     * node gets the slots of its vector one at a time, with the observer called before and after each
     * (so that what a node did is seen slot by slot: the packet trace). Slower; with a null observer it is
     * the packet path's run.
     *
     * @param batch    the batch.
     * @param entry    the node every slot enters at.
     * @param count    number of slots, from slot 0.
     * @param observer the observer, or null for none.
     */
    public void run(final PacketBatch batch, final int entry, final int count, final Observer observer)
    {
        final Node[] use = null == observer ? nodes : observed(observer);
        for (int slot = 0; slot < count; slot++)
        {
            batch.next(slot, PacketBatch.DONE);
        }
        use[entry].process(batch, identity, count);
        moveOn(batch, identity, count, true);
        run(batch, use);
    }

    /** The graph's nodes wrapped for an observer (made when the observer changes: a traced run, not per packet). */
    private Node[] observed(final Observer observer)
    {
        if (observedFor != observer)
        {
            final Node[] wrapped = new Node[nodes.length];
            for (int i = 0; i < nodes.length; i++)
            {
                wrapped[i] = null == nodes[i] ? null : new ObservedNode(nodes[i], observer, single);
            }
            observedNodes = wrapped;
            observedFor = observer;
        }
        return observedNodes;
    }

    /** A node whose vector is processed one slot at a time between the observer's calls (the packet trace). */
    private static final class ObservedNode extends Node
    {
        private final Node node;
        private final Observer observer;
        private final int[] single;

        ObservedNode(final Node node, final Observer observer, final int[] single)
        {
            super(node.id(), node.name());
            this.node = node;
            this.observer = observer;
            this.single = single;
        }

        @Override
        public void process(final PacketBatch batch, final int[] slots, final int count)
        {
            for (int k = 0; k < count; k++)
            {
                final int slot = slots[k];
                single[0] = slot;
                observer.before(node, batch, slot);
                node.process(batch, single, 1);
                observer.after(node, batch, slot);
            }
        }
    }

    /**
     * Moves the slots a node marked to their next nodes' queues, a run of slots bound for one node at a
     * time. The mark stays: the next node overwrites it when it sends the slot on, and the actions that
     * end a slot (sent, dropped, held) set it to {@link PacketBatch#DONE}.
     * <p>The common case has a shortcut: a vector of slots 0 to count - 1 in order (a batch entering the
     * graph, and every vector that moved on whole since) whose slots all go to one node, or all end,
     * needs no walk over the slots: the marks are compared with a vectorized compare of the mark array
     * (indexed by slot, here also by position) with an array of that node's index, and the vector is
     * copied to the node's queue whole when that queue is empty.
     *
     * @param ordered whether {@code slots} holds slots 0 to count - 1 in order.
     */
    private void moveOn(final PacketBatch batch, final int[] slots, final int count, final boolean ordered)
    {
        if (ordered && count > 0)
        {
            final int node = batch.next(0);
            if (batch.nextAll(count, filled[node + 1]))
            {
                if (node == PacketBatch.DONE)
                {
                    return;
                }
                if (queued[node] == 0)
                {
                    System.arraycopy(slots, 0, queues[node], 0, count);
                    queued[node] = count;
                    inOrder[node] = true;
                    return;
                }
            }
        }
        int i = 0;
        while (i < count)
        {
            final int node = batch.next(slots[i]);
            if (node == PacketBatch.DONE)
            {
                i++;
                continue;
            }
            final int[] queue = queues[node];
            int tail = queued[node];
            do
            {
                queue[tail++] = slots[i];
                i++;
            }
            while (i < count && batch.next(slots[i]) == node);
            queued[node] = tail;
            inOrder[node] = false;
        }
    }
}
