package io.vrouter.agent.controller;

import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.PortSpec;
import io.vrouter.agent.testing.InProcessNode;
import io.vrouter.core.VRouter;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.xmpp.ChannelMessage;
import io.vrouter.xmpp.ControllerListener;
import io.vrouter.xmpp.NodeSession;
import io.vrouter.xmpp.RouteEntry;
import io.vrouter.xmpp.RouteNextHop;
import io.vrouter.xmpp.XmlElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node agent with two controller sessions, driven as two controllers drive it (configuration, routes,
 * end-of-RIB, sessions lost and back) into a real in-process forwarder: what both advertise is one route
 * programmed once, a session's withdrawal or loss keeps what the other still advertises without touching
 * the forwarder, and only what no session advertises is stale and swept, as with one session.
 */
class NodeAgentSessionsTest
{
    private static final String ROUTER_ID = "192.168.1.11";
    private static final String NODE_2 = "192.168.1.12";
    private static final String NETWORK = "default-domain:k8s-default:k8s-default-pod-network";
    private static final String INSTANCE = NETWORK + ":" + "k8s-default-pod-network";
    private static final String REMOTE = "10.47.255.250/32";
    private static final String OTHER = "10.47.255.249/32";
    private static final int REMOTE_LABEL = 25;

    /** Every route request the agent sent to the forwarder (adds and deletes), by prefix text. */
    private final List<String> routeRequests = new ArrayList<>();
    private final InProcessNode forwarder = new InProcessNode();
    private final NodeSession[] up = new NodeSession[2];
    private NodeAgent agent;
    private ControllerListener a;
    private ControllerListener b;
    private int vrf;

    @BeforeEach
    void startAgentWithBothSessions()
    {
        final NodeService counting = new NodeService()
        {
            @Override
            public List<Response> program(final List<? extends SandeshRecord> requests)
            {
                for (final SandeshRecord r : requests)
                {
                    if (r instanceof RouteRequest rt && rt.prefix() != null && rt.prefix().length == 4)
                    {
                        routeRequests.add(rt.op() + " " + (rt.prefix()[0] & 0xFF) + "." + (rt.prefix()[1] & 0xFF) +
                            "." + (rt.prefix()[2] & 0xFF) + "." + (rt.prefix()[3] & 0xFF) + "/" + rt.prefixLen());
                    }
                }
                return forwarder.program(requests);
            }

            @Override
            public Response addPort(final PortSpec spec)
            {
                return forwarder.addPort(spec);
            }

            @Override
            public Response deletePort(final String name)
            {
                return forwarder.deletePort(name);
            }

            @Override
            public List<PortSpec> ports()
            {
                return forwarder.ports();
            }

            @Override
            public VRouter vrouter()
            {
                return forwarder.vrouter();
            }
        };
        agent = new NodeAgent(counting, ROUTER_ID, "eth0", 0, 100, 1500, new PodNamespaces()
        {
            @Override
            public void ensure(final String ns)
            {
            }

            @Override
            public void remove(final String ns)
            {
            }
        }, index -> up[index]).enforcePolicy(false);
        agent.start();
        a = agent.session(0);
        b = agent.session(1);
        connect(0);
        connect(1);
        config(a, false, network());
        config(b, false, network());
        vrf = agent.vrfOf(INSTANCE);
        assertTrue(vrf > 0, "the network has a VRF");
    }

    @AfterEach
    void stop()
    {
        forwarder.close();
    }

    @Test
    void theSameRouteFromBothSessionsIsOneRouteProgrammedOnce()
    {
        routes(a, List.of(remote(REMOTE_LABEL)), List.of());
        routes(b, List.of(remote(REMOTE_LABEL)), List.of());
        assertEquals(List.of("ADD " + REMOTE), routesOf(REMOTE), "programmed once");
        assertEquals(REMOTE_LABEL, label("10.47.255.250"));
        assertEquals(2, agent.routePeers(vrf).get(REMOTE).size(), "one path per session that advertises it");
    }

    @Test
    void aRetractFromOneSessionKeepsTheRouteAndFromBothRemovesIt()
    {
        routes(a, List.of(remote(REMOTE_LABEL)), List.of());
        routes(b, List.of(remote(REMOTE_LABEL)), List.of());
        routes(a, List.of(), List.of(REMOTE));
        assertEquals(List.of("ADD " + REMOTE), routesOf(REMOTE), "B still advertises it: untouched");
        assertEquals(REMOTE_LABEL, label("10.47.255.250"));
        assertEquals(1, agent.routePeers(vrf).get(REMOTE).size());
        routes(b, List.of(), List.of(REMOTE));
        assertEquals(List.of("ADD " + REMOTE, "DELETE " + REMOTE), routesOf(REMOTE), "both withdrew it: deleted");
        assertEquals(-1, label("10.47.255.250"), "gone from the FIB");
    }

    @Test
    void aRetractFromOneSessionProgramsTheOtherSessionsDifferentRoute()
    {
        routes(a, List.of(remote(REMOTE_LABEL)), List.of());
        routes(b, List.of(remote(REMOTE_LABEL + 1)), List.of());
        assertEquals(REMOTE_LABEL + 1, label("10.47.255.250"), "the latest advertisement is programmed");
        routes(b, List.of(), List.of(REMOTE));
        assertEquals(REMOTE_LABEL, label("10.47.255.250"), "B withdrew it: A's route is programmed again");
        assertEquals(List.of("ADD " + REMOTE, "ADD " + REMOTE, "ADD " + REMOTE), routesOf(REMOTE), "no delete");
    }

    @Test
    void losingOneSessionKeepsEveryRouteTheOtherAdvertisesWithNoStaleMarkAndTheReturnDisturbsNothing()
    {
        routes(a, List.of(remote(REMOTE_LABEL)), List.of());
        routes(b, List.of(remote(REMOTE_LABEL)), List.of());
        endOfRib(a);
        endOfRib(b);
        final int before = routeRequests.size();
        disconnect(0);
        assertFalse(agent.staleRoute(vrf, REMOTE), "B still advertises it: not stale");
        endOfRib(b);
        assertEquals(REMOTE_LABEL, label("10.47.255.250"), "kept in the FIB");
        connect(0);
        routes(a, List.of(remote(REMOTE_LABEL)), List.of());
        endOfRib(a);
        assertEquals(before, routeRequests.size(), "A lost and back: the forwarder's routes were not touched");
        assertEquals(2, agent.routePeers(vrf).get(REMOTE).size());
    }

    @Test
    void whatOnlyTheLostSessionAdvertisedIsStaleAndSweptAtTheNextEndOfRib()
    {
        routes(a, List.of(remote(REMOTE_LABEL), other()), List.of());
        routes(b, List.of(remote(REMOTE_LABEL)), List.of());
        disconnect(0);
        assertTrue(agent.staleRoute(vrf, OTHER), "no session advertises it any more: stale");
        assertFalse(agent.staleRoute(vrf, REMOTE));
        assertEquals(REMOTE_LABEL + 5, label("10.47.255.249"), "kept in the FIB while stale");
        connect(0);
        routes(a, List.of(remote(REMOTE_LABEL)), List.of());
        endOfRib(a);
        assertEquals(-1, label("10.47.255.249"), "A came back without it: swept at its end-of-RIB");
        assertEquals(REMOTE_LABEL, label("10.47.255.250"));
    }

    @Test
    void losingBothSessionsKeepsEverythingStaleAndTheNextEndOfRibSweepsWhatWasNotAdvertisedAgain()
    {
        routes(a, List.of(remote(REMOTE_LABEL), other()), List.of());
        routes(b, List.of(remote(REMOTE_LABEL), other()), List.of());
        disconnect(0);
        assertFalse(agent.staleRoute(vrf, REMOTE));
        disconnect(1);
        assertTrue(agent.staleRoute(vrf, REMOTE), "the last session lost: stale, as with one session");
        assertTrue(agent.staleRoute(vrf, OTHER));
        assertEquals(REMOTE_LABEL, label("10.47.255.250"), "kept: forwarding headless");
        connect(1);
        config(b, false, network());
        routes(b, List.of(remote(REMOTE_LABEL)), List.of());
        endOfRib(b);
        assertFalse(agent.staleRoute(vrf, REMOTE));
        assertEquals(REMOTE_LABEL, label("10.47.255.250"));
        assertEquals(-1, label("10.47.255.249"), "not advertised again: swept");
    }

    @Test
    void configurationIsMergedTheSameWay()
    {
        config(a, false, pod());
        config(b, false, pod());
        assertEquals(1, forwarder.ports().size(), "the same interface from both: one port");
        config(a, true, pod());
        assertEquals(1, forwarder.ports().size(), "A deleted it, B still has it: kept");
        disconnect(1);
        assertEquals(1, forwarder.ports().size(), "no session has it any more: kept, stale");
        connect(1);
        config(b, false, network());
        endOfRib(b);
        assertEquals(0, forwarder.ports().size(), "B came back without it: swept at its end-of-RIB");
        assertTrue(agent.vrfOf(INSTANCE) > 0, "the network B sent again stays");
    }

    @Test
    void aConfigurationDeleteFromBothSessionsRemovesTheItem()
    {
        config(a, false, pod());
        config(b, false, pod());
        config(b, true, pod());
        assertEquals(1, forwarder.ports().size());
        config(a, true, pod());
        assertEquals(0, forwarder.ports().size(), "both deleted it: removed");
    }

    @Test
    void anItemThatFailedToApplyIsAppliedWhenSentAgainUnchanged()
    {
        final XmlElement orphan = XmlElement.builder("node").attribute("type", "virtual-machine-interface")
            .leaf("name", "default:pod-2")
            .leaf("mac", "02:00:00:00:00:0b")
            .leaf("ip", "10.1.0.3/24")
            .leaf("gateway", "10.1.0.1")
            .leaf("virtual-network", "default-domain:k8s-default:RED")
            .leaf("routing-instance", "default-domain:k8s-default:RED:RED")
            .leaf("label", "41")
            .leaf("netns", "pod-2")
            .leaf("host-ifname", "tappod2")
            .build();
        config(a, false, orphan);
        assertEquals(0, forwarder.ports().size(), "its network is not there: not applied");
        config(a, false, XmlElement.builder("node").attribute("type", "virtual-network")
            .leaf("name", "default-domain:k8s-default:RED")
            .leaf("network-id", "6")
            .leaf("routing-instance", "default-domain:k8s-default:RED:RED")
            .leaf("subnet", "10.1.0.0/24")
            .leaf("gateway", "10.1.0.1")
            .leaf("dns", "10.1.0.2")
            .build());
        config(b, false, orphan);
        assertEquals(1, forwarder.ports().size(), "sent again, unchanged: applied this time");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A session up: an unconnected session object stands for it (its sends go nowhere). */
    private void connect(final int index)
    {
        up[index] = new NodeSession("node-1", agent.session(index));
        agent.session(index).onSessionUp();
    }

    private void disconnect(final int index)
    {
        up[index] = null;
        agent.session(index).onSessionDown();
    }

    private List<String> routesOf(final String prefix)
    {
        return routeRequests.stream().filter(r -> r.endsWith(" " + prefix)).toList();
    }

    /** The label of the FIB's route for an address: -1 when it is discard (no route). */
    private long label(final String ip)
    {
        final Response r = forwarder.program(List.of(Requests.route4Key(vrf, ip).op(Op.GET).build())).get(0);
        assertEquals(0, r.code(), r.message());
        final RouteRequest o = r.first(RouteRequest.class);
        return o.nhId() == 0 ? -1 : (o.labelled() ? o.label() : -2);
    }

    private void routes(final ControllerListener session, final List<RouteEntry> items, final List<String> retracts)
    {
        session.onRoutes(new ChannelMessage.RouteUpdate(INSTANCE, 1, 1, items, retracts));
    }

    private static void endOfRib(final ControllerListener session)
    {
        session.onEndOfRib();
    }

    private static void config(final ControllerListener session, final boolean delete, final XmlElement node)
    {
        session.onConfig(new ChannelMessage.Config(delete, List.of(node), List.of()));
    }

    private static RouteEntry remote(final int label)
    {
        return new RouteEntry(1, 1, REMOTE, List.of(new RouteNextHop(1, NODE_2, "", label, List.of("udp"), NETWORK)),
            1, 200);
    }

    private static RouteEntry other()
    {
        return new RouteEntry(1, 1, OTHER, List.of(new RouteNextHop(1, NODE_2, "", REMOTE_LABEL + 5, List.of("udp"),
            NETWORK)), 1, 200);
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
            .leaf("mac", "02:00:00:00:00:0a")
            .leaf("ip", "10.47.255.252/12")
            .leaf("gateway", "10.47.255.254")
            .leaf("virtual-network", NETWORK)
            .leaf("routing-instance", INSTANCE)
            .leaf("label", "40")
            .leaf("netns", "pod-1")
            .leaf("host-ifname", "tappod1")
            .build();
    }
}
