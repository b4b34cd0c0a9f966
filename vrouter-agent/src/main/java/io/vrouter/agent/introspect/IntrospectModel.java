package io.vrouter.agent.introspect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.vrouter.agent.api.NodeRequests;
import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.VrfName;
import io.vrouter.agent.control.StatsRequests;
import io.vrouter.core.VRouter;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.status.CounterSource;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;

/**
 * What the introspect serves, as JSON-ready maps and lists, built from DUMP requests through
 * {@link NodeService#program} (so the conductor serialises them with writes) and from the workers'
 * counters. Field names follow the agent's introspect ({@code VrfSandeshData},
 * {@code RouteUcSandeshData}, {@code PathSandeshData}, {@code NhSandeshData}) where one exists.
 */
public final class IntrospectModel
{
    /** Contrail's name of the fabric VRF (VRF 0). */
    public static final String FABRIC_VRF = "default-domain:default-project:ip-fabric:__default__";

    private final NodeService node;

    /**
     * A model over a node.
     *
     * @param node the node.
     */
    public IntrospectModel(final NodeService node)
    {
        this.node = node;
    }

    /**
     * The forwarder's objects of one type.
     *
     * @param request a DUMP request (h_op is set here).
     * @return the objects.
     * @throws IllegalStateException with the refusal if the dump is refused.
     */
    public List<SandeshObject> dump(final SandeshObject request)
    {
        request.put("h_op", 3L);
        final Response r = node.program(List.of(request)).get(0);
        if (r.code() < 0)
        {
            throw new IllegalStateException(r.message().isEmpty() ? "refused: " + r.code() : r.message());
        }
        return r.objects();
    }

    /**
     * The VRFs in use (a FIB, an interface or a next hop in them), as {@code VrfSandeshData}: every
     * index field is the VRF id; the name is the fabric VRF's for 0 and {@code vrf-N} otherwise
     * (names arrive with the controller session), {@code vn} {@code N/A}, {@code vxlan_id} 0.
     *
     * @param nameFilter only names containing this; empty for all.
     * @return the VRF rows.
     */
    public List<Map<String, Object>> vrfs(final String nameFilter)
    {
        final VRouter vr = node.vrouter();
        final TreeSet<Integer> ids = new TreeSet<>();
        ids.add(0);
        for (int vrf = 0; vrf < vr.tables().config().vrfs(); vrf++)
        {
            if (vr.tables().fibs().ip4(vrf) != null || vr.tables().fibs().ip6(vrf) != null)
            {
                ids.add(vrf);
            }
        }
        for (final SandeshObject v : dump(new SandeshObject("vr_interface_req")))
        {
            ids.add((int)longField(v, "vifr_vrf"));
        }
        final Map<Integer, VrfName> names = node.vrfNames();
        ids.addAll(names.keySet());
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final int id : ids)
        {
            if (id < 0)
            {
                continue;
            }
            final VrfName named = names.get(id);
            final String name = id == 0 ? FABRIC_VRF : named != null ? named.name() : "vrf-" + id;
            if (!nameFilter.isEmpty() && !name.contains(nameFilter))
            {
                continue;
            }
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("ucindex", id);
            m.put("mcindex", id);
            m.put("l2index", id);
            m.put("uc6index", id);
            m.put("brindex", id);
            m.put("evpnindex", id);
            m.put("vxlan_id", named != null ? named.vxlanId() : 0);
            m.put("vn", named != null ? named.virtualNetwork() : "N/A");
            out.add(m);
        }
        return out;
    }

    /**
     * Routes of a VRF as {@code RouteUcSandeshData}: {@code src_ip}, {@code src_plen}, {@code src_vrf}
     * and one path (peer {@code Local}: programmed through the control socket; preference 100) whose
     * {@code nh} describes the next hop as the agent's {@code NhSandeshData} does.
     *
     * @param vrf    the VRF.
     * @param family 2, 10 or 7.
     * @param prefix only this {@code address/len}, or null.
     * @return the routes.
     */
    public List<Map<String, Object>> routes(final int vrf, final int family, final String prefix)
    {
        final Map<Long, SandeshObject> nhs = new HashMap<>();
        for (final SandeshObject nh : dump(new SandeshObject("vr_nexthop_req")))
        {
            nhs.put(longField(nh, "nhr_id"), nh);
        }
        final Map<Long, String> vifNames = new HashMap<>();
        for (final SandeshObject v : dump(new SandeshObject("vr_interface_req")))
        {
            vifNames.put(longField(v, "vifr_idx"), v.getString("vifr_name", ""));
        }
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final SandeshObject r : dump(new SandeshObject("vr_route_req").put("rtr_family", (long)family)
            .put("rtr_vrf_id", (long)vrf)))
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            final int plen;
            if (family == 7)
            {
                m.put("src_ip", mac((byte[])r.get("rtr_mac"), 0));
                plen = 0;
            }
            else
            {
                m.put("src_ip", address((byte[])r.get("rtr_prefix")));
                plen = (int)longField(r, "rtr_prefix_len");
            }
            if (prefix != null && !prefix.equals(m.get("src_ip") + "/" + plen))
            {
                continue;
            }
            m.put("src_plen", plen);
            m.put("src_vrf", vrf);
            final boolean labelled = (longField(r, "rtr_label_flags") & 0x1) != 0;
            final long label = labelled ? longField(r, "rtr_label") : -1;
            final Map<String, Object> path = new LinkedHashMap<>();
            path.put("peer", "Local");
            path.put("preference", 100);
            path.put("label", label);
            path.put("active_label", label);
            path.put("vxlan_id", 0);
            path.put("nh", nh(nhs.get(longField(r, "rtr_nh_id")), longField(r, "rtr_nh_id"), nhs, vifNames));
            m.put("path_list", List.of(path));
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> nh(final SandeshObject nh, final long id, final Map<Long, SandeshObject> nhs,
        final Map<Long, String> vifNames)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("nh_index", id);
        if (nh == null)
        {
            m.put("type", "discard");
            m.put("policy", "");
            return m;
        }
        final int type = (int)longField(nh, "nhr_type");
        final int flags = (int)longField(nh, "nhr_flags");
        m.put("type", typeName(type));
        m.put("policy", (flags & NextHopFlags.POLICY_ENABLED) != 0 ? "enabled" : "");
        m.put("vrf", longField(nh, "nhr_vrf"));
        final long oif = firstOf(nh.get("nhr_encap_oif_id"));
        final byte[] encap = (byte[])nh.get("nhr_encap");
        switch (type)
        {
            case NextHopType.ENCAP:
            case NextHopType.RECEIVE:
            case NextHopType.L2_RECEIVE:
                m.put("itf", vifNames.getOrDefault(oif, "vif0/" + oif));
                m.put("mac", mac(encap, 0));
                break;
            case NextHopType.TUNNEL:
                m.put("itf", vifNames.getOrDefault(oif, "vif0/" + oif));
                m.put("mac", mac(encap, 0));
                m.put("tunnel_type", (flags & NextHopFlags.TUNNEL_VXLAN) != 0 ? "VXLAN"
                    : (flags & NextHopFlags.TUNNEL_GRE) != 0 ? "MPLSoGRE" : "MPLSoUDP");
                m.put("sip", ip(Integer.reverseBytes((int)longField(nh, "nhr_tun_sip"))));
                m.put("dip", ip(Integer.reverseBytes((int)longField(nh, "nhr_tun_dip"))));
                break;
            case NextHopType.COMPOSITE:
            {
                final List<String> itfs = new ArrayList<>();
                final Object members = nh.get("nhr_nh_list");
                if (members instanceof long[])
                {
                    for (final long member : (long[])members)
                    {
                        final SandeshObject sub = nhs.get(member);
                        final long subOif = sub == null ? -1 : firstOf(sub.get("nhr_encap_oif_id"));
                        itfs.add(sub == null ? "nh" + member : vifNames.getOrDefault(subOif, "nh" + member));
                    }
                }
                m.put("itfs", itfs);
                break;
            }
            default:
                break;
        }
        return m;
    }

    private static String typeName(final int type)
    {
        switch (type)
        {
            case NextHopType.RECEIVE:
                return "receive";
            case NextHopType.ENCAP:
                return "interface";
            case NextHopType.TUNNEL:
                return "tunnel";
            case NextHopType.RESOLVE:
                return "resolve";
            case NextHopType.COMPOSITE:
                return "Composite";
            case NextHopType.VRF_TRANSLATE:
                return "vrf";
            case NextHopType.L2_RECEIVE:
                return "l2-receive";
            default:
                return "discard";
        }
    }

    /**
     * Counters: drops by reason (sum and per worker), per VRF (non-zero only) and per interface.
     *
     * @return the counters.
     */
    public Map<String, Object> counters()
    {
        final VRouter vr = node.vrouter();
        final Map<String, Object> m = new LinkedHashMap<>();
        final List<Forwarder> workers = vr.forwarders();
        m.put("workers", workers.size());
        final Map<String, Long> drops = new LinkedHashMap<>();
        for (final DropReason r : DropReason.BY_ID)
        {
            drops.put(r.label(), vr.drops(r));
        }
        m.put("drops", drops);
        final List<Map<String, Long>> perWorker = new ArrayList<>();
        for (final Forwarder f : workers)
        {
            final Map<String, Long> w = new LinkedHashMap<>();
            for (final DropReason r : DropReason.BY_ID)
            {
                final long n = f.counters().drops(r);
                if (n != 0)
                {
                    w.put(r.label(), n);
                }
            }
            perWorker.add(w);
        }
        m.put("drops_per_worker", perWorker);
        final List<Map<String, Object>> vrfs = new ArrayList<>();
        for (final SandeshObject o : StatsRequests.execute(vr, new SandeshObject(NodeRequests.VRF_STATS)
            .put("h_op", 3L)).objects())
        {
            final Map<String, Object> v = new LinkedHashMap<>();
            v.put("vrf", o.get("vsr_vrf"));
            for (final VrfStat s : VrfStat.BY_ID)
            {
                v.put(s.fieldName(), o.get("vsr_" + s.fieldName()));
            }
            vrfs.add(v);
        }
        m.put("vrfs", vrfs);
        final List<Map<String, Object>> ifs = new ArrayList<>();
        for (final SandeshObject v : dump(new SandeshObject("vr_interface_req")))
        {
            final int idx = (int)longField(v, "vifr_idx");
            final Map<String, Object> i = new LinkedHashMap<>();
            i.put("vif", idx);
            i.put("name", v.getString("vifr_name", ""));
            i.put("ipackets", vr.interfaceCounter(idx, CounterSource.IF_IPACKETS));
            i.put("ibytes", vr.interfaceCounter(idx, CounterSource.IF_IBYTES));
            i.put("opackets", vr.interfaceCounter(idx, CounterSource.IF_OPACKETS));
            i.put("obytes", vr.interfaceCounter(idx, CounterSource.IF_OBYTES));
            i.put("drops", vr.interfaceCounter(idx, CounterSource.IF_DROPS));
            ifs.add(i);
        }
        m.put("interfaces", ifs);
        return m;
    }

    private static long longField(final SandeshObject o, final String f)
    {
        final Object v = o.get(f);
        return v instanceof Long ? (Long)v : firstOf(v);
    }

    private static long firstOf(final Object v)
    {
        if (v instanceof Long)
        {
            return (Long)v;
        }
        return v instanceof long[] && ((long[])v).length > 0 ? ((long[])v)[0] : -1;
    }

    private static String ip(final int a)
    {
        return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    private static String address(final byte[] p)
    {
        if (p.length == 4)
        {
            return (p[0] & 0xFF) + "." + (p[1] & 0xFF) + "." + (p[2] & 0xFF) + "." + (p[3] & 0xFF);
        }
        try
        {
            return java.net.InetAddress.getByAddress(p).getHostAddress();
        }
        catch (final java.net.UnknownHostException e)
        {
            throw new IllegalArgumentException(e);
        }
    }

    /** A MAC without leading zeros, as the agent prints it; 0:0:0:0:0:0 when absent. */
    private static String mac(final byte[] b, final int offset)
    {
        if (b == null || b.length < offset + 6)
        {
            return "0:0:0:0:0:0";
        }
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++)
        {
            if (i > 0)
            {
                sb.append(':');
            }
            sb.append(Integer.toHexString(b[offset + i] & 0xFF));
        }
        return sb.toString();
    }
}
