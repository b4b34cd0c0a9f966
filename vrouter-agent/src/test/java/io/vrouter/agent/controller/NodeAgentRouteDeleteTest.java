package io.vrouter.agent.controller;

import io.vrouter.agent.testing.InProcessNode;
import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.testing.Frames;
import io.vrouter.xmpp.ChannelMessage;
import io.vrouter.xmpp.RouteEntry;
import io.vrouter.xmpp.RouteNextHop;
import io.vrouter.xmpp.XmlElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route deleted through the node agent leaves its range to the covering route, as Contrail's agent
 * does: the agent's RIB finds the cover and the delete carries it ({@code rtr_replace_plen}). Driven as
 * the controller drives it (configuration and route messages) into a real in-process forwarder, checked in
 * the FIB and with packets from a pod.
 */
class NodeAgentRouteDeleteTest
{
    private static final String ROUTER_ID = "192.168.1.11";
    private static final String NODE_A = "192.168.1.12";
    private static final String NODE_B = "192.168.1.13";
    private static final int LABEL_A = 20;
    private static final int LABEL_B = 30;
    private static final int FABRIC_VIF = 0;
    private static final String NETWORK = "default-domain:k8s-default:k8s-default-pod-network";
    private static final String INSTANCE = NETWORK + ":" + "k8s-default-pod-network";
    private static final String POD_IP = "10.47.255.252";
    private static final String POD_MAC = "02:00:00:00:00:0a";
    private static final int POD_LABEL = 40;

    private final InProcessNode node = new InProcessNode();
    private NodeAgent agent;
    private int vrf;
    private Forwarder worker;
    private PacketBatch batch;

    @BeforeEach
    void startAgentWithANetworkAndAPod()
    {
        agent = new NodeAgent(node, ROUTER_ID, "eth0", FABRIC_VIF, 100, 1500, new PodNamespaces()
        {
            @Override
            public void ensure(final String ns)
            {
            }

            @Override
            public void remove(final String ns)
            {
            }
        }, () -> null).enforcePolicy(false);
        agent.start();
        agent.onConfig(new ChannelMessage.Config(false, List.of(network(), pod()), List.of()));
        vrf = agent.vrfOf(INSTANCE);
        assertTrue(vrf > 0, "the network has a VRF");
        worker = node.vrouter().newForwarder();
        batch = worker.newBatch();
    }

    @AfterEach
    void stop()
    {
        node.close();
    }

    @Test
    void shouldLeaveTheDeletedRangeToTheCoveringRoute()
    {
        routes(List.of(route("10.1.0.0/16", NODE_A, LABEL_A), route("10.1.1.0/24", NODE_B, LABEL_B)), List.of());
        final Lookup viaA = lookup("10.1.2.7");
        assertEquals(new Lookup(viaA.nh(), LABEL_A, 16), viaA, "an address only the /16 holds goes to A");
        final Lookup viaB = lookup("10.1.1.7");
        assertEquals(24, viaB.prefixLength());
        assertEquals(LABEL_B, viaB.label());
        assertTunnelTo(viaA.nh(), NODE_A);
        assertTunnelTo(viaB.nh(), NODE_B);
        assertEquals(NODE_B + " label " + LABEL_B, sendFromPod("10.1.1.7"));

        routes(List.of(), List.of("10.1.1.0/24"));

        assertEquals(new Lookup(viaA.nh(), LABEL_A, 16), lookup("10.1.1.7"), "the /24's range falls back to the /16");
        assertEquals(NODE_A + " label " + LABEL_A, sendFromPod("10.1.1.7"));
        assertEquals(new Lookup(viaA.nh(), LABEL_A, 16), lookup("10.1.2.7"), "the rest of the /16 is unchanged");
    }

    @Test
    void shouldLeaveTheRangeDiscardWhenNothingCoversIt()
    {
        routes(List.of(route("10.1.0.0/16", NODE_A, LABEL_A), route("10.1.1.0/24", NODE_B, LABEL_B)), List.of());
        routes(List.of(), List.of("10.1.0.0/16"));
        assertEquals(new Lookup(0, -1, 0), lookup("10.1.2.7"), "the /16's own range is discard");
        assertEquals(LABEL_B, lookup("10.1.1.7").label(), "the /24 inside it stays");
        routes(List.of(), List.of("10.1.1.0/24"));
        assertEquals(new Lookup(0, -1, 0), lookup("10.1.1.7"));
        assertEquals("dropped", sendFromPod("10.1.1.7"));
    }

    @Test
    void shouldFallBackLevelByLevelAndCoverWithTheLatestData()
    {
        routes(List.of(route("10.0.0.0/8", NODE_A, LABEL_A), route("10.1.0.0/16", NODE_B, LABEL_B),
            route("10.1.1.0/24", NODE_A, LABEL_A + 1)), List.of());
        routes(List.of(), List.of("10.1.0.0/16"));
        assertEquals(LABEL_A + 1, lookup("10.1.1.7").label(), "the middle level gone, the inner one stays");
        assertEquals(8, lookup("10.1.2.7").prefixLength(), "and the middle level's range is the /8's");
        // The /8 changes: a cover is the route as last programmed.
        routes(List.of(route("10.0.0.0/8", NODE_B, LABEL_B + 1)), List.of());
        routes(List.of(), List.of("10.1.1.0/24"));
        final Lookup cover = lookup("10.1.1.7");
        assertEquals(8, cover.prefixLength());
        assertEquals(LABEL_B + 1, cover.label());
        assertEquals(NODE_B + " label " + (LABEL_B + 1), sendFromPod("10.1.1.7"));
    }

    @Test
    void shouldStillDeleteWhenTheForwarderRefusesTheCover()
    {
        // A route to this node's own pod resolves to the pod's interface next hop; the pod then goes, and
        // its next hop with it, while the route stays: it can no longer be a cover.
        routes(List.of(route("10.9.0.0/16", ROUTER_ID, POD_LABEL), route("10.9.1.0/24", NODE_A, LABEL_A)),
            List.of());
        agent.onConfig(new ChannelMessage.Config(true, List.of(pod()), List.of()));
        routes(List.of(), List.of("10.9.1.0/24"));
        assertEquals(new Lookup(0, -1, 0), lookup("10.9.1.7"), "the /24 is gone, its range discard");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** What the forwarder's FIB answers for an address: next hop, label (-1 for none), matched length. */
    private record Lookup(long nh, long label, long prefixLength)
    {
    }

    private Lookup lookup(final String ip)
    {
        final Response r = node.program(List.of(Requests.route4Key(vrf, ip).op(Op.GET).build())).get(0);
        assertEquals(0, r.code(), r.message());
        final RouteRequest o = r.first(RouteRequest.class);
        return new Lookup(o.nhId(), o.labelled() ? o.label() : -1, o.prefixLen());
    }

    private void assertTunnelTo(final long nh, final String remote)
    {
        final Response r = node.program(List.of(NextHopRequest.get((int)nh))).get(0);
        assertEquals(0, r.code(), r.message());
        assertEquals(NextHopType.TUNNEL, r.first(NextHopRequest.class).type());
        assertEquals(Requests.ipv4LittleEndian(remote), r.first(NextHopRequest.class).tunDip());
    }

    /** A UDP packet from the pod; where it went: {@code <outer destination> label <label>}, or {@code dropped}. */
    private String sendFromPod(final String destination)
    {
        final byte[] frame = Frames.udp4(BridgeTable.GATEWAY_MAC, Long.parseLong(POD_MAC.replace(":", ""), 16),
            Frames.ip(POD_IP), Frames.ip(destination), 64, 1000, 2000, 16, false);
        batch.clear();
        batch.add(podVif(), frame, 0, frame.length);
        worker.process(batch);
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < batch.outputCount(); i++)
        {
            if (batch.outVif(i) == PacketBatch.DROPPED)
            {
                continue;
            }
            assertEquals(FABRIC_VIF, batch.outVif(i), "out through the fabric");
            final byte[] b = new byte[batch.length(i)];
            batch.buffer(i).getBytes(batch.offset(i), b);
            // Ethernet, outer IPv4 (destination at 30), UDP to 6635, then the MPLS label's 20 bits.
            assertEquals(6635, (b[36] & 0xFF) << 8 | (b[37] & 0xFF), "MPLS over UDP");
            out.add((b[30] & 0xFF) + "." + (b[31] & 0xFF) + "." + (b[32] & 0xFF) + "." + (b[33] & 0xFF) + " label "
                + ((b[42] & 0xFF) << 12 | (b[43] & 0xFF) << 4 | (b[44] & 0xFF) >>> 4));
        }
        assertTrue(out.size() <= 1, "one packet out at most: " + out);
        return out.isEmpty() ? "dropped" : out.get(0);
    }

    private int podVif()
    {
        final String name = node.ports().get(0).name();
        for (int i = 0; i < 64; i++)
        {
            final Response r = node.program(List.of(InterfaceRequest.get(i))).get(0);
            if (r.code() == 0 && name.equals(r.first(InterfaceRequest.class).name()))
            {
                return i;
            }
        }
        throw new AssertionError("no vif for the pod");
    }

    private void routes(final List<RouteEntry> items, final List<String> retracts)
    {
        agent.onRoutes(new ChannelMessage.RouteUpdate(INSTANCE, 1, 1, items, retracts));
    }

    private static RouteEntry route(final String prefix, final String node, final int label)
    {
        return new RouteEntry(1, 1, prefix, List.of(new RouteNextHop(1, node, "", label, List.of("udp"), NETWORK)),
            1, 200);
    }

    private static XmlElement network()
    {
        return XmlElement.builder("node").attribute("type", "virtual-network")
            .leaf("name", NETWORK)
            .leaf("network-id", "5")
            .leaf("routing-instance", INSTANCE)
            .leaf("subnet", "10.32.0.0/12")
            .leaf("gateway", "10.47.255.254")
            .leaf("dns", "10.47.255.253")
            .build();
    }

    private static XmlElement pod()
    {
        return XmlElement.builder("node").attribute("type", "virtual-machine-interface")
            .leaf("name", "default:pod-1")
            .leaf("mac", POD_MAC)
            .leaf("ip", POD_IP + "/12")
            .leaf("gateway", "10.47.255.254")
            .leaf("virtual-network", NETWORK)
            .leaf("routing-instance", INSTANCE)
            .leaf("label", Integer.toString(POD_LABEL))
            .leaf("netns", "pod-1")
            .leaf("host-ifname", "tappod1")
            .build();
    }
}
