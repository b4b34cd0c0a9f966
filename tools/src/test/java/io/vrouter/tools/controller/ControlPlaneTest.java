package io.vrouter.tools.controller;

import io.vrouter.agent.controller.NodeAgent;
import io.vrouter.agent.introspect.IntrospectModel;
import io.vrouter.agent.controller.PodNamespaces;
import io.vrouter.agent.testing.InProcessNode;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.PodRequest;
import io.vrouter.core.request.Response;
import io.vrouter.xmpp.testing.XmppPipe;
import io.vrouter.xmpp.ContrailXmpp;
import io.vrouter.xmpp.ControllerSession;
import io.vrouter.xmpp.NodeSession;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.vrouter.core.request.Errno.EAGAIN;
import static io.vrouter.core.request.Errno.EEXIST;
import static io.vrouter.core.request.Errno.ENOENT;
import static io.vrouter.core.request.Errno.EOPNOTSUPP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller and two node agents over real XMPP sessions (in memory), each agent programming a
 * real in-process forwarder: the seed's setups checked in the forwarders' tables.
 */
class ControlPlaneTest
{
    static final String POD_RI =
        "default-domain:k8s-default:k8s-default-pod-network:k8s-default-pod-network";
    private static final String RED_RI = "default-domain:k8s-default:RED:RED";
    private static final String BLUE_RI =
        "default-domain:k8s-default:k8s-blue-pod-network:k8s-blue-pod-network";

    static final class Node
    {
        final String name;
        final String address;
        final InProcessNode forwarder = new InProcessNode();
        final List<String> namespaces = new ArrayList<>();
        final AtomicReference<NodeSession> current = new AtomicReference<>();
        final NodeAgent agent;
        XmppPipe pipe;

        Node(final String name, final String address)
        {
            this(name, address, false);
        }

        Node(final String name, final String address, final boolean cni)
        {
            this.name = name;
            this.address = address;
            this.agent = new NodeAgent(forwarder, address, "eth0", 0, 100, 1500, new PodNamespaces()
            {
                @Override
                public void ensure(final String ns)
                {
                    namespaces.add(ns);
                }

                @Override
                public void remove(final String ns)
                {
                    namespaces.remove(ns);
                }
            }, () -> current.get() != null && current.get().isOpen() ? current.get() : null).cniPods(cni);
            agent.start();
            forwarder.attachRouteOrigins(agent::routePeers);
        }

        void connect(final Controller controller)
        {
            final NodeSession s = new NodeSession(name, agent);
            current.set(s);
            pipe = new XmppPipe(s, new ControllerSession(controller));
        }

        void disconnect()
        {
            pipe.close();
        }
    }

    private static List<Resource> seed(final String file) throws IOException
    {
        return Resource.parseAll(Files.readString(Path.of("..", "examples", "seed", file)), file);
    }

    static void settle(final Node... nodes)
    {
        for (int i = 0; i < 4; i++)
        {
            for (final Node n : nodes)
            {
                n.pipe.pump();
            }
        }
    }

    @Test
    void seedSetupsInTheForwardersAndHeadlessForwardingAcrossAControllerRestart() throws IOException
    {
        final Path state = Files.createTempFile("controller", ".yaml");
        final Node n1 = new Node("node-1", "192.168.1.11");
        final Node n2 = new Node("node-2", "192.168.1.12");
        try
        {
            Controller controller = new Controller(new Cluster(), state);
            n1.connect(controller);
            n2.connect(controller);
            settle(n1, n2);
            controller.apply(seed("ns-non-isolated.yaml"), "default");
            controller.apply(seed("ns-isolated.yaml"), "default");
            for (final String ns : List.of("default", "ns-non-isolated", "ns-isolated"))
            {
                controller.apply(seed("deployment-ubuntu-pod-1.yaml"), ns);
            }
            controller.apply(seed("nad-blue.yaml"), "default");
            controller.apply(seed("vn-red.yaml"), "default");
            controller.apply(seed("pod-ubuntuapp-red.yaml"), "default");
            controller.apply(seed("pod-ubuntuapp2-blue.yaml"), "default");
            settle(n1, n2);

            // default pod .252 on node-1, ns-non-isolated .251 on node-2, ns-isolated .250 on node-1,
            // RED 100.0.0.3 on node-2, blue 2.0.0.252 on node-1
            final int podVrf1 = n1.agent.vrfOf(POD_RI);
            final int podVrf2 = n2.agent.vrfOf(POD_RI);
            assertEquals(5, n1.namespaces.size() + n2.namespaces.size(), "one pod namespace per pod");
            assertTrue(n1.forwarder.route(podVrf1, "10.47.255.251").contains("label=16"),
                "node-1 reaches the ns-non-isolated pod on node-2 through a tunnel with its label: " +
                n1.forwarder.route(podVrf1, "10.47.255.251"));
            assertTrue(n2.forwarder.route(podVrf2, "10.47.255.252").contains("label=16"));
            assertEquals("none", n2.forwarder.route(podVrf2, "10.47.255.250"),
                "the isolated pod is not in the pod VRF");
            assertEquals("none", n1.forwarder.route(podVrf1, "10.47.255.250"));
            final int redVrf2 = n2.agent.vrfOf(RED_RI);
            assertEquals("none", n2.forwarder.route(redVrf2, "2.0.0.252"), "RED cannot reach blue without a policy");

            controller.apply(seed("policy-red-blue.yaml"), "default");
            settle(n1, n2);
            final String leaked = n2.forwarder.route(redVrf2, "2.0.0.252");
            assertTrue(leaked.contains("label=18"), "blue's route leaked into RED with its label: " + leaked);
            final long tunnelType = n2.forwarder.nextHopType(Integer.parseInt(leaked.split(" ")[0].substring(3)));
            assertEquals(3, tunnelType, "a tunnel next hop");
            assertEquals(1, n2.forwarder.vrouter().policy().rules().size(),
                "the policy's rule reached node-2's flow policy (both networks held there)");
            assertTrue(n2.forwarder.policyNetworkOf(redVrf2) >= 0, "RED's VRF belongs to a flow-policy network");

            // controller restart: both sessions drop, the nodes keep forwarding on stale state
            n1.disconnect();
            n2.disconnect();
            assertEquals(leaked, n2.forwarder.route(redVrf2, "2.0.0.252"), "kept while the controller is away");
            controller = new Controller(ControllerMain.loadState(state), state, Long.MAX_VALUE / 4);
            n1.connect(controller);
            settle(n1);
            assertEquals(leaked, n2.forwarder.route(redVrf2, "2.0.0.252"));
            assertTrue(n1.forwarder.route(podVrf1, "10.47.255.251").contains("label=16"),
                "node-1 does not sweep node-2's routes before node-2 has re-published");
            n2.connect(controller);
            settle(n1, n2);
            assertEquals(leaked, n2.forwarder.route(redVrf2, "2.0.0.252"), "refreshed, not swept");
            assertTrue(n1.forwarder.route(podVrf1, "10.47.255.251").contains("label=16"));

            controller.delete(seed("policy-red-blue.yaml"), "default");
            settle(n1, n2);
            assertEquals("none", n2.forwarder.route(redVrf2, "2.0.0.252"), "withdrawn with the policy");
        }
        finally
        {
            for (final Node n : List.of(n1, n2))
            {
                if (n.pipe != null)
                {
                    n.pipe.close();
                }
                n.forwarder.close();
            }
            Files.deleteIfExists(state);
            Files.deleteIfExists(FileClusterStore.journalOf(state));
        }
    }

    /** RED's pod (100.0.0.3) goes to the first node to join, blue's (2.0.0.252) to the second. */
    private static void redAndBlue(final Controller controller, final Node... nodes) throws IOException
    {
        controller.apply(seed("nad-blue.yaml"), "default");
        controller.apply(seed("vn-red.yaml"), "default");
        controller.apply(seed("pod-ubuntuapp-red.yaml"), "default");
        controller.apply(seed("pod-ubuntuapp2-blue.yaml"), "default");
        settle(nodes);
    }

    private static Map<String, Object> path(final IntrospectModel model, final int vrf, final String prefix)
    {
        final List<Map<String, Object>> routes = model.routes(vrf, 2, prefix);
        assertEquals(1, routes.size(), "one route " + prefix + " in VRF " + vrf);
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> paths = (List<Map<String, Object>>)routes.get(0).get("path_list");
        return paths.get(0);
    }

    private static List<Object> vrfColumn(final IntrospectModel model, final String column)
    {
        return model.vrfs("").stream().map(v -> v.get(column)).toList();
    }

    @Test
    void aDeletedNetworksVrfLeavesTheViewsAndRoutesNameThePeerTheyCameFrom() throws IOException
    {
        final Node n1 = new Node("node-1", "192.168.1.11");
        final Node n2 = new Node("node-2", "192.168.1.12");
        try
        {
            final Controller controller = new Controller(new Cluster(), null);
            n1.connect(controller);
            settle(n1);
            n2.connect(controller);
            settle(n1, n2);
            redAndBlue(controller, n1, n2);
            final IntrospectModel view = new IntrospectModel(n1.forwarder);
            final int red = n1.agent.vrfOf(RED_RI);
            assertTrue(red > 0, "RED's pod is on node-1");
            assertEquals(-1, n1.agent.vrfOf(BLUE_RI), "node-1 holds no blue network before the policy");

            controller.apply(seed("policy-red-blue.yaml"), "default");
            settle(n1, n2);
            final int blue = n1.agent.vrfOf(BLUE_RI);
            assertTrue(blue > 0, "the policy brings blue's network to node-1");
            assertTrue(vrfColumn(view, "name").contains(BLUE_RI), "ist vr vrf lists blue: " + view.vrfs(""));

            final Map<String, Object> learned = path(view, red, "2.0.0.252/32");
            assertEquals(ContrailXmpp.CONTROL_JID, learned.get("peer"),
                "a route learned over XMPP names the controller (its stream name over an in-memory pipe)");
            assertEquals(100, learned.get("preference"));
            assertEquals("LocalVmPort", path(view, red, "100.0.0.3/32").get("peer"), "the local pod's route");
            assertEquals(200, path(view, red, "100.0.0.3/32").get("preference"));
            assertEquals("Local", path(view, red, "100.0.0.1/32").get("peer"), "the gateway");
            assertEquals("Local", path(view, 0, "192.168.1.11/32").get("peer"), "the node's own address");

            controller.delete(seed("policy-red-blue.yaml"), "default");
            settle(n1, n2);
            assertEquals(-1, n1.agent.vrfOf(BLUE_RI), "blue's network left node-1 with the policy");
            assertFalse(vrfColumn(view, "name").contains(BLUE_RI), "ist vr vrf: " + view.vrfs(""));
            assertFalse(vrfColumn(view, "ucindex").contains(blue),
                "blue's VRF " + blue + " is not listed under any name: " + view.vrfs(""));
            assertTrue(vrfColumn(view, "name").contains(RED_RI), "RED stays: " + view.vrfs(""));
            assertTrue(view.routes(red, 2, "2.0.0.252/32").isEmpty(), "the leaked route is gone");
        }
        finally
        {
            for (final Node n : List.of(n1, n2))
            {
                if (n.pipe != null)
                {
                    n.pipe.close();
                }
                n.forwarder.close();
            }
        }
    }

    @Test
    void aLogicalRouterJoinsItsNetworksAndDetachingSeparatesThemAgain() throws IOException
    {
        final Node n1 = new Node("node-1", "192.168.1.11");
        final Node n2 = new Node("node-2", "192.168.1.12");
        try
        {
            final Controller controller = new Controller(new Cluster(), null);
            n1.connect(controller);
            settle(n1);
            n2.connect(controller);
            settle(n1, n2);
            redAndBlue(controller, n1, n2);
            final int red1 = n1.agent.vrfOf(RED_RI);
            assertEquals("none", n1.forwarder.route(red1, "2.0.0.252"), "RED and blue apart");

            controller.apply(seed("logical-router-red-blue.yaml"), "default");
            settle(n1, n2);
            final int blue2 = n2.agent.vrfOf(BLUE_RI);
            final int red2 = n2.agent.vrfOf(RED_RI);
            final int blue1 = n1.agent.vrfOf(BLUE_RI);
            assertTrue(n1.forwarder.route(red1, "2.0.0.252").contains("label="),
                "blue's pod leaked into RED on node-1 through a tunnel: " + n1.forwarder.route(red1, "2.0.0.252"));
            assertTrue(n2.forwarder.route(blue2, "100.0.0.3").contains("label="),
                "RED's pod leaked into blue on node-2: " + n2.forwarder.route(blue2, "100.0.0.3"));
            assertTrue(red2 > 0 && blue1 > 0, "each node holds both attached networks");
            for (final Node n : List.of(n1, n2))
            {
                final List<io.vrouter.core.flow.PolicyTable.Rule> rules = n.forwarder.vrouter().policy().rules();
                assertEquals(1, rules.size(), n.name + ": one pass rule between the attached networks: " + rules);
                assertTrue(rules.get(0).pass() && rules.get(0).bidirectional(), rules.toString());
            }

            controller.delete(seed("logical-router-red-blue.yaml"), "default");
            settle(n1, n2);
            assertEquals("none", n1.forwarder.route(red1, "2.0.0.252"), "detached: the leaked route is withdrawn");
            assertEquals(-1, n1.agent.vrfOf(BLUE_RI), "and blue's network leaves node-1");
            assertTrue(n2.forwarder.vrouter().policy().rules().isEmpty(), "no rule joins them any more");
        }
        finally
        {
            for (final Node n : List.of(n1, n2))
            {
                if (n.pipe != null)
                {
                    n.pipe.close();
                }
                n.forwarder.close();
            }
        }
    }

    @Test
    void aServicesClusterIpIsAnEcmpRouteToItsBackendsAndEveryClientVrfTranslatesIt() throws IOException
    {
        final Node n1 = new Node("node-1", "192.168.1.11");
        final Node n2 = new Node("node-2", "192.168.1.12");
        try
        {
            final Controller controller = new Controller(new Cluster(), null);
            n1.connect(controller);
            settle(n1);
            n2.connect(controller);
            settle(n1, n2);
            controller.apply(seed("deployment-echo.yaml"), "default");
            controller.apply(seed("service-echo.yaml"), "default");
            settle(n1, n2);
            final String vip = controller.services().lines().filter(l -> l.startsWith("default "))
                .map(l -> l.trim().split("\\s+")[2]).findFirst().orElseThrow();
            assertTrue(vip.startsWith("10.") && io.vrouter.tools.controller.Ipv4Cidr.parse("10.96.0.0/12")
                .contains(io.vrouter.tools.controller.Ipv4Cidr.parseAddress(vip)), "ClusterIP on the service network: "
                + vip);
            final int pod1 = n1.agent.vrfOf(POD_RI);
            final int pod2 = n2.agent.vrfOf(POD_RI);
            assertEquals(2, controller.routes(POD_RI).get(vip + "/32").nextHops().size(),
                "the ClusterIP leaked into the pod network's instance, one next hop per node with a backend");
            // Backends on both nodes (round robin): the route is one ECMP composite of every backend's next hop.
            for (final Node n : List.of(n1, n2))
            {
                final int vrf = n.agent.vrfOf(POD_RI);
                final String route = n.forwarder.route(vrf, vip);
                assertTrue(route.startsWith("nh="), n.name + ": a route to the ClusterIP in the pod VRF: " + route);
                final int nh = Integer.parseInt(route.substring(3, route.indexOf(' ')));
                assertEquals(io.vrouter.core.nh.NextHopType.COMPOSITE, n.forwarder.nextHopType(nh), n.name + ": ECMP");
                final List<io.vrouter.core.flow.ServiceTable.Entry> entries =
                    n.forwarder.vrouter().policy().services().entries();
                assertEquals(2, entries.size(), n.name + ": TCP 80 and UDP 53 in the pod VRF: " + entries);
                assertTrue(entries.stream().allMatch(e -> e.vrf() == vrf && e.backends().length == 3),
                    n.name + ": three backends");
                assertTrue(entries.stream().anyMatch(e -> e.port() == 80 && e.targetPort() == 8080
                    && e.protocol() == 6));
                assertTrue(entries.stream().anyMatch(e -> e.port() == 53 && e.targetPort() == 5353
                    && e.protocol() == 17));
            }
            assertTrue(pod1 > 0 && pod2 > 0);

            // A backend leaves (the deployment scaled to two): every node's entries follow, the route too.
            controller.apply(Resource.parseAll(Files.readString(Path.of("..", "examples", "seed",
                "deployment-echo.yaml")).replace("replicas: 3", "replicas: 2"), "scaled"), "default");
            settle(n1, n2);
            for (final Node n : List.of(n1, n2))
            {
                assertTrue(n.forwarder.vrouter().policy().services().entries().stream()
                    .allMatch(e -> e.backends().length == 2), n.name + ": two backends left");
            }

            // An isolated namespace's service: only its own pod network's VRF translates it or has its route.
            controller.apply(seed("ns-isolated.yaml"), "default");
            controller.apply(seed("deployment-ubuntu-pod-1.yaml"), "ns-isolated");
            controller.apply(Resource.parseAll("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: {app: ubuntu-pod-1}
                  ports: [{port: 80, targetPort: 8080}]
                """, "isolated service"), "ns-isolated");
            settle(n1, n2);
            final String isolatedVip = controller.services().lines().filter(l -> l.startsWith("ns-isolated "))
                .map(l -> l.trim().split("\\s+")[2]).findFirst().orElseThrow();
            final String isolatedRi =
                "default-domain:k8s-ns-isolated:k8s-ns-isolated-pod-network:k8s-ns-isolated-pod-network";
            for (final Node n : List.of(n1, n2))
            {
                final int vrf = n.agent.vrfOf(POD_RI);
                assertEquals("none", n.forwarder.route(vrf, isolatedVip), n.name + ": not in the default pod VRF");
                assertTrue(n.forwarder.vrouter().policy().services().entries().stream()
                    .noneMatch(e -> e.vrf() == vrf && e.port() == 80 && e.backends().length == 1),
                    n.name + ": the default pod VRF does not translate it");
            }
            final Node hosting = n1.agent.vrfOf(isolatedRi) > 0 ? n1 : n2;
            final int isolatedVrf = hosting.agent.vrfOf(isolatedRi);
            assertTrue(hosting.forwarder.route(isolatedVrf, isolatedVip).startsWith("nh="),
                "the isolated pod network reaches its service");
            assertTrue(hosting.forwarder.vrouter().policy().services().entries().stream()
                .anyMatch(e -> e.vrf() == isolatedVrf && e.backends().length == 1));

            controller.delete(seed("service-echo.yaml"), "default");
            settle(n1, n2);
            for (final Node n : List.of(n1, n2))
            {
                assertEquals("none", n.forwarder.route(n.agent.vrfOf(POD_RI), vip), n.name + ": route withdrawn");
                assertTrue(n.forwarder.vrouter().policy().services().entries().stream()
                    .noneMatch(e -> e.vrf() == n.agent.vrfOf(POD_RI)), n.name + ": no entry left");
            }
        }
        finally
        {
            for (final Node n : List.of(n1, n2))
            {
                if (n.pipe != null)
                {
                    n.pipe.close();
                }
                n.forwarder.close();
            }
        }
    }

    @Test
    void aCniNodeAttachesAPodsInterfaceOnlyWhenThePluginAsks() throws IOException
    {
        final Node n1 = new Node("node-1", "192.168.1.11", true);
        final Node n2 = new Node("node-2", "192.168.1.12");
        try
        {
            final Controller controller = new Controller(new Cluster(), null);
            n1.connect(controller);
            settle(n1);
            n2.connect(controller);
            settle(n1, n2);
            final String ip = "10.47.255.252";
            assertEquals(EAGAIN, n1.agent.pod(PodRequest.attach("default", "bb1", "c1", "/run/netns/a", "eth0"))
                .code(), "no configuration for the pod yet: ask again");
            controller.apply(Resource.parseAll("""
                apiVersion: v1
                kind: Pod
                metadata: {name: bb1}
                spec: {nodeName: node-1}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: peer}
                spec: {nodeName: node-2}
                """, "t"), "default");
            settle(n1, n2);
            final int vrf1 = n1.agent.vrfOf(POD_RI);
            final int vrf2 = n2.agent.vrfOf(POD_RI);
            assertTrue(n1.forwarder.ports().isEmpty(), "a CNI node makes no interface by itself");
            assertTrue(n1.namespaces.isEmpty(), "nor a namespace");
            assertEquals("none", n2.forwarder.route(vrf2, ip), "nothing published before the plugin asks");
            assertEquals(-1, n1.agent.pod(PodRequest.named(Op.GET, "default", "bb1", "")).first(
                PodRequest.class).vif(), "configured, not attached");

            final Response added = n1.agent.pod(PodRequest.attach("default", "bb1", "c1", "/run/netns/a", "eth0"));
            assertEquals(0, added.code(), added.message());
            final PodRequest pod = added.first(PodRequest.class);
            assertEquals(ip + "/12", pod.address());
            assertEquals("10.47.255.254", pod.gateway());
            assertEquals("10.47.255.253", pod.dns());
            assertEquals("/run/netns/a", n1.forwarder.ports().get(0).netns(), "in the runtime's namespace");
            assertEquals("eth0", n1.forwarder.ports().get(0).podIfName());
            assertTrue(n1.namespaces.isEmpty(), "the runtime's namespace is not the agent's to make");
            settle(n1, n2);
            assertTrue(n2.forwarder.route(vrf2, ip).contains("label="), "published: " + n2.forwarder.route(vrf2, ip));
            assertEquals(pod, n1.agent.pod(PodRequest.attach("default", "bb1", "c1", "/run/netns/a", "eth0"))
                .first(PodRequest.class), "a repeated ADD answers the same");
            assertEquals(EEXIST, n1.agent.pod(PodRequest.attach("default", "bb1", "c2", "/run/netns/b", "eth0"))
                .code(), "another container");
            assertEquals(0, n1.agent.pod(PodRequest.named(Op.DELETE, "default", "bb1", "c2")).code(),
                "another container's DEL changes nothing");
            assertEquals(1, n1.forwarder.ports().size());

            assertEquals(0, n1.agent.pod(PodRequest.named(Op.DELETE, "default", "bb1", "c1")).code());
            settle(n1, n2);
            assertTrue(n1.forwarder.ports().isEmpty(), "detached");
            assertEquals("none", n1.forwarder.route(vrf1, ip), "the pod's route is gone on its node");
            assertEquals("none", n2.forwarder.route(vrf2, ip), "and withdrawn from the other");
            assertEquals(0, n1.agent.pod(PodRequest.named(Op.DELETE, "default", "bb1", "c1")).code(),
                "a repeated DEL succeeds");
            assertEquals(ENOENT, n1.agent.pod(PodRequest.named(Op.GET, "default", "nobody", "")).code());
            assertEquals(EOPNOTSUPP, n2.agent.pod(PodRequest.named(Op.GET, "default", "bb1", "")).code(),
                "a node that makes pods' interfaces itself refuses");
        }
        finally
        {
            for (final Node n : List.of(n1, n2))
            {
                if (n.pipe != null)
                {
                    n.pipe.close();
                }
                n.forwarder.close();
            }
        }
    }
}
