package io.vrouter.tools.controller;

import io.vrouter.agent.controller.NodeAgent;
import io.vrouter.agent.controller.PodNamespaces;
import io.vrouter.agent.testing.InProcessNode;
import io.vrouter.xmpp.testing.XmppPipe;
import io.vrouter.xmpp.ControllerSession;
import io.vrouter.xmpp.NodeSession;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller and two node agents over real XMPP sessions (in memory), each agent programming a
 * real in-process forwarder: the seed's setups checked in the forwarders' tables.
 */
class ControlPlaneTest
{
    private static final String POD_RI =
        "default-domain:k8s-default:k8s-default-pod-network:k8s-default-pod-network";
    private static final String RED_RI = "default-domain:k8s-default:RED:RED";

    private static final class Node
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
            }, () -> current.get() != null && current.get().isOpen() ? current.get() : null);
            agent.start();
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

    private static void settle(final Node... nodes)
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
            controller = new Controller(Cluster.fromYaml(Files.readString(state)), state, Long.MAX_VALUE / 4);
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
        }
    }
}
