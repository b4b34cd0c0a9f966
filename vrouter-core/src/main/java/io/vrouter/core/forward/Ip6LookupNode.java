package io.vrouter.core.forward;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.Fib6Leaf;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.wire.Ipv6Header;

/**
 * {@code ip6-lookup}: IPv6 longest-prefix match of the destination in the slot's VRF (reference §1.4,
 * §2.1 step 6): the leaf gives the next hop and, for routes with a valid label, the label to push.
 * <p>Reads: {@code vrf}, {@code l3}, the destination address. Writes: {@code nh}, {@code label}.
 * <p>Next: the next hop's L3 node ({@link io.vrouter.core.nh.NextHop#l3Node()}). Drops: Invalid NH (the
 * route's next hop is gone or not valid), Packet Loop (too many next-hop indirections).
 */
final class Ip6LookupNode extends Node
{
    private final Datapath dp;
    private final FibEntries entries;

    Ip6LookupNode(final Datapath dp)
    {
        super(NodeIds.IP6_LOOKUP, NodeIds.fixedName(NodeIds.IP6_LOOKUP));
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
            final int leaf = dp.fibs().lookup6(batch.vrf(slot), Ipv6Header.dstAddressHi(buf, l3),
                Ipv6Header.dstAddressLo(buf, l3));
            final int nhId = Fib6Leaf.nhId(leaf, entries);
            final int label = (Fib6Leaf.labelFlags(leaf, entries) & RouteFlags.LABEL_VALID) != 0
                ? Fib6Leaf.label(leaf, entries) : RouteFlags.NO_LABEL;
            batch.label(slot, label);
            dp.toNextHop(batch, slot, nhId);
        }
    }
}
