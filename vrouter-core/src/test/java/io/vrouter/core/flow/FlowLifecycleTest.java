package io.vrouter.core.flow;

import static io.vrouter.core.flow.FlowNode.A;
import static io.vrouter.core.flow.FlowNode.A2;
import static io.vrouter.core.flow.FlowNode.B;
import static io.vrouter.core.flow.FlowNode.NET_A;
import static io.vrouter.core.flow.FlowNode.NET_B;
import static io.vrouter.core.flow.FlowNode.POD_A;
import static io.vrouter.core.flow.FlowNode.POD_B;
import static io.vrouter.core.flow.FlowNode.tcp;
import static io.vrouter.core.flow.FlowNode.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Rule;
import io.vrouter.core.status.DropReason;

/**
 * Aging with an injected clock, TCP eviction, the per-interface and per-VRF limits, a full table.
 */
class FlowLifecycleTest
{
    static FlowNode node(final FlowTableConfig config) throws Exception
    {
        final FlowNode n = new FlowNode(config);
        n.policy(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, true, true));
        return n;
    }

    @Test
    void shouldAgeIdleFlowsAfter180SecondsAndDropFlowsSooner() throws Exception
    {
        final FlowNode n = node(FlowTableConfig.sized(1024));
        final FlowAger ager = n.vrouter.newFlowAger();
        assertEquals(POD_B, n.send(udp(A, B, 1, 2), A));
        assertEquals(-1, n.send(udp(A, FlowNode.C, 1, 2), A));
        assertEquals(4, n.table.activeEntries());
        n.clock.addAndGet(TimeUnit.SECONDS.toNanos(11));
        assertEquals(1, ager.scanAll(), "the drop pair goes after the drop timeout");
        assertEquals(2, n.table.activeEntries());
        n.clock.addAndGet(TimeUnit.SECONDS.toNanos(100));
        assertEquals(POD_A, n.send(udp(B, A, 2, 1), B), "the reply refreshes the pair");
        n.clock.addAndGet(TimeUnit.SECONDS.toNanos(170));
        assertEquals(0, ager.scanAll(), "idle 170 s: kept");
        n.clock.addAndGet(TimeUnit.SECONDS.toNanos(11));
        assertEquals(1, ager.scanAll(), "idle 181 s: aged");
        assertEquals(0, n.table.activeEntries());
        assertEquals(2, ager.aged());
        assertEquals(0, n.table.vifEntries(POD_A));
        assertEquals(0, n.table.vrfEntries(1));
    }

    @Test
    void shouldEvictTcpFlowsAfterFinBothWaysOrRst() throws Exception
    {
        final FlowNode n = node(FlowTableConfig.sized(1024));
        final FlowAger ager = n.vrouter.newFlowAger();
        assertEquals(POD_B, n.send(tcp(A, B, 40000, 80, 0x02), A));
        assertEquals(POD_A, n.send(tcp(B, A, 80, 40000, 0x12), B));
        assertEquals(POD_B, n.send(tcp(A, B, 40000, 80, 0x11), A), "FIN");
        n.clock.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertEquals(0, ager.scanAll(), "half closed: kept");
        assertEquals(POD_A, n.send(tcp(B, A, 80, 40000, 0x11), B), "FIN back");
        final FlowKey k = new FlowKey().set4(0, 6, A, B, 40000, 80);
        final int fi = n.table.lookup(k, k.hash());
        assertTrue((n.table.intField(fi, FlowTable.E_FLAGS) & FlowAction.FLAG_EVICT_CANDIDATE) != 0);
        assertTrue((n.table.intField(fi, FlowTable.E_TCP_FLAGS) & FlowAction.TCP_DEAD) != 0);
        n.clock.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertEquals(1, ager.scanAll(), "closed both ways: evicted long before 180 s");
        assertEquals(1, ager.evicted());
        assertEquals(POD_B, n.send(tcp(A, B, 40001, 80, 0x02), A));
        assertEquals(POD_A, n.send(tcp(B, A, 80, 40001, 0x04), B), "RST");
        n.clock.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertEquals(1, ager.scanAll());
        assertEquals(0, n.table.activeEntries());
    }

    @Test
    void shouldCountPerInterfaceLimitAndLetOtherInterfacesWork() throws Exception
    {
        final FlowNode n = node(FlowTableConfig.sized(1024).withLimits(10, 1000));
        for (int port = 1; port <= 5; port++)
        {
            assertEquals(POD_B, n.send(udp(A, B, port, 53), A), "flow " + port);
        }
        assertEquals(10, n.table.vifEntries(POD_A));
        for (int port = 6; port <= 50; port++)
        {
            assertEquals(-1, n.send(udp(A, B, port, 53), A));
        }
        assertEquals(45, n.drops(DropReason.FLOW_VIF_LIMIT));
        assertEquals(45, n.vrouter.drops(POD_A, DropReason.FLOW_VIF_LIMIT));
        assertEquals(POD_B, n.send(udp(A, B, 1, 53), A), "established flows keep working");
        assertEquals(POD_A, n.send(udp(B, A, 53, 3), B), "their replies too");
        assertEquals(POD_A, n.send(udp(B, A, 7000, 9), B), "another interface sets up new flows");
        assertEquals(POD_A, n.send(udp(A2, A, 5, 6), A2), "and another interface in the same VRF");
        assertEquals(14, n.table.activeEntries());
    }

    @Test
    void shouldCountPerVrfLimit() throws Exception
    {
        final FlowNode n = node(FlowTableConfig.sized(1024).withLimits(1000, 4));
        assertEquals(POD_B, n.send(udp(A, B, 1, 53), A));
        assertEquals(POD_B, n.send(udp(A, B, 2, 53), A));
        assertEquals(-1, n.send(udp(A2, B, 3, 53), A2));
        assertEquals(1, n.drops(DropReason.FLOW_VRF_LIMIT));
        assertEquals(POD_A, n.send(udp(B, A, 9, 9), B), "VRF 2 is not affected");
    }

    @Test
    void shouldDropAndCountWhenTheTableIsFullWithoutEvictingEstablishedFlows() throws Exception
    {
        final FlowTableConfig tiny = new FlowTableConfig(8, 0, 1000, 1000, 10, TimeUnit.SECONDS.toNanos(180),
            TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(2));
        final FlowNode n = node(tiny);
        int passed = 0;
        for (int port = 1; port <= 64; port++)
        {
            if (n.send(udp(A, B, port, 53), A) == POD_B)
            {
                passed++;
            }
        }
        assertTrue(passed >= 1 && passed <= 4, "8 entries hold at most 4 pairs, got " + passed);
        assertEquals(64 - passed, n.drops(DropReason.FLOW_TABLE_FULL));
        assertEquals(passed * 2, n.table.activeEntries());
        int still = 0;
        for (int port = 1; port <= 64; port++)
        {
            if (n.send(udp(A, B, port, 53), A) == POD_B)
            {
                still++;
            }
        }
        assertEquals(passed, still, "every established flow still forwards");
    }

    @Test
    void shouldRefuseNewFlowsOnAnInterfaceWithDropNewFlows() throws Exception
    {
        final FlowNode n = node(FlowTableConfig.sized(1024));
        assertEquals(POD_B, n.send(udp(A, B, 1, 2), A));
        n.t.vif(POD_A, io.vrouter.core.iface.VifType.VIRTUAL, 1, io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC, 9000,
            io.vrouter.core.iface.VifFlags.POLICY_ENABLED | io.vrouter.core.iface.VifFlags.DROP_NEW_FLOWS);
        assertEquals(POD_B, n.send(udp(A, B, 1, 2), A), "existing flow");
        assertEquals(-1, n.send(udp(A, B, 3, 2), A));
        assertEquals(1, n.drops(DropReason.NEW_FLOWS));
    }

    @Test
    void shouldUseTheFlowsStoredTunnelSourcePort() throws Exception
    {
        final FlowNode n = node(FlowTableConfig.sized(1024));
        assertEquals(POD_B, n.send(udp(A, B, 1234, 80), A));
        final FlowKey k = new FlowKey().set4(0, 17, A, B, 1234, 80);
        final int fi = n.table.lookup(k, k.hash());
        assertEquals(io.vrouter.encap.EntropyHash.portFromHash(io.vrouter.encap.EntropyHash.ipHash(A, B, 1, 1234, 80)),
            n.table.intField(fi, FlowTable.E_UDP_SPORT));
        final int ri = n.table.intField(fi, FlowTable.E_RFLOW);
        assertEquals(fi, n.table.intField(ri, FlowTable.E_RFLOW), "linked both ways");
        assertEquals(1, n.table.longField(fi, FlowTable.E_PACKETS));
    }
}
