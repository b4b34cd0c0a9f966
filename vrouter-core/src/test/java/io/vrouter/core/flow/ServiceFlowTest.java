package io.vrouter.core.flow;

import static io.vrouter.core.flow.FlowNode.A;
import static io.vrouter.core.flow.FlowNode.A2;
import static io.vrouter.core.flow.FlowNode.B;
import static io.vrouter.core.flow.FlowNode.NET_A;
import static io.vrouter.core.flow.FlowNode.NET_B;
import static io.vrouter.core.flow.FlowNode.POD_A;
import static io.vrouter.core.flow.FlowNode.POD_A2;
import static io.vrouter.core.flow.FlowNode.POD_B;
import static io.vrouter.core.flow.FlowNode.udp;
import static io.vrouter.core.testing.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Rule;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology.Output;
import io.vrouter.wire.IpProtocol;

/**
 * ClusterIP services in the flow stage: a new flow to the service's address and port is translated to a backend
 * chosen by the flow hash (destination address and port), its reply back (source address and port), both with
 * correct checksums; new flows spread over the backends; a changed backend set leaves existing flows on their
 * backend; other ports and other VRFs are not translated.
 */
class ServiceFlowTest
{
    private static final int VIP = ip("10.96.0.10");
    private static final int NET_S = 400;

    private static FlowNode node(final int... backends) throws RequestException
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(4096)).ownKeyNextHops();
        // The service network (no VRF on this node, only its subnet) and the default policy that lets pods of
        // network A reach it, as Contrail's between a namespace's pod and service networks.
        n.vrouter.policy().program(List.of(
            new PolicyTable.Network(NET_A, "A", new int[] {1}, List.of(PolicyTable.Cidr.parse("10.1.0.0/16"))),
            new PolicyTable.Network(NET_B, "B", new int[] {2}, List.of(PolicyTable.Cidr.parse("10.2.0.0/16"))),
            new PolicyTable.Network(NET_S, "S", new int[0], List.of(PolicyTable.Cidr.parse("10.96.0.0/12")))),
            List.of(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, true, true),
                Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_S), PolicyTable.ANY_PROTOCOL, true, true)));
        services(n, backends);
        return n;
    }

    private static void services(final FlowNode n, final int... backends) throws RequestException
    {
        n.vrouter.policy().services().program(List.of(
            new ServiceTable.Entry(1, VIP, IpProtocol.TCP, 80, 8080, backends),
            new ServiceTable.Entry(1, VIP, IpProtocol.UDP, 53, 5353, backends)));
    }

    private static Output one(final FlowNode n, final int fromPod, final byte[] frame)
    {
        final List<Output> out = n.t.send(fromPod, frame);
        assertEquals(1, out.size(), "one frame out");
        return out.get(0);
    }

    @Test
    void shouldTranslateTheDestinationToTheBackendAndTheReplyBackWithGoldenBytes() throws Exception
    {
        final FlowNode n = node(A2);
        final byte[] syn = tcp(A, VIP, 40000, 80, 0x02);
        final Output out = one(n, POD_A, syn);
        assertEquals(POD_A2, out.vif());
        final byte[] expected = tcp(A, A2, 40000, 8080, 0x02);
        // The frame out is the frame a client would have sent to the backend itself (checksums recomputed from
        // scratch by the builder, so the incremental updates are checked), TTL decremented by the routing.
        assertEquals(HexFormat.of().formatHex(ipAndTcp(expected, 63)),
            HexFormat.of().formatHex(ipAndTcp(out.bytes(), -1)));
        final Output reply = one(n, POD_A2, tcp(A2, A, 8080, 40000, 0x12));
        assertEquals(POD_A, reply.vif());
        assertEquals(HexFormat.of().formatHex(ipAndTcp(tcp(VIP, A, 80, 40000, 0x12), 63)),
            HexFormat.of().formatHex(ipAndTcp(reply.bytes(), -1)));
        assertEquals(2, n.table.activeEntries(), "one pair, the reply on its reverse entry");
    }

    @Test
    void shouldTranslateUdpAndKeepItsChecksumValid() throws Exception
    {
        final FlowNode n = node(B);
        final Output out = one(n, POD_A, udp(A, VIP, 5000, 53));
        assertEquals(POD_B, out.vif());
        final byte[] want = udp(A, B, 5000, 5353);
        assertEquals(HexFormat.of().formatHex(ipAndTcp(want, 63)), HexFormat.of().formatHex(ipAndTcp(out.bytes(), -1)));
        final Output reply = one(n, POD_B, udp(B, A, 5353, 5000));
        assertEquals(HexFormat.of().formatHex(ipAndTcp(udp(VIP, A, 53, 5000), 63)),
            HexFormat.of().formatHex(ipAndTcp(reply.bytes(), -1)));
    }

    @Test
    void shouldSpreadNewFlowsOverTheBackendsAndKeepExistingOnesWhenTheSetChanges() throws Exception
    {
        final FlowNode n = node(A2, B);
        final Map<Integer, Integer> hits = new HashMap<>();
        final Map<Integer, Integer> chosen = new HashMap<>();
        for (int port = 40000; port < 40030; port++)
        {
            final int vif = one(n, POD_A, tcp(A, VIP, port, 80, 0x02)).vif();
            hits.merge(vif, 1, Integer::sum);
            chosen.put(port, vif);
        }
        assertEquals(2, hits.size(), "both backends: " + hits);
        assertTrue(hits.get(POD_A2) >= 5 && hits.get(POD_B) >= 5, "spread: " + hits);
        // B leaves the service: existing flows keep their backend, new ones all go to A2.
        services(n, A2);
        for (final Map.Entry<Integer, Integer> e : chosen.entrySet())
        {
            assertEquals(e.getValue(), one(n, POD_A, tcp(A, VIP, e.getKey(), 80, 0x10)).vif(), "port " + e.getKey());
        }
        for (int port = 41000; port < 41010; port++)
        {
            assertEquals(POD_A2, one(n, POD_A, tcp(A, VIP, port, 80, 0x02)).vif(), "new flow from " + port);
        }
    }

    @Test
    void shouldLeaveOtherPortsAndOtherVrfsAlone() throws Exception
    {
        final FlowNode n = node(A2);
        // No route to the ClusterIP and no service on port 81: not translated, dropped for want of a route.
        assertEquals(0, n.t.send(POD_A, tcp(A, VIP, 40000, 81, 0x02)).size());
        // Network B's VRF (2) has no entry for the service (and no rule to the service network): not reached.
        assertEquals(0, n.t.send(POD_B, tcp(B, VIP, 40000, 80, 0x02)).size());
        assertEquals(POD_A2, n.t.send(POD_A, tcp(A, VIP, 40001, 80, 0x02)).get(0).vif());
    }

    @Test
    void shouldRefuseBadEntriesWhole() throws Exception
    {
        final ServiceTable s = new ServiceTable();
        s.program(List.of(new ServiceTable.Entry(1, VIP, IpProtocol.TCP, 80, 8080, new int[] {A2})));
        final RequestException twice = assertThrows(RequestException.class, () -> s.program(List.of(
            new ServiceTable.Entry(1, VIP, IpProtocol.TCP, 80, 8080, new int[] {A2}),
            new ServiceTable.Entry(1, VIP, IpProtocol.TCP, 80, 9090, new int[] {B}))));
        assertEquals(Errno.EEXIST, twice.code());
        assertEquals(Errno.EINVAL, assertThrows(RequestException.class, () -> s.program(List.of(
            new ServiceTable.Entry(1, VIP, IpProtocol.ICMP, 80, 8080, new int[] {A2})))).code());
        assertEquals(Errno.EINVAL, assertThrows(RequestException.class, () -> s.program(List.of(
            new ServiceTable.Entry(1, VIP, IpProtocol.TCP, 0, 8080, new int[] {A2})))).code());
        assertEquals(1, s.entries().size(), "the refused programs changed nothing");
        assertEquals(A2, ServiceTable.backendAddress(s.choose(1, IpProtocol.TCP, VIP, 80, 12345)));
        assertEquals(8080, ServiceTable.targetPort(s.choose(1, IpProtocol.TCP, VIP, 80, 12345)));
        assertEquals(ServiceTable.NONE, s.choose(2, IpProtocol.TCP, VIP, 80, 12345));
        s.program(List.of(new ServiceTable.Entry(1, VIP, IpProtocol.TCP, 80, 8080, new int[0])));
        assertEquals(ServiceTable.NONE, s.choose(1, IpProtocol.TCP, VIP, 80, 12345), "no backend, no translation");
    }

    /** A TCP segment (no payload) with its checksum, from the pod's MAC to the gateway's. */
    private static byte[] tcp(final int src, final int dst, final int sport, final int dport, final int flags)
    {
        final byte[] l4 = new byte[20];
        final java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(l4);
        bb.putShort((short)sport).putShort((short)dport).putInt(1).putInt(flags == 0x02 ? 0 : 7);
        bb.put((byte)(5 << 4)).put((byte)flags).putShort((short)1000);
        final long pseudo = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + IpProtocol.TCP + 20;
        final int c = Frames.checksum(l4, 0, 20, pseudo);
        l4[16] = (byte)(c >>> 8);
        l4[17] = (byte)c;
        return FlowNode.ipv4(src, dst, IpProtocol.TCP, l4);
    }

    /** The IPv4 header and L4 bytes of a frame; a TTL given replaces the frame's (with its checksum fixed). */
    private static byte[] ipAndTcp(final byte[] frame, final int ttl)
    {
        final byte[] ip = java.util.Arrays.copyOfRange(frame, 14, frame.length);
        if (ttl >= 0)
        {
            ip[8] = (byte)ttl;
            ip[10] = 0;
            ip[11] = 0;
            final int c = Frames.checksum(ip, 0, 20, 0);
            ip[10] = (byte)(c >>> 8);
            ip[11] = (byte)c;
        }
        return ip;
    }
}
