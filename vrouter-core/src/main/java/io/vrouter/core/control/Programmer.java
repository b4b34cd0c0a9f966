package io.vrouter.core.control;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.Tables;
import io.vrouter.core.bridge.BridgeEntry;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.MirrorTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopMap;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.nh.kind.NextHopKind;
import io.vrouter.core.nh.kind.NextHopKinds;
import io.vrouter.encap.EncapRewrite;
import io.vrouter.encap.TunnelType;
import io.vrouter.wire.MacAddress;
import io.vrouter.core.status.CounterSource;

/**
 * Applies programming requests ({@code vr_interface_req}, {@code vr_nexthop_req},
 * {@code vr_route_req}, {@code vr_mpls_req}, {@code vr_vxlan_req}, {@code vr_mirror_req}) to the
 * tables, answering with Contrail's return codes.
 * <p>
 * Overview: this is the conductor's logic and runs on one thread, the tables' only writer. Every
 * request is validated whole (ranges, references to other tables, type rules) before anything is
 * written, so a refused request changes nothing. Field names, defaults and return codes follow
 * Contrail's {@code vr.sandesh} and dp-core; where Contrail's choice of errno is undocumented the
 * choice made here is listed in {@code docs/control.md}.
 */
public final class Programmer
{
    /** Address family inet. */
    public static final int AF_INET = 2;
    /** Address family bridge. */
    public static final int AF_BRIDGE = 7;
    /** Address family inet6. */
    public static final int AF_INET6 = 10;

    /** Transport PMD ({@code vifr_transport}). */
    public static final int TRANSPORT_PMD = 2;
    /** Default MTU of a virtual interface (Contrail). */
    public static final int DEFAULT_VIRTUAL_MTU = 9160;
    /** Default MTU of other interfaces (Contrail). */
    public static final int DEFAULT_MTU = 1514;
    /** "No multicast VRF". */
    public static final int NO_VRF = 65535;
    /** Label value meaning "none" in route answers. */
    public static final int NO_LABEL = 0xFFFFFF;
    /** Route label flag: label valid. */
    public static final int LABEL_VALID = 0x1;
    /** Largest MPLS label. */
    public static final int MAX_MPLS_LABEL = (1 << 20) - 1;

    private final Tables tables;
    private final CounterSource counters;
    private io.vrouter.core.flow.FlowRequests flowRequests;

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
    public Response apply(final SandeshObject request)
    {
        try
        {
            final Op op = request.op();
            switch (request.type())
            {
                case "vr_interface_req":
                    return interfaceRequest(op, request);
                case "vr_nexthop_req":
                    return nextHopRequest(op, request);
                case "vr_route_req":
                    return routeRequest(op, request);
                case "vr_mpls_req":
                    return mapRequest(op, request, tables.labels(), "mr_label", "mr_nhid");
                case "vr_vxlan_req":
                    return mapRequest(op, request, tables.vxlan(), "vxlanr_vnid", "vxlanr_nhid");
                case "vr_mirror_req":
                    return mirrorRequest(op, request);
                case "vr_flow_req":
                    if (flowRequests == null)
                    {
                        throw new RequestException(Errno.EOPNOTSUPP, "vr_flow_req: no flow table");
                    }
                    return flowRequests.apply(request);
                default:
                    throw new RequestException(Errno.EOPNOTSUPP, "unsupported object " + request.type());
            }
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
    public void flowRequests(final io.vrouter.core.flow.FlowRequests requests)
    {
        this.flowRequests = requests;
    }

    // ---------------------------------------------------------------------------------- interfaces

    private Response interfaceRequest(final Op op, final SandeshObject r) throws RequestException
    {
        switch (op)
        {
            case ADD:
                tables.interfaces().put(validateInterface(r));
                return Response.ok();
            case DELETE:
            {
                final int idx = existingVif(r);
                tables.interfaces().remove(idx);
                counters.clearInterface(idx);
                return Response.ok();
            }
            case GET:
                return Response.of(0, List.of(describe(tables.interfaces().get(existingVif(r)))));
            case DUMP:
            {
                final int marker = (int)r.getLong("vifr_marker", -1);
                final List<SandeshObject> out = new ArrayList<>();
                for (int i = Math.max(marker + 1, 0); i < tables.interfaces().size(); i++)
                {
                    final Vif v = tables.interfaces().get(i);
                    if (v != null)
                    {
                        out.add(describe(v));
                    }
                }
                return Response.of(out.size(), out);
            }
            default:
                throw new RequestException(Errno.EOPNOTSUPP, "vr_interface_req: op " + op + " not supported");
        }
    }

    private int existingVif(final SandeshObject r) throws RequestException
    {
        final int idx = (int)r.require("vifr_idx");
        if (tables.interfaces().get(idx) == null)
        {
            throw new RequestException(Errno.ENOENT, "vr_interface_req.vifr_idx: no interface " + idx);
        }
        return idx;
    }

    private Vif validateInterface(final SandeshObject r) throws RequestException
    {
        final int idx = (int)r.getLong("vifr_idx", -1, 0, tables.interfaces().size() - 1);
        final int type = (int)r.require("vifr_type");
        if (type < 0 || type >= VifType.MAX)
        {
            throw new RequestException(Errno.EINVAL, "vr_interface_req.vifr_type: invalid type " + type);
        }
        final byte[] macBytes = r.getBytes("vifr_mac");
        if (macBytes != null && macBytes.length != 6)
        {
            throw new RequestException(
                Errno.EINVAL, "vr_interface_req.vifr_mac: a MAC has 6 bytes, got " + macBytes.length);
        }
        final int vrf = (int)r.getLong("vifr_vrf", 0, 0, tables.config().vrfs() - 1);
        final int mcastVrf = (int)r.getLong("vifr_mcast_vrf", NO_VRF, 0, NO_VRF);
        final int transport = (int)r.getLong("vifr_transport", 0, 0, 3);
        final int defaultMtu = type == VifType.VIRTUAL ? DEFAULT_VIRTUAL_MTU : DEFAULT_MTU;
        int mtu = (int)r.getLong("vifr_mtu", 0, 0, 65535);
        if (mtu == 0)
        {
            mtu = defaultMtu;
        }
        int flags = (int)r.getLong("vifr_flags", 0, Integer.MIN_VALUE, 0xFFFFFFFFL);
        if ((flags & (VifFlags.L3_ENABLED | VifFlags.L2_ENABLED)) == 0)
        {
            flags |= VifFlags.L3_ENABLED | VifFlags.L2_ENABLED;
        }
        if (tables.config().mockPmdPorts() && transport == TRANSPORT_PMD
            && (type == VifType.PHYSICAL || type == VifType.HOST))
        {
            flags |= VifFlags.MOCK_DEVICE;
        }
        final int nhId = (int)r.getLong("vifr_nh_id", 0, 0, tables.nextHops().size() - 1);
        final int mirrorId = (int)r.getLong("vifr_mir_id", -1, -1, tables.mirrors().size() - 1);
        final byte[] inMd = mirrorMetadata(r, "vifr_in_mirror_md");
        final byte[] outMd = mirrorMetadata(r, "vifr_out_mirror_md");
        final Vif existing = tables.interfaces().get(idx);
        if (existing != null && existing.type() != type)
        {
            throw new RequestException(Errno.EEXIST, "vr_interface_req.vifr_idx: interface " + idx
                + " exists with type "
                + VifType.name(existing.type()) + ", cannot change it to " + VifType.name(type));
        }
        return new Vif(idx, type, r.getString("vifr_name", ""), transport, vrf, mcastVrf,
            macBytes == null ? 0 : mac(macBytes, 0), (int)r.getLong("vifr_ip", 0), mtu, flags, nhId,
            (int)r.getLong("vifr_os_idx", 0), mirrorId, inMd, outMd);
    }

    private static byte[] mirrorMetadata(final SandeshObject r, final String field) throws RequestException
    {
        final byte[] md = r.getBytes(field);
        if (md == null)
        {
            return new byte[0];
        }
        if (md.length > Vif.MAX_MIRROR_MD)
        {
            throw new RequestException(Errno.EINVAL, "vr_interface_req." + field + ": " + md.length
                + " bytes of mirror metadata, at most " + Vif.MAX_MIRROR_MD);
        }
        return md.clone();
    }

    private SandeshObject describe(final Vif v)
    {
        final int idx = v.index();
        return new SandeshObject("vr_interface_req")
            .put("vifr_idx", idx)
            .put("vifr_type", v.type())
            .put("vifr_name", v.name())
            .put("vifr_transport", v.transport())
            .put("vifr_vrf", v.vrf())
            .put("vifr_mcast_vrf", v.mcastVrf())
            .put("vifr_mac", macBytes(v.mac()))
            .put("vifr_ip", v.ip())
            .put("vifr_mtu", v.mtu())
            .put("vifr_flags", v.flags() & 0xFFFFFFFFL)
            .put("vifr_nh_id", v.nhId())
            .put("vifr_os_idx", v.osIndex())
            .put("vifr_mir_id", v.mirrorId())
            .put("vifr_in_mirror_md", v.inMirrorMd().clone())
            .put("vifr_out_mirror_md", v.outMirrorMd().clone())
            .put("vifr_ipackets", counters.interfaceCounter(idx, CounterSource.IF_IPACKETS))
            .put("vifr_ibytes", counters.interfaceCounter(idx, CounterSource.IF_IBYTES))
            .put("vifr_opackets", counters.interfaceCounter(idx, CounterSource.IF_OPACKETS))
            .put("vifr_obytes", counters.interfaceCounter(idx, CounterSource.IF_OBYTES))
            .put("vifr_dpackets", counters.interfaceCounter(idx, CounterSource.IF_DROPS));
    }

    // ---------------------------------------------------------------------------------- next hops

    private Response nextHopRequest(final Op op, final SandeshObject r) throws RequestException
    {
        switch (op)
        {
            case ADD:
                tables.nextHops().put(validateNextHop(r));
                return Response.ok();
            case DELETE:
            {
                final int id = existingNextHop(r);
                if (id == 0)
                {
                    throw new RequestException(Errno.EINVAL,
                        "vr_nexthop_req.nhr_id: next hop 0 is the discard next hop");
                }
                tables.nextHops().remove(id);
                return Response.ok();
            }
            case GET:
                return Response.of(0, List.of(describe(tables.nextHops().get(existingNextHop(r)))));
            case DUMP:
            {
                final int marker = (int)r.getLong("nhr_marker", -1);
                final List<SandeshObject> out = new ArrayList<>();
                for (int i = Math.max(marker + 1, 0); i < tables.nextHops().size(); i++)
                {
                    final NextHop nh = tables.nextHops().get(i);
                    if (nh != null)
                    {
                        out.add(describe(nh));
                    }
                }
                return Response.of(out.size(), out);
            }
            default:
                throw new RequestException(Errno.EOPNOTSUPP, "vr_nexthop_req: op " + op + " not supported");
        }
    }

    private int existingNextHop(final SandeshObject r) throws RequestException
    {
        final int id = (int)r.require("nhr_id");
        if (tables.nextHops().get(id) == null)
        {
            throw new RequestException(Errno.ENOENT, "vr_nexthop_req.nhr_id: no next hop " + id);
        }
        return id;
    }

    private NextHop validateNextHop(final SandeshObject r) throws RequestException
    {
        final int id = (int)r.getLong("nhr_id", -1, 1, tables.nextHops().size() - 1);
        final int type = (int)r.require("nhr_type");
        if (type < 0 || type >= NextHopType.MAX || type == NextHopType.DEAD)
        {
            throw new RequestException(Errno.EINVAL, "vr_nexthop_req.nhr_type: invalid type " + type);
        }
        final NextHop existing = tables.nextHops().get(id);
        if (existing != null && existing.type() != type)
        {
            throw new RequestException(Errno.EINVAL, "vr_nexthop_req: next hop " + id + " is "
                + NextHopType.name(existing.type()) + ", a change cannot make it " + NextHopType.name(type));
        }
        final int family = (int)r.getLong("nhr_family", 0);
        if (family != 0 && family != AF_INET && family != AF_BRIDGE && family != AF_INET6)
        {
            throw new RequestException(Errno.EINVAL, "vr_nexthop_req.nhr_family: invalid family " + family);
        }
        final int flags = (int)r.getLong("nhr_flags", 0, Integer.MIN_VALUE, 0xFFFFFFFFL);
        final int vrf = (int)r.getLong("nhr_vrf", 0, 0, tables.config().vrfs() - 1);
        final long[] oifs = r.getList("nhr_encap_oif_id");
        final int oif = oifs.length > 0 ? (int)oifs[0] : -1;
        byte[] encap = r.getBytes("nhr_encap");
        if (encap == null)
        {
            encap = new byte[0];
        }
        final int tunnelSrc = Integer.reverseBytes((int)r.getLong("nhr_tun_sip", 0));
        final int tunnelDst = Integer.reverseBytes((int)r.getLong("nhr_tun_dip", 0));
        // Contrail carries the UDP tunnel ports in network byte order, like the addresses.
        final int sport = Short.reverseBytes((short)r.getLong("nhr_tun_sport", 0, Short.MIN_VALUE, 0xFFFF)) & 0xFFFF;
        final int dport = Short.reverseBytes((short)r.getLong("nhr_tun_dport", 0, Short.MIN_VALUE, 0xFFFF)) & 0xFFFF;
        int[] members = new int[0];
        int[] labels = new int[0];
        EncapRewrite outer = null;
        int kind = TunnelType.NONE;
        switch (type)
        {
            case NextHopType.ENCAP:
                requireInterface(oif);
                if ((encap.length != 0 || family == AF_INET || family == AF_INET6) && encap.length < 14)
                {
                    throw new RequestException(Errno.EINVAL,
                        "vr_nexthop_req.nhr_encap: an L2 rewrite needs 14 bytes, got " + encap.length);
                }
                break;
            case NextHopType.TUNNEL:
            {
                requireInterface(oif);
                kind = tunnelKind(flags);
                if (encap.length != 14)
                {
                    throw new RequestException(Errno.EINVAL,
                        "vr_nexthop_req.nhr_encap: a tunnel needs the 14-byte outer Ethernet header, got "
                        + encap.length);
                }
                if (kind == TunnelType.UDP && dport == 0)
                {
                    throw new RequestException(Errno.EINVAL,
                        "vr_nexthop_req.nhr_tun_dport: a UDP tunnel needs the analyzer's destination port");
                }
                try
                {
                    outer = kind == TunnelType.UDP
                        ? EncapRewrite.udpTunnel(new UnsafeBuffer(encap), 0, tunnelSrc, tunnelDst, sport, dport)
                        : EncapRewrite.fromNextHopEncap(kind, new UnsafeBuffer(encap), 0, tunnelSrc, tunnelDst);
                }
                catch (final IllegalArgumentException e)
                {
                    throw new RequestException(Errno.EINVAL, "vr_nexthop_req.nhr_encap: " + e.getMessage());
                }
                break;
            }
            case NextHopType.COMPOSITE:
            {
                final long[] list = r.getList("nhr_nh_list");
                final long[] labelList = r.getList("nhr_label_list");
                if (labelList.length != 0 && labelList.length != list.length)
                {
                    throw new RequestException(Errno.EINVAL, "vr_nexthop_req.nhr_label_list: " + labelList.length
                        + " labels for " + list.length + " members");
                }
                members = new int[list.length];
                labels = new int[list.length];
                for (int i = 0; i < list.length; i++)
                {
                    final NextHop m = tables.nextHops().get((int)list[i]);
                    if (m == null || list[i] == id)
                    {
                        throw new RequestException(Errno.EINVAL,
                            "vr_nexthop_req.nhr_nh_list: member " + list[i] + " does not exist");
                    }
                    if (m.type() == NextHopType.COMPOSITE)
                    {
                        throw new RequestException(Errno.EINVAL,
                            "vr_nexthop_req.nhr_nh_list: member " + list[i] + " is itself a composite");
                    }
                    members[i] = (int)list[i];
                    labels[i] = labelList.length == 0 ? -1 : (int)labelList[i];
                }
                break;
            }
            case NextHopType.RECEIVE:
                if (oif >= 0)
                {
                    requireInterface(oif);
                }
                break;
            default:
                break;
        }
        final NextHopKind nhKind = NextHopKinds.of(type);
        if (nhKind == null)
        {
            throw new RequestException(Errno.EINVAL, "vr_nexthop_req.nhr_type: type " + type + " is not supported");
        }
        return new NextHop(id, type, family, flags, vrf, oif, encap, tunnelSrc, tunnelDst, sport, dport, members,
            labels, (int)r.getLong("nhr_ecmp_config_hash", 0), outer, kind, nhKind.l3Node(flags),
            nhKind.l2Node(flags), nhKind.mirrorNode(flags));
    }

    private static int tunnelKind(final int flags) throws RequestException
    {
        switch (flags & NextHopFlags.TUNNEL_TYPE_MASK)
        {
            case NextHopFlags.TUNNEL_UDP_MPLS:
                return TunnelType.MPLS_UDP;
            case NextHopFlags.TUNNEL_GRE:
                return TunnelType.MPLS_GRE;
            case NextHopFlags.TUNNEL_VXLAN:
                return TunnelType.VXLAN;
            case NextHopFlags.TUNNEL_UDP:
                return TunnelType.UDP;
            default:
                throw new RequestException(Errno.EINVAL,
                    "vr_nexthop_req.nhr_flags: a tunnel needs exactly one of MPLSoUDP, MPLSoGRE, Vxlan, Udp");
        }
    }

    private void requireInterface(final int oif) throws RequestException
    {
        if (tables.interfaces().get(oif) == null)
        {
            throw new RequestException(Errno.ENODEV, "vr_nexthop_req.nhr_encap_oif_id: no interface " + oif);
        }
    }

    private static SandeshObject describe(final NextHop nh)
    {
        final SandeshObject o = new SandeshObject("vr_nexthop_req")
            .put("nhr_id", nh.id())
            .put("nhr_type", nh.type())
            .put("nhr_family", nh.family())
            .put("nhr_vrf", nh.vrf())
            .put("nhr_flags", nh.flags() & 0xFFFFFFFFL);
        if (nh.oif() >= 0)
        {
            o.put("nhr_encap_oif_id", new long[] {nh.oif()});
        }
        if (nh.encap().length > 0)
        {
            o.put("nhr_encap", nh.encap().clone());
        }
        if (nh.type() == NextHopType.TUNNEL)
        {
            o.put("nhr_tun_sip", Integer.reverseBytes(nh.tunnelSrc()) & 0xFFFFFFFFL);
            o.put("nhr_tun_dip", Integer.reverseBytes(nh.tunnelDst()) & 0xFFFFFFFFL);
            if (nh.tunnelKind() == TunnelType.UDP)
            {
                o.put("nhr_tun_sport", Short.reverseBytes((short)nh.tunnelSport()) & 0xFFFF);
                o.put("nhr_tun_dport", Short.reverseBytes((short)nh.tunnelDport()) & 0xFFFF);
            }
        }
        if (nh.members().length > 0)
        {
            final long[] m = new long[nh.members().length];
            final long[] l = new long[m.length];
            for (int i = 0; i < m.length; i++)
            {
                m[i] = nh.members()[i];
                l[i] = nh.labels()[i];
            }
            o.put("nhr_nh_list", m).put("nhr_label_list", l);
        }
        return o;
    }

    // ---------------------------------------------------------------------------------- routes

    private Response routeRequest(final Op op, final SandeshObject r) throws RequestException
    {
        final int family = (int)r.require("rtr_family");
        switch (family)
        {
            case AF_INET:
            case AF_INET6:
                return RouteRequests.inet(tables, op, r, family);
            case AF_BRIDGE:
                return bridgeRequest(op, r);
            default:
                throw new RequestException(Errno.EINVAL, "vr_route_req.rtr_family: invalid family " + family);
        }
    }

    private Response bridgeRequest(final Op op, final SandeshObject r) throws RequestException
    {
        final int vrf = (int)r.getLong("rtr_vrf_id", 0, 0, tables.config().vrfs() - 1);
        if (op == Op.DUMP)
        {
            final List<SandeshObject> out = new ArrayList<>();
            for (final BridgeEntry e : tables.bridge().entries(vrf))
            {
                out.add(describe(e));
            }
            return Response.of(out.size(), out);
        }
        final byte[] macBytes = r.getBytes("rtr_mac");
        if (macBytes == null || macBytes.length != 6)
        {
            throw new RequestException(Errno.EINVAL, "vr_route_req.rtr_mac: a bridge route needs a 6-byte MAC");
        }
        final long mac = mac(macBytes, 0);
        switch (op)
        {
            case ADD:
            {
                final int nhId = (int)r.require("rtr_nh_id");
                if (tables.nextHops().get(nhId) == null)
                {
                    throw new RequestException(Errno.ENOENT, "vr_route_req.rtr_nh_id: no next hop " + nhId);
                }
                final int labelFlags = (int)r.getLong("rtr_label_flags", 0, 0, 0xFF);
                final int label = (labelFlags & LABEL_VALID) != 0
                    ? (int)r.getLong("rtr_label", 0, 0, NO_LABEL) : -1;
                final int flags = (labelFlags & LABEL_VALID) != 0 ? BridgeEntry.FLAG_LABEL_VALID : 0;
                if (!tables.bridge().put(new BridgeEntry(vrf, mac, nhId, label, flags)))
                {
                    throw new RequestException(Errno.ENOSPC, "vr_route_req: bridge table full");
                }
                return Response.ok();
            }
            case DELETE:
                if (!tables.bridge().remove(vrf, mac))
                {
                    throw new RequestException(Errno.ENOENT, "vr_route_req: no bridge entry for that MAC in VRF "
                        + vrf);
                }
                return Response.ok();
            case GET:
            {
                final BridgeEntry e = tables.bridge().lookup(vrf, mac);
                if (e == null)
                {
                    throw new RequestException(Errno.ENOENT, "vr_route_req: no bridge entry for that MAC in VRF "
                        + vrf);
                }
                return Response.of(0, List.of(describe(e)));
            }
            default:
                throw new RequestException(Errno.EOPNOTSUPP, "vr_route_req: op " + op + " not supported");
        }
    }

    private static SandeshObject describe(final BridgeEntry e)
    {
        return new SandeshObject("vr_route_req")
            .put("rtr_family", AF_BRIDGE)
            .put("rtr_vrf_id", e.vrf())
            .put("rtr_mac", macBytes(e.mac()))
            .put("rtr_nh_id", e.nhId())
            .put("rtr_label", e.label() < 0 ? NO_LABEL : e.label())
            .put("rtr_label_flags", (e.flags() & BridgeEntry.FLAG_LABEL_VALID) != 0 ? LABEL_VALID : 0);
    }

    // ---------------------------------------------------------------------------------- labels, VNIs, mirrors

    private Response mapRequest(
        final Op op, final SandeshObject r, final NextHopMap map, final String keyField, final String nhField)
        throws RequestException
    {
        if (op == Op.DUMP)
        {
            final List<SandeshObject> out = new ArrayList<>();
            for (int k = 0; k < map.size(); k++)
            {
                final int nh = map.nhId(k);
                if (nh != NextHopMap.NO_NH)
                {
                    out.add(new SandeshObject(r.type()).put(keyField, k).put(nhField, nh));
                }
            }
            return Response.of(out.size(), out);
        }
        final int key = (int)r.getLong(keyField, -1, 0, map.size() - 1);
        switch (op)
        {
            case ADD:
            {
                final int nhId = (int)r.require(nhField);
                if (tables.nextHops().get(nhId) == null)
                {
                    throw new RequestException(Errno.EINVAL, r.type() + "." + nhField + ": no next hop " + nhId);
                }
                map.set(key, nhId);
                return Response.ok();
            }
            case DELETE:
                if (map.nhId(key) == NextHopMap.NO_NH)
                {
                    throw new RequestException(Errno.ENOENT, r.type() + "." + keyField + ": " + key + " is not set");
                }
                map.set(key, NextHopMap.NO_NH);
                return Response.ok();
            case GET:
                if (map.nhId(key) == NextHopMap.NO_NH)
                {
                    throw new RequestException(Errno.ENOENT, r.type() + "." + keyField + ": " + key + " is not set");
                }
                return Response.of(0, List.of(new SandeshObject(r.type()).put(keyField, key)
                    .put(nhField, map.nhId(key))));
            default:
                throw new RequestException(Errno.EOPNOTSUPP, r.type() + ": op " + op + " not supported");
        }
    }

    // ---------------------------------------------------------------------------------- mirrors

    private Response mirrorRequest(final Op op, final SandeshObject r) throws RequestException
    {
        final MirrorTable mirrors = tables.mirrors();
        switch (op)
        {
            case DUMP:
            {
                final int marker = (int)r.getLong("mirr_marker", -1);
                final List<SandeshObject> out = new ArrayList<>();
                for (int i = Math.max(marker + 1, 0); i < mirrors.size(); i++)
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
                final long index = r.require("mirr_index");
                if (index < 0 || index >= mirrors.size())
                {
                    throw new RequestException(Errno.ENODEV, "vr_mirror_req.mirr_index: " + index
                        + " is out of range 0.." + (mirrors.size() - 1));
                }
                final long e = mirrors.entry((int)index);
                if (MirrorTable.nhId(e) == MirrorTable.NO_NH)
                {
                    throw new RequestException(Errno.ENOENT, "vr_mirror_req.mirr_index: " + index + " is not set");
                }
                return Response.of(0, List.of(describeMirror((int)index, e)));
            }
            case ADD:
            {
                final int index = mirrorIndex(r);
                final long flags = r.getLong("mirr_flags", 0);
                if ((flags & MirrorTable.FLAG_HW_ASSISTED) != 0)
                {
                    throw new RequestException(Errno.EOPNOTSUPP,
                        "vr_mirror_req.mirr_flags: hardware-assisted mirroring (Hw, 0x4) needs a NIC; not supported");
                }
                if ((flags & ~MirrorTable.FLAG_DYNAMIC) != 0)
                {
                    throw new RequestException(Errno.EINVAL, "vr_mirror_req.mirr_flags: unknown flags 0x"
                        + Long.toHexString(flags & ~MirrorTable.FLAG_DYNAMIC));
                }
                final long requestedVni = r.getLong("mirr_vni", -1);
                final long vni = requestedVni == -1 ? 0 : requestedVni;
                if (vni < 0 || vni > MirrorTable.MAX_VNI)
                {
                    throw new RequestException(Errno.EINVAL, "vr_mirror_req.mirr_vni: " + vni + " is not a 24-bit VNI");
                }
                final long nhId = r.require("mirr_nhid");
                final NextHop nh = nhId < 0 || nhId >= tables.nextHops().size() ? null
                    : tables.nextHops().get((int)nhId);
                if (nh == null)
                {
                    throw new RequestException(Errno.EINVAL, "vr_mirror_req.mirr_nhid: no next hop " + nhId);
                }
                final boolean usable = nh.type() == NextHopType.ENCAP
                    || nh.type() == NextHopType.TUNNEL && nh.tunnelKind() == TunnelType.UDP
                    || nh.type() == NextHopType.TUNNEL && nh.tunnelKind() == TunnelType.VXLAN && vni != 0;
                if (!usable)
                {
                    throw new RequestException(Errno.EINVAL, "vr_mirror_req.mirr_nhid: next hop " + nhId + " ("
                        + NextHopType.name(nh.type()) + " " + TunnelType.name(nh.tunnelKind())
                        + ") cannot carry mirror copies: an interface, UDP tunnel or VXLAN (with mirr_vni) next hop"
                        + " is needed");
                }
                mirrors.set(index, (int)nhId, (int)flags, (int)vni);
                return Response.ok();
            }
            case DELETE:
            {
                final int index = mirrorIndex(r);
                if (mirrors.nhId(index) == MirrorTable.NO_NH)
                {
                    throw new RequestException(Errno.EINVAL, "vr_mirror_req.mirr_index: " + index + " is not set");
                }
                mirrors.clear(index);
                return Response.ok();
            }
            default:
                throw new RequestException(Errno.EOPNOTSUPP, "vr_mirror_req: op " + op + " not supported");
        }
    }

    private int mirrorIndex(final SandeshObject r) throws RequestException
    {
        final long index = r.require("mirr_index");
        if (index < 0 || index >= tables.mirrors().size())
        {
            throw new RequestException(Errno.EINVAL, "vr_mirror_req.mirr_index: " + index
                + " is out of range 0.." + (tables.mirrors().size() - 1));
        }
        return (int)index;
    }

    private static SandeshObject describeMirror(final int index, final long entry)
    {
        return new SandeshObject("vr_mirror_req")
            .put("mirr_index", index)
            .put("mirr_nhid", MirrorTable.nhId(entry))
            .put("mirr_flags", MirrorTable.flags(entry))
            .put("mirr_vni", MirrorTable.vni(entry) == 0 ? -1 : MirrorTable.vni(entry));
    }

    // ---------------------------------------------------------------------------------- helpers

    /**
     * Reads a MAC from bytes.
     *
     * @param b      bytes.
     * @param offset first byte.
     * @return the MAC in the low 48 bits.
     */
    public static long mac(final byte[] b, final int offset)
    {
        return MacAddress.read(new UnsafeBuffer(b), offset);
    }

    /**
     * A MAC as 6 bytes.
     *
     * @param mac MAC in the low 48 bits.
     * @return the bytes.
     */
    public static byte[] macBytes(final long mac)
    {
        final byte[] b = new byte[MacAddress.LENGTH];
        MacAddress.write(new UnsafeBuffer(b), 0, mac);
        return b;
    }

    static int leafFor(final Tables tables, final int family, final int plen, final int nhId, final int label,
        final int labelFlags, final long mac) throws RequestException
    {
        final int l = label < 0 ? FibLeaf.NO_LABEL : label;
        final int leaf = family == AF_INET
            ? tables.fibEntries().leaf4(plen, nhId, l, labelFlags, mac)
            : tables.fibEntries().leaf6(plen, nhId, l, labelFlags, mac);
        if (leaf < 0)
        {
            throw new RequestException(leaf, "vr_route_req: the route data table refused the route ("
                + Errno.name(leaf) + ")");
        }
        return leaf;
    }
}
