package io.vrouter.core.flow;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static io.vrouter.core.flow.FlowNode.A;
import static io.vrouter.core.flow.FlowNode.A2;
import static io.vrouter.core.flow.FlowNode.B;
import static io.vrouter.core.flow.FlowNode.POD_A;
import static io.vrouter.core.flow.FlowNode.POD_A2;
import static io.vrouter.core.flow.FlowNode.POD_B;
import static io.vrouter.core.flow.FlowNode.icmpEcho;
import static io.vrouter.core.flow.FlowNode.udp;
import static io.vrouter.core.testing.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology.Output;

/**
 * Fabric SNAT in the flow stage: a new flow from a VRF with {@code ip_fabric_snat} to an address outside every
 * overlay network leaves with the node's fabric address and a port of the node's range as its source, routed
 * in the fabric VRF; the reply, arriving in the fabric VRF, is translated back to the pod's address and port and
 * routed in the pod's VRF; golden bytes both ways (checksums recomputed from scratch by the builders, so the
 * incremental updates are checked). Overlay destinations and VRFs without SNAT are not translated; a full range
 * drops the new flow as {@code FLOW_SNAT_NO_PORT}.
 */
class FabricSnatFlowTest
{
    /** The port towards the underlay, in the fabric VRF 0, keyed at its own next hop. */
    private static final int UNDERLAY = 5;
    private static final int UNDERLAY_NH = 15;
    private static final long HOST_MAC = 0x0200000000eeL;
    private static final int HOST = ip("192.168.100.50");
    private static final int FABRIC = ip("192.168.100.11");
    private static final int LOW = 61000;

    private static FlowNode node(final int ports) throws RequestException
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(4096)).ownKeyNextHops();
        n.t.program(InterfaceRequest.builder().idx(UNDERLAY).type(VifType.VIRTUAL).name("underlay").vrf(0)
            .mac(GATEWAY_MAC).mtu(9000).flags(VifFlags.POLICY_ENABLED).transport(0).nhId(UNDERLAY_NH).build());
        n.t.simpleNh(20, NextHopType.L2_RECEIVE, -1, 0).bridge(0, GATEWAY_MAC, 20);
        n.t.encapNh(UNDERLAY_NH, 2, UNDERLAY, HOST_MAC, GATEWAY_MAC, NextHopFlags.VALID)
            .route4(0, ip("192.168.100.0"), 24, UNDERLAY_NH, -1, 0);
        // The pod's VRF has a default route (Contrail: to the fabric-SNAT next hop); the flow moves the
        // translated packet to the fabric VRF, where the underlay's route is.
        n.t.route4(1, 0, 0, UNDERLAY_NH, -1, 0);
        n.policy();
        n.vrouter.policy().fabricSnat().program(new FabricSnat.Config(0, FABRIC, LOW, LOW + ports - 1,
            new int[] {1}));
        return n;
    }

    private static Output one(final FlowNode n, final int vif, final byte[] frame)
    {
        final List<Output> out = n.t.send(vif, frame);
        assertEquals(1, out.size(), "one frame out");
        return out.get(0);
    }

    private static String hex(final byte[] frame, final int ttl)
    {
        final byte[] ip = Arrays.copyOfRange(frame, 14, frame.length);
        if (ttl >= 0)
        {
            ip[8] = (byte)ttl;
            ip[10] = 0;
            ip[11] = 0;
            final int c = Frames.checksum(ip, 0, 20, 0);
            ip[10] = (byte)(c >>> 8);
            ip[11] = (byte)c;
        }
        return HexFormat.of().formatHex(ip);
    }

    @Test
    void shouldTranslateUdpToTheFabricAddressAndTheReplyBackWithGoldenBytes() throws Exception
    {
        final FlowNode n = node(4);
        final Output out = one(n, POD_A, udp(A, HOST, 5000, 53));
        assertEquals(UNDERLAY, out.vif());
        final int port = ((out.bytes()[34] & 0xFF) << 8) | (out.bytes()[35] & 0xFF);
        assertEquals(true, port >= LOW && port < LOW + 4, "port " + port + " from the node's range");
        assertEquals(hex(udp(FABRIC, HOST, port, 53), 63), hex(out.bytes(), -1));
        final Output reply = one(n, UNDERLAY, udp(HOST, FABRIC, 53, port));
        assertEquals(POD_A, reply.vif());
        assertEquals(hex(udp(HOST, A, 53, 5000), 63), hex(reply.bytes(), -1));
        assertEquals(2, n.table.activeEntries(), "one pair, the reply on its reverse entry");
    }

    @Test
    void shouldTranslateTcpAndIcmpEchoWithGoldenBytes() throws Exception
    {
        final FlowNode n = node(4);
        final Output syn = one(n, POD_A, checksummedTcp(A, HOST, 40000, 80, 0x02));
        final int port = ((syn.bytes()[34] & 0xFF) << 8) | (syn.bytes()[35] & 0xFF);
        assertEquals(hex(checksummedTcp(FABRIC, HOST, port, 80, 0x02), 63), hex(syn.bytes(), -1));
        final Output synAck = one(n, UNDERLAY, checksummedTcp(HOST, FABRIC, 80, port, 0x12));
        assertEquals(POD_A, synAck.vif());
        assertEquals(hex(checksummedTcp(HOST, A, 80, 40000, 0x12), 63), hex(synAck.bytes(), -1));

        final Output echo = one(n, POD_A, icmpEcho(A, HOST, 8, 7));
        final int id = ((echo.bytes()[38] & 0xFF) << 8) | (echo.bytes()[39] & 0xFF);
        assertEquals(hex(icmpEcho(FABRIC, HOST, 8, id), 63), hex(echo.bytes(), -1));
        final Output echoReply = one(n, UNDERLAY, icmpEcho(HOST, FABRIC, 0, id));
        assertEquals(POD_A, echoReply.vif());
        assertEquals(hex(icmpEcho(HOST, A, 0, 7), 63), hex(echoReply.bytes(), -1));
    }

    @Test
    void shouldGiveTwoPodsUsingTheSamePortDifferentPortsAndRepliesToTheRightPod() throws Exception
    {
        final FlowNode n = node(4);
        final Output a = one(n, POD_A, udp(A, HOST, 5000, 53));
        final Output a2 = one(n, POD_A2, udp(A2, HOST, 5000, 53));
        final int pa = ((a.bytes()[34] & 0xFF) << 8) | (a.bytes()[35] & 0xFF);
        final int pa2 = ((a2.bytes()[34] & 0xFF) << 8) | (a2.bytes()[35] & 0xFF);
        assertEquals(true, pa != pa2, "ports " + pa + " and " + pa2);
        assertEquals(POD_A2, one(n, UNDERLAY, udp(HOST, FABRIC, 53, pa2)).vif());
        assertEquals(POD_A, one(n, UNDERLAY, udp(HOST, FABRIC, 53, pa)).vif());
    }

    @Test
    void shouldDropANewFlowAsPortExhaustedWhenTheRangeIsFull() throws Exception
    {
        final FlowNode n = node(2);
        one(n, POD_A, udp(A, HOST, 5000, 53));
        one(n, POD_A, udp(A, HOST, 5001, 53));
        assertEquals(0, n.t.send(POD_A, udp(A, HOST, 5002, 53)).size());
        assertEquals(1, n.drops(DropReason.FLOW_SNAT_NO_PORT));
        // Another remote port is another reverse key: the same ports serve it.
        assertEquals(UNDERLAY, one(n, POD_A, udp(A, HOST, 5002, 54)).vif());
    }

    @Test
    void shouldLeaveOverlayDestinationsAndOtherVrfsAlone() throws Exception
    {
        final FlowNode n = node(4);
        n.policy(PolicyTable.Rule.of(PolicyTable.Endpoint.network(FlowNode.NET_A),
            PolicyTable.Endpoint.network(FlowNode.NET_B), PolicyTable.ANY_PROTOCOL, true, true));
        // A to B (an overlay network): forwarded untranslated.
        final Output toB = one(n, POD_A, udp(A, B, 5000, 53));
        assertEquals(POD_B, toB.vif());
        assertEquals(hex(udp(A, B, 5000, 53), 63), hex(toB.bytes(), -1));
        // B's VRF (2) has no fabric SNAT and no route out: nothing leaves.
        assertEquals(0, n.t.send(POD_B, udp(B, HOST, 5000, 53)).size());
    }

    @Test
    void shouldRefuseBadConfigurationsWhole() throws Exception
    {
        final FabricSnat s = new FabricSnat();
        s.program(new FabricSnat.Config(0, FABRIC, LOW, LOW + 9, new int[] {1}));
        assertEquals(Errno.EINVAL, assertThrows(RequestException.class,
            () -> s.program(new FabricSnat.Config(0, FABRIC, 2000, 1000, new int[] {1}))).code());
        assertEquals(Errno.EINVAL, assertThrows(RequestException.class,
            () -> s.program(new FabricSnat.Config(0, FABRIC, 0, 10, new int[] {1}))).code());
        assertEquals(Errno.EINVAL, assertThrows(RequestException.class,
            () -> s.program(new FabricSnat.Config(0, FABRIC, LOW, LOW, new int[] {0}))).code());
        assertEquals(10, s.ports(), "the refused programs changed nothing");
        s.program(null);
        assertNull(s.config());
        assertEquals(false, s.covers(1));
    }

    /**
     * A pod with offloads hands over TCP with a partial checksum: the flow stage completes it before translating
     * (an incremental update of a partial checksum would be wrong), so the packet leaves with the golden bytes.
     *
     * @throws Exception on failure.
     */
    @Test
    void shouldCompleteAPartialChecksumBeforeTranslating() throws Exception
    {
        final FlowNode n = node(4);
        final byte[] syn = checksummedTcp(A, HOST, 40000, 80, 0x02);
        final long pseudo = (A >>> 16) + (A & 0xFFFF) + (HOST >>> 16) + (HOST & 0xFFFF) + 6 + 20;
        final int partial = ~Frames.checksum(new byte[0], 0, 0, pseudo) & 0xFFFF;
        syn[50] = (byte)(partial >>> 8);
        syn[51] = (byte)partial;
        final List<Output> out = n.t.sendPartialChecksum(POD_A, syn, 34, 16);
        assertEquals(1, out.size());
        final byte[] sent = out.get(0).bytes();
        final int port = ((sent[34] & 0xFF) << 8) | (sent[35] & 0xFF);
        assertEquals(hex(checksummedTcp(FABRIC, HOST, port, 80, 0x02), 63), hex(sent, -1));
    }

    /** A TCP segment with its checksum. */
    private static byte[] checksummedTcp(final int src, final int dst, final int sport, final int dport,
        final int flags)
    {
        final byte[] frame = FlowNode.tcp(src, dst, sport, dport, flags);
        final long pseudo = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 6 + 20;
        final int c = Frames.checksum(frame, 34, 20, pseudo);
        frame[50] = (byte)(c >>> 8);
        frame[51] = (byte)c;
        return frame;
    }
}
