package io.vrouter.core.forward;

import io.vrouter.core.bridge.BridgeEntry;
import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.status.DropReason;
import io.vrouter.wire.MacAddress;

/**
 * {@code bridge-lookup}: (VRF, destination MAC) to a bridge entry and its next hop (reference §2.1 step 4).
 * From a pod, a multicast destination is looked up as broadcast; the gateway MAC's entry is an L2-receive
 * next hop, which turns bridging into routing.
 * <p>Reads: the frame's destination MAC, {@code vrf}, {@code F_FROM_FABRIC}; the entry once per run of slots
 * with the same (VRF, MAC). Writes: {@code nh} = the
 * entry's next hop, {@code label} = the entry's label when it has a valid one, {@code F_L2}.
 * <p>Next: the next hop's L2 node ({@link NextHop#l2Node()}). Drops: L2 No Route (no entry), Invalid NH.
 */
final class BridgeLookupNode extends Node
{
    private static final long MULTICAST_BIT = 0x010000000000L;
    private static final long BROADCAST_MAC = 0xFFFFFFFFFFFFL;

    private final Datapath dp;
    private final BridgeTable bridge;
    private final NextHopTable nextHops;

    BridgeLookupNode(final Datapath dp)
    {
        super(NodeIds.BRIDGE_LOOKUP, NodeIds.fixedName(NodeIds.BRIDGE_LOOKUP));
        this.dp = dp;
        this.bridge = dp.bridge();
        this.nextHops = dp.nextHops();
    }

    @Override
    public void process(final PacketBatch batch, final int[] slots, final int count)
    {
        // The frames of a vector mostly go to one MAC (the gateway's, from a pod): the entry and its next
        // hop are looked up once per run of slots with the same (VRF, MAC).
        int lastVrf = -1;
        long lastMac = -1;
        BridgeEntry be = null;
        NextHop nh = null;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            long dmac = MacAddress.read(batch.buffer(slot), batch.offset(slot));
            if ((dmac & MULTICAST_BIT) != 0 && !batch.hasFlag(slot, PacketBatch.F_FROM_FABRIC))
            {
                dmac = BROADCAST_MAC;
            }
            final int vrf = batch.vrf(slot);
            if (vrf != lastVrf || dmac != lastMac)
            {
                be = bridge.lookup(vrf, dmac);
                nh = be == null ? null : nextHops.get(be.nhId());
                lastVrf = vrf;
                lastMac = dmac;
            }
            if (be == null)
            {
                dp.drop(batch, slot, DropReason.L2_NO_ROUTE);
                continue;
            }
            if (nh == null || !nh.isValid())
            {
                dp.drop(batch, slot, DropReason.INVALID_NH);
                continue;
            }
            batch.nh(slot, be.nhId());
            batch.label(slot, (be.flags() & BridgeEntry.FLAG_LABEL_VALID) != 0 ? be.label() : RouteFlags.NO_LABEL);
            batch.setFlags(slot, PacketBatch.F_L2);
            dp.next(batch, slot, nh.l2Node());
        }
    }
}
