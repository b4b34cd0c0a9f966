package io.vrouter.core.control;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vrouter.core.VRouter;
import io.vrouter.core.VRouterConfig;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.testing.TestTopology;

/**
 * Programming requests: Contrail's return codes, and a refused request changes nothing.
 */
class ProgrammerTest
{
    VRouter vr;

    @BeforeEach
    void setUp()
    {
        vr = new VRouter(new VRouterConfig(16, 64, 8, 32, 64, 16, 4, 64, 8, 2048, true, true));
        ok(vif(1, 3));
        ok(vif(2, 2));
        ok(new SandeshObject("vr_nexthop_req").put("nhr_id", 5).put("nhr_type", 2L).put("nhr_family", 2L)
            .put("nhr_encap_oif_id", new long[] {1}).put("nhr_encap", new byte[14]).put("nhr_flags", 1L));
        ok(new SandeshObject("vr_nexthop_req").put("nhr_id", 6).put("nhr_type", 3L).put("nhr_family", 2L)
            .put("nhr_encap_oif_id", new long[] {2}).put("nhr_encap", TestTopology.l2(1, 2)).put("nhr_flags", 0x41L)
            .put("nhr_tun_sip", 1L).put("nhr_tun_dip", 2L));
    }

    static SandeshObject vif(final int idx, final int type)
    {
        return new SandeshObject("vr_interface_req").put("h_op", 0L).put("vifr_idx", idx).put("vifr_type", type)
            .put("vifr_name", String.valueOf(idx)).put("vifr_transport", 2L).put("vifr_mac", new byte[6]);
    }

    static SandeshObject route(final int vrf, final String prefix, final int plen, final int nh)
    {
        final String[] p = prefix.split("\\.");
        final byte[] b = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            b[i] = (byte)Integer.parseInt(p[i]);
        }
        return new SandeshObject("vr_route_req").put("rtr_family", 2L).put("rtr_vrf_id", vrf).put("rtr_prefix", b)
            .put("rtr_prefix_len", plen).put("rtr_nh_id", nh);
    }

    void ok(final SandeshObject r)
    {
        final Response resp = vr.program(r);
        assertEquals(0, resp.code(), r + " -> " + resp);
    }

    void refused(final int code, final SandeshObject r)
    {
        final Response resp = vr.program(r);
        assertEquals(code, resp.code(), r + " -> " + resp);
        assertFalse(resp.message().isEmpty(), "a refusal says why");
    }

    @Test
    void shouldRefuseBadInterfaceTypeAndMacWithEinval()
    {
        refused(Errno.EINVAL, vif(3, 42));
        refused(Errno.EINVAL, vif(4, 3).put("vifr_mac", new byte[5]));
        refused(Errno.EINVAL, vif(99, 3));
        assertNull(vr.tables().interfaces().get(3));
        assertNull(vr.tables().interfaces().get(4));
    }

    @Test
    void shouldSetL2L3AndMockFlagsLikeContrail()
    {
        final Response r = vr.program(new SandeshObject("vr_interface_req").put("h_op", 1L).put("vifr_idx", 2));
        assertEquals(VifFlags.L3_ENABLED | VifFlags.L2_ENABLED | VifFlags.MOCK_DEVICE,
            ((Long)r.objects().get(0).get("vifr_flags")).intValue());
    }

    @Test
    void shouldRefuseChangingInterfaceType()
    {
        refused(Errno.EEXIST, vif(1, 2));
        assertEquals(3, vr.tables().interfaces().get(1).type());
    }

    @Test
    void shouldRefuseNextHopOnMissingInterface()
    {
        refused(Errno.ENODEV, new SandeshObject("vr_nexthop_req").put("nhr_id", 7).put("nhr_type", 2L)
            .put("nhr_encap_oif_id", new long[] {9}).put("nhr_encap", new byte[14]).put("nhr_flags", 1L));
        assertNull(vr.tables().nextHops().get(7));
    }

    @Test
    void shouldRefuseInetInterfaceNextHopWithoutRewrite()
    {
        refused(Errno.EINVAL, new SandeshObject("vr_nexthop_req").put("nhr_id", 7).put("nhr_type", 2L)
            .put("nhr_family", 2L).put("nhr_encap_oif_id", new long[] {1}).put("nhr_flags", 1L));
        assertNull(vr.tables().nextHops().get(7));
    }

    @Test
    void shouldRefuseTunnelWithoutTunnelTypeOrOuterHeader()
    {
        refused(Errno.EINVAL, new SandeshObject("vr_nexthop_req").put("nhr_id", 7).put("nhr_type", 3L)
            .put("nhr_encap_oif_id", new long[] {2}).put("nhr_encap", new byte[14]).put("nhr_flags", 1L));
        refused(Errno.EINVAL, new SandeshObject("vr_nexthop_req").put("nhr_id", 7).put("nhr_type", 3L)
            .put("nhr_encap_oif_id", new long[] {2}).put("nhr_encap", new byte[6]).put("nhr_flags", 0x41L));
        assertNull(vr.tables().nextHops().get(7));
    }

    @Test
    void shouldRefuseChangingNextHopType()
    {
        refused(Errno.EINVAL, new SandeshObject("vr_nexthop_req").put("nhr_id", 5).put("nhr_type", 5L)
            .put("nhr_flags", 1L));
        assertEquals(2, vr.tables().nextHops().get(5).type());
    }

    @Test
    void shouldRefuseCompositeWithMissingMember()
    {
        refused(Errno.EINVAL, new SandeshObject("vr_nexthop_req").put("nhr_id", 8).put("nhr_type", 6L)
            .put("nhr_flags", 0x401L).put("nhr_nh_list", new long[] {5, 33}));
        assertNull(vr.tables().nextHops().get(8));
    }

    @Test
    void shouldRefuseRouteToMissingNextHopAndLeaveFibUntouched()
    {
        refused(Errno.ENOENT, route(0, "10.0.0.0", 8, 44));
        assertEquals(FibLeaf.DISCARD, vr.tables().fibs().lookup4(0, 0x0A000001));
    }

    @Test
    void shouldRefuseTunnelRouteWithoutLabel()
    {
        refused(Errno.EINVAL, route(0, "10.0.0.0", 8, 6));
        assertEquals(FibLeaf.DISCARD, vr.tables().fibs().lookup4(0, 0x0A000001));
    }

    @Test
    void shouldRefuseOutOfRangeRouteFields()
    {
        refused(Errno.EINVAL, route(0, "10.0.0.0", 33, 5));
        refused(Errno.EINVAL, route(8, "10.0.0.0", 8, 5));
        refused(Errno.EINVAL, route(0, "10.0.0.0", 8, 5).put("rtr_prefix", new byte[3]));
        refused(Errno.EINVAL, route(0, "10.0.0.0", 8, 6).put("rtr_label_flags", 1L).put("rtr_label", 1L << 20));
    }

    @Test
    void shouldRefuseRouteWithUnknownStitchedMac()
    {
        refused(Errno.ENOENT, route(0, "10.0.0.1", 32, 5).put("rtr_mac", new byte[] {2, 0, 0, 0, 0, 1}));
    }

    @Test
    void shouldAddGetAndDeleteRouteWithReplacement()
    {
        ok(route(0, "10.0.0.0", 8, 5));
        ok(route(0, "10.1.0.0", 16, 6).put("rtr_label_flags", 1L).put("rtr_label", 77L));
        final Response get = vr.program(route(0, "10.1.2.3", 32, 0).put("h_op", 1L));
        assertEquals(6L, get.objects().get(0).get("rtr_nh_id"));
        assertEquals(77L, get.objects().get(0).get("rtr_label"));
        assertEquals(16L, get.objects().get(0).get("rtr_prefix_len"));
        ok(route(0, "10.1.0.0", 16, 5).put("h_op", 2L).put("rtr_replace_plen", 8L));
        final Response after = vr.program(route(0, "10.1.2.3", 32, 0).put("h_op", 1L));
        assertEquals(5L, after.objects().get(0).get("rtr_nh_id"));
        assertEquals(8L, after.objects().get(0).get("rtr_prefix_len"));
        refused(Errno.ENOENT, route(0, "10.1.0.0", 16, 5).put("h_op", 2L).put("rtr_replace_plen", 8L));
    }

    @Test
    void shouldDumpRoutesAsPrefixes()
    {
        ok(route(0, "10.0.0.0", 8, 5));
        ok(route(0, "10.1.0.0", 16, 5));
        final Response d = vr.program(new SandeshObject("vr_route_req").put("h_op", 3L).put("rtr_family", 2L)
            .put("rtr_vrf_id", 0L));
        assertEquals(2, d.code());
        final List<SandeshObject> routes = d.objects();
        assertEquals(8L, routes.get(0).get("rtr_prefix_len"));
        assertEquals(16L, routes.get(1).get("rtr_prefix_len"));
    }

    @Test
    void shouldRefuseLabelOutOfRangeOrToMissingNextHop()
    {
        refused(Errno.EINVAL, new SandeshObject("vr_mpls_req").put("mr_label", 32L).put("mr_nhid", 5L));
        refused(Errno.EINVAL, new SandeshObject("vr_mpls_req").put("mr_label", 3L).put("mr_nhid", 50L));
        refused(Errno.ENOENT, new SandeshObject("vr_mpls_req").put("h_op", 1L).put("mr_label", 3L));
        ok(new SandeshObject("vr_mpls_req").put("mr_label", 3L).put("mr_nhid", 5L));
        assertEquals(5, vr.tables().labels().nhId(3));
    }

    @Test
    void shouldRefuseUnknownObjectsAndOps()
    {
        refused(Errno.EOPNOTSUPP, new SandeshObject("vr_bogus_req"));
        refused(Errno.EINVAL, new SandeshObject("vr_interface_req").put("h_op", 42L).put("vifr_idx", 1L));
    }

    @Test
    void shouldNeverDeleteTheDiscardNextHop()
    {
        refused(Errno.EINVAL, new SandeshObject("vr_nexthop_req").put("h_op", 2L).put("nhr_id", 0L));
        assertNotNull(vr.tables().nextHops().get(0));
    }

    @Test
    void shouldDeleteInterfaceAndAnswerEnoentAfterwards()
    {
        ok(new SandeshObject("vr_interface_req").put("h_op", 2L).put("vifr_idx", 1L));
        refused(Errno.ENOENT, new SandeshObject("vr_interface_req").put("h_op", 2L).put("vifr_idx", 1L));
        assertTrue(vr.tables().interfaces().get(1) == null);
    }
}
