package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.nh.NextHop;

/**
 * What the output nodes of next-hop kinds share: the worker's datapath, and reading the slot's next hop
 * again, checked to still send through this node (it may have been replaced since it was chosen).
 */
abstract class OutputNode extends Node
{
    /** The worker's datapath. */
    protected final Datapath dp;

    OutputNode(final int id, final String name, final Datapath dp)
    {
        super(id, name);
        this.dp = dp;
    }

    private int cachedId = -1;
    private NextHop cached;
    private int cachedOif = -1;
    private Vif cachedOut;

    /**
     * Forgets the next hop {@link #nextHop} remembered: called at the start of every vector, so that a
     * next hop reprogrammed between two batches is read again.
     */
    protected final void newVector()
    {
        cachedId = -1;
        cached = null;
        cachedOif = -1;
        cachedOut = null;
    }

    /**
     * An output interface, read once per run of slots that leave by the same one.
     *
     * @param oif interface index.
     * @return the interface, or null when there is none.
     */
    protected final Vif outInterface(final int oif)
    {
        if (oif != cachedOif)
        {
            cachedOut = dp.interfaces().get(oif);
            cachedOif = oif;
        }
        return cachedOut;
    }

    /**
     * The slot's next hop, if it still sends this slot's kind of traffic (routed, bridged, mirrored)
     * through this node. Slots of a vector mostly share their next hop: it is read once per run of
     * slots with the same one.
     *
     * @param batch the batch.
     * @param slot  slot index.
     * @return the next hop, or null.
     */
    protected final NextHop nextHop(final PacketBatch batch, final int slot)
    {
        final int id = batch.nh(slot);
        final NextHop nh;
        if (id == cachedId)
        {
            nh = cached;
        }
        else
        {
            nh = dp.nextHops().get(id);
            cachedId = id;
            cached = nh;
        }
        if (nh == null)
        {
            return null;
        }
        final int flags = batch.flags(slot);
        final int node = (flags & PacketBatch.F_MIRROR) != 0 ? nh.mirrorNode()
            : (flags & PacketBatch.F_L2) != 0 ? nh.l2Node() : nh.l3Node();
        return node == id() ? nh : null;
    }
}
