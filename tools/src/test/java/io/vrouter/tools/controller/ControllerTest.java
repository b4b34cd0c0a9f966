package io.vrouter.tools.controller;

import io.vrouter.xmpp.testing.XmppPipe;
import io.vrouter.xmpp.testing.XmppPipes;
import io.vrouter.xmpp.ChannelMessage;
import io.vrouter.xmpp.ControllerListener;
import io.vrouter.xmpp.ControllerSession;
import io.vrouter.xmpp.NodeSession;
import io.vrouter.xmpp.RouteEntry;
import io.vrouter.xmpp.RouteNextHop;
import io.vrouter.xmpp.XmlElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControllerTest
{
    private static final String RED_RI = "default-domain:k8s-default:RED:RED";
    private static final String BLUE_RI = "default-domain:k8s-default:k8s-blue-pod-network:k8s-blue-pod-network";
    private static final String BLUE_VN = "default-domain:k8s-default:k8s-blue-pod-network";

    /** A node as the controller sees it: what it was sent, kept like the node's agent would. */
    private static final class FakeNode implements ControllerListener
    {
        final String name;
        final NodeSession session;
        final Map<String, Map<String, RouteEntry>> routes = new TreeMap<>();
        final Map<String, XmlElement> config = new TreeMap<>();
        final List<String> events = new ArrayList<>();
        final boolean endOfRibAtOnce;

        FakeNode(final String name)
        {
            this(name, true);
        }

        /** A node that, with endOfRibAtOnce false, sends end-of-RIB only after it has published (a reconnect). */
        FakeNode(final String name, final boolean endOfRibAtOnce)
        {
            this.name = name;
            this.session = new NodeSession(name, this);
            this.endOfRibAtOnce = endOfRibAtOnce;
        }

        @Override
        public void onSessionUp()
        {
            events.add("up");
            if (endOfRibAtOnce)
            {
                session.endOfRib();
            }
        }

        @Override
        public void onSessionDown()
        {
            events.add("down");
        }

        @Override
        public void onRoutes(final ChannelMessage.RouteUpdate update)
        {
            final Map<String, RouteEntry> t = routes.computeIfAbsent(update.instance(), k -> new TreeMap<>());
            update.items().forEach(e -> t.put(e.prefix(), e));
            update.retracts().forEach(t::remove);
        }

        @Override
        public void onConfig(final ChannelMessage.Config c)
        {
            for (final XmlElement n : c.nodes())
            {
                final String key = n.attribute("type") + "/" + n.childText("name");
                if (c.delete())
                {
                    config.remove(key);
                }
                else
                {
                    config.put(key, n);
                }
            }
        }

        @Override
        public void onEndOfRib()
        {
            events.add("eor");
        }

        /** Publishes the route of each of its pods, as the node agent does once the port is up. */
        void publishPods()
        {
            for (final XmlElement vmi : config.values())
            {
                if (vmi.attribute("type").equals(ConfigSchema.INTERFACE))
                {
                    final String instance = vmi.childText("routing-instance");
                    session.subscribe(instance, 1);
                    final String ip = vmi.childText("ip");
                    session.publish(instance, new RouteEntry(1, 1, ip.substring(0, ip.indexOf('/')) + "/32",
                        List.of(new RouteNextHop(1, name.equals("node-1") ? "192.168.1.11" : "192.168.1.12", "",
                            Integer.parseInt(vmi.childText("label")), List.of("udp"),
                            vmi.childText("virtual-network"))), 0, 200), false);
                }
            }
            session.endOfRib();
        }
    }

    private static List<Resource> seed(final String file) throws IOException
    {
        return Resource.parseAll(Files.readString(Path.of("..", "examples", "seed", file)), file);
    }

    private final XmppPipes pipes = new XmppPipes();

    @AfterEach
    void releasePipes()
    {
        pipes.close();
    }

    @Test
    void reflectsRoutesAndLeaksThemOnlyWhileAPolicyConnectsTheNetworks() throws IOException
    {
        final Path state = Files.createTempFile("controller", ".yaml");
        try
        {
            final Controller controller = new Controller(new Cluster(), state);
            final FakeNode n1 = new FakeNode("node-1");
            final FakeNode n2 = new FakeNode("node-2");
            final XmppPipe p1 = pipes.open(n1.session, new ControllerSession(controller));
            final XmppPipe p2 = pipes.open(n2.session, new ControllerSession(controller));
            p1.pump();
            p2.pump();
            controller.apply(seed("nad-blue.yaml"), "default");
            controller.apply(seed("vn-red.yaml"), "default");
            controller.apply(seed("pod-ubuntuapp-red.yaml"), "default");
            controller.apply(seed("pod-ubuntuapp2-blue.yaml"), "default");
            p1.pump();
            p2.pump();
            assertTrue(n1.config.containsKey("virtual-machine-interface/default:ubuntuapp"), n1.config.keySet(
                ).toString());
            assertTrue(n2.config.containsKey("virtual-machine-interface/default:ubuntuapp2"), n2.config.keySet(
                ).toString());
            assertFalse(n1.config.containsKey("virtual-network/" + BLUE_VN),
                "node-1 has no blue pod and no policy yet");

            n1.publishPods();
            n2.publishPods();
            p1.pump();
            p2.pump();
            p1.pump();
            assertEquals(List.of("100.0.0.3/32"), List.copyOf(n1.routes.get(RED_RI).keySet()));
            assertEquals(List.of("2.0.0.252/32"), List.copyOf(n2.routes.get(BLUE_RI).keySet()));
            assertEquals(List.of("up", "eor", "eor"), n1.events, "one end-of-RIB answered per end-of-RIB sent");

            controller.apply(seed("policy-red-blue.yaml"), "default");
            p1.pump();
            p2.pump();
            final RouteEntry leaked = n1.routes.get(RED_RI).get("2.0.0.252/32");
            assertEquals(new RouteNextHop(1, "192.168.1.12", "", 16, List.of("udp"), BLUE_VN), leaked.nextHops().get(0),
                "same next hop, label and encapsulation, origin network kept");
            assertTrue(n2.routes.get(BLUE_RI).containsKey("100.0.0.3/32"));
            assertTrue(n1.config.containsKey("network-policy/default:red-blue"));
            assertTrue(n1.config.containsKey("virtual-network/" + BLUE_VN));
            assertTrue(controller.pods().contains("ubuntuapp2   1/1     Running   2.0.0.252"), controller.pods());

            controller.delete(seed("policy-red-blue.yaml"), "default");
            p1.pump();
            p2.pump();
            assertFalse(n1.routes.get(RED_RI).containsKey("2.0.0.252/32"), "withdrawn with the policy");
            assertFalse(n2.routes.get(BLUE_RI).containsKey("100.0.0.3/32"));
            assertFalse(n1.config.containsKey("network-policy/default:red-blue"));

            p2.second().close();
            p1.pump();
            assertTrue(controller.pods().contains("ubuntuapp2   0/1     Unknown"), controller.pods());
            assertTrue(ControllerMain.loadState(state).pods().stream().anyMatch(p -> p.name().equals("ubuntuapp2")),
                "state saved (file and journal)");
        }
        finally
        {
            Files.deleteIfExists(state);
            Files.deleteIfExists(FileClusterStore.journalOf(state));
        }
    }

    private static boolean ready(final Controller controller, final String node)
    {
        return controller.nodes().lines().anyMatch(l -> l.startsWith(node + " ") && l.trim().endsWith(" Ready"));
    }

    /**
     * Issue 14 item 2: a node opens a second session while its first is still up (a half-open
     * reconnect); the first one's end changes nothing, the node stays Ready with its routes, and only
     * the new session's end-of-RIB sweeps what it did not publish again.
     */
    @Test
    void aReplacedSessionsEndChangesNothingAndTheNodeStaysReady() throws IOException
    {
        final Controller controller = new Controller(new Cluster(), null);
        controller.apply(seed("vn-red.yaml"), "default");
        controller.apply(seed("pod-ubuntuapp-red.yaml"), "default");
        final FakeNode first = new FakeNode("node-1");
        final XmppPipe p1 = pipes.open(first.session, new ControllerSession(controller));
        p1.pump();
        p1.pump();
        first.publishPods();
        first.session.publish(RED_RI, new RouteEntry(1, 1, "100.0.0.99/32", List.of(new RouteNextHop(1,
            "192.168.1.11", "", 99, List.of("udp"), "")), 0, 200), false);
        p1.pump();
        final FakeNode observer = new FakeNode("node-2");
        final XmppPipe p2 = pipes.open(observer.session, new ControllerSession(controller));
        p2.pump();
        observer.session.subscribe(RED_RI, 1);
        p2.pump();
        assertTrue(ready(controller, "node-1"), controller.nodes());
        assertEquals(List.of("100.0.0.3/32", "100.0.0.99/32"), List.copyOf(controller.routes(RED_RI).keySet()));
        assertEquals(List.of("100.0.0.3/32", "100.0.0.99/32"), List.copyOf(observer.routes.get(RED_RI).keySet()));

        final FakeNode second = new FakeNode("node-1", false);
        final XmppPipe p1b = pipes.open(second.session, new ControllerSession(controller));
        p1b.pump();
        p1.pump();
        p2.pump();
        assertFalse(p1.second().isActive(), "the controller closed the replaced session");
        assertTrue(first.events.contains("down"), first.events.toString());
        assertTrue(ready(controller, "node-1"), "a replaced session's end changes nothing: " + controller.nodes());
        assertEquals(List.of("100.0.0.3/32", "100.0.0.99/32"), List.copyOf(controller.routes(RED_RI).keySet()),
            "routes kept until the new session's end-of-RIB");
        assertEquals(List.of("100.0.0.3/32", "100.0.0.99/32"), List.copyOf(observer.routes.get(RED_RI).keySet()));

        second.publishPods();
        p1b.pump();
        p2.pump();
        assertTrue(ready(controller, "node-1"), controller.nodes());
        assertEquals(List.of("100.0.0.3/32"), List.copyOf(controller.routes(RED_RI).keySet()),
            "what the new session did not publish again is swept at its end-of-RIB");
        assertEquals(List.of("100.0.0.3/32"), List.copyOf(observer.routes.get(RED_RI).keySet()));
        assertTrue(controller.pods().contains("Running"), controller.pods());

        p1b.second().close();
        p2.pump();
        assertFalse(ready(controller, "node-1"), "the live session's end still takes the node down");
        assertEquals(Map.of(), controller.routes(RED_RI));
        assertEquals(Map.of(), observer.routes.get(RED_RI));
    }

    @Test
    void subscribeToAnUnknownInstanceIsRefusedAndChangesNothing()
    {
        final Controller controller = new Controller(new Cluster(), null);
        final FakeNode n1 = new FakeNode("node-1");
        final XmppPipe p1 = pipes.open(n1.session, new ControllerSession(controller));
        p1.pump();
        n1.session.subscribe("default-domain:nope:nope:nope", 3);
        p1.pump();
        assertTrue(p1.first().isActive(), "an error answer, not a closed session");
        assertEquals(Map.of(), controller.routes("default-domain:nope:nope:nope"));
    }

    /**
     * A shared store whose watch lags: changes committed while {@link #lag} is set reach the controller only at
     * {@link #catchUp()}, as on a replica that has not taken another replica's change from etcd yet.
     */
    private static final class LaggingStore implements ClusterStore
    {
        private Cluster committed = new Cluster();
        private long version;
        private Listener listener;
        boolean lag;

        @Override
        public void start(final Listener l)
        {
            listener = l;
            l.modelChanged(committed.copy(), version);
        }

        @Override
        public synchronized <T> T update(final java.util.function.Function<Cluster, T> change)
        {
            final Cluster draft = committed.copy();
            final T result = change.apply(draft);
            committed = draft;
            version++;
            if (!lag)
            {
                listener.modelChanged(draft.copy(), version);
            }
            return result;
        }

        void catchUp()
        {
            lag = false;
            listener.modelChanged(committed.copy(), version);
        }

        @Override
        public String sync()
        {
            return null;
        }

        @Override
        public boolean local()
        {
            return false;
        }

        @Override
        public String describe()
        {
            return "lagging test store";
        }

        @Override
        public void close()
        {
        }
    }

    /**
     * Two sessions per node on replicated controllers: a node subscribes on both sessions as soon as one replica
     * sent it a new network; the other replica, whose watch has not brought the network yet, keeps the
     * subscription (no error, no closed session) and serves the instance's routes, before and after it catches up.
     */
    @Test
    void aLaggingReplicaKeepsASubscriptionToAnInstanceItDoesNotKnowYet() throws IOException
    {
        final LaggingStore store = new LaggingStore();
        final Controller controller = new Controller(store, 0);
        store.lag = true;
        controller.apply(seed("vn-red.yaml"), "default");
        final FakeNode observer = new FakeNode("node-2");
        final XmppPipe p2 = pipes.open(observer.session, new ControllerSession(controller));
        p2.pump();
        observer.session.subscribe(RED_RI, 1);
        p2.pump();
        assertTrue(p2.first().isActive() && p2.second().isActive(), "the session stays up");
        final FakeNode publisher = new FakeNode("node-1");
        final XmppPipe p1 = pipes.open(publisher.session, new ControllerSession(controller));
        p1.pump();
        publisher.session.subscribe(RED_RI, 1);
        publisher.session.publish(RED_RI, new RouteEntry(1, 1, "100.0.0.99/32", List.of(new RouteNextHop(1,
            "192.168.1.11", "", 99, List.of("udp"), "")), 0, 200), false);
        p1.pump();
        p2.pump();
        assertEquals(List.of("100.0.0.99/32"), List.copyOf(observer.routes.getOrDefault(RED_RI, Map.of()).keySet()),
            "the subscription made before the replica knew RED gets RED's routes");
        store.catchUp();
        p1.pump();
        p2.pump();
        publisher.session.publish(RED_RI, new RouteEntry(1, 1, "100.0.0.98/32", List.of(new RouteNextHop(1,
            "192.168.1.11", "", 98, List.of("udp"), "")), 0, 200), false);
        p1.pump();
        p2.pump();
        assertEquals(List.of("100.0.0.98/32", "100.0.0.99/32"), List.copyOf(observer.routes.get(RED_RI).keySet()),
            "and keeps getting them once the replica has the network");
        assertTrue(p2.first().isActive() && p2.second().isActive(), "the session is still up");
    }
}
