package io.vrouter.core.forward;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.wire.Ipv4Header;

/**
 * {@code ip4-lookup}: IPv4 longest-prefix match of the destination in the slot's VRF (reference §1.4,
 * §2.1 step 6): the leaf gives the next hop and, for routes with a valid label, the label to push.
 * <p>Reads: {@code vrf}, {@code l3}, the destination address. Writes: {@code nh}, {@code label}.
 * <p>Next: the next hop's L3 node ({@link io.vrouter.core.nh.NextHop#l3Node()}). Drops: Invalid NH (the
 * route's next hop is gone or not valid), Packet Loop (too many next-hop indirections).
 */
final class Ip4LookupNode extends Node
{
    private final Datapath dp;
    private final FibEntries entries;

    Ip4LookupNode(final Datapath dp)
    {
        super(NodeIds.IP4_LOOKUP, NodeIds.fixedName(NodeIds.IP4_LOOKUP));
        this.dp = dp;
        this.entries = dp.fibEntries();
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        final FibEntries entries = this.entries;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final UnsafeBuffer buf = batch.buffer(slot);
            final int l3 = batch.l3(slot);
            final int leaf = dp.fibs().lookup4(batch.vrf(slot), Ipv4Header.dstAddress(buf, l3));
            final int nhId;
            final int label;
            if (FibLeaf.isEntry(leaf))
            {
                final int entry = FibLeaf.value(leaf);
                nhId = entries.nhId(entry);
                label = (entries.labelFlags(entry) & RouteFlags.LABEL_VALID) != 0 ? entries.label(entry)
                    : RouteFlags.NO_LABEL;
            }
            else
            {
                nhId = FibLeaf.value(leaf);
                label = RouteFlags.NO_LABEL;
            }
            batch.label(slot, label);
            dp.toNextHop(batch, slot, nhId);
        }
    }
}
