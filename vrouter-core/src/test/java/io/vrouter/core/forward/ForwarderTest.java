package io.vrouter.core.forward;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static io.vrouter.core.testing.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;
import io.vrouter.core.testing.TestTopology.Output;
import io.vrouter.wire.AddressFamily;

/**
 * Packets in, bytes and counters out, for each path of the pipeline, on a node programmed as
 * Contrail's agent programs one: fabric vif 0, pods on vifs 3 and 4 in VRF 1, the gateway MAC
 * bridged to an L2-receive next hop, /32 routes to interface next hops, a remote pod behind an
 * MPLSoUDP tunnel, labels 16 and 17 for the local pods.
 */
class ForwarderTest
{
    static final long FABRIC_MAC = 0x020000000afaL;
    static final long PEER_MAC = 0x020000000bfbL;
    static final long POD_A_MAC = 0x02000000000aL;
    static final long POD_B_MAC = 0x02000000000bL;
    static final int FABRIC = 0;
    static final int POD_A = 3;
    static final int POD_B = 4;
    static final int VRF = 1;
    static final int LOCAL = ip("192.168.0.1");
    static final int REMOTE = ip("192.168.0.2");
    static final int A = ip("10.1.1.3");
    static final int B = ip("10.1.1.4");
    static final int C = ip("10.1.1.5");

    TestTopology t;

    @BeforeEach
    void node()
    {
        t = new TestTopology()
            .vif(FABRIC, VifType.PHYSICAL, 0, FABRIC_MAC, 1500, 0)
            .vif(POD_A, VifType.VIRTUAL, VRF, GATEWAY_MAC, 9000, 0)
            .vif(POD_B, VifType.VIRTUAL, VRF, GATEWAY_MAC, 9000, 0)
            .simpleNh(1, NextHopType.L2_RECEIVE, -1, VRF)
            .bridge(VRF, GATEWAY_MAC, 1)
            .encapNh(10, 2, POD_A, POD_A_MAC, GATEWAY_MAC, NextHopFlags.VALID)
            .encapNh(11, 2, POD_B, POD_B_MAC, GATEWAY_MAC, NextHopFlags.VALID)
            .encapNh(12, 7, POD_B, POD_B_MAC, GATEWAY_MAC, NextHopFlags.VALID)
            .bridge(VRF, POD_B_MAC, 12)
            .route4(VRF, A, 32, 10, -1, 0x2)
            .route4(VRF, B, 32, 11, -1, 0x2)
            .tunnelNh(20, FABRIC, LOCAL, REMOTE, NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS, PEER_MAC,
                FABRIC_MAC)
            .route4(VRF, C, 32, 20, 40, 0x1 | 0x2)
            .simpleNh(2, NextHopType.RECEIVE, -1, 0)
            .route4(0, LOCAL, 32, 2, -1, 0)
            .label(16, 10)
            .label(17, 11);
    }

    static byte[] podToGateway(final int src, final int dst, final int ttl)
    {
        return Frames.udp4(GATEWAY_MAC, POD_A_MAC, src, dst, ttl, 1000, 2000, 32, false);
    }

    static boolean ipv4ChecksumOk(final byte[] f, final int off)
    {
        return Frames.checksum(f, off, 20, 0) == 0;
    }

    static int u16(final byte[] f, final int off)
    {
        return ((f[off] & 0xFF) << 8) | (f[off + 1] & 0xFF);
    }

    long drops(final int vif, final DropReason r)
    {
        return t.vrouter().drops(vif, r);
    }

    @Test
    void shouldRouteBetweenLocalPodsWithMacRewriteAndTtlDecrement()
    {
        final byte[] in = podToGateway(A, B, 64);
        final List<Output> out = t.send(POD_A, in);
        assertEquals(1, out.size());
        assertEquals(POD_B, out.get(0).vif());
        final byte[] f = out.get(0).bytes();
        assertEquals(in.length, f.length);
        assertArrayEquals(TestTopology.l2(POD_B_MAC, GATEWAY_MAC), java.util.Arrays.copyOf(f, 14));
        assertEquals(63, f[14 + 8] & 0xFF);
        assertTrue(ipv4ChecksumOk(f, 14));
        assertEquals(1, t.vrouter().vrfStat(VRF, VrfStat.L2_RECEIVES));
        assertEquals(1, t.vrouter().vrfStat(VRF, VrfStat.ENCAPS));
    }

    @Test
    void shouldEncapsulateToRemotePodInMplsOverUdp()
    {
        final byte[] in = podToGateway(A, C, 64);
        final List<Output> out = t.send(POD_A, in);
        assertEquals(1, out.size());
        assertEquals(FABRIC, out.get(0).vif());
        final byte[] f = out.get(0).bytes();
        assertEquals(in.length + 32, f.length);
        assertArrayEquals(TestTopology.l2(PEER_MAC, FABRIC_MAC), java.util.Arrays.copyOf(f, 14));
        final ByteBuffer bb = ByteBuffer.wrap(f);
        assertEquals(0x45, f[14] & 0xFF);
        assertEquals(f.length - 14, u16(f, 16));
        assertEquals(0, u16(f, 20), "DF clear, not a fragment");
        assertEquals(64, f[22] & 0xFF);
        assertEquals(17, f[23] & 0xFF);
        assertTrue(ipv4ChecksumOk(f, 14));
        assertEquals(LOCAL, bb.getInt(26));
        assertEquals(REMOTE, bb.getInt(30));
        final int sport = u16(f, 34);
        assertTrue(sport >= 49152 && sport <= 65535, "entropy port " + sport);
        assertEquals(6635, u16(f, 36));
        assertEquals(f.length - 34, u16(f, 38));
        assertEquals(0, u16(f, 40), "UDP checksum 0");
        final int mpls = bb.getInt(42);
        assertEquals(40, mpls >>> 12);
        assertEquals(1, (mpls >>> 8) & 1, "bottom of stack");
        assertEquals(63, mpls & 0xFF, "MPLS TTL = inner TTL after decrement");
        assertEquals(63, f[46 + 8] & 0xFF);
        assertTrue(ipv4ChecksumOk(f, 46));
        assertEquals(1, t.vrouter().vrfStat(VRF, VrfStat.UDP_MPLS_TUNNELS));
    }

    @Test
    void shouldUseIncrementingOuterIpIdsAndStableEntropyPortPerFlow()
    {
        final List<Output> out = t.send(POD_A, podToGateway(A, C, 64), podToGateway(A, C, 64));
        assertEquals(2, out.size());
        assertEquals(u16(out.get(0).bytes(), 18) + 1, u16(out.get(1).bytes(), 18));
        assertEquals(u16(out.get(0).bytes(), 34), u16(out.get(1).bytes(), 34));
    }

    @Test
    void shouldDecapsulateFromFabricAndDeliverWithoutSecondTtlDecrement()
    {
        final byte[] toRemote = t.send(POD_A, podToGateway(A, C, 64)).get(0).bytes();
        // Turn it into a packet arriving from the remote node for pod B (label 17).
        final byte[] in = toRemote.clone();
        final ByteBuffer bb = ByteBuffer.wrap(in);
        bb.putInt(26, REMOTE).putInt(30, LOCAL);
        in[24] = 0;
        in[25] = 0;
        final int c = Frames.checksum(in, 14, 20, 0);
        in[24] = (byte)(c >>> 8);
        in[25] = (byte)c;
        bb.putInt(42, (17 << 12) | (1 << 8) | 63);
        final List<Output> out = t.send(FABRIC, in);
        assertEquals(1, out.size(), t.forwarder().dropSummary());
        assertEquals(POD_B, out.get(0).vif());
        final byte[] f = out.get(0).bytes();
        assertEquals(in.length - 32, f.length);
        assertArrayEquals(TestTopology.l2(POD_B_MAC, GATEWAY_MAC), java.util.Arrays.copyOf(f, 14));
        assertEquals(63, f[22] & 0xFF, "no second decrement");
        assertTrue(ipv4ChecksumOk(f, 14));
    }

    @Test
    void shouldDropUnknownLabelFromFabric()
    {
        final byte[] in = t.send(POD_A, podToGateway(A, C, 64)).get(0).bytes();
        final ByteBuffer bb = ByteBuffer.wrap(in);
        bb.putInt(30, LOCAL);
        in[24] = 0;
        in[25] = 0;
        final int c = Frames.checksum(in, 14, 20, 0);
        in[24] = (byte)(c >>> 8);
        in[25] = (byte)c;
        bb.putInt(42, (99 << 12) | (1 << 8) | 63);
        assertEquals(0, t.send(FABRIC, in).size());
        assertEquals(1, drops(FABRIC, DropReason.INVALID_LABEL));
    }

    @Test
    void shouldDropTruncatedTunnelFromFabric()
    {
        final byte[] full = t.send(POD_A, podToGateway(A, C, 64)).get(0).bytes();
        final ByteBuffer bb = ByteBuffer.wrap(full);
        bb.putInt(30, LOCAL);
        final byte[] in = java.util.Arrays.copyOf(full, 44);
        assertEquals(0, t.send(FABRIC, in).size());
        assertEquals(1, t.vrouter().drops(DropReason.PULL) + t.vrouter().drops(DropReason.CKSUM_ERR)
            + t.vrouter().drops(DropReason.INVALID_PACKET));
    }

    @Test
    void shouldAnswerArpForRemotePodWithGatewayMac()
    {
        final List<Output> out = t.send(POD_A, Frames.arpRequest(POD_A_MAC, A, C));
        assertEquals(1, out.size());
        assertEquals(POD_A, out.get(0).vif());
        final byte[] f = out.get(0).bytes();
        final ByteBuffer bb = ByteBuffer.wrap(f);
        assertArrayEquals(TestTopology.macBytes(POD_A_MAC), java.util.Arrays.copyOf(f, 6));
        assertArrayEquals(TestTopology.macBytes(GATEWAY_MAC), java.util.Arrays.copyOfRange(f, 6, 12));
        assertEquals(2, u16(f, 20), "ARP reply");
        assertArrayEquals(TestTopology.macBytes(GATEWAY_MAC), java.util.Arrays.copyOfRange(f, 22, 28));
        assertEquals(C, bb.getInt(28));
        assertArrayEquals(TestTopology.macBytes(POD_A_MAC), java.util.Arrays.copyOfRange(f, 32, 38));
        assertEquals(A, bb.getInt(38));
        assertEquals(1, t.vrouter().vrfStat(VRF, VrfStat.ARP_VIRTUAL_PROXY));
    }

    @Test
    void shouldDropExpiringTtlAndCountIt()
    {
        assertEquals(0, t.send(POD_A, podToGateway(A, C, 1)).size());
        assertEquals(1, drops(POD_A, DropReason.TTL_EXCEEDED));
    }

    @Test
    void shouldDiscardWithoutRoute()
    {
        assertEquals(0, t.send(POD_A, podToGateway(A, ip("172.16.0.1"), 64)).size());
        assertEquals(1, drops(POD_A, DropReason.DISCARD));
        assertEquals(1, t.vrouter().vrfStat(VRF, VrfStat.DISCARDS));
    }

    @Test
    void shouldDropMalformedFramesUnderNamedReasons()
    {
        final byte[] badChecksum = podToGateway(A, B, 64);
        badChecksum[24] ^= 0x55;
        final byte[] badIhl = podToGateway(A, B, 64);
        badIhl[14] = 0x43;
        final byte[] badVersion = podToGateway(A, B, 64);
        badVersion[14] = 0x55;
        final byte[] tooLong = podToGateway(A, B, 64);
        tooLong[16] = 0x7F;
        final byte[] runt = java.util.Arrays.copyOf(podToGateway(A, B, 64), 10);
        final byte[] truncatedIp = java.util.Arrays.copyOf(podToGateway(A, B, 64), 24);
        assertEquals(0, t.send(POD_A, badChecksum, badIhl, badVersion, tooLong, runt, truncatedIp).size());
        assertEquals(1, drops(POD_A, DropReason.CKSUM_ERR));
        assertEquals(2, drops(POD_A, DropReason.PULL), "runt frame and truncated IP header");
        assertEquals(3, drops(POD_A, DropReason.INVALID_PACKET), "bad IHL, bad version, length beyond frame");
    }

    @Test
    void shouldAnswerTooBigWithDfWithIcmpFragmentationNeeded()
    {
        final byte[] in = Frames.udp4(GATEWAY_MAC, POD_A_MAC, A, C, 64, 1000, 2000, 1480 - 28, true);
        final List<Output> out = t.send(POD_A, in);
        assertEquals(1, out.size());
        assertEquals(POD_A, out.get(0).vif());
        final byte[] f = out.get(0).bytes();
        assertArrayEquals(TestTopology.macBytes(POD_A_MAC), java.util.Arrays.copyOf(f, 6));
        assertEquals(1, f[14 + 9] & 0xFF, "ICMP");
        assertEquals(A, ByteBuffer.wrap(f).getInt(30), "back to the sender");
        final int icmp = 14 + 20;
        assertEquals(3, f[icmp] & 0xFF);
        assertEquals(4, f[icmp + 1] & 0xFF);
        assertEquals(1500 - 32, u16(f, icmp + 6), "next-hop MTU");
        assertTrue(ipv4ChecksumOk(f, 14));
        assertEquals(0, Frames.checksum(f, icmp, f.length - icmp, 0), "ICMP checksum");
    }

    @Test
    void shouldClampTcpMssOnSynIntoTunnel()
    {
        final List<Output> out = t.send(POD_A, Frames.tcpSyn4(GATEWAY_MAC, POD_A_MAC, A, C, 1460));
        assertEquals(1, out.size());
        final byte[] f = out.get(0).bytes();
        final int tcp = 46 + 20;
        assertEquals(1500 - 40 - 40, u16(f, tcp + 22));
        final ByteBuffer bb = ByteBuffer.wrap(f);
        final long pseudo = (A >>> 16) + (A & 0xFFFF) + (C >>> 16) + (C & 0xFFFF) + 6 + 24;
        assertEquals(0, Frames.checksum(f, tcp, 24, pseudo), "TCP checksum after clamp, " + bb.getInt(tcp));
    }

    @Test
    void shouldBridgeFramesToKnownMacUnchanged()
    {
        final byte[] in = Frames.udp4(POD_B_MAC, POD_A_MAC, A, B, 64, 1, 2, 16, false);
        final List<Output> out = t.send(POD_A, in);
        assertEquals(1, out.size());
        assertEquals(POD_B, out.get(0).vif());
        assertArrayEquals(in, out.get(0).bytes());
    }

    @Test
    void shouldDropUnknownMacAsNoL2Route()
    {
        assertEquals(0, t.send(POD_A, Frames.udp4(0x02aaaaaaaaaaL, POD_A_MAC, A, B, 64, 1, 2, 16, false)).size());
        assertEquals(1, drops(POD_A, DropReason.L2_NO_ROUTE));
    }

    @Test
    void shouldSpreadFlowsOverEcmpMembersAndKeepEachFlowOnOne()
    {
        t.tunnelNh(21, FABRIC, LOCAL, ip("192.168.0.3"), NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS, PEER_MAC,
            FABRIC_MAC);
        t.program(NextHopRequest.builder().id(30).type(NextHopType.COMPOSITE).family(AddressFamily.INET)
            .flags(NextHopFlags.VALID | NextHopFlags.COMPOSITE_ECMP).members(new int[] {20, 21}, new int[] {40, 41})
            .build());
        t.route4(VRF, ip("10.2.0.0"), 16, 30, -1, 0x2);
        final Set<Integer> tunnels = new HashSet<>();
        for (int i = 0; i < 64; i++)
        {
            final byte[] in = Frames.udp4(GATEWAY_MAC, POD_A_MAC, A, ip("10.2.0.0") + i, 64, 1000 + i, 2000, 8, false);
            final byte[] f1 = t.send(POD_A, in).get(0).bytes();
            final byte[] f2 = t.send(POD_A, in.clone()).get(0).bytes();
            final int dst = ByteBuffer.wrap(f1).getInt(30);
            assertEquals(dst, ByteBuffer.wrap(f2).getInt(30), "same flow, same member");
            final int label = ByteBuffer.wrap(f1).getInt(42) >>> 12;
            assertEquals(dst == REMOTE ? 40 : 41, label, "member's own label");
            tunnels.add(dst);
        }
        assertEquals(2, tunnels.size(), "both members used");
    }

    @Test
    void shouldHoldPolicyInterfaceTrafficWithoutPolicyForTheSlowPath()
    {
        // VRF 1 belongs to no network: the flow cannot be decided in line, the packet is held, not forwarded.
        t.vif(5, VifType.VIRTUAL, VRF, GATEWAY_MAC, 9000, VifFlags.POLICY_ENABLED);
        assertEquals(0, t.send(5, podToGateway(A, B, 64)).size());
        assertEquals(1, t.vrouter().flows().holdEntries());
        assertEquals(0, t.send(5).size(), "still held");
    }

    @Test
    void shouldCountPacketsOnInterfaces()
    {
        t.send(POD_A, podToGateway(A, B, 64), podToGateway(A, B, 64));
        assertEquals(2, t.vrouter().interfaceCounter(POD_A, 0));
        assertEquals(2, t.vrouter().interfaceCounter(POD_B, 2));
    }
}
