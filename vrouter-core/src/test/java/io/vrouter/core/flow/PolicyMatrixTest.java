package io.vrouter.core.flow;

import static io.vrouter.core.flow.FlowNode.A;
import static io.vrouter.core.flow.FlowNode.A2;
import static io.vrouter.core.flow.FlowNode.B;
import static io.vrouter.core.flow.FlowNode.C;
import static io.vrouter.core.flow.FlowNode.NET_A;
import static io.vrouter.core.flow.FlowNode.NET_B;
import static io.vrouter.core.flow.FlowNode.NET_C;
import static io.vrouter.core.flow.FlowNode.POD_A;
import static io.vrouter.core.flow.FlowNode.POD_A2;
import static io.vrouter.core.flow.FlowNode.POD_B;
import static io.vrouter.core.flow.FlowNode.icmpEcho;
import static io.vrouter.core.flow.FlowNode.tcp;
import static io.vrouter.core.flow.FlowNode.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Rule;
import io.vrouter.core.status.DropReason;
import io.vrouter.wire.IpProtocol;

/**
 * The policy matrix: networks A, B, C; A and B talk, C is denied; TCP, UDP and ICMP; both
 * directions; replies of an allowed connection pass on the reverse flow with no rule of their own.
 */
class PolicyMatrixTest
{
    static byte[] packet(final int proto, final int src, final int dst, final boolean reply)
    {
        switch (proto)
        {
            case IpProtocol.TCP:
                return reply ? tcp(src, dst, 80, 40000, 0x12) : tcp(src, dst, 40000, 80, 0x02);
            case IpProtocol.UDP:
                return reply ? udp(src, dst, 53, 5000) : udp(src, dst, 5000, 53);
            default:
                return icmpEcho(src, dst, reply ? 0 : 8, 77);
        }
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {IpProtocol.TCP, IpProtocol.UDP, IpProtocol.ICMP})
    void shouldPassBetweenAAndBBothWaysAndDenyC(final int proto) throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        n.policy(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, true, true),
            Rule.of(Endpoint.network(NET_C), Endpoint.ANYWHERE, PolicyTable.ANY_PROTOCOL, true, false));
        assertEquals(POD_B, n.send(packet(proto, A, B, false), A), "A -> B");
        assertEquals(POD_A, n.send(packet(proto, B, A, true), B), "reply B -> A");
        assertEquals(POD_A, n.send(packet(proto, B, A, false), B), "B -> A, new connection");
        assertEquals(-1, n.send(packet(proto, A, C, false), A), "A -> C");
        assertEquals(-1, n.send(packet(proto, C, A, false), C), "C -> A");
        assertEquals(-1, n.send(packet(proto, C, B, false), C), "C -> B");
        assertEquals(-1, n.send(packet(proto, B, C, false), B), "B -> C");
        assertEquals(4, n.drops(DropReason.FLOW_ACTION_DROP));
        // A denied flow is remembered as a drop flow: the next packet is a hit, still dropped.
        assertEquals(-1, n.send(packet(proto, A, C, false), A));
        assertEquals(5, n.drops(DropReason.FLOW_ACTION_DROP));
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {IpProtocol.TCP, IpProtocol.UDP, IpProtocol.ICMP})
    void shouldLetRepliesOfAOneWayRuleThroughButNotNewConnectionsBack(final int proto) throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        n.policy(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), proto, false, true));
        // Before A opens the connection, B cannot reach A.
        assertEquals(-1, n.send(packet(proto, B, A, true), B), "B -> A before the connection");
        final FlowNode m = new FlowNode(FlowTableConfig.sized(1024));
        m.policy(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), proto, false, true));
        assertEquals(POD_B, m.send(packet(proto, A, B, false), A), "A -> B");
        assertEquals(POD_A, m.send(packet(proto, B, A, true), B), "reply on the reverse flow");
        assertEquals(2, m.table.activeEntries());
        if (proto != IpProtocol.ICMP)
        {
            // A new connection from B (other ports) has no rule.
            final byte[] fresh = proto == IpProtocol.TCP ? tcp(B, A, 41000, 22, 0x02) : udp(B, A, 6000, 7);
            assertEquals(-1, m.send(fresh, B), "B -> A new connection");
        }
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {IpProtocol.TCP, IpProtocol.UDP, IpProtocol.ICMP})
    void shouldKeyTheReverseOfAFlowBetweenTwoPodsOfTheNodeWithTheDestinationsNextHop(final int proto)
        throws Exception
    {
        // Each pod interface keys its packets with its own next hop (as the agent programs them): the
        // reply from B is keyed with B's, so the reverse entry must be too, or the reply would miss it
        // and set up a pair of its own.
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024)).ownKeyNextHops();
        n.policy(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), proto, false, true));
        assertEquals(POD_B, n.send(packet(proto, A, B, false), A), "A -> B");
        assertEquals(2, n.table.activeEntries());
        assertEquals(POD_A, n.send(packet(proto, B, A, true), B), "reply on the reverse flow");
        assertEquals(2, n.table.activeEntries(), "the reply hit the reverse entry, no pair of its own");
        assertEquals(POD_B, n.send(packet(proto, A, B, false), A), "A -> B again");
        assertEquals(2, n.table.activeEntries());
        if (proto != IpProtocol.ICMP)
        {
            final byte[] fresh = proto == IpProtocol.TCP ? tcp(B, A, 41000, 22, 0x02) : udp(B, A, 6000, 7);
            assertEquals(-1, n.send(fresh, B), "B -> A new connection: no rule");
        }
    }

    @Test
    void shouldPassInsideOneNetworkWithoutRules() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        n.policy();
        assertEquals(POD_A2, n.send(udp(A, A2, 1, 2), A));
        assertEquals(-1, n.send(udp(A, B, 1, 2), A), "between networks without a pass rule");
    }

    @Test
    void shouldMatchCidrsPortRangesAndFirstRuleWins() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        n.policy(new Rule(Endpoint.cidr("10.1.0.0/24"), Endpoint.cidr("10.2.0.0/16"), IpProtocol.TCP, 0, 65535, 8000,
            8099, false, false),
            new Rule(Endpoint.cidr("10.1.0.0/24"), Endpoint.cidr("10.2.0.0/16"), IpProtocol.TCP, 0, 65535, 8000,
                9000, false, true));
        assertEquals(-1, n.send(tcp(A, B, 1000, 8050, 0x02), A), "denied by the first rule");
        assertEquals(POD_B, n.send(tcp(A, B, 1000, 8100, 0x02), A), "passed by the second");
        assertEquals(-1, n.send(tcp(A, B, 1000, 9001, 0x02), A), "outside both: implicit deny");
        assertEquals(-1, n.send(udp(A, B, 1000, 8100), A), "other protocol");
    }

    @Test
    void shouldRefuseBadPolicyWholeAndKeepTheOldOne() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        n.policy(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, true, true));
        final List<PolicyTable.Rule> before = n.vrouter.policy().rules();
        final org.junit.jupiter.api.function.Executable unknownNet = () -> n.vrouter.policy().program(
            n.vrouter.policy().networks(), List.of(Rule.of(Endpoint.network(999), Endpoint.ANYWHERE, 6, true, true)));
        assertEquals(io.vrouter.core.request.Errno.ENOENT,
            org.junit.jupiter.api.Assertions.assertThrows(io.vrouter.core.request.RequestException.class, unknownNet)
                .code());
        final org.junit.jupiter.api.function.Executable badPorts = () -> n.vrouter.policy().program(
            n.vrouter.policy().networks(), List.of(new Rule(Endpoint.ANYWHERE, Endpoint.ANYWHERE, 6, 10, 5, 0, 1,
                true, true)));
        assertEquals(io.vrouter.core.request.Errno.EINVAL,
            org.junit.jupiter.api.Assertions.assertThrows(io.vrouter.core.request.RequestException.class, badPorts)
                .code());
        assertEquals(before, n.vrouter.policy().rules());
        assertEquals(POD_B, n.send(udp(A, B, 1, 2), A));
    }

    @Test
    void shouldHoldUndecidedFlowsForTheSlowPathAndReleaseThemWhenProgrammed() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        // No networks: VRF 1 belongs to none, the flow cannot be decided in line: it is held.
        final byte[][] five = new byte[5][];
        for (int i = 0; i < 5; i++)
        {
            five[i] = udp(A, B, 1, 2);
            five[i][five[i].length - 1] = (byte)i;
        }
        assertEquals(0, n.t.send(POD_A, five).size());
        assertEquals(2, n.drops(DropReason.FLOW_QUEUE_LIMIT_EXCEEDED), "3 packets per held flow, as Contrail");
        assertEquals(1, n.table.holdEntries());
        assertEquals(0, n.t.send(POD_A).size(), "still held while undecided");
        final io.vrouter.core.request.Response list = n.vrouter.program(
            io.vrouter.core.request.FlowRequest.list(-1));
        final io.vrouter.core.request.FlowRequest entry = list.first(io.vrouter.core.request.FlowRequest.class);
        assertEquals(FlowAction.HOLD, entry.action());
        final io.vrouter.core.request.Response set = n.vrouter.program(
            FlowRequestsTest.flow(A, B, 1, 2, FlowAction.FORWARD, 1).index(entry.index()).build());
        assertEquals(0, set.code(), set.message());
        assertEquals(0, n.table.holdEntries());
        final List<io.vrouter.core.testing.TestTopology.Output> out = n.t.send(POD_A);
        assertEquals(3, out.size(), "the held packets are released at the next batch");
        for (int i = 0; i < 3; i++)
        {
            assertEquals(POD_B, out.get(i).vif());
            assertEquals(i, out.get(i).bytes()[out.get(i).bytes().length - 1], "in order");
        }
        assertEquals(POD_B, n.send(udp(A, B, 1, 2), A), "later packets hit the programmed flow");
    }

    @Test
    void shouldDropHeldPacketsWhenTheirFlowGoesAway() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        assertEquals(-1, n.send(udp(A, B, 1, 2), A));
        n.clock.addAndGet(java.util.concurrent.TimeUnit.SECONDS.toNanos(200));
        assertEquals(1, n.vrouter.newFlowAger().scanAll());
        assertEquals(0, n.t.send(POD_A).size());
        assertEquals(1, n.drops(DropReason.FLOW_UNUSABLE));
    }
}
