package io.vrouter.core.control;

import java.util.ArrayList;
import java.util.List;

import io.vrouter.core.bridge.BridgeEntry;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.flow.FlowRequests;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.MirrorTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopMap;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.nh.kind.NextHopKind;
import io.vrouter.core.nh.kind.NextHopKinds;
import io.vrouter.core.request.CaptureRequest;
import io.vrouter.core.request.DropStatsRequest;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.FlowRequest;
import io.vrouter.core.request.FlowTableData;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.PodRequest;
import io.vrouter.core.request.PortRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshField;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.request.TraceRequest;
import io.vrouter.core.request.VrfStatsRequest;
import io.vrouter.core.request.VxlanRequest;
import io.vrouter.core.status.CounterSource;
import io.vrouter.core.table.References;
import io.vrouter.core.table.Tables;
import io.vrouter.encap.TunnelType;
import io.vrouter.wire.AddressFamily;

/**
 * Applies programming requests ({@link InterfaceRequest}, {@link NextHopRequest}, {@link RouteRequest},
 * {@link MplsRequest}, {@link VxlanRequest}, {@link MirrorRequest}, and {@link FlowRequest} through the
 * flow table's {@link FlowRequests}) to the tables, answering with Contrail's return codes; GET and
 * DUMP answer with records of the request's type.
 * <p>
 * Overview: this is the conductor's logic and runs on one thread, the tables' only writer. Every
 * request is validated whole before anything is written: first the record's own rules
 * ({@link SandeshRecord#validate()}), then its references to the tables (indices within the tables,
 * next hops and interfaces that exist, type rules of next hops), so a refused request changes
 * nothing. Field names, defaults and return codes follow Contrail's {@code vr.sandesh} and dp-core;
 * where Contrail's choice of errno is undocumented the choice made here is listed in
 * {@code docs/control.md}.
 */
public final class Programmer
{
    /** Transport PMD ({@code vifr_transport}). */
    public static final int TRANSPORT_PMD = 2;
    /** Default MTU of a virtual interface (Contrail). */
    public static final int DEFAULT_VIRTUAL_MTU = 9160;
    /** Default MTU of other interfaces (Contrail). */
    public static final int DEFAULT_MTU = 1514;

    private final Tables tables;
    private final CounterSource counters;
    private FlowRequests flowRequests;

    /**
     * A programmer over a set of tables.
     *
     * @param tables   the tables it writes.
     * @param counters where GET answers read interface counters from.
     */
    public Programmer(final Tables tables, final CounterSource counters)
    {
        this.tables = tables;
        this.counters = counters;
    }

    /**
     * Applies one request.
     *
     * @param request the request.
     * @return the answer: 0 (or a count for DUMP) and objects, or a negative errno and a message.
     */
    public Response apply(final SandeshRecord request)
    {
        try
        {
            request.validate();
            return switch (request)
            {
                case InterfaceRequest r -> interfaceRequest(r);
                case NextHopRequest r -> nextHopRequest(r);
                case RouteRequest r -> routeRequest(r);
                case MplsRequest r -> mapRequest(r.op(), r.label(), r.nhId(), tables.labels(),
                    MplsRequest.Field.MR_LABEL, MplsRequest.Field.MR_NHID, MplsRequest::add);
                case VxlanRequest r -> mapRequest(r.op(), r.vnid(), r.nhId(), tables.vxlan(),
                    VxlanRequest.Field.VXLANR_VNID, VxlanRequest.Field.VXLANR_NHID, VxlanRequest::add);
                case MirrorRequest r -> mirrorRequest(r);
                case FlowRequest r -> flowRequest(r);
                case FlowTableData r -> unsupported(r);
                case DropStatsRequest r -> unsupported(r);
                case VrfStatsRequest r -> unsupported(r);
                case PortRequest r -> unsupported(r);
                case TraceRequest r -> unsupported(r);
                case CaptureRequest r -> unsupported(r);
                case PodRequest r -> unsupported(r);
            };
        }
        catch (final RequestException e)
        {
            return Response.error(e);
        }
    }

    /**
     * Sets who answers {@code vr_flow_req} (the owner of the flow table).
     *
     * @param requests flow request handling.
     */
    public void flowRequests(final FlowRequests requests)
    {
        this.flowRequests = requests;
    }

    private Response flowRequest(final FlowRequest r) throws RequestException
    {
        if (flowRequests == null)
        {
            throw new RequestException(Errno.EOPNOTSUPP, FlowRequest.TYPE + ": no flow table");
        }
        return flowRequests.apply(r);
    }

    /** Objects the node answers elsewhere (ports, counters) or that are answers only. */
    private static Response unsupported(final SandeshRecord r) throws RequestException
    {
        throw new RequestException(Errno.EOPNOTSUPP, "unsupported object " + r.struct());
    }

    private static RequestException refuse(final int code, final SandeshField f, final String why)
    {
        return RequestException.refuse(code, f, why);
    }

    /** Refuses an index or id beyond a table of {@code size} entries (the lower bound is the record's rule). */
    private static void within(final SandeshField f, final int value, final int min, final int size)
        throws RequestException
    {
        if (value < min || value >= size)
        {
            throw refuse(Errno.EINVAL, f, value + " not in [" + min + ", " + (size - 1) + "]");
        }
    }

    private static Response unsupportedOp(final String type, final Op op) throws RequestException
    {
        throw new RequestException(Errno.EOPNOTSUPP, type + ": op " + op + " not supported");
    }

    // ---------------------------------------------------------------------------------- interfaces

    private Response interfaceRequest(final InterfaceRequest r) throws RequestException
    {
        switch (r.op())
        {
            case ADD:
                tables.interfaces().put(validateInterface(r));
                return Response.ok();
            case DELETE:
            {
                final int idx = existingVif(r.idx());
                tables.interfaces().remove(idx);
                counters.clearInterface(idx);
                return Response.ok();
            }
            case GET:
                return Response.of(0, List.of(describe(tables.interfaces().get(existingVif(r.idx())),
                    References.count(tables))));
            case DUMP:
            {
                final References refs = References.count(tables);
                final List<InterfaceRequest> out = new ArrayList<>();
                for (int i = Math.max(r.marker() + 1, 0); i < tables.interfaces().size(); i++)
                {
                    final Vif v = tables.interfaces().get(i);
                    if (v != null)
                    {
                        out.add(describe(v, refs));
                    }
                }
                return Response.of(out.size(), out);
            }
            default:
                return unsupportedOp(InterfaceRequest.TYPE, r.op());
        }
    }

    private int existingVif(final int idx) throws RequestException
    {
        if (tables.interfaces().get(idx) == null)
        {
            throw refuse(Errno.ENOENT, InterfaceRequest.Field.VIFR_IDX, "no interface " + idx);
        }
        return idx;
    }

    private Vif validateInterface(final InterfaceRequest r) throws RequestException
    {
        final int idx = r.idx();
        final int type = r.type();
        within(InterfaceRequest.Field.VIFR_IDX, idx, 0, tables.interfaces().size());
        within(InterfaceRequest.Field.VIFR_VRF, r.vrf(), 0, tables.config().vrfs());
        within(InterfaceRequest.Field.VIFR_NH_ID, r.nhId(), 0, tables.nextHops().size());
        within(InterfaceRequest.Field.VIFR_MIR_ID, r.mirId(), -1, tables.mirrors().size());
        final Vif existing = tables.interfaces().get(idx);
        if (existing != null && existing.type() != type)
        {
            throw refuse(Errno.EEXIST, InterfaceRequest.Field.VIFR_IDX, "interface " + idx + " exists with type "
                + VifType.name(existing.type()) + ", cannot change it to " + VifType.name(type));
        }
        final int mtu = r.mtu() != 0 ? r.mtu() : type == VifType.VIRTUAL ? DEFAULT_VIRTUAL_MTU : DEFAULT_MTU;
        int flags = r.flags();
        if ((flags & (VifFlags.L3_ENABLED | VifFlags.L2_ENABLED)) == 0)
        {
            flags |= VifFlags.L3_ENABLED | VifFlags.L2_ENABLED;
        }
        if (tables.config().mockPmdPorts() && r.transport() == TRANSPORT_PMD
            && (type == VifType.PHYSICAL || type == VifType.HOST))
        {
            flags |= VifFlags.MOCK_DEVICE;
        }
        return new Vif(idx, type, r.name(), r.transport(), r.vrf(), r.mcastVrf(), r.mac(), r.ip(), mtu, flags,
            r.nhId(), r.osIdx(), r.mirId(), r.inMirrorMd().clone(), r.outMirrorMd().clone());
    }

    private InterfaceRequest describe(final Vif v, final References refs)
    {
        final int idx = v.index();
        return InterfaceRequest.builder()
            .idx(idx)
            .type(v.type())
            .name(v.name())
            .transport(v.transport())
            .vrf(v.vrf())
            .mcastVrf(v.mcastVrf())
            .mac(v.mac())
            .ip(v.ip())
            .mtu(v.mtu())
            .flags(v.flags())
            .nhId(v.nhId())
            .osIdx(v.osIndex())
            .mirId(v.mirrorId())
            .inMirrorMd(v.inMirrorMd().clone())
            .outMirrorMd(v.outMirrorMd().clone())
            .refCnt(refs.vif(idx))
            .counters(counters.interfaceCounter(idx, CounterSource.IF_IPACKETS),
                counters.interfaceCounter(idx, CounterSource.IF_IBYTES),
                counters.interfaceCounter(idx, CounterSource.IF_OPACKETS),
                counters.interfaceCounter(idx, CounterSource.IF_OBYTES),
                counters.interfaceCounter(idx, CounterSource.IF_DROPS))
            .build();
    }

    // ---------------------------------------------------------------------------------- next hops

    private Response nextHopRequest(final NextHopRequest r) throws RequestException
    {
        switch (r.op())
        {
            case ADD:
                tables.nextHops().put(validateNextHop(r));
                return Response.ok();
            case DELETE:
            {
                final int id = existingNextHop(r.id());
                if (id == 0)
                {
                    throw refuse(Errno.EINVAL, NextHopRequest.Field.NHR_ID, "next hop 0 is the discard next hop");
                }
                tables.nextHops().remove(id);
                return Response.ok();
            }
            case GET:
                return Response.of(0, List.of(describe(tables.nextHops().get(existingNextHop(r.id())),
                    References.count(tables))));
            case DUMP:
            {
                final References refs = References.count(tables);
                final List<NextHopRequest> out = new ArrayList<>();
                for (int i = Math.max(r.marker() + 1, 0); i < tables.nextHops().size(); i++)
                {
                    final NextHop nh = tables.nextHops().get(i);
                    if (nh != null)
                    {
                        out.add(describe(nh, refs));
                    }
                }
                return Response.of(out.size(), out);
            }
            default:
                return unsupportedOp(NextHopRequest.TYPE, r.op());
        }
    }

    private int existingNextHop(final int id) throws RequestException
    {
        if (tables.nextHops().get(id) == null)
        {
            throw refuse(Errno.ENOENT, NextHopRequest.Field.NHR_ID, "no next hop " + id);
        }
        return id;
    }

    /**
     * The next hop an ADD programs: the id within the table, the VRF within range, no change of an existing
     * next hop's type, then the rules of its type, which its kind owns ({@link NextHopKind#build}). Fields
     * the record checks itself ({@link NextHopRequest#validate()}) are not checked again.
     */
    private NextHop validateNextHop(final NextHopRequest r) throws RequestException
    {
        final int id = r.id();
        final int type = r.type();
        within(NextHopRequest.Field.NHR_ID, id, 1, tables.nextHops().size());
        final NextHop existing = tables.nextHops().get(id);
        if (existing != null && existing.type() != type)
        {
            throw new RequestException(Errno.EINVAL, NextHopRequest.TYPE + ": next hop " + id + " is "
                + NextHopType.name(existing.type()) + ", a change cannot make it " + NextHopType.name(type));
        }
        within(NextHopRequest.Field.NHR_VRF, r.vrf(), 0, tables.config().vrfs());
        final NextHopKind kind = NextHopKinds.of(type);
        if (kind == null)
        {
            throw refuse(Errno.EINVAL, NextHopRequest.Field.NHR_TYPE, "type " + type + " is not supported");
        }
        return kind.build(r, tables.interfaces(), tables.nextHops());
    }

    /**
     * A next hop as GET and DUMP answer it: the fields it was programmed with, addresses and ports in
     * Contrail's encodings; its kind adds what only its type has (a tunnel's addresses and a UDP tunnel's
     * ports, a composite's members and labels).
     */
    private static NextHopRequest describe(final NextHop nh, final References refs)
    {
        final NextHopRequest.Builder b = NextHopRequest.builder()
            .id(nh.id())
            .type(nh.type())
            .family(nh.family())
            .vrf(nh.vrf())
            .flags(nh.flags())
            .encap(nh.encap().clone())
            .ecmpConfigHash(nh.ecmpConfigHash())
            .refCnt(refs.nextHop(nh.id()));
        if (nh.oif() >= 0)
        {
            b.oif(nh.oif());
        }
        final NextHopKind kind = NextHopKinds.of(nh.type());
        if (kind != null)
        {
            kind.describe(nh, b);
        }
        return b.build();
    }

    // ---------------------------------------------------------------------------------- routes

    private Response routeRequest(final RouteRequest r) throws RequestException
    {
        within(RouteRequest.Field.RTR_VRF_ID, r.vrfId(), 0, tables.config().vrfs());
        return r.family() == AddressFamily.BRIDGE ? bridgeRequest(r) : RouteRequests.inet(tables, r);
    }

    private Response bridgeRequest(final RouteRequest r) throws RequestException
    {
        final int vrf = r.vrfId();
        if (r.op() == Op.DUMP)
        {
            final List<RouteRequest> out = new ArrayList<>();
            for (final BridgeEntry e : tables.bridge().entries(vrf))
            {
                out.add(describe(e));
            }
            return Response.of(out.size(), out);
        }
        final long mac = r.mac();
        switch (r.op())
        {
            case ADD:
            {
                final int nhId = r.nhId();
                if (tables.nextHops().get(nhId) == null)
                {
                    throw refuse(Errno.ENOENT, RouteRequest.Field.RTR_NH_ID, "no next hop " + nhId);
                }
                final int label = !r.labelled() ? -1 : r.label() == SandeshRecord.UNSET ? 0 : r.label();
                final int flags = r.labelled() ? BridgeEntry.FLAG_LABEL_VALID : 0;
                if (!tables.bridge().put(new BridgeEntry(vrf, mac, nhId, label, flags)))
                {
                    throw new RequestException(Errno.ENOSPC, RouteRequest.TYPE + ": bridge table full");
                }
                return Response.ok();
            }
            case DELETE:
                if (!tables.bridge().remove(vrf, mac))
                {
                    throw new RequestException(Errno.ENOENT, RouteRequest.TYPE
                        + ": no bridge entry for that MAC in VRF " + vrf);
                }
                return Response.ok();
            case GET:
            {
                final BridgeEntry e = tables.bridge().lookup(vrf, mac);
                if (e == null)
                {
                    throw new RequestException(Errno.ENOENT, RouteRequest.TYPE
                        + ": no bridge entry for that MAC in VRF " + vrf);
                }
                return Response.of(0, List.of(describe(e)));
            }
            default:
                return unsupportedOp(RouteRequest.TYPE, r.op());
        }
    }

    private static RouteRequest describe(final BridgeEntry e)
    {
        final boolean labelled = (e.flags() & BridgeEntry.FLAG_LABEL_VALID) != 0;
        return RouteRequest.builder()
            .family(AddressFamily.BRIDGE)
            .vrfId(e.vrf())
            .mac(e.mac())
            .nhId(e.nhId())
            .label(e.label() < 0 ? RouteFlags.NO_LABEL : e.label())
            .labelFlags(labelled ? RouteFlags.LABEL_VALID : 0)
            .build();
    }

    // ---------------------------------------------------------------------------------- labels, VNIs

    /** A label or VNI map entry as answers carry it. */
    @FunctionalInterface
    private interface MapEntry
    {
        SandeshRecord of(int key, int nhId);
    }

    private Response mapRequest(final Op op, final int key, final int nhId, final NextHopMap map,
        final SandeshField keyField, final SandeshField nhField, final MapEntry entry) throws RequestException
    {
        if (op == Op.DUMP)
        {
            final List<SandeshRecord> out = new ArrayList<>();
            for (int k = 0; k < map.size(); k++)
            {
                final int nh = map.nhId(k);
                if (nh != NextHopMap.NO_NH)
                {
                    out.add(entry.of(k, nh));
                }
            }
            return Response.of(out.size(), out);
        }
        within(keyField, key, 0, map.size());
        switch (op)
        {
            case ADD:
                if (tables.nextHops().get(nhId) == null)
                {
                    throw refuse(Errno.EINVAL, nhField, "no next hop " + nhId);
                }
                map.set(key, nhId);
                return Response.ok();
            case DELETE:
                if (map.nhId(key) == NextHopMap.NO_NH)
                {
                    throw refuse(Errno.ENOENT, keyField, key + " is not set");
                }
                map.set(key, NextHopMap.NO_NH);
                return Response.ok();
            case GET:
                if (map.nhId(key) == NextHopMap.NO_NH)
                {
                    throw refuse(Errno.ENOENT, keyField, key + " is not set");
                }
                return Response.of(0, List.of(entry.of(key, map.nhId(key))));
            default:
                return unsupportedOp(keyField.struct(), op);
        }
    }

    // ---------------------------------------------------------------------------------- mirrors

    private Response mirrorRequest(final MirrorRequest r) throws RequestException
    {
        final MirrorTable mirrors = tables.mirrors();
        switch (r.op())
        {
            case DUMP:
            {
                final List<MirrorRequest> out = new ArrayList<>();
                for (int i = Math.max(r.marker() + 1, 0); i < mirrors.size(); i++)
                {
                    final long e = mirrors.entry(i);
                    if (MirrorTable.nhId(e) != MirrorTable.NO_NH)
                    {
                        out.add(describeMirror(i, e));
                    }
                }
                return Response.of(out.size(), out);
            }
            case GET:
            {
                final int index = r.index();
                if (index < 0 || index >= mirrors.size())
                {
                    throw refuse(Errno.ENODEV, MirrorRequest.Field.MIRR_INDEX, index + " is out of range 0.."
                        + (mirrors.size() - 1));
                }
                final long e = mirrors.entry(index);
                if (MirrorTable.nhId(e) == MirrorTable.NO_NH)
                {
                    throw refuse(Errno.ENOENT, MirrorRequest.Field.MIRR_INDEX, index + " is not set");
                }
                return Response.of(0, List.of(describeMirror(index, e)));
            }
            case ADD:
            {
                final int index = mirrorIndex(r.index());
                final int vni = r.vniOrZero();
                final int nhId = r.nhId();
                final NextHop nh = tables.nextHops().get(nhId);
                if (nh == null)
                {
                    throw refuse(Errno.EINVAL, MirrorRequest.Field.MIRR_NHID, "no next hop " + nhId);
                }
                // A VXLAN tunnel carries copies only with the VNI the mirror gives it.
                final boolean usable = nh.mirrorNode() >= 0 && (nh.tunnelKind() != TunnelType.VXLAN || vni != 0);
                if (!usable)
                {
                    throw refuse(Errno.EINVAL, MirrorRequest.Field.MIRR_NHID, "next hop " + nhId + " ("
                        + NextHopType.name(nh.type()) + " " + TunnelType.name(nh.tunnelKind())
                        + ") cannot carry mirror copies: an interface, UDP tunnel or VXLAN (with mirr_vni) next hop"
                        + " is needed");
                }
                mirrors.set(index, nhId, r.flags(), vni);
                return Response.ok();
            }
            case DELETE:
            {
                final int index = mirrorIndex(r.index());
                if (mirrors.nhId(index) == MirrorTable.NO_NH)
                {
                    throw refuse(Errno.EINVAL, MirrorRequest.Field.MIRR_INDEX, index + " is not set");
                }
                mirrors.clear(index);
                return Response.ok();
            }
            default:
                return unsupportedOp(MirrorRequest.TYPE, r.op());
        }
    }

    private int mirrorIndex(final int index) throws RequestException
    {
        if (index < 0 || index >= tables.mirrors().size())
        {
            throw refuse(Errno.EINVAL, MirrorRequest.Field.MIRR_INDEX, index + " is out of range 0.."
                + (tables.mirrors().size() - 1));
        }
        return index;
    }

    private static MirrorRequest describeMirror(final int index, final long entry)
    {
        final int vni = MirrorTable.vni(entry);
        return MirrorRequest.add(index, MirrorTable.nhId(entry), MirrorTable.flags(entry),
            vni == 0 ? MirrorRequest.NO_VNI : vni);
    }

    // ---------------------------------------------------------------------------------- helpers

    static int leafFor(final Tables tables, final int family, final int plen, final int nhId, final int label,
        final int labelFlags, final long mac) throws RequestException
    {
        final int l = label < 0 ? RouteFlags.NO_LABEL : label;
        final int leaf = family == AddressFamily.INET
            ? tables.fibEntries().leaf4(plen, nhId, l, labelFlags, mac)
            : tables.fibEntries().leaf6(plen, nhId, l, labelFlags, mac);
        if (leaf < 0)
        {
            throw new RequestException(leaf, RouteRequest.TYPE + ": the route data table refused the route ("
                + Errno.name(leaf) + ")");
        }
        return leaf;
    }
}
