package io.vrouter.core.forward;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.status.DropReason;

/**
 * {@code nowhere-to-go}: where a next hop of a kind that cannot carry the packet sends it (an L2-receive
 * next hop as a route, a composite or receive next hop in the bridge table, anything but an interface for
 * a frame out of a tunnel): dropped as tf-vrouter does, {@code Nowhere To Go}.
 * <p>Reads: nothing. Writes: nothing. Next: none. Drops: Nowhere To Go.
 */
final class NowhereNode extends Node
{
    private final Datapath dp;

    NowhereNode(final Datapath dp)
    {
        super(NodeIds.NOWHERE, NodeIds.fixedName(NodeIds.NOWHERE));
        this.dp = dp;
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            dp.drop(batch, slots[i], DropReason.NOWHERE_TO_GO);
        }
    }
}
