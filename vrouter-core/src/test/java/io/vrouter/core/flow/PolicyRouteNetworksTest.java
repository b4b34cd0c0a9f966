package io.vrouter.core.flow;

import static io.vrouter.core.flow.FlowNode.A;
import static io.vrouter.core.flow.FlowNode.A2;
import static io.vrouter.core.flow.FlowNode.B;
import static io.vrouter.core.flow.FlowNode.C;
import static io.vrouter.core.flow.FlowNode.NET_A;
import static io.vrouter.core.flow.FlowNode.NET_B;
import static io.vrouter.core.flow.FlowNode.NET_C;
import static io.vrouter.core.flow.FlowNode.POD_A2;
import static io.vrouter.core.flow.FlowNode.POD_B;
import static io.vrouter.core.flow.FlowNode.POD_C;
import static io.vrouter.core.flow.FlowNode.udp;
import static io.vrouter.core.testing.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.flow.PolicyTable.Cidr;
import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Network;
import io.vrouter.core.flow.PolicyTable.RouteNetwork;
import io.vrouter.core.flow.PolicyTable.Rule;

/**
 * Destination networks from routes: isolated namespaces' networks drawing on one pod pool
 * (every network here has the same 10.0.0.0/8 subnet) are told apart by the route's network; a
 * change of the policy or of a route's network flushes the in-line flows it may decide
 * differently and leaves flows programmed by {@code vr_flow_req} alone.
 */
class PolicyRouteNetworksTest
{
    private static final Cidr POOL = Cidr.parse("10.0.0.0/8");

    private static void sharedPool(final FlowNode n, final Rule... rules) throws RequestException
    {
        n.vrouter.policy().program(List.of(
            new Network(NET_A, "A", new int[] {1}, List.of(POOL)),
            new Network(NET_B, "B", new int[] {2}, List.of(POOL)),
            new Network(NET_C, "C", new int[] {3}, List.of(POOL))), List.of(rules));
    }

    private static Cidr host(final int address)
    {
        return new Cidr(address, 32);
    }

    /** What each VRF's routes say, as the node agent feeds them. */
    private static void routes(final FlowNode n) throws RequestException
    {
        for (int vrf = 1; vrf <= 3; vrf++)
        {
            n.vrouter.policy().updateRoutes(vrf, List.of(new RouteNetwork(host(A), NET_A),
                new RouteNetwork(host(A2), NET_A), new RouteNetwork(host(B), NET_B), new RouteNetwork(host(C), NET_C)));
        }
    }

    @Test
    void shouldTellNetworksOfOnePoolApartByTheRoute() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        sharedPool(n);
        // Subnets alone: B's address is in A's own subnet, so A -> B looks like A -> A and passes.
        assertEquals(POD_B, n.send(udp(A, B, 1000, 53), A), "subnet fallback prefers the VRF's own network");
        assertEquals(NET_A, n.vrouter.policy().networkOfAddress(1, B));
        routes(n);
        assertEquals(NET_B, n.vrouter.policy().networkOfAddress(1, B));
        assertEquals(0, n.table.activeEntries(), "the route's network changed: the pair was flushed");
        assertEquals(-1, n.send(udp(A, B, 1000, 53), A), "A -> B, another network without a rule: denied");
        assertEquals(-1, n.send(udp(A, C, 1000, 53), A), "A -> C denied");
        assertEquals(POD_A2, n.send(udp(A, A2, 1000, 53), A), "A -> A2, same network by route");
        assertEquals(-1, n.send(udp(B, C, 1000, 53), B), "B -> C denied");
        sharedPool(n, Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, true,
            true));
        assertEquals(0, n.table.activeEntries(), "a policy change flushes every in-line flow");
        assertEquals(POD_B, n.send(udp(A, B, 1000, 53), A), "A -> B with the rule");
        assertEquals(2, n.table.activeEntries(), "one pair");
        assertEquals(FlowNode.POD_A, n.send(udp(B, A, 53, 1000), B), "reply on the reverse entry");
        assertEquals(2, n.table.activeEntries(), "still one pair");
        assertEquals(-1, n.send(udp(A, C, 1000, 53), A), "A -> C still denied");
        sharedPool(n);
        assertEquals(0, n.table.activeEntries());
        assertEquals(-1, n.send(udp(A, B, 1000, 53), A), "rule deleted: denied again");
    }

    @Test
    void shouldFlushOnlyFlowsOfTheChangedPrefixAndVrf() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        sharedPool(n, Rule.of(Endpoint.network(NET_A), Endpoint.ANYWHERE, PolicyTable.ANY_PROTOCOL, true, true));
        routes(n);
        assertEquals(POD_B, n.send(udp(A, B, 1000, 53), A));
        assertEquals(POD_C, n.send(udp(A, C, 1000, 53), A));
        assertEquals(-1, n.send(udp(C, B, 1000, 53), C), "C -> B: no rule, a drop pair in VRF 3");
        final int before = n.table.activeEntries();
        // Re-feeding the same networks changes nothing and flushes nothing.
        assertEquals(0, n.vrouter.policy().updateRoutes(1, List.of(new RouteNetwork(host(B), NET_B))));
        assertEquals(before, n.table.activeEntries());
        // B's route in VRF 1 now says network C: only VRF 1's flows to or from B go.
        assertEquals(1, n.vrouter.policy().updateRoutes(1, List.of(new RouteNetwork(host(B), NET_C))));
        assertEquals(before - 2, n.table.activeEntries());
        final long flushed = n.vrouter.policy().flushed();
        assertEquals(2, flushed);
        assertEquals(4, n.vrouter.policy().clearRoutes(2), "VRF 2's four route networks");
        assertEquals(0, n.vrouter.policy().clearRoutes(2), "a second clear removes nothing");
        assertEquals(before - 2, n.table.activeEntries(), "VRF 2 had no flows");
    }

    @Test
    void shouldLeaveRequestFlowsAlone() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        sharedPool(n);
        routes(n);
        final Response add = n.vrouter.program(FlowRequestsTest.flow(A, C, 7, 8, FlowAction.FORWARD, 1)
            .vrf(1).build());
        assertEquals(0, add.code(), add.message());
        assertEquals(1, n.table.activeEntries());
        sharedPool(n, Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, true,
            true));
        n.vrouter.policy().updateRoutes(1, List.of(new RouteNetwork(host(C), NET_B)));
        n.vrouter.policy().clearRoutes(1);
        assertEquals(1, n.table.activeEntries(), "the vr_flow_req flow survives policy and route changes");
        assertEquals(0, n.vrouter.policy().flushed());
    }

    @Test
    void shouldFlushAWholeVrfWhenManyPrefixesChange() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        sharedPool(n, Rule.of(Endpoint.ANYWHERE, Endpoint.ANYWHERE, PolicyTable.ANY_PROTOCOL, true, true));
        assertEquals(POD_B, n.send(udp(A, B, 1000, 53), A));
        assertEquals(POD_B, n.send(udp(C, B, 1000, 53), C));
        final List<RouteNetwork> many = new ArrayList<>();
        for (int i = 0; i <= PolicyTable.FLUSH_PREFIXES; i++)
        {
            many.add(new RouteNetwork(host(ip("192.168.0.1") + i), NET_C));
        }
        assertEquals(PolicyTable.FLUSH_PREFIXES + 1, n.vrouter.policy().updateRoutes(1, many));
        assertEquals(2, n.table.activeEntries(), "VRF 1's pair flushed, VRF 3's kept");
    }

    @Test
    void shouldRefuseBadRouteNetworksWhole() throws Exception
    {
        final PolicyTable p = new PolicyTable();
        final List<RouteNetwork> bad = List.of(new RouteNetwork(host(A), NET_A), new RouteNetwork(host(B), 40000));
        assertEquals(Errno.EINVAL, assertThrows(RequestException.class, () -> p.updateRoutes(1, bad)).code());
        assertEquals(RouteNetworks.NONE, p.routeNetworks().lookup(1, A), "nothing applied");
        assertEquals(Errno.EINVAL, assertThrows(RequestException.class,
            () -> p.updateRoutes(65536, List.of())).code());
        assertEquals(Errno.EINVAL, assertThrows(RequestException.class,
            () -> p.updateRoutes(1, List.of(new RouteNetwork(new Cidr(0, 40), 1)))).code());
        assertEquals(Errno.EINVAL, assertThrows(RequestException.class, () -> p.clearRoutes(-1)).code());
    }

    @Test
    void shouldTakeAnUnknownVrfsSourceNetworkFromTheRoute() throws Exception
    {
        final PolicyTable p = new PolicyTable();
        p.program(List.of(new Network(NET_A, "A", new int[] {1}, List.of(POOL)),
            new Network(NET_B, "B", new int[] {2}, List.of(POOL))),
            List.of(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, false,
                true)));
        final FlowKey k = new FlowKey();
        k.set4(0, 17, A, B, 1, 2);
        assertEquals(PolicyTable.UNDECIDED, p.evaluate(k, 9), "VRF 9 has no network and no routes");
        p.updateRoutes(9, List.of(new RouteNetwork(host(A), NET_A), new RouteNetwork(host(B), NET_B)));
        assertEquals(PolicyTable.PASS, p.evaluate(k, 9));
        k.set4(0, 17, B, A, 2, 1);
        assertEquals(PolicyTable.DENY, p.evaluate(k, 9), "one-way rule");
    }
}
