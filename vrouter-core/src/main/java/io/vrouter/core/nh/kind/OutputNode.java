package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.PacketBatch;
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

    /**
     * The slot's next hop, if it still sends this slot's kind of traffic (routed, bridged, mirrored)
     * through this node.
     *
     * @param batch the batch.
     * @param slot  slot index.
     * @return the next hop, or null.
     */
    protected final NextHop nextHop(final PacketBatch batch, final int slot)
    {
        final NextHop nh = dp.nextHops().get(batch.nh(slot));
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
