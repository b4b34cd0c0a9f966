package io.vrouter.agent.controller;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static io.vrouter.core.testing.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vrouter.agent.api.HostPort;
import io.vrouter.agent.testing.InProcessNode;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.Response;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.testing.Frames;
import io.vrouter.wire.MacAddress;
import io.vrouter.xmpp.ChannelMessage;
import io.vrouter.xmpp.XmlElement;

/**
 * The fabric's plain-IP path as the node agent programs it from the controller's configuration (issue 16, ADR
 * 0008), driven into a real in-process forwarder with a host port ({@code vhost0}) whose kernel side is recorded:
 * golden bytes for a fabric-SNAT flow leaving through the host port (the node's fabric address and a port of the
 * node's range as the source, frame to the kernel's MAC) and its reply coming back to the pod, the same for a
 * pod's ping (the echo identifier translated), the node's own ICMP (replies to its pings, errors) written back
 * into the host port unchanged, and for a fabric-forwarded pod reached from the underlay by its own address and
 * answering untranslated; the kernel routes and SNAT steering the agent asks for, and their removal.
 */
class FabricPathTest
{
    private static final String ROUTER_ID = "192.168.100.11";
    private static final int HOST_VIF = 1;
    private static final long KERNEL_MAC = 0x02000000fa01L;
    private static final String NETWORK = "default-domain:k8s-default:k8s-blue-pod-network";
    private static final String INSTANCE = NETWORK + ":k8s-blue-pod-network";
    private static final String POD_IP = "2.0.0.252";
    private static final String POD_MAC = "02:00:00:00:00:0b";
    private static final String FABRIC_ONLY = "192.168.100.60";
    private static final String FABRIC_HOST = "192.168.100.50";

    private final InProcessNode node = new InProcessNode()
        .hostPort(new HostPort("vhost0", HOST_VIF, KERNEL_MAC, "169.254.0.1"));
    private NodeAgent agent;
    private Forwarder worker;
    private PacketBatch batch;
    private int podVif;

    @BeforeEach
    void startAgentWithBlueAndItsPod()
    {
        agent = new NodeAgent(node, ROUTER_ID, "eth0", 0, 100, 1500, new PodNamespaces()
        {
            @Override
            public void ensure(final String ns)
            {
            }

            @Override
            public void remove(final String ns)
            {
            }
        }, () -> null);
        agent.start();
        agent.onConfig(new ChannelMessage.Config(false, List.of(network(true, true), pod(), router("61000-61255")),
            List.of()));
        worker = node.vrouter().newForwarder();
        batch = worker.newBatch();
        podVif = vifNamed("tapblue1");
    }

    @AfterEach
    void stop()
    {
        node.close();
    }

    @Test
    void snatFlowLeavesThroughTheHostPortWithTheNodesAddressAndTheReplyReachesThePod()
    {
        assertEquals(List.of("route add " + POD_IP + "/32", "snat " + ROUTER_ID + " 61000-61255"),
            node.kernelChanges(), "the pod routed to vhost0 by the kernel; SNAT replies steered to it");
        final long podMac = MacAddress.parse(POD_MAC);
        final byte[] out = one(podVif, Frames.udp4(GATEWAY_MAC, podMac, ip(POD_IP), ip(FABRIC_ONLY), 64, 40000,
            9000, 16, false), HOST_VIF);
        final int port = (out[34] & 0xFF) << 8 | (out[35] & 0xFF);
        assertTrue(port >= 61000 && port <= 61255, "a port of the node's range: " + port);
        assertEquals(hex(Frames.udp4(KERNEL_MAC, GATEWAY_MAC, ip(ROUTER_ID), ip(FABRIC_ONLY), 63, port, 9000, 16,
            false)), hex(out), "to the kernel's MAC, from the node's fabric address and the chosen port, TTL - 1");

        final byte[] back = one(HOST_VIF, Frames.udp4(GATEWAY_MAC, KERNEL_MAC, ip(FABRIC_ONLY), ip(ROUTER_ID), 63,
            9000, port, 16, false), podVif);
        assertEquals(hex(Frames.udp4(podMac, GATEWAY_MAC, ip(FABRIC_ONLY), ip(POD_IP), 62, 9000, 40000, 16, false)),
            hex(back), "the reply, translated back to the pod's address and port");
    }

    @Test
    void snatPodsEchoLeavesWithTheNodesAddressAndAnIdentifierOfTheRangeAndTheReplyReachesThePod()
    {
        final long podMac = MacAddress.parse(POD_MAC);
        final byte[] out = one(podVif, Frames.icmpEcho4(GATEWAY_MAC, podMac, ip(POD_IP), ip(FABRIC_ONLY), 64, 8, 7, 1,
            16), HOST_VIF);
        final int id = (out[38] & 0xFF) << 8 | (out[39] & 0xFF);
        assertTrue(id >= 61000 && id <= 61255, "an identifier of the node's range: " + id);
        assertEquals(hex(Frames.icmpEcho4(KERNEL_MAC, GATEWAY_MAC, ip(ROUTER_ID), ip(FABRIC_ONLY), 63, 8, id, 1, 16)),
            hex(out), "to the kernel's MAC, from the node's fabric address, the identifier translated, TTL - 1");

        final byte[] back = one(HOST_VIF, Frames.icmpEcho4(GATEWAY_MAC, KERNEL_MAC, ip(FABRIC_ONLY), ip(ROUTER_ID), 63,
            0, id, 1, 16), podVif);
        assertEquals(hex(Frames.icmpEcho4(podMac, GATEWAY_MAC, ip(FABRIC_ONLY), ip(POD_IP), 62, 0, 7, 1, 16)),
            hex(back), "the reply, translated back to the pod's address and identifier");
    }

    @Test
    void theNodesOwnEchoReplyGoesBackToTheKernelUnchangedAndSetsUpNoFlow()
    {
        final long flows = node.vrouter().flows().activeEntries();
        final byte[] reply = Frames.icmpEcho4(GATEWAY_MAC, KERNEL_MAC, ip(FABRIC_ONLY), ip(ROUTER_ID), 63, 0, 4242, 9,
            56);
        final byte[] back = one(HOST_VIF, reply, HOST_VIF);
        assertEquals(hex(Frames.icmpEcho4(KERNEL_MAC, GATEWAY_MAC, ip(FABRIC_ONLY), ip(ROUTER_ID), 63, 0, 4242, 9,
            56)), hex(back), "written back into vhost0 as it came, only the MACs swapped (no TTL decrement)");
        assertEquals(flows, node.vrouter().flows().activeEntries(), "the node's own traffic sets up no flow");
        assertEquals(1, node.vrouter().vrfStat(0, VrfStat.RECEIVES), "counted as the fabric VRF's receives");
    }

    @Test
    void anIdentifierTranslatedForOneRemoteDoesNotStealTheNodesReplyFromAnother()
    {
        final long podMac = MacAddress.parse(POD_MAC);
        final byte[] out = one(podVif, Frames.icmpEcho4(GATEWAY_MAC, podMac, ip(POD_IP), ip(FABRIC_ONLY), 64, 8, 7, 1,
            16), HOST_VIF);
        final int id = (out[38] & 0xFF) << 8 | (out[39] & 0xFF);
        final byte[] other = Frames.icmpEcho4(GATEWAY_MAC, KERNEL_MAC, ip(FABRIC_HOST), ip(ROUTER_ID), 63, 0, id, 3,
            16);
        assertEquals(hex(Frames.icmpEcho4(KERNEL_MAC, GATEWAY_MAC, ip(FABRIC_HOST), ip(ROUTER_ID), 63, 0, id, 3, 16)),
            hex(one(HOST_VIF, other, HOST_VIF)), "the flow key holds the remote address: another host's reply with"
                + " the same identifier is the node's");
    }

    @Test
    void anIcmpErrorForTheNodeGoesBackToTheKernel()
    {
        final byte[] unreachable = Frames.icmpEcho4(GATEWAY_MAC, KERNEL_MAC, ip(FABRIC_ONLY), ip(ROUTER_ID), 63, 3, 0,
            0, 28);
        final byte[] back = one(HOST_VIF, unreachable, HOST_VIF);
        assertEquals(hex(Frames.icmpEcho4(KERNEL_MAC, GATEWAY_MAC, ip(FABRIC_ONLY), ip(ROUTER_ID), 63, 3, 0, 0, 28)),
            hex(back), "a destination unreachable (no translated flow's) goes to the kernel as it came");
    }

    @Test
    void aFabricForwardedPodIsReachedByItsOwnAddressAndAnswersUntranslated()
    {
        final long podMac = MacAddress.parse(POD_MAC);
        final byte[] in = one(HOST_VIF, Frames.udp4(GATEWAY_MAC, KERNEL_MAC, ip(FABRIC_HOST), ip(POD_IP), 63, 5353,
            8081, 16, false), podVif);
        assertEquals(hex(Frames.udp4(podMac, GATEWAY_MAC, ip(FABRIC_HOST), ip(POD_IP), 62, 5353, 8081, 16, false)),
            hex(in), "routed in the fabric VRF to the pod, untranslated");
        final byte[] answer = one(podVif, Frames.udp4(GATEWAY_MAC, podMac, ip(POD_IP), ip(FABRIC_HOST), 64, 8081,
            5353, 16, false), HOST_VIF);
        assertEquals(hex(Frames.udp4(KERNEL_MAC, GATEWAY_MAC, ip(POD_IP), ip(FABRIC_HOST), 63, 8081, 5353, 16,
            false)), hex(answer), "the answer keeps the pod's address (the flow set up by the host's packet)");
    }

    @Test
    void aNetworkWithoutTheFlagsGetsNeitherAndTheKernelChangesAreUndone()
    {
        agent.onConfig(new ChannelMessage.Config(false, List.of(network(false, false)), List.of()));
        assertEquals(List.of("route add " + POD_IP + "/32", "snat " + ROUTER_ID + " 61000-61255",
            "route del " + POD_IP + "/32", "snat " + ROUTER_ID + " 0-0"), node.kernelChanges());
        final long podMac = MacAddress.parse(POD_MAC);
        assertEquals(0, send(podVif, Frames.udp4(GATEWAY_MAC, podMac, ip(POD_IP), ip(FABRIC_ONLY), 64, 40001, 9000,
            16, false)).size(), "no SNAT, no route out: dropped");
        assertEquals(0, send(HOST_VIF, Frames.udp4(GATEWAY_MAC, KERNEL_MAC, ip(FABRIC_HOST), ip(POD_IP), 63, 5354,
            8081, 16, false)).size(), "not in the fabric VRF any more");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private byte[] one(final int vif, final byte[] frame, final int wantVif)
    {
        final List<byte[]> out = send(vif, frame);
        assertEquals(1, out.size(), "one frame out");
        assertEquals(wantVif, lastVif, "out through vif " + wantVif);
        return out.get(0);
    }

    private int lastVif = -1;

    private List<byte[]> send(final int vif, final byte[] frame)
    {
        batch.clear();
        batch.add(vif, frame, 0, frame.length);
        worker.process(batch);
        final java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < batch.outputCount(); i++)
        {
            if (batch.outVif(i) == PacketBatch.DROPPED)
            {
                continue;
            }
            lastVif = batch.outVif(i);
            final byte[] b = new byte[batch.length(i)];
            batch.buffer(i).getBytes(batch.offset(i), b);
            out.add(b);
        }
        return out;
    }

    private static String hex(final byte[] b)
    {
        return HexFormat.of().formatHex(b);
    }

    private int vifNamed(final String name)
    {
        for (int i = 0; i < 64; i++)
        {
            final Response r = node.program(List.of(InterfaceRequest.get(i))).get(0);
            if (r.code() == 0 && name.equals(r.first(InterfaceRequest.class).name()))
            {
                return i;
            }
        }
        throw new AssertionError("no vif " + name);
    }

    private static XmlElement network(final boolean forwarding, final boolean snat)
    {
        return XmlElement.builder("node").attribute("type", "virtual-network")
            .leaf("name", NETWORK)
            .leaf("network-id", "6")
            .leaf("routing-instance", INSTANCE)
            .leaf("subnet", "2.0.0.0/24")
            .leaf("gateway", "2.0.0.254")
            .leaf("dns", "2.0.0.253")
            .leaf("ip-fabric-forwarding", Boolean.toString(forwarding))
            .leaf("fabric-snat", Boolean.toString(snat))
            .build();
    }

    private static XmlElement pod()
    {
        return XmlElement.builder("node").attribute("type", "virtual-machine-interface")
            .leaf("name", "default:ubuntuapp2")
            .leaf("mac", POD_MAC)
            .leaf("ip", POD_IP + "/24")
            .leaf("gateway", "2.0.0.254")
            .leaf("virtual-network", NETWORK)
            .leaf("routing-instance", INSTANCE)
            .leaf("label", "40")
            .leaf("netns", "pod-blue")
            .leaf("host-ifname", "tapblue1")
            .build();
    }

    private static XmlElement router(final String ports)
    {
        return XmlElement.builder("node").attribute("type", "virtual-router")
            .leaf("name", "node-1")
            .leaf("fabric-snat-ports", ports)
            .build();
    }
}
