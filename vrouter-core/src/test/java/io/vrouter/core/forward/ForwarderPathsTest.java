package io.vrouter.core.forward;

import static io.vrouter.core.forward.ForwarderTest.A;
import static io.vrouter.core.forward.ForwarderTest.B;
import static io.vrouter.core.forward.ForwarderTest.FABRIC;
import static io.vrouter.core.forward.ForwarderTest.FABRIC_MAC;
import static io.vrouter.core.forward.ForwarderTest.LOCAL;
import static io.vrouter.core.forward.ForwarderTest.PEER_MAC;
import static io.vrouter.core.forward.ForwarderTest.POD_A;
import static io.vrouter.core.forward.ForwarderTest.POD_A_MAC;
import static io.vrouter.core.forward.ForwarderTest.POD_B;
import static io.vrouter.core.forward.ForwarderTest.POD_B_MAC;
import static io.vrouter.core.forward.ForwarderTest.REMOTE;
import static io.vrouter.core.forward.ForwarderTest.VRF;
import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static io.vrouter.core.testing.Frames.hex;
import static io.vrouter.core.testing.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.VxlanRequest;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;
import io.vrouter.core.testing.TestTopology.Output;
import io.vrouter.encap.EncapRewrite;
import io.vrouter.encap.MplsGreEncap;
import io.vrouter.encap.TunnelType;
import io.vrouter.encap.VxlanEncap;
import io.vrouter.wire.AddressFamily;

/**
 * The paths {@link ForwarderTest} leaves out: IPv6 routing and neighbour proxy, VXLAN and GRE
 * arriving from the fabric, VRF translation, and fabric packets not addressed to this node.
 */
class ForwarderPathsTest
{
    static final byte[] A6 = hex("fd000000000000000000000000000003");
    static final byte[] B6 = hex("fd000000000000000000000000000004");

    ForwarderTest n;
    TestTopology t;

    @BeforeEach
    void node()
    {
        n = new ForwarderTest();
        n.node();
        t = n.t;
        t.encapNh(13, 10, POD_B, POD_B_MAC, GATEWAY_MAC, NextHopFlags.VALID);
        t.route6(VRF, B6, 128, 13, 0x2);
    }

    /** Wraps an inner payload into an outer frame addressed to this node, built with the encap module. */
    static byte[] fromRemote(final int type, final byte[] inner, final int key)
    {
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[256 + inner.length]);
        buf.putBytes(128, inner);
        final EncapRewrite rw = EncapRewrite.create(type, FABRIC_MAC, PEER_MAC, REMOTE, LOCAL);
        final int start = type == TunnelType.VXLAN
            ? VxlanEncap.encap(buf, 128, inner.length, rw, key, 7, 50000)
            : MplsGreEncap.encap(buf, 128, inner.length, rw, key, 63, 7);
        final byte[] f = new byte[128 + inner.length - start];
        buf.getBytes(start, f);
        return f;
    }

    @Test
    void shouldRouteIpv6BetweenPodsAndDecrementHopLimit()
    {
        final byte[] in = Frames.udp6(GATEWAY_MAC, POD_A_MAC, A6, B6, 64, 16);
        final List<Output> out = t.send(POD_A, in);
        assertEquals(1, out.size(), t.forwarder().dropSummary());
        assertEquals(POD_B, out.get(0).vif());
        final byte[] f = out.get(0).bytes();
        assertArrayEquals(TestTopology.macBytes(POD_B_MAC), Arrays.copyOf(f, 6));
        assertEquals(0x86DD, ((f[12] & 0xFF) << 8) | (f[13] & 0xFF));
        assertEquals(63, f[14 + 7] & 0xFF);
    }

    @Test
    void shouldAnswerTooBigIpv6WithPacketTooBig()
    {
        final byte[] c6 = hex("fd000000000000000000000000000005");
        t.program(RouteRequest.builder().family(AddressFamily.INET6).vrfId(VRF).prefix(c6, 128).nhId(20)
            .labelFlags(3).label(40).build());
        final byte[] in = Frames.udp6(GATEWAY_MAC, POD_A_MAC, A6, c6, 64, 1480 - 48);
        final List<Output> out = t.send(POD_A, in);
        assertEquals(1, out.size(), t.forwarder().dropSummary());
        assertEquals(POD_A, out.get(0).vif());
        final byte[] f = out.get(0).bytes();
        assertArrayEquals(TestTopology.macBytes(POD_A_MAC), Arrays.copyOf(f, 6));
        assertEquals(58, f[14 + 6] & 0xFF, "ICMPv6");
        assertArrayEquals(A6, Arrays.copyOfRange(f, 14 + 24, 14 + 40), "back to the sender");
        assertEquals(2, f[54] & 0xFF, "packet too big");
        assertEquals(1500 - 32, ByteBuffer.wrap(f).getInt(58), "fabric MTU less the MPLSoUDP overhead");
        assertEquals(1280 + 14, f.length, "quotes as much as fits in the minimum MTU");
    }

    @Test
    void shouldDropIpv6WithExpiringHopLimit()
    {
        assertEquals(0, t.send(POD_A, Frames.udp6(GATEWAY_MAC, POD_A_MAC, A6, B6, 1, 16)).size());
        assertEquals(1, t.vrouter().drops(POD_A, DropReason.TTL_EXCEEDED));
    }

    @Test
    void shouldAnswerNeighborSolicitationForProxiedAddress()
    {
        final List<Output> out = t.send(POD_A, Frames.neighborSolicitation(POD_A_MAC, A6, B6));
        assertEquals(1, out.size(), t.forwarder().dropSummary());
        final byte[] f = out.get(0).bytes();
        assertEquals(POD_A, out.get(0).vif());
        assertArrayEquals(TestTopology.macBytes(POD_A_MAC), Arrays.copyOf(f, 6));
        assertEquals(136, f[54] & 0xFF, "neighbour advertisement");
        assertArrayEquals(B6, Arrays.copyOfRange(f, 62, 78), "for the solicited target");
    }

    @Test
    void shouldDeliverVxlanFromFabricThroughVrfTranslateAndBridge()
    {
        t.simpleNh(40, NextHopType.VRF_TRANSLATE, -1, VRF);
        t.program(VxlanRequest.add(100, 40));
        final byte[] inner = Frames.udp4(POD_B_MAC, 0x02cccccccccc0L, ip("10.1.1.9"), B, 64, 1, 2, 8, false);
        final List<Output> out = t.send(FABRIC, fromRemote(TunnelType.VXLAN, inner, 100));
        assertEquals(1, out.size(), t.forwarder().dropSummary());
        assertEquals(POD_B, out.get(0).vif());
        assertArrayEquals(inner, out.get(0).bytes());
    }

    @Test
    void shouldDropUnknownVni()
    {
        final byte[] inner = Frames.udp4(POD_B_MAC, 0x02cccccccccc0L, ip("10.1.1.9"), B, 64, 1, 2, 8, false);
        assertEquals(0, t.send(FABRIC, fromRemote(TunnelType.VXLAN, inner, 101)).size());
        assertEquals(1, t.vrouter().drops(FABRIC, DropReason.INVALID_VNID));
    }

    @Test
    void shouldDeliverMplsOverGreFromFabric()
    {
        final byte[] inner = Arrays.copyOfRange(ForwarderTest.podToGateway(ip("10.1.1.9"), A, 63), 14, 14 + 60);
        final List<Output> out = t.send(FABRIC, fromRemote(TunnelType.MPLS_GRE, inner, 16));
        assertEquals(1, out.size(), t.forwarder().dropSummary());
        assertEquals(POD_A, out.get(0).vif());
        assertEquals(63, out.get(0).bytes()[22] & 0xFF, "no second TTL decrement");
    }

    @Test
    void shouldFlowFabricTrafficToAPolicyNextHopAndChargeThePodInterface() throws Exception
    {
        // The label's interface next hop carries the Policy flag (reference §2.2: traffic from the fabric).
        t.program(NextHopRequest.builder().id(10).type(NextHopType.ENCAP).family(AddressFamily.INET).vrf(VRF)
            .oif(POD_A).encap(TestTopology.l2(ForwarderTest.POD_A_MAC, GATEWAY_MAC))
            .flags(NextHopFlags.VALID | NextHopFlags.POLICY_ENABLED).build());
        t.vrouter().policy().program(List.of(new io.vrouter.core.flow.PolicyTable.Network(1, "pods",
            new int[] {VRF}, List.of(io.vrouter.core.flow.PolicyTable.Cidr.parse("10.1.1.0/24")))), List.of());
        final byte[] inner = Arrays.copyOfRange(ForwarderTest.podToGateway(ip("10.1.1.9"), A, 63), 14, 14 + 60);
        final List<Output> out = t.send(FABRIC, fromRemote(TunnelType.MPLS_GRE, inner, 16));
        assertEquals(1, out.size(), t.forwarder().dropSummary());
        assertEquals(POD_A, out.get(0).vif());
        final io.vrouter.core.flow.FlowTable flows = t.vrouter().flows();
        assertEquals(2, flows.activeEntries(), "a pair set up in line");
        assertEquals(2, flows.vifEntries(POD_A), "charged to the pod interface, not the fabric");
        assertEquals(0, flows.vifEntries(FABRIC));
        final io.vrouter.core.flow.FlowKey k = new io.vrouter.core.flow.FlowKey().set4(10, 17, ip("10.1.1.9"), A,
            1000, 2000);
        assertEquals(true, flows.lookup(k, k.hash()) >= 0, "keyed with the next hop's id");
    }

    @Test
    void shouldTranslateVrfAndLookUpAgain()
    {
        t.simpleNh(41, NextHopType.VRF_TRANSLATE, -1, 2);
        t.route4(VRF, ip("10.9.0.0"), 16, 41, -1, 0);
        t.route4(2, ip("10.9.0.0"), 16, 11, -1, 0);
        final List<Output> out = t.send(POD_A, ForwarderTest.podToGateway(A, ip("10.9.1.1"), 64));
        assertEquals(1, out.size(), t.forwarder().dropSummary());
        assertEquals(POD_B, out.get(0).vif());
        assertEquals(1, t.vrouter().vrfStat(VRF, VrfStat.VRF_TRANSLATES));
    }

    @Test
    void shouldRefuseFabricPacketsNotForThisNode()
    {
        final byte[] in = fromRemote(TunnelType.MPLS_GRE,
            Arrays.copyOfRange(ForwarderTest.podToGateway(A, B, 63), 14, 74), 16);
        ByteBuffer.wrap(in).putInt(30, ip("192.168.0.77"));
        in[24] = 0;
        in[25] = 0;
        final int c = Frames.checksum(in, 14, 20, 0);
        in[24] = (byte)(c >>> 8);
        in[25] = (byte)c;
        assertEquals(0, t.send(FABRIC, in).size());
        assertEquals(1, t.vrouter().drops(FABRIC, DropReason.DISCARD));
    }
}
