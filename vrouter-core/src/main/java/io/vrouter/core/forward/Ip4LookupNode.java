package io.vrouter.core.forward;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.Ip4Fib;
import io.vrouter.core.fib.VrfFibs;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.wire.Ipv4Header;

/**
 * {@code ip4-lookup}: IPv4 longest-prefix match of the destination in the slot's VRF (reference §1.4,
 * §2.1 step 6): the leaf gives the next hop and, for routes with a valid label, the label to push. The
 * vector is looked up in runs of slots that share a VRF, with the FIB's bulk lookup, so that the memory
 * misses of different packets overlap (the way {@code rte_lpm_lookup_bulk} does).
 * <p>Reads: {@code vrf}, {@code l3}, the destination address. Writes: {@code nh}, {@code label} (the leaves of a
 * run resolved to next hops and labels in one pass over the FIB entries).
 * <p>Next: the next hop's L3 node ({@link io.vrouter.core.nh.NextHop#l3Node()}). Drops: Invalid NH (the
 * route's next hop is gone or not valid), Packet Loop (too many next-hop indirections).
 */
final class Ip4LookupNode extends Node
{
    private final Datapath dp;
    private final VrfFibs fibs;
    private final FibEntries entries;
    private int[] addresses;
    private int[] leaves;
    private int[] labels;

    Ip4LookupNode(final Datapath dp, final int capacity)
    {
        super(NodeIds.IP4_LOOKUP, NodeIds.fixedName(NodeIds.IP4_LOOKUP));
        this.dp = dp;
        this.fibs = dp.fibs();
        this.entries = dp.fibEntries();
        this.addresses = new int[capacity];
        this.leaves = new int[capacity];
        this.labels = new int[capacity];
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        if (count > leaves.length)
        {
            addresses = new int[count];
            leaves = new int[count];
            labels = new int[count];
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
                addresses[n] = Ipv4Header.dstAddress(batch.buffer(slot), batch.l3(slot));
                n++;
            }
            final Ip4Fib fib = fibs.ip4(vrf);
            if (fib == null)
            {
                java.util.Arrays.fill(leaves, 0, n, FibLeaf.DISCARD);
            }
            else
            {
                fib.lookup(addresses, leaves, n);
            }
            entries.resolve(leaves, labels, n);
            for (int k = 0; k < n; k++)
            {
                final int slot = slots[first + k];
                final int nhId = leaves[k];
                batch.label(slot, labels[k]);
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
