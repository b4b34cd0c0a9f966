package io.vrouter.core.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.wire.AddressFamily;

/**
 * Each record's one mapping: record to {@link SandeshObject} and back gives the same record for every
 * type, a field left at its "absent" value is left out, and a refused field keeps Contrail's errno and
 * names the field.
 */
class SandeshRecordTest
{
    static final byte[] OUTER = {0x52, 0x54, 0, 0x12, 0x34, 0x56, 2, 0, 0, 0, 0, 9, 8, 0};

    /** One record of each type with every field away from its default. */
    static List<SandeshRecord> samples()
    {
        final long[] drops = new long[DropReason.COUNT];
        Arrays.setAll(drops, i -> i * 3L);
        final long[] stats = new long[VrfStat.COUNT];
        Arrays.setAll(stats, i -> 100L + i);
        return List.of(
            InterfaceRequest.builder().idx(7).type(VifType.VIRTUAL).name("tap7").transport(2).vrf(5).mcastVrf(9)
                .mac(0x0200000000abL).ip(0x0302010a).mtu(1400).flags(0x80000041).nhId(12).osIdx(4).mirId(2)
                .inMirrorMd(new byte[] {1, 2}).outMirrorMd(new byte[] {3}).counters(1, 2, 3, 4, 5).marker(3)
                .build(),
            InterfaceRequest.dump(),
            NextHopRequest.builder().id(9).type(NextHopType.TUNNEL).family(AddressFamily.INET).vrf(1)
                .flags(NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP).oif(2).encap(OUTER)
                .tunnel(Requests.ipv4LittleEndian("192.168.1.11"), Requests.ipv4LittleEndian("192.168.1.212"))
                .tunnelPorts(0xA31F, 0x1F00).members(new int[] {5, 6}, new int[] {17, -1}).ecmpConfigHash(3)
                .marker(4).build(),
            NextHopRequest.delete(4),
            RouteRequest.builder().op(Op.DELETE).family(AddressFamily.INET6).vrfId(2)
                .prefix(new byte[] {(byte)0xfd, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, 64).replacePlen(48)
                .nhId(5).labelFlags(3).label(100).mac(0x020000000001L).build(),
            RouteRequest.builder().family(AddressFamily.BRIDGE).vrfId(1).mac(BridgeTable.GATEWAY_MAC).nhId(3)
                .labelFlags(1).label(0xFFFFFF).build(),
            MplsRequest.add(20, 5),
            VxlanRequest.add(4096, 6),
            new MirrorRequest(Op.ADD, 3, 7, 1, 77, 2),
            FlowRequest.builder().op(Op.GET).index(12).flags(0x1001).action(3).family(AddressFamily.INET6).proto(17)
                .ports(31, 32).nhId(4).vrf(2).dvrf(3).mirId(1).rindex(11).ecmpNhIndex(0).srcNhIndex(6).dropReason(9)
                .genId(200).source(-5L, 7L).destination(8L, -9L).udpSrcPort(52000).build(),
            FlowRequest.list(99),
            new FlowTableData(1L << 33, 4096, 3, 10, 9, 6, 2, 1, 0, "/var/lib/vrouter/flows.tbl"),
            new DropStatsRequest(Op.ADD, 1, 2, drops, "/var/run/vrouter/vrouterd.counters",
                "/var/lib/vrouter/state.log"),
            DropStatsRequest.get(DropStatsRequest.ALL_CORES),
            new VrfStatsRequest(Op.ADD, 4, stats),
            VrfStatsRequest.dump(),
            PortRequest.add("tapa", "pod1", "eth1", "02:00:00:00:00:0A", List.of("10.0.0.2/24", "fd00::2/64"),
                "10.0.0.1", 3, 1400, 9, 0x80000001),
            PortRequest.named(Op.DELETE, "tapa"),
            TraceRequest.add(10, 3),
            new TraceRequest(Op.RESPONSE, 5, 2, 4, "Packet 1: ...\n"),
            CaptureRequest.start(3, 100, "/tmp/vif3.pcap"),
            new CaptureRequest(Op.RESPONSE, 3, 100, "/tmp/vif3.pcap", 42, 1),

            PodRequest.attach("default", "bb1", "c0ffee", "/run/netns/netns-1", "eth0"),
            PodRequest.named(Op.DELETE, "default", "bb1", ""),
            new PodRequest(Op.GET, "default", "bb1", "c0ffee", "/run/netns/netns-1", "eth0", "02:00:00:00:00:0A",
                "10.47.255.252/12", "10.47.255.254", "10.47.255.253", 1, 3));
    }

    @Test
    void shouldRefuseAPodRequestWithoutWhatItsOpNeeds()
    {
        for (final PodRequest bad : List.of(
            PodRequest.attach("default", "", "c", "/run/netns/a", "eth0"),
            PodRequest.attach("default", "bb1", "", "/run/netns/a", "eth0"),
            PodRequest.attach("default", "bb1", "c", "netns-a", "eth0"),
            PodRequest.attach("default", "bb1", "c", "/run/netns/../a/..", "eth0"),
            PodRequest.attach("default", "bb1", "c", "/run/netns/a", "eth0 x"),
            PodRequest.attach("default", "bb1", "c", "/run/netns/a", "an-interface-name-too-long"),
            PodRequest.named(Op.DELETE, "", "bb1", ""),
            PodRequest.named(Op.GET, "default", "", "")))
        {
            final RequestException e = assertThrows(RequestException.class,
                bad::validate, bad.toString());
            assertEquals(Errno.EINVAL, e.code(), bad.toString());
            assertTrue(e.getMessage().contains("vr_pod_req.pod_"), e.getMessage());
        }
    }

    @Test
    void shouldReadBackEveryTypeFromItsObject() throws RequestException
    {
        final java.util.Set<String> types = new java.util.HashSet<>();
        for (final SandeshRecord r : samples())
        {
            final SandeshObject o = r.toSandesh();
            assertEquals(r.struct(), o.type());
            final SandeshRecord back = SandeshRecord.parse(o);
            assertEquals(r, back, o.toString());
            assertEquals(o, back.toSandesh());
            types.add(r.struct());
        }
        assertEquals(java.util.Set.copyOf(SandeshRecord.TYPES), types, "a sample of every type");
    }

    @Test
    void shouldLeaveOutWhatARequestDoesNotGive()
    {
        assertEquals("vr_interface_req{h_op=1, vifr_idx=3, vifr_name=, vifr_transport=0, vifr_vrf=0, "
            + "vifr_mcast_vrf=65535, vifr_mac=00:00:00:00:00:00, vifr_ip=0, vifr_mtu=0, vifr_flags=0, vifr_nh_id=0, "
            + "vifr_os_idx=0, vifr_mir_id=-1, vifr_in_mirror_md=, vifr_out_mirror_md=, vifr_ipackets=0, "
            + "vifr_ibytes=0, vifr_opackets=0, vifr_obytes=0, vifr_dpackets=0}",
            InterfaceRequest.get(3).toSandesh().toString());
        assertEquals("vr_route_req{h_op=2, rtr_family=2, rtr_vrf_id=1, rtr_prefix=0a:01:00:00, rtr_prefix_len=16, "
            + "rtr_label_flags=0}", Requests.route4Key(1, "10.1.0.0/16").op(Op.DELETE).build().toSandesh().toString());
        assertEquals("vr_mirror_req{h_op=3, mirr_flags=0, mirr_vni=-1}", MirrorRequest.dump().toSandesh().toString());
        assertEquals("vr_flow_req{h_op=2, fr_op=0, fr_index=5, fr_gen_id=-1}",
            FlowRequest.builder().op(Op.DELETE).index(5).build().toSandesh().toString());
    }

    @Test
    void shouldWriteAnInterfaceNextHopWithoutTunnelFields()
    {
        final SandeshObject o = NextHopRequest.builder().id(5).type(NextHopType.ENCAP).family(AddressFamily.INET)
            .oif(1).encap(new byte[14]).flags(NextHopFlags.VALID).build().toSandesh();
        assertEquals(List.of("nhr_id", "nhr_type", "nhr_family", "nhr_vrf", "nhr_flags", "nhr_encap_oif_id",
            "nhr_encap"), List.copyOf(o.fields().keySet()));
        final SandeshObject tunnel = NextHopRequest.builder().id(6).type(NextHopType.TUNNEL)
            .flags(NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS).build().toSandesh();
        assertEquals(0L, tunnel.get("nhr_tun_sip"), "a tunnel's addresses even when 0");
        assertFalse(tunnel.has("nhr_tun_sport"), "ports only for a UDP tunnel");
    }

    @Test
    void shouldReadContrailsEncodings() throws RequestException
    {
        final NextHopRequest nh = (NextHopRequest)SandeshRecord.parse(new SandeshObject(NextHopRequest.TYPE)
            .put("nhr_id", 7L).put("nhr_type", 3L).put("nhr_encap_oif_id", 2L).put("nhr_tun_sport", -23777L)
            .put("nhr_tun_sip", 4294967295L).put("vifr_unknown", "ignored"));
        assertEquals(0xA31F, nh.tunSport(), "a negative i16 is the same 16 bits");
        assertEquals(-1, nh.tunSip(), "a u32 above 2^31 is the same 32 bits");
        assertEquals(2, nh.oif(), "one integer is a list of one");
        final FlowRequest flow = (FlowRequest)SandeshRecord.parse(new SandeshObject(FlowRequest.TYPE)
            .put("fr_op", (long)FlowRequest.parseOp("flow_list")));
        assertEquals(FlowRequest.OP_LIST, flow.frOp());
        assertEquals(FieldKind.BYTES, FieldKind.of(InterfaceRequest.TYPE, "vifr_src_mac"));
        assertEquals(FieldKind.STRING, FieldKind.of(InterfaceRequest.TYPE, "vifr_name"));
        assertEquals(FieldKind.INTEGER, FieldKind.of("vr_unknown_req", "vifr_name"));
        assertArrayEquals(new byte[] {(byte)0xde, (byte)0xad}, (byte[])FieldKind.parse(RouteRequest.TYPE, "rtr_mac",
            "de:ad"));
    }

    @Test
    void shouldRefuseAListOverTheMaximum() throws RequestException
    {
        final long[] million = new long[1_000_000];
        final RequestException e = refusal(new SandeshObject(NextHopRequest.TYPE).put("nhr_id", 7L)
            .put("nhr_type", 6L).put("nhr_nh_list", million), "nhr_nh_list");
        assertTrue(e.getMessage().contains("at most " + Requests.MAX_LIST), e.getMessage());
        final NextHopRequest atMost = (NextHopRequest)SandeshRecord.parse(new SandeshObject(NextHopRequest.TYPE)
            .put("nhr_id", 7L).put("nhr_type", 6L).put("nhr_nh_list", new long[Requests.MAX_LIST]));
        assertEquals(Requests.MAX_LIST, atMost.nhList().length);
    }

    /** The refusal of an object, which must name the field. */
    static RequestException refusal(final SandeshObject o, final String field)
    {
        final RequestException e = assertThrows(RequestException.class, () -> SandeshRecord.parse(o), o.toString());
        assertTrue(e.getMessage().contains(o.type() + "." + field), e.getMessage());
        return e;
    }

    @Test
    void shouldRefuseAFieldNamingItWithContrailsErrno()
    {
        final SandeshObject vif = new SandeshObject(InterfaceRequest.TYPE).put("vifr_idx", 1L).put("vifr_type", 3L);
        assertEquals(Errno.EINVAL, refusal(vif.put("vifr_mac", new byte[5]), "vifr_mac").code());
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(InterfaceRequest.TYPE).put("vifr_idx", 1L)
            .put("vifr_type", 3L).put("vifr_vrf", new byte[2]), "vifr_vrf").code(), "the wrong kind");
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(InterfaceRequest.TYPE).put("vifr_idx", 1L << 40)
            .put("vifr_type", 3L), "vifr_idx").code(), "more than 32 bits");
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(InterfaceRequest.TYPE).put("h_op", 1L), "vifr_idx")
            .code(), "a GET needs the index");
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(InterfaceRequest.TYPE).put("vifr_idx", 1L)
            .put("vifr_type", 3L).put("vifr_in_mirror_md", new byte[65]), "vifr_in_mirror_md").code());
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(NextHopRequest.TYPE).put("nhr_id", 1L)
            .put("nhr_type", 0L), "nhr_type").code(), "DEAD is not a type to program");
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(NextHopRequest.TYPE).put("nhr_id", 1L)
            .put("nhr_type", 2L).put("nhr_family", 3L), "nhr_family").code());
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(RouteRequest.TYPE).put("rtr_family", 2L)
            .put("rtr_prefix", new byte[4]).put("rtr_prefix_len", 8L).put("rtr_nh_id", 1L)
            .put("rtr_label_flags", 1L), "rtr_label").code(), "flag L without a label");
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(RouteRequest.TYPE).put("h_op", 3L), "rtr_family")
            .code());
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(RouteRequest.TYPE).put("rtr_family", 7L)
            .put("rtr_mac", new byte[6]).put("rtr_nh_id", 1L).put("rtr_label_flags", 1L).put("rtr_label", -1L),
            "rtr_label").code());
        assertEquals(Errno.EOPNOTSUPP, refusal(new SandeshObject(MirrorRequest.TYPE).put("mirr_index", 1L)
            .put("mirr_nhid", 5L).put("mirr_flags", 4L), "mirr_flags").code(), "Hw mirroring");
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(MirrorRequest.TYPE).put("mirr_index", 1L)
            .put("mirr_nhid", 5L).put("mirr_vni", 1L << 24), "mirr_vni").code());
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(FlowRequest.TYPE).put("fr_op", 7L), "fr_op").code());
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(PortRequest.TYPE).put("port_name", "tapa")
            .put("port_netns", "x"), "port_mac").code());
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(PortRequest.TYPE).put("h_op", 2L)
            .put("port_name", 5L), "port_name").code(), "a number is not a port name");
        assertEquals(Errno.EINVAL, refusal(new SandeshObject(PortRequest.TYPE).put("port_name", "tapa")
            .put("port_netns", "x").put("port_mac", "02:00:00:00:00:01").put("port_vif_flags", -1L),
            "port_vif_flags").code());
        final RequestException unknown = assertThrows(RequestException.class,
            () -> SandeshRecord.parse(new SandeshObject("vr_bogus_req")));
        assertEquals(Errno.EOPNOTSUPP, unknown.code());
    }

    @Test
    void shouldRefuseAnAbsentRequiredFieldAndAnExplicitOneDifferently() throws RequestException
    {
        // -1 is a value (answered ENOENT by the tables), absence is a malformed request
        final InterfaceRequest minusOne = (InterfaceRequest)SandeshRecord.parse(new SandeshObject(InterfaceRequest.TYPE)
            .put("h_op", 1L).put("vifr_idx", -1L));
        assertEquals(-1, minusOne.idx());
        assertNotEquals(SandeshRecord.UNSET, minusOne.idx());
        refusal(new SandeshObject(InterfaceRequest.TYPE).put("h_op", 1L).put("vifr_idx", (long)Integer.MIN_VALUE),
            "vifr_idx");
    }
}
