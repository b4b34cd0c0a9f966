package io.vrouter.core.forward;

import io.vrouter.core.fib.Fib6Leaf;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.status.ForwardingCounters;
import io.vrouter.core.status.VrfStat;

/**
 * Whether and with which MAC the vRouter answers an ARP request or a neighbour solicitation, per the
 * reference's proxy matrix (§2.1 step 2): the interface's own MAC when it proxies everything (flag Mp);
 * the route's stitched MAC or the interface's MAC when the target's route has the proxy flag; else
 * Contrail would flood, which this forwarder, without flood trees, counts and drops.
 */
final class NeighborProxy
{
    private NeighborProxy()
    {
    }

    /**
     * The MAC to answer with.
     *
     * @param vif        the asking interface.
     * @param leaf       the FIB leaf of the target address in the interface's VRF.
     * @param ipv6       whether the leaf is an IPv6 one.
     * @param fibEntries route data behind entry leaves.
     * @param counters   where the decision is counted (per VRF).
     * @return the MAC, or -1 when Contrail would flood.
     */
    static long proxyMac(final Vif vif, final int leaf, final boolean ipv6, final FibEntries fibEntries,
        final ForwardingCounters counters)
    {
        final int vrf = vif.vrf();
        if (vif.hasFlag(VifFlags.MAC_PROXY))
        {
            counters.countVrf(vrf, VrfStat.ARP_VIRTUAL_PROXY);
            return vif.mac();
        }
        final int flags = ipv6 ? Fib6Leaf.labelFlags(leaf, fibEntries) : FibLeaf.labelFlags(leaf, fibEntries);
        if ((flags & RouteFlags.ARP_PROXY) != 0)
        {
            final long stitched = ipv6 ? Fib6Leaf.mac(leaf, fibEntries) : FibLeaf.mac(leaf, fibEntries);
            if (stitched != 0)
            {
                counters.countVrf(vrf, VrfStat.ARP_VIRTUAL_STITCH);
                return stitched;
            }
            if ((flags & RouteFlags.ARP_FLOOD) == 0)
            {
                counters.countVrf(vrf, VrfStat.ARP_VIRTUAL_PROXY);
                return vif.mac();
            }
        }
        counters.countVrf(vrf, VrfStat.ARP_VIRTUAL_FLOOD);
        return -1;
    }
}
