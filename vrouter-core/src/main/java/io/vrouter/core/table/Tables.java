package io.vrouter.core.table;

import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.Ip4Fib;
import io.vrouter.core.fib.ReaderEpochs;
import io.vrouter.core.fib.VrfFibs;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.nh.MirrorTable;
import io.vrouter.core.nh.NextHopMap;
import io.vrouter.core.nh.NextHopTable;

/**
 * Every forwarding table of one forwarder. Written by one thread (the conductor, through
 * {@link io.vrouter.core.control.Programmer}), read lock-free by the forwarding workers.
 *
 * @param config     sizes and options.
 * @param interfaces vif index to interface.
 * @param nextHops   NH id to next hop.
 * @param fibs       per-VRF IPv4 and IPv6 FIBs.
 * @param fibEntries route data shared by the FIB leaves (next hop, label, flags, MAC).
 * @param bridge     (VRF, MAC) to next hop and label.
 * @param labels     incoming MPLS label to next hop.
 * @param vxlan      VNI to next hop.
 * @param mirrors    mirror index to next hop, mirror flags and VNI.
 */
public record Tables(
    VRouterConfig config,
    InterfaceTable interfaces,
    NextHopTable nextHops,
    VrfFibs fibs,
    FibEntries fibEntries,
    BridgeTable bridge,
    NextHopMap labels,
    NextHopMap vxlan,
    MirrorTable mirrors)
{
    /**
     * Empty tables sized by a configuration.
     *
     * @param config sizes.
     * @return the tables.
     */
    public static Tables create(final VRouterConfig config)
    {
        final ReaderEpochs epochs = new ReaderEpochs(ReaderEpochs.DEFAULT_MAX_READERS);
        final VrfFibs fibs = new VrfFibs(config.vrfs(),
            new FibEntries(config.fibEntries(), Ip4Fib.DEFAULT_GRACE_NS, epochs), epochs);
        return new Tables(
            config,
            new InterfaceTable(config.interfaces()),
            new NextHopTable(config.nextHops()),
            fibs,
            fibs.entries(),
            new BridgeTable(config.bridgeEntries()),
            new NextHopMap(config.labels()),
            new NextHopMap(config.vnis()),
            new MirrorTable(config.mirrors()));
    }
}
