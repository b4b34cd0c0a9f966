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

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Rule;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;
import io.vrouter.core.testing.TestTopology.Output;
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
    private static final long PORT_8099_NET = 0xA31FL;
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
        n.t.program(new SandeshObject("vr_nexthop_req").put("nhr_id", UDP_NH).put("nhr_type", 3L)
            .put("nhr_family", 2L).put("nhr_encap_oif_id", new long[] {FABRIC})
            .put("nhr_encap", TestTopology.l2(TestTopology.FABRIC_PEER_MAC, FABRIC_MAC))
            .put("nhr_tun_sip", Integer.reverseBytes(SIP) & 0xFFFFFFFFL)
            .put("nhr_tun_dip", Integer.reverseBytes(DIP) & 0xFFFFFFFFL)
            .put("nhr_tun_sport", PORT_8099_NET).put("nhr_tun_dport", PORT_8099_NET)
            .put("nhr_flags", NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP));
        n.t.tunnelNh(VXLAN_NH, FABRIC, SIP, DIP, NextHopFlags.VALID | NextHopFlags.TUNNEL_VXLAN,
            TestTopology.FABRIC_PEER_MAC, FABRIC_MAC);
        n.t.tunnelNh(MPLS_NH, FABRIC, SIP, DIP, NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS,
            TestTopology.FABRIC_PEER_MAC, FABRIC_MAC);
        n.t.forwarder().mirrorClock(() -> NOW_MICROS);
        return n;
    }

    private static SandeshObject mirror(final long index, final long nh, final long flags, final long vni)
    {
        return new SandeshObject("vr_mirror_req").put("h_op", 0L).put("mirr_index", index).put("mirr_nhid", nh)
            .put("mirr_flags", flags).put("mirr_vni", vni);
    }

    private static SandeshObject podA(final int flags, final String inMd, final String outMd)
    {
        final SandeshObject r = new SandeshObject("vr_interface_req").put("h_op", 0L).put("vifr_idx", POD_A)
            .put("vifr_type", VifType.VIRTUAL).put("vifr_name", "a").put("vifr_vrf", 1)
            .put("vifr_mac", Frames.hex("00005e000100")).put("vifr_mtu", 9000)
            .put("vifr_flags", VifFlags.POLICY_ENABLED | flags).put("vifr_mir_id", 1L);
        if (inMd != null)
        {
            r.put("vifr_in_mirror_md", Frames.hex(inMd));
        }
        if (outMd != null)
        {
            r.put("vifr_out_mirror_md", Frames.hex(outMd));
        }
        return r;
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
        n.t.program(new SandeshObject("vr_interface_req").put("h_op", 0L).put("vifr_idx", POD_B)
            .put("vifr_type", VifType.VIRTUAL).put("vifr_name", "b").put("vifr_vrf", 2)
            .put("vifr_mac", Frames.hex("00005e000100")).put("vifr_mtu", 9000)
            .put("vifr_flags", VifFlags.POLICY_ENABLED | VifFlags.MIRROR_TX).put("vifr_mir_id", 1L)
            .put("vifr_out_mirror_md", Frames.hex("aabbcc")));
        List<Output> out = n.t.send(POD_A, udp(A, B, 1, 2));
        assertEquals(2, out.size());
        byte[] copy = out.get(1).bytes();
        assertEquals(PCAP_58 + "aabbcc", hex(copy, 42, 42 + 19), "Mt copy: the frame as sent, out metadata");
        assertArrayEquals(out.get(0).bytes(), Arrays.copyOfRange(copy, 61, copy.length));

        final FlowNode f = node();
        f.t.program(mirror(1, UDP_NH, 1, 0));
        assertEquals(0, f.vrouter.program(FlowRequestsTest.flow(A, B, 7, 8, FlowAction.FORWARD,
            0x1 | FlowAction.FLAG_MIRROR).put("fr_mir_id", 1L)).code());
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
        assertEquals(Errno.EINVAL, n.vrouter.program(mirror(1, VXLAN_NH, 0, 1L << 24)).code(), "VNI over 24 bits");
        assertEquals(Errno.EINVAL, n.vrouter.program(mirror(1, UDP_NH, 0, 0).put("h_op", 2L)).code(),
            "delete of an unset index");
        assertEquals(Errno.ENODEV, n.vrouter.program(new SandeshObject("vr_mirror_req").put("h_op", 1L)
            .put("mirr_index", 300L)).code(), "get out of range");
        assertEquals(Errno.ENOENT, n.vrouter.program(new SandeshObject("vr_mirror_req").put("h_op", 1L)
            .put("mirr_index", 1L)).code(), "get of an unset index");
        assertEquals(0, n.vrouter.program(new SandeshObject("vr_mirror_req").put("h_op", 3L)).objects().size(),
            "nothing was written");

        n.t.program(mirror(7, VXLAN_NH, 1, 4096));
        final SandeshObject got = n.vrouter.program(new SandeshObject("vr_mirror_req").put("h_op", 1L)
            .put("mirr_index", 7L)).objects().get(0);
        assertEquals((long)VXLAN_NH, ((Number)got.get("mirr_nhid")).longValue());
        assertEquals(1L, ((Number)got.get("mirr_flags")).longValue());
        assertEquals(4096L, ((Number)got.get("mirr_vni")).longValue());
        assertEquals(0, n.vrouter.program(mirror(7, UDP_NH, 0, 0).put("h_op", 2L)).code());
        assertEquals(0, n.vrouter.program(new SandeshObject("vr_mirror_req").put("h_op", 3L)).objects().size());
    }

    @Test
    void shouldRefuseUdpTunnelsWithoutPortAndOversizedVifMetadata() throws Exception
    {
        final FlowNode n = node();
        assertEquals(Errno.EINVAL, n.vrouter.program(new SandeshObject("vr_nexthop_req").put("nhr_id", 50)
            .put("nhr_type", 3L).put("nhr_family", 2L).put("nhr_encap_oif_id", new long[] {FABRIC})
            .put("nhr_encap", TestTopology.l2(TestTopology.FABRIC_PEER_MAC, FABRIC_MAC))
            .put("nhr_tun_sip", 1L).put("nhr_tun_dip", 2L)
            .put("nhr_flags", NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP)).code());
        assertEquals(Errno.EINVAL, n.vrouter.program(podA(0, "22".repeat(65), null)).code());
        assertEquals(Errno.EINVAL, n.vrouter.program(podA(0, null, "22".repeat(65))).code());
        final SandeshObject nh = n.vrouter.program(new SandeshObject("vr_nexthop_req").put("h_op", 1L)
            .put("nhr_id", UDP_NH)).objects().get(0);
        assertEquals(PORT_8099_NET, ((Number)nh.get("nhr_tun_sport")).longValue());
        assertEquals(PORT_8099_NET, ((Number)nh.get("nhr_tun_dport")).longValue());
    }
}
