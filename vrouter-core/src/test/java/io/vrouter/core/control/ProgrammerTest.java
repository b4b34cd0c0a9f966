package io.vrouter.core.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vrouter.core.VRouter;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.Parsed;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.testing.TestTopology;
import io.vrouter.wire.AddressFamily;

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
        ok(vif(1, VifType.VIRTUAL).build());
        ok(vif(2, VifType.PHYSICAL).build());
        ok(NextHopRequest.builder().id(5).type(NextHopType.ENCAP).family(AddressFamily.INET).oif(1)
            .encap(new byte[14]).flags(NextHopFlags.VALID).build());
        ok(NextHopRequest.builder().id(6).type(NextHopType.TUNNEL).family(AddressFamily.INET).oif(2)
            .encap(TestTopology.l2(1, 2)).flags(0x41).tunnel(1, 2).build());
    }

    static InterfaceRequest.Builder vif(final int idx, final int type)
    {
        return InterfaceRequest.builder().idx(idx).type(type).name(String.valueOf(idx)).transport(2);
    }

    static RouteRequest.Builder route(final int vrf, final String prefix, final int plen, final int nh)
    {
        return RouteRequest.builder().family(AddressFamily.INET).vrfId(vrf).prefix(Requests.ipv4(prefix), plen)
            .nhId(nh);
    }

    static NextHopRequest.Builder encapNh(final int id, final int oif)
    {
        return NextHopRequest.builder().id(id).type(NextHopType.ENCAP).oif(oif).encap(new byte[14])
            .flags(NextHopFlags.VALID);
    }

    void ok(final SandeshRecord r)
    {
        final Response resp = vr.program(r);
        assertEquals(0, resp.code(), r + " -> " + resp);
    }

    void refused(final int code, final SandeshRecord r)
    {
        final Response resp = vr.program(r);
        assertEquals(code, resp.code(), r + " -> " + resp);
        assertFalse(resp.message().isEmpty(), "a refusal says why");
    }

    /** An object as the edges read it: its refusal, or the answer to its record. */
    void refused(final int code, final SandeshObject o)
    {
        final Response resp = Parsed.of(o).answer(vr::program);
        assertEquals(code, resp.code(), o + " -> " + resp);
        assertFalse(resp.message().isEmpty(), "a refusal says why");
    }

    @Test
    void shouldRefuseBadInterfaceTypeAndMacWithEinval()
    {
        refused(Errno.EINVAL, vif(3, 42).build());
        refused(Errno.EINVAL, new SandeshObject(InterfaceRequest.TYPE).put("vifr_idx", 4L).put("vifr_type", 3L)
            .put("vifr_mac", new byte[5]));
        refused(Errno.EINVAL, vif(99, VifType.VIRTUAL).build());
        assertNull(vr.tables().interfaces().get(3));
        assertNull(vr.tables().interfaces().get(4));
    }

    @Test
    void shouldSetL2L3AndMockFlagsLikeContrail()
    {
        final Response r = vr.program(InterfaceRequest.get(2));
        assertEquals(VifFlags.L3_ENABLED | VifFlags.L2_ENABLED | VifFlags.MOCK_DEVICE,
            r.first(InterfaceRequest.class).flags());
    }

    @Test
    void shouldRefuseChangingInterfaceType()
    {
        refused(Errno.EEXIST, vif(1, VifType.PHYSICAL).build());
        assertEquals(3, vr.tables().interfaces().get(1).type());
    }

    @Test
    void shouldRefuseNextHopOnMissingInterface()
    {
        refused(Errno.ENODEV, encapNh(7, 9).build());
        assertNull(vr.tables().nextHops().get(7));
    }

    @Test
    void shouldRefuseInetInterfaceNextHopWithoutRewrite()
    {
        refused(Errno.EINVAL, NextHopRequest.builder().id(7).type(NextHopType.ENCAP).family(AddressFamily.INET)
            .oif(1).flags(NextHopFlags.VALID).build());
        assertNull(vr.tables().nextHops().get(7));
    }

    @Test
    void shouldRefuseTunnelWithoutTunnelTypeOrOuterHeader()
    {
        refused(Errno.EINVAL, NextHopRequest.builder().id(7).type(NextHopType.TUNNEL).oif(2).encap(new byte[14])
            .flags(NextHopFlags.VALID).build());
        refused(Errno.EINVAL, NextHopRequest.builder().id(7).type(NextHopType.TUNNEL).oif(2).encap(new byte[6])
            .flags(0x41).build());
        assertNull(vr.tables().nextHops().get(7));
    }

    @Test
    void shouldRefuseChangingNextHopType()
    {
        refused(Errno.EINVAL, NextHopRequest.builder().id(5).type(NextHopType.DISCARD).flags(NextHopFlags.VALID)
            .build());
        assertEquals(2, vr.tables().nextHops().get(5).type());
    }

    @Test
    void shouldRefuseCompositeWithMissingMember()
    {
        refused(Errno.EINVAL, NextHopRequest.builder().id(8).type(NextHopType.COMPOSITE).flags(0x401)
            .members(new int[] {5, 33}, new int[0]).build());
        assertNull(vr.tables().nextHops().get(8));
    }

    @Test
    void shouldRefuseRouteToMissingNextHopAndLeaveFibUntouched()
    {
        refused(Errno.ENOENT, route(0, "10.0.0.0", 8, 44).build());
        assertEquals(FibLeaf.DISCARD, vr.tables().fibs().lookup4(0, 0x0A000001));
    }

    @Test
    void shouldRefuseTunnelRouteWithoutLabel()
    {
        refused(Errno.EINVAL, route(0, "10.0.0.0", 8, 6).build());
        assertEquals(FibLeaf.DISCARD, vr.tables().fibs().lookup4(0, 0x0A000001));
    }

    @Test
    void shouldRefuseOutOfRangeRouteFields()
    {
        refused(Errno.EINVAL, route(0, "10.0.0.0", 33, 5).build());
        refused(Errno.EINVAL, route(8, "10.0.0.0", 8, 5).build());
        refused(Errno.EINVAL, route(0, "10.0.0.0", 8, 5).prefix(new byte[3], 8).build());
        refused(Errno.EINVAL, route(0, "10.0.0.0", 8, 6).labelFlags(1).label(1 << 20).build());
    }

    @Test
    void shouldRefuseRouteWithUnknownStitchedMac()
    {
        refused(Errno.ENOENT, route(0, "10.0.0.1", 32, 5).mac(0x020000000001L).build());
    }

    @Test
    void shouldAddGetAndDeleteRouteWithReplacement()
    {
        ok(route(0, "10.0.0.0", 8, 5).build());
        ok(route(0, "10.1.0.0", 16, 6).labelFlags(1).label(77).build());
        final RouteRequest get = vr.program(route(0, "10.1.2.3", 32, 0).op(Op.GET).build())
            .first(RouteRequest.class);
        assertEquals(6, get.nhId());
        assertEquals(77, get.label());
        assertEquals(16, get.prefixLen());
        ok(route(0, "10.1.0.0", 16, 5).op(Op.DELETE).replacePlen(8).build());
        final RouteRequest after = vr.program(route(0, "10.1.2.3", 32, 0).op(Op.GET).build())
            .first(RouteRequest.class);
        assertEquals(5, after.nhId());
        assertEquals(8, after.prefixLen());
        refused(Errno.ENOENT, route(0, "10.1.0.0", 16, 5).op(Op.DELETE).replacePlen(8).build());
    }

    @Test
    void shouldDumpRoutesAsPrefixes()
    {
        ok(route(0, "10.0.0.0", 8, 5).build());
        ok(route(0, "10.1.0.0", 16, 5).build());
        final Response d = vr.program(RouteRequest.dump(AddressFamily.INET, 0));
        assertEquals(2, d.code());
        final List<RouteRequest> routes = d.objects(RouteRequest.class);
        assertEquals(8, routes.get(0).prefixLen());
        assertEquals(16, routes.get(1).prefixLen());
    }

    @Test
    void shouldRefuseLabelOutOfRangeOrToMissingNextHop()
    {
        refused(Errno.EINVAL, MplsRequest.add(32, 5));
        refused(Errno.EINVAL, MplsRequest.add(3, 50));
        refused(Errno.ENOENT, MplsRequest.get(3));
        ok(MplsRequest.add(3, 5));
        assertEquals(5, vr.tables().labels().nhId(3));
    }

    @Test
    void shouldRefuseUnknownObjectsAndOps()
    {
        refused(Errno.EOPNOTSUPP, new SandeshObject("vr_bogus_req"));
        refused(Errno.EINVAL, new SandeshObject(InterfaceRequest.TYPE).put("h_op", 42L).put("vifr_idx", 1L));
        refused(Errno.EOPNOTSUPP, InterfaceRequest.builder().op(Op.RESET).idx(1).build());
    }

    @Test
    void shouldNeverDeleteTheDiscardNextHop()
    {
        refused(Errno.EINVAL, NextHopRequest.delete(0));
        assertNotNull(vr.tables().nextHops().get(0));
    }

    @Test
    void shouldDeleteInterfaceAndAnswerEnoentAfterwards()
    {
        ok(InterfaceRequest.delete(1));
        refused(Errno.ENOENT, InterfaceRequest.delete(1));
        assertTrue(vr.tables().interfaces().get(1) == null);
    }

    @Test
    void shouldWriteNothingWhenTheLastFieldOfAnInterfaceIsBad()
    {
        final InterfaceRequest before = vr.program(InterfaceRequest.get(1)).first(InterfaceRequest.class);
        // every field valid but the mirror metadata, the last one checked: the vif stays as it was
        refused(Errno.EINVAL, before.toBuilder().vrf(3).mtu(1400).name("changed").outMirrorMd(new byte[65]).build());
        refused(Errno.EINVAL, before.toBuilder().vrf(3).mtu(1400).name("changed").mirId(8).build());
        assertEquals(before, vr.program(InterfaceRequest.get(1)).first(InterfaceRequest.class));
    }

    @Test
    void shouldWriteNothingWhenTheLastMemberOfACompositeIsBad()
    {
        ok(encapNh(7, 2).build());
        final NextHop existing = vr.tables().nextHops().get(5);
        refused(Errno.EINVAL, NextHopRequest.builder().id(8).type(NextHopType.COMPOSITE).flags(0x401)
            .members(new int[] {5, 7, 8}, new int[] {1, 2, 3}).build());
        refused(Errno.EINVAL, NextHopRequest.builder().id(8).type(NextHopType.COMPOSITE).flags(0x401)
            .members(new int[] {5, 7}, new int[] {1, 2, 3}).build());
        assertNull(vr.tables().nextHops().get(8));
        assertTrue(existing == vr.tables().nextHops().get(5), "the members were not touched");
    }

    @Test
    void shouldWriteNothingWhenTheLabelOfARouteIsBad()
    {
        ok(route(0, "10.0.0.0", 8, 5).build());
        final int leaf = vr.tables().fibs().lookup4(0, 0x0A000001);
        // next hop, flags and prefix are fine; the label (checked last) is not an MPLS label
        refused(Errno.EINVAL, route(0, "10.0.0.0", 8, 6).labelFlags(1).label(1 << 20).build());
        refused(Errno.EINVAL, route(0, "10.0.0.0", 8, 6).labelFlags(1).build());
        assertEquals(leaf, vr.tables().fibs().lookup4(0, 0x0A000001));
    }

    @Test
    void shouldAnswerWithRecordsThatProgramTheSameState()
    {
        final InterfaceRequest vif = vr.program(InterfaceRequest.get(1)).first(InterfaceRequest.class);
        final NextHopRequest tunnel = vr.program(NextHopRequest.get(6)).first(NextHopRequest.class);
        assertEquals(6, tunnel.id());
        assertEquals(1, tunnel.tunSip());
        assertArrayEquals(TestTopology.l2(1, 2), tunnel.encap());
        ok(vif);
        ok(tunnel);
        assertEquals(vif, vr.program(InterfaceRequest.get(1)).first(InterfaceRequest.class));
        assertEquals(tunnel, vr.program(NextHopRequest.get(6)).first(NextHopRequest.class));
    }
}
