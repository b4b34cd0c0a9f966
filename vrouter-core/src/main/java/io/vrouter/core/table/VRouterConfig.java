package io.vrouter.core.table;

import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.nh.NextHopMap;
import io.vrouter.core.nh.NextHopTable;

/**
 * Table sizes and forwarding options, with Contrail's defaults (reference §1.1).
 *
 * @param interfaces     interface slots (Contrail: 4,355).
 * @param nextHops       next-hop ids (524,288).
 * @param vrfs           VRFs (4,096; at most 65,536).
 * @param labels         MPLS labels (5,120).
 * @param bridgeEntries  bridge entries (256 K).
 * @param vnis           VXLAN VNIs served.
 * @param mirrors        mirror entries (255).
 * @param fibEntries     distinct (next hop, label, flags, MAC) route data the FIBs can hold.
 * @param batchSize      packets per batch.
 * @param maxFrame       largest frame a batch slot holds.
 * @param mockPmdPorts   whether physical/host interfaces on the PMD transport are mock devices
 *                       (the replay harness: there is no NIC behind them), flagged as vtest expects.
 * @param mssClamp       whether TCP SYNs from pods routed into a tunnel get their MSS clamped.
 */
public record VRouterConfig(
    int interfaces,
    int nextHops,
    int vrfs,
    int labels,
    int bridgeEntries,
    int vnis,
    int mirrors,
    int fibEntries,
    int batchSize,
    int maxFrame,
    boolean mockPmdPorts,
    boolean mssClamp)
{
    /** Most VRFs a forwarder supports. */
    public static final int MAX_VRFS = 65536;

    /**
     * Validates the sizes.
     */
    public VRouterConfig
    {
        if (interfaces < 1 || nextHops < 1 || vrfs < 1 || vrfs > MAX_VRFS || labels < 1 || bridgeEntries < 1
            || vnis < 1 || mirrors < 1 || fibEntries < 1 || batchSize < 1 || maxFrame < 64)
        {
            throw new IllegalArgumentException("invalid vrouter configuration: " + this);
        }
    }

    /**
     * Contrail's defaults, mock PMD ports as in vtest.
     *
     * @return the configuration.
     */
    public static VRouterConfig defaults()
    {
        return new VRouterConfig(
            InterfaceTable.DEFAULT_SIZE,
            NextHopTable.DEFAULT_SIZE,
            4096,
            NextHopMap.DEFAULT_LABELS,
            BridgeTable.DEFAULT_ENTRIES,
            NextHopMap.DEFAULT_VNIS,
            NextHopMap.DEFAULT_MIRRORS,
            1 << 20,
            64,
            10240,
            true,
            true);
    }
}
