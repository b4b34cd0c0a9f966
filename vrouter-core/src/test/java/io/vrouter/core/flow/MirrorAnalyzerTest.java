package io.vrouter.core.flow;

import static io.vrouter.core.flow.FlowNode.A;
import static io.vrouter.core.flow.FlowNode.B;
import static io.vrouter.core.flow.FlowNode.NET_A;
import static io.vrouter.core.flow.FlowNode.NET_B;
import static io.vrouter.core.flow.FlowNode.POD_A;
import static io.vrouter.core.flow.FlowNode.POD_B;
import static io.vrouter.core.flow.FlowNode.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Rule;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;
import io.vrouter.core.testing.TestTopology.Output;
import io.vrouter.wire.AddressFamily;
import io.vrouter.wire.Checksums;
import io.vrouter.wire.IpProtocol;

/**
 * Mirroring to an analyzer: mirror entries with flags and VNI, plain UDP tunnel and VXLAN mirror next hops,
 * Contrail's pcap header and metadata on dynamic copies (golden bytes, computed independently), and the
 * refusals of {@code vr_mirror_req}, UDP tunnel next hops and vif mirror metadata.
 */
class MirrorAnalyzerTest
{
    /** 8099 in network byte order, as Contrail's nhr_tun_sport/dport carry it. */
    private static final int PORT_8099_NET = 0xA31F;
    private static final int FABRIC = 6;
    private static final int UDP_NH = 40;
    private static final int VXLAN_NH = 41;
    private static final int MPLS_NH = 42;
    private static final int SIP = Frames.ip("10.0.0.1");
    private static final int DIP = Frames.ip("10.0.0.9");
    private static final long FABRIC_MAC = 0x02000000f00fL;
    private static final String OUTER_ETHERNET = "deadbeef0001" + "02000000f00f" + "0800";
    private static final long NOW_MICROS = 1_700_000_000_123_456L;
    private static final String PCAP_58 = "6553f100" + "0001e240" + "0000003a" + "0000003a";

    private static FlowNode node() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        n.policy(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, true, true));
        n.t.vif(FABRIC, VifType.PHYSICAL, 0, FABRIC_MAC, 1514, 0);
        n.t.program(NextHopRequest.builder().id(UDP_NH).type(NextHopType.TUNNEL).family(AddressFamily.INET)
            .oif(FABRIC).encap(TestTopology.l2(TestTopology.FABRIC_PEER_MAC, FABRIC_MAC))
            .tunnel(Integer.reverseBytes(SIP), Integer.reverseBytes(DIP)).tunnelPorts(PORT_8099_NET, PORT_8099_NET)
            .flags(NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP).build());
        n.t.tunnelNh(VXLAN_NH, FABRIC, SIP, DIP, NextHopFlags.VALID | NextHopFlags.TUNNEL_VXLAN,
            TestTopology.FABRIC_PEER_MAC, FABRIC_MAC);
        n.t.tunnelNh(MPLS_NH, FABRIC, SIP, DIP, NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS,
            TestTopology.FABRIC_PEER_MAC, FABRIC_MAC);
        n.t.forwarder().mirrorClock(() -> NOW_MICROS);
        return n;
    }

    private static MirrorRequest mirror(final int index, final int nh, final int flags, final int vni)
    {
        return MirrorRequest.add(index, nh, flags, vni);
    }

    private static InterfaceRequest podA(final int flags, final String inMd, final String outMd)
    {
        final InterfaceRequest.Builder r = InterfaceRequest.builder().idx(POD_A).type(VifType.VIRTUAL).name("a")
            .vrf(1).mac(BridgeTable.GATEWAY_MAC).mtu(9000).flags(VifFlags.POLICY_ENABLED | flags).mirId(1);
        if (inMd != null)
        {
            r.inMirrorMd(Frames.hex(inMd));
        }
        if (outMd != null)
        {
            r.outMirrorMd(Frames.hex(outMd));
        }
        return r.build();
    }

    private static String hex(final byte[] b, final int from, final int to)
    {
        return HexFormat.of().formatHex(Arrays.copyOfRange(b, from, to));
    }

    private static void assertUdpChecksumValid(final byte[] copy)
    {
        assertTrue(Checksums.isIpv4TransportChecksumValid(new UnsafeBuffer(copy), 34, copy.length - 34, SIP, DIP,
            IpProtocol.UDP), "full UDP checksum");
    }

    @Test
    void shouldSendAPlainMirrorCopyOverTheUdpTunnel() throws Exception
    {
        final FlowNode n = node();
        n.t.program(mirror(1, UDP_NH, 0, 0)).program(podA(VifFlags.MIRROR_RX, null, null));
        final byte[] in = udp(A, B, 1, 2);
        assertEquals(58, in.length);

        final List<Output> out = n.t.send(POD_A, in);

        assertEquals(2, out.size());
        assertEquals(POD_B, out.get(0).vif());
        assertEquals(FABRIC, out.get(1).vif());
        final byte[] copy = out.get(1).bytes();
        assertEquals(OUTER_ETHERNET + "45000056000100004011668d0a0000010a000009" + "1fa31fa30042",
            hex(copy, 0, 40));
        assertArrayEquals(in, Arrays.copyOfRange(copy, 42, copy.length), "the frame as received, whole");
        assertUdpChecksumValid(copy);
    }

    @Test
    void shouldPutPcapHeaderAndTheVifsInMetadataInFrontOfADynamicMrCopy() throws Exception
    {
        final FlowNode n = node();
        n.t.program(mirror(1, UDP_NH, 1, 0)).program(podA(VifFlags.MIRROR_RX, "deadbeef01", "0102"));
        final byte[] in = udp(A, B, 1, 2);

        final List<Output> out = n.t.send(POD_A, in);

        assertEquals(2, out.size());
        final byte[] copy = out.get(1).bytes();
        assertEquals(42 + 16 + 5 + 58, copy.length);
        assertEquals(OUTER_ETHERNET + "4500006b00010000401166780a0000010a000009" + "1fa31fa30057",
            hex(copy, 0, 40));
        assertEquals(PCAP_58 + "deadbeef01", hex(copy, 42, 42 + 21));
        assertArrayEquals(in, Arrays.copyOfRange(copy, 63, copy.length));
        assertUdpChecksumValid(copy);
    }

    @Test
    void shouldUseTheOutMetadataForMtAndTheDefaultForFlowMirrors() throws Exception
    {
        final FlowNode n = node();
        n.t.program(mirror(1, UDP_NH, 1, 0));
        n.t.program(InterfaceRequest.builder().idx(POD_B).type(VifType.VIRTUAL).name("b").vrf(2)
            .mac(BridgeTable.GATEWAY_MAC).mtu(9000).flags(VifFlags.POLICY_ENABLED | VifFlags.MIRROR_TX).mirId(1)
            .outMirrorMd(Frames.hex("aabbcc")).build());
        List<Output> out = n.t.send(POD_A, udp(A, B, 1, 2));
        assertEquals(2, out.size());
        byte[] copy = out.get(1).bytes();
        assertEquals(PCAP_58 + "aabbcc", hex(copy, 42, 42 + 19), "Mt copy: the frame as sent, out metadata");
        assertArrayEquals(out.get(0).bytes(), Arrays.copyOfRange(copy, 61, copy.length));

        final FlowNode f = node();
        f.t.program(mirror(1, UDP_NH, 1, 0));
        assertEquals(0, f.vrouter.program(FlowRequestsTest.flow(A, B, 7, 8, FlowAction.FORWARD,
            0x1 | FlowAction.FLAG_MIRROR).mirId(1).build()).code());
        final byte[] in = udp(A, B, 7, 8);
        out = f.t.send(POD_A, in);
        assertEquals(2, out.size());
        copy = out.get(1).bytes();
        assertEquals(FABRIC, out.get(1).vif());
        assertEquals(PCAP_58 + "ff00", hex(copy, 42, 42 + 18), "flow copy: Contrail's default metadata");
        assertArrayEquals(in, Arrays.copyOfRange(copy, 60, copy.length));
        assertUdpChecksumValid(copy);
    }

    @Test
    void shouldSendAPlainMirrorCopyOverVxlanWithTheEntrysVni() throws Exception
    {
        final FlowNode n = node();
        n.t.program(mirror(1, VXLAN_NH, 0, 0x123456)).program(podA(VifFlags.MIRROR_RX, null, null));
        final byte[] in = udp(A, B, 1, 2);

        final List<Output> out = n.t.send(POD_A, in);

        assertEquals(2, out.size());
        final byte[] copy = out.get(1).bytes();
        assertEquals(FABRIC, out.get(1).vif());
        assertEquals("12b5", hex(copy, 36, 38), "VXLAN port");
        assertEquals("0800000012345600", hex(copy, 42, 50));
        assertArrayEquals(in, Arrays.copyOfRange(copy, 50, copy.length));
    }

    @Test
    void shouldCountACopyThatDoesNotFitTheHeadroomAndStillForward() throws Exception
    {
        final FlowNode n = node();
        final String md64 = "11".repeat(64);
        n.t.program(mirror(1, VXLAN_NH, 1, 5)).program(podA(VifFlags.MIRROR_RX, md64, null));
        final List<Output> out = n.t.send(POD_A, udp(A, B, 1, 2));
        assertEquals(1, out.size());
        assertEquals(POD_B, out.get(0).vif());
        assertEquals(1, n.drops(DropReason.CLONE_FAIL));
    }

    @Test
    void shouldRefuseBadMirrorRequestsWholeWithContrailCodes() throws Exception
    {
        final FlowNode n = node();
        assertEquals(Errno.EOPNOTSUPP, n.vrouter.program(mirror(1, UDP_NH, 4, 0)).code(), "Hw");
        assertEquals(Errno.EINVAL, n.vrouter.program(mirror(1, UDP_NH, 2, 0)).code(), "unknown flag");
        assertEquals(Errno.EINVAL, n.vrouter.program(mirror(255, UDP_NH, 0, 0)).code(), "index out of range");
        assertEquals(Errno.EINVAL, n.vrouter.program(mirror(-1, UDP_NH, 0, 0)).code(), "negative index");
        assertEquals(Errno.EINVAL, n.vrouter.program(mirror(1, 99, 0, 0)).code(), "no next hop");
        assertEquals(Errno.EINVAL, n.vrouter.program(mirror(1, MPLS_NH, 0, 0)).code(), "MPLSoUDP next hop");
        assertEquals(Errno.EINVAL, n.vrouter.program(mirror(1, 1, 0, 0)).code(), "L2 receive next hop");
        assertEquals(Errno.EINVAL, n.vrouter.program(mirror(1, VXLAN_NH, 0, 0)).code(), "VXLAN without VNI");
        assertEquals(Errno.EINVAL, n.vrouter.program(mirror(1, VXLAN_NH, 0, 1 << 24)).code(), "VNI over 24 bits");
        assertEquals(Errno.EINVAL, n.vrouter.program(MirrorRequest.delete(1)).code(), "delete of an unset index");
        assertEquals(Errno.ENODEV, n.vrouter.program(MirrorRequest.get(300)).code(), "get out of range");
        assertEquals(Errno.ENOENT, n.vrouter.program(MirrorRequest.get(1)).code(), "get of an unset index");
        assertEquals(0, n.vrouter.program(MirrorRequest.dump()).objects().size(), "nothing was written");

        n.t.program(mirror(7, VXLAN_NH, 1, 4096));
        final MirrorRequest got = n.vrouter.program(MirrorRequest.get(7)).first(MirrorRequest.class);
        assertEquals(VXLAN_NH, got.nhId());
        assertEquals(1, got.flags());
        assertEquals(4096, got.vni());
        assertEquals(0, n.vrouter.program(new MirrorRequest(Op.DELETE, 7, UDP_NH, 0, 0, -1)).code());
        assertEquals(0, n.vrouter.program(MirrorRequest.dump()).objects().size());
    }

    @Test
    void shouldRefuseUdpTunnelsWithoutPortAndOversizedVifMetadata() throws Exception
    {
        final FlowNode n = node();
        assertEquals(Errno.EINVAL, n.vrouter.program(NextHopRequest.builder().id(50).type(NextHopType.TUNNEL)
            .family(AddressFamily.INET).oif(FABRIC).encap(TestTopology.l2(TestTopology.FABRIC_PEER_MAC, FABRIC_MAC))
            .tunnel(1, 2).flags(NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP).build()).code());
        assertEquals(Errno.EINVAL, n.vrouter.program(podA(0, "22".repeat(65), null)).code());
        assertEquals(Errno.EINVAL, n.vrouter.program(podA(0, null, "22".repeat(65))).code());
        final NextHopRequest nh = n.vrouter.program(NextHopRequest.get(UDP_NH)).first(NextHopRequest.class);
        assertEquals(PORT_8099_NET, nh.tunSport());
        assertEquals(PORT_8099_NET, nh.tunDport());
    }
}
