package io.vrouter.core.forward;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.Fib6Leaf;
import io.vrouter.core.fib.Ip6Fib;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.fib.VrfFibs;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.wire.Ipv6Header;

/**
 * {@code ip6-lookup}: IPv6 longest-prefix match of the destination in the slot's VRF (reference §1.4,
 * §2.1 step 6): the leaf gives the next hop and, for routes with a valid label, the label to push. The
 * vector is looked up in runs of slots that share a VRF, with the FIB's bulk lookup, so that the memory
 * misses of different packets overlap (the way {@code rte_lpm_lookup_bulk} does).
 * <p>Reads: {@code vrf}, {@code l3}, the destination address. Writes: {@code nh}, {@code label}.
 * <p>Next: the next hop's L3 node ({@link io.vrouter.core.nh.NextHop#l3Node()}). Drops: Invalid NH (the
 * route's next hop is gone or not valid), Packet Loop (too many next-hop indirections).
 */
final class Ip6LookupNode extends Node
{
    private final Datapath dp;
    private final VrfFibs fibs;
    private final FibEntries entries;
    private long[] his;
    private long[] los;
    private int[] leaves;

    Ip6LookupNode(final Datapath dp, final int capacity)
    {
        super(NodeIds.IP6_LOOKUP, NodeIds.fixedName(NodeIds.IP6_LOOKUP));
        this.dp = dp;
        this.fibs = dp.fibs();
        this.entries = dp.fibEntries();
        this.his = new long[capacity];
        this.los = new long[capacity];
        this.leaves = new int[capacity];
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        if (count > leaves.length)
        {
            his = new long[count];
            los = new long[count];
            leaves = new int[count];
        }
        final FibEntries entries = this.entries;
        final NextHopTable nextHops = dp.nextHops();
        int lastNhId = -1;
        NextHop lastNh = null;
        int first = 0;
        while (first < count)
        {
            final int vrf = batch.vrf(slots[first]);
            int n = 0;
            while (first + n < count && batch.vrf(slots[first + n]) == vrf)
            {
                final int slot = slots[first + n];
                final UnsafeBuffer buf = batch.buffer(slot);
                final int l3 = batch.l3(slot);
                his[n] = Ipv6Header.dstAddressHi(buf, l3);
                los[n] = Ipv6Header.dstAddressLo(buf, l3);
                n++;
            }
            final Ip6Fib fib = fibs.ip6(vrf);
            if (fib == null)
            {
                java.util.Arrays.fill(leaves, 0, n, Fib6Leaf.DISCARD);
            }
            else
            {
                fib.lookup(his, los, leaves, n);
            }
            for (int k = 0; k < n; k++)
            {
                final int slot = slots[first + k];
                final int leaf = leaves[k];
                final int nhId = Fib6Leaf.nhId(leaf, entries);
                final int label = (Fib6Leaf.labelFlags(leaf, entries) & RouteFlags.LABEL_VALID) != 0
                    ? Fib6Leaf.label(leaf, entries) : RouteFlags.NO_LABEL;
                batch.label(slot, label);
                if (nhId != lastNhId)
                {
                    lastNh = nextHops.get(nhId);
                    lastNhId = nhId;
                }
                dp.toNextHop(batch, slot, nhId, lastNh);
            }
            first += n;
        }
    }
}
