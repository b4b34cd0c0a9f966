package io.vrouter.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vrouter.core.VRouter;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.request.VxlanRequest;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.testing.TestTopology;
import io.vrouter.wire.AddressFamily;

/**
 * Reference counts as GET and DUMP answer them ({@code vifr_ref_cnt}, {@code nhr_ref_cnt}): exact after adds,
 * replacements and deletes of every kind of entry that names an interface or a next hop.
 */
class ReferenceCountTest
{
    private VRouter vr;

    @BeforeEach
    void setUp()
    {
        vr = new VRouter(new VRouterConfig(16, 64, 8, 32, 64, 16, 4, 64, 8, 2048, true, true));
        ok(ProgrammerTest.vif(1, VifType.VIRTUAL).build());
        ok(ProgrammerTest.vif(2, VifType.PHYSICAL).build());
        ok(ProgrammerTest.encapNh(5, 1).family(AddressFamily.INET).build());
        ok(NextHopRequest.builder().id(6).type(NextHopType.TUNNEL).family(AddressFamily.INET).oif(2)
            .encap(TestTopology.l2(1, 2)).flags(0x41).tunnel(1, 2).build());
    }

    private void ok(final SandeshRecord r)
    {
        final Response resp = vr.program(r);
        assertEquals(0, resp.code(), r + " -> " + resp);
    }

    private int vifRefs(final int idx)
    {
        final int got = vr.program(InterfaceRequest.get(idx)).first(InterfaceRequest.class).refCnt();
        final List<InterfaceRequest> dump = vr.program(InterfaceRequest.dump()).objects(InterfaceRequest.class);
        assertEquals(got, dump.stream().filter(v -> v.idx() == idx).findFirst().orElseThrow().refCnt(),
            "GET and DUMP count alike");
        return got;
    }

    private int nhRefs(final int id)
    {
        final int got = vr.program(NextHopRequest.get(id)).first(NextHopRequest.class).refCnt();
        final List<NextHopRequest> dump = vr.program(NextHopRequest.dump()).objects(NextHopRequest.class);
        assertEquals(got, dump.stream().filter(n -> n.id() == id).findFirst().orElseThrow().refCnt(),
            "GET and DUMP count alike");
        return got;
    }

    @Test
    void shouldCountTheTableAndTheNextHopsThatSendThroughAnInterface()
    {
        assertEquals(2, vifRefs(1), "its table and next hop 5");
        assertEquals(2, vifRefs(2), "its table and tunnel 6");
        ok(ProgrammerTest.encapNh(7, 1).build());
        assertEquals(3, vifRefs(1));
        // replacing next hop 7 to send through vif 2 moves its reference
        ok(ProgrammerTest.encapNh(7, 2).build());
        assertEquals(2, vifRefs(1));
        assertEquals(3, vifRefs(2));
        // replacing it again unchanged counts it once
        ok(ProgrammerTest.encapNh(7, 2).build());
        assertEquals(3, vifRefs(2));
        ok(NextHopRequest.delete(7));
        assertEquals(2, vifRefs(2));
        // replacing an interface keeps the next hops' references
        ok(ProgrammerTest.vif(1, VifType.VIRTUAL).vrf(3).build());
        assertEquals(2, vifRefs(1));
    }

    @Test
    void shouldCountRoutesLabelsVnisMembersMirrorsBridgeEntriesAndInterfaces()
    {
        assertEquals(1, nhRefs(5), "the table only");
        ok(ProgrammerTest.route(1, "10.1.0.0", 16, 5).build());
        ok(ProgrammerTest.route(1, "10.2.0.0", 16, 5).build());
        ok(ProgrammerTest.route(2, "10.1.0.0", 16, 5).build());
        ok(RouteRequest.builder().family(AddressFamily.INET6).vrfId(1)
            .prefix(new byte[] {(byte)0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128).nhId(5).build());
        assertEquals(5, nhRefs(5), "three IPv4 routes in two VRFs and one IPv6 route");
        ok(MplsRequest.add(30, 5));
        ok(VxlanRequest.add(12, 5));
        ok(MirrorRequest.add(3, 5, 0, MirrorRequest.NO_VNI));
        ok(RouteRequest.builder().family(AddressFamily.BRIDGE).vrfId(1).mac(0x020000000007L).nhId(5).build());
        ok(NextHopRequest.builder().id(9).type(NextHopType.COMPOSITE).family(AddressFamily.INET)
            .flags(NextHopFlags.VALID | NextHopFlags.COMPOSITE_ECMP).members(new int[] {5, 6, 5}, new int[] {1, 2, 3})
            .build());
        ok(ProgrammerTest.vif(3, VifType.VIRTUAL).nhId(5).build());
        assertEquals(1 + 4 + 1 + 1 + 1 + 1 + 2 + 1, nhRefs(5),
            "table, 4 routes, label, VNI, mirror, bridge entry, 2 composite slots, an interface's vifr_nh_id");
        assertEquals(2, nhRefs(6), "its table and one composite slot");
        assertEquals(1, nhRefs(9));

        // replacements move references: the composite loses one slot of 5, the route and label go to 6
        ok(NextHopRequest.builder().id(9).type(NextHopType.COMPOSITE).family(AddressFamily.INET)
            .flags(NextHopFlags.VALID | NextHopFlags.COMPOSITE_ECMP).members(new int[] {5, 6}, new int[] {1, 2})
            .build());
        ok(ProgrammerTest.route(1, "10.2.0.0", 16, 6).labelFlags(1).label(40).build());
        ok(MplsRequest.add(30, 6));
        assertEquals(12 - 3, nhRefs(5));
        assertEquals(2 + 2, nhRefs(6));

        // deletes release them
        ok(ProgrammerTest.route(1, "10.1.0.0", 16, 5).op(Op.DELETE).build());
        ok(VxlanRequest.delete(12));
        ok(MirrorRequest.delete(3));
        ok(RouteRequest.builder().op(Op.DELETE).family(AddressFamily.BRIDGE).vrfId(1).mac(0x020000000007L).build());
        ok(InterfaceRequest.delete(3));
        ok(NextHopRequest.delete(9));
        assertEquals(1 + 2, nhRefs(5), "the table, the route in VRF 2 and the IPv6 route");
        assertEquals(1 + 2, nhRefs(6), "the table, the route and the label");
    }

    @Test
    void shouldCountARouteOnceHoweverManyLeavesItHasAndNotWhenHidden()
    {
        ok(ProgrammerTest.route(1, "10.0.0.0", 8, 5).build());
        ok(ProgrammerTest.route(1, "10.1.2.0", 24, 5).build());
        assertEquals(3, nhRefs(5), "a /8 split by a /24 is one route");
        // the /8 replaced through another next hop
        ok(ProgrammerTest.route(1, "10.0.0.0", 8, 6).labelFlags(1).label(9).build());
        assertEquals(2, nhRefs(5));
        assertEquals(2, nhRefs(6));
        // a /25 pair hides the /24 entirely: it has no leaf left and holds no reference (rt --dump omits it)
        ok(ProgrammerTest.route(1, "10.1.2.0", 25, 6).labelFlags(1).label(9).build());
        ok(ProgrammerTest.route(1, "10.1.2.128", 25, 6).labelFlags(1).label(9).build());
        assertEquals(1, nhRefs(5));
        assertEquals(4, nhRefs(6));
        // deleting a /25 with the /24 as its replacement brings the /24 back
        ok(ProgrammerTest.route(1, "10.1.2.0", 25, 5).op(Op.DELETE).replacePlen(24).build());
        assertEquals(2, nhRefs(5));
        assertEquals(3, nhRefs(6));
    }

    @Test
    void shouldKeepCountingReferencesToADeletedNextHopWhenItComesBack()
    {
        ok(ProgrammerTest.route(1, "10.1.0.0", 16, 5).build());
        ok(MplsRequest.add(30, 5));
        ok(NextHopRequest.delete(5));
        assertEquals(1, vifRefs(1), "the deleted next hop no longer sends through vif 1");
        ok(ProgrammerTest.encapNh(5, 1).family(AddressFamily.INET).build());
        assertEquals(3, nhRefs(5), "the route and the label still name id 5");
        assertEquals(2, vifRefs(1));
    }
}
