package io.vrouter.tools.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.vrouter.agent.api.PortSpec;
import io.vrouter.agent.controller.NodeAgent;
import io.vrouter.agent.controller.PodNamespaces;
import io.vrouter.agent.testing.InProcessNode;
import io.vrouter.xmpp.testing.XmppPipe;
import io.vrouter.xmpp.ControllerSession;
import io.vrouter.xmpp.NodeSession;
import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.flow.FlowAction;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.testing.Frames;

/**
 * Policy enforcement (on by default) end to end in process: the controller, two node agents over
 * in-memory XMPP, each programming a real forwarder; packets carried between the forwarders' fabric
 * interfaces by the test. RED (node-2) and blue (node-1) cannot talk until the policy; with it, a
 * UDP exchange sets up exactly one flow pair on each node (the reply hits the reverse entries, the
 * pods' interfaces keyed by their own next hops); deleting the policy flushes the pair and denies.
 */
class PolicyFlowTest
{
    private static final int FABRIC_VIF = 0;
    private static final long FABRIC_MAC = 0x02000000fa00L;
    private static final String RED_IP = "100.0.0.3";
    private static final String BLUE_IP = "2.0.0.252";

    /** A node: forwarder, agent, session, and one forwarding worker driven by the test. */
    private static final class Node
    {
        final InProcessNode forwarder = new InProcessNode();
        final AtomicReference<NodeSession> current = new AtomicReference<>();
        final NodeAgent agent;
        final String name;
        Forwarder worker;
        PacketBatch batch;
        XmppPipe pipe;

        Node(final String name, final String address)
        {
            this.name = name;
            this.agent = new NodeAgent(forwarder, address, "eth0", FABRIC_VIF, 100, 1500, new PodNamespaces()
            {
                @Override
                public void ensure(final String ns)
                {
                }

                @Override
                public void remove(final String ns)
                {
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

        /** One frame in on a vif; the frames out as (vif, bytes), drops left out. */
        List<Object[]> send(final int vif, final byte[] frame)
        {
            if (worker == null)
            {
                worker = forwarder.vrouter().newForwarder();
                batch = worker.newBatch();
            }
            batch.clear();
            batch.add(vif, frame, 0, frame.length);
            worker.process(batch);
            final List<Object[]> out = new ArrayList<>();
            for (int i = 0; i < batch.outputCount(); i++)
            {
                if (batch.outVif(i) != PacketBatch.DROPPED)
                {
                    final byte[] b = new byte[batch.length(i)];
                    batch.buffer(i).getBytes(batch.offset(i), b);
                    out.add(new Object[] {batch.outVif(i), b});
                }
            }
            return out;
        }

        PortSpec port(final String ip)
        {
            return forwarder.ports().stream().filter(p -> p.addresses().stream().anyMatch(a -> a.startsWith(ip + "/")))
                .findFirst().orElseThrow();
        }

        InterfaceRequest vif(final String ip)
        {
            final String ifName = port(ip).name();
            for (int i = 0; i < 64; i++)
            {
                final Response r = forwarder.program(List.of(InterfaceRequest.get(i))).get(0);
                if (r.code() == 0 && ifName.equals(r.first(InterfaceRequest.class).name()))
                {
                    return r.first(InterfaceRequest.class);
                }
            }
            throw new AssertionError("no vif for " + ip);
        }

        int vifIndex(final String ip)
        {
            return vif(ip).idx();
        }

        FlowTable flows()
        {
            return forwarder.vrouter().flows();
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

    private static long mac(final String text)
    {
        return Long.parseLong(text.replace(":", ""), 16);
    }

    /** The underlay between the nodes: the outer destination MAC becomes the receiving fabric's. */
    private static byte[] overUnderlay(final byte[] frame)
    {
        final byte[] b = frame.clone();
        for (int i = 0; i < 6; i++)
        {
            b[i] = (byte)(FABRIC_MAC >>> (40 - 8 * i));
        }
        return b;
    }

    /** Sends pod-to-pod UDP from {@code from} (on node a) to {@code to} (on node b); returns what reached b's pod. */
    private static List<Object[]> exchange(final Node a, final String from, final Node b, final String to,
        final int sport, final int dport)
    {
        final byte[] frame = Frames.udp4(BridgeTable.GATEWAY_MAC, mac(a.port(from).mac()), Frames.ip(from),
            Frames.ip(to), 64, sport, dport, 16, false);
        final List<Object[]> fabric = a.send(a.vifIndex(from), frame);
        if (fabric.isEmpty())
        {
            return fabric;
        }
        assertEquals(FABRIC_VIF, fabric.get(0)[0], "out through the fabric");
        return b.send(FABRIC_VIF, overUnderlay((byte[])fabric.get(0)[1]));
    }

    @Test
    void shouldSetUpOnePairPerNodeWithThePolicyAndFlushAndDenyWhenItGoes() throws IOException
    {
        final Path state = Files.createTempFile("controller", ".yaml");
        final Node n1 = new Node("node-1", "192.168.1.11");
        final Node n2 = new Node("node-2", "192.168.1.12");
        try
        {
            final Controller controller = new Controller(new Cluster(), state);
            n1.connect(controller);
            n2.connect(controller);
            settle(n1, n2);
            // The control-plane test's seed order: RED 100.0.0.3 lands on node-2, blue 2.0.0.252 on node-1.
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

            final InterfaceRequest redVif = n2.vif(RED_IP);
            assertTrue(redVif.nhId() > 0, "the pod interface names its interface next hop");
            assertTrue((redVif.flags() & 0x1) != 0, "policy flag on by default: " + redVif);
            assertTrue(exchange(n2, RED_IP, n1, BLUE_IP, 40000, 53).isEmpty(), "RED -> blue without a policy");
            assertEquals(0, n1.flows().activeEntries(), "nothing reached node-1");

            controller.apply(seed("policy-red-blue.yaml"), "default");
            settle(n1, n2);
            assertEquals(0, n2.flows().activeEntries(), "the policy change flushed node-2's denied pair");
            final List<Object[]> atBlue = exchange(n2, RED_IP, n1, BLUE_IP, 40000, 53);
            assertEquals(1, atBlue.size(), "RED -> blue with the policy");
            assertEquals(n1.vifIndex(BLUE_IP), atBlue.get(0)[0]);
            final List<Object[]> atRed = exchange(n1, BLUE_IP, n2, RED_IP, 53, 40000);
            assertEquals(1, atRed.size(), "the reply blue -> RED");
            assertEquals(n2.vifIndex(RED_IP), atRed.get(0)[0]);
            assertEquals(1, exchange(n2, RED_IP, n1, BLUE_IP, 40000, 53).size(), "again, on the flow");
            assertEquals(2, n2.flows().activeEntries(), "exactly one flow pair on the ingress node");
            assertEquals(2, n1.flows().activeEntries(), "and one on the egress node");

            controller.delete(seed("policy-red-blue.yaml"), "default");
            settle(n1, n2);
            assertEquals(0, n2.flows().activeEntries(), "the policy's deletion flushed the pair");
            assertEquals(0, n1.flows().activeEntries());
            assertTrue(exchange(n2, RED_IP, n1, BLUE_IP, 40000, 53).isEmpty(), "denied after the delete");
            assertEquals(2, n2.flows().activeEntries(), "a drop pair");
            int drop = -1;
            for (int i = 0; i < n2.flows().totalEntries() && drop < 0; i++)
            {
                if (n2.flows().isActive(i))
                {
                    drop = n2.flows().intField(i, FlowTable.E_ACTION);
                }
            }
            assertEquals(FlowAction.DROP, drop, "denied by the flow policy");
            assertNotNull(n2.forwarder.vrouter().policy());
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
