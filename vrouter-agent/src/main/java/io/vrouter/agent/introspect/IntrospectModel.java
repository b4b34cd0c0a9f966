package io.vrouter.agent.introspect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.RouteOrigins;
import io.vrouter.agent.api.RoutePeer;
import io.vrouter.agent.api.VrfName;
import io.vrouter.agent.api.XmppPeer;
import io.vrouter.agent.api.XmppPeers;
import io.vrouter.agent.control.StatsRequests;
import io.vrouter.core.VRouter;
import io.vrouter.core.fib.Ip4Fib;
import io.vrouter.core.fib.Ip6Fib;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.kind.NextHopDirectory;
import io.vrouter.core.nh.kind.NextHopKinds;
import io.vrouter.core.nh.kind.NextHopText;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.request.VrfStatsRequest;
import io.vrouter.core.status.CounterSource;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.wire.AddressFamily;

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
     * @param request a DUMP request.
     * @return the objects.
     * @throws IllegalArgumentException with the refusal if the dump is refused as invalid ({@code EINVAL},
     *                                  {@code ENOENT}, {@code ERANGE}: a bad parameter).
     * @throws IllegalStateException    with the refusal if the dump is refused otherwise (not supported).
     */
    public List<SandeshRecord> dump(final SandeshRecord request)
    {
        final Response r = node.program(List.of(request)).get(0);
        if (r.code() < 0)
        {
            final String message = r.message().isEmpty() ? "refused: " + Errno.name(r.code()) : r.message();
            if (r.code() == Errno.EINVAL || r.code() == Errno.ENOENT || r.code() == Errno.ERANGE)
            {
                throw new IllegalArgumentException(message);
            }
            throw new IllegalStateException(message);
        }
        return r.objects();
    }

    private <T extends SandeshRecord> List<T> dump(final SandeshRecord request, final Class<T> type)
    {
        final List<T> out = new ArrayList<>();
        for (final SandeshRecord o : dump(request))
        {
            out.add(type.cast(o));
        }
        return out;
    }

    /**
     * The VRFs in use (a route, an interface or a name from the controller session), as {@code VrfSandeshData}: every
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
            // A VRF whose routes have all gone (a deleted network's) is not listed; its empty tables stay.
            final Ip4Fib fib4 = vr.tables().fibs().ip4(vrf);
            final Ip6Fib fib6 = vr.tables().fibs().ip6(vrf);
            if ((fib4 != null && fib4.routeCount() > 0) || (fib6 != null && fib6.routeCount() > 0))
            {
                ids.add(vrf);
            }
        }
        for (final InterfaceRequest v : dump(InterfaceRequest.dump(), InterfaceRequest.class))
        {
            ids.add(v.vrf());
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
     * The controller sessions as the agent's {@code AgentXmppData}: {@code controller_ip}, {@code state},
     * {@code peer_name}, {@code peer_address}, {@code cfg_controller} ({@code Yes}/{@code No}), {@code
     * flap_count}, {@code flap_time} (ISO-8601, or {@code never}), {@code last_event}, {@code last_state_at}.
     *
     * @return one per session the node keeps; empty without a controller.
     */
    public List<Map<String, Object>> xmppPeers()
    {
        final XmppPeers peers = node.xmppPeers();
        final List<Map<String, Object>> out = new ArrayList<>();
        if (peers == null)
        {
            return out;
        }
        for (final XmppPeer p : peers.peers())
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("controller_ip", p.controllerIp());
            m.put("state", p.state());
            m.put("peer_name", p.peerName());
            m.put("peer_address", p.peerAddress());
            m.put("cfg_controller", p.config() ? "Yes" : "No");
            m.put("flap_count", p.flapCount());
            m.put("flap_time", p.flapMillis() == 0 ? "never" : Instant.ofEpochMilli(p.flapMillis()).toString());
            m.put("last_event", p.lastEvent());
            m.put("last_state_at", Instant.ofEpochMilli(p.stateMillis()).toString());
            out.add(m);
        }
        return out;
    }

    /**
     * Routes of a VRF as {@code RouteUcSandeshData}: {@code src_ip}, {@code src_plen}, {@code src_vrf}
     * and a path per peer whose {@code peer} and {@code preference} say where the route came from (the
     * address of each control node that advertises a route learned over XMPP, {@code LocalVmPort} for a
     * local pod's route, {@code Local} for the node's own routes and those programmed through the control
     * socket; {@link RouteOrigins}) and whose {@code nh} describes the next hop as the agent's {@code
     * NhSandeshData} does.
     *
     * @param vrf    the VRF.
     * @param family an {@link AddressFamily}: inet, inet6 or bridge.
     * @param prefix only this {@code address/len}, or null.
     * @return the routes.
     */
    public List<Map<String, Object>> routes(final int vrf, final int family, final String prefix)
    {
        final Map<Integer, NextHopRequest> nhs = new HashMap<>();
        for (final NextHopRequest nh : dump(NextHopRequest.dump(), NextHopRequest.class))
        {
            nhs.put(nh.id(), nh);
        }
        final Map<Integer, String> vifNames = new HashMap<>();
        for (final InterfaceRequest v : dump(InterfaceRequest.dump(), InterfaceRequest.class))
        {
            vifNames.put(v.idx(), v.name());
        }
        final RouteOrigins origins = node.routeOrigins();
        final Map<String, List<RoutePeer>> peers = origins == null || family == AddressFamily.BRIDGE ? Map.of() :
            origins.peers(vrf);
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final RouteRequest r : dump(RouteRequest.dump(family, vrf), RouteRequest.class))
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            final int plen;
            if (family == AddressFamily.BRIDGE)
            {
                m.put("src_ip", mac(r.mac()));
                plen = 0;
            }
            else
            {
                m.put("src_ip", address(r.prefix()));
                plen = r.prefixLen();
            }
            if (prefix != null && !prefix.equals(m.get("src_ip") + "/" + plen))
            {
                continue;
            }
            m.put("src_plen", plen);
            m.put("src_vrf", vrf);
            final long label = r.labelled() ? r.label() : -1;
            final Map<String, Object> nh = nh(nhs.get(r.nhId()), r.nhId(), nhs, vifNames);
            final List<Map<String, Object>> paths = new ArrayList<>();
            for (final RoutePeer peer : peers.getOrDefault(m.get("src_ip") + "/" + plen, List.of(RoutePeer.LOCAL)))
            {
                // One path per peer, as the agent lists them; the forwarder holds the route once, so every
                // path shows the one next hop programmed.
                final Map<String, Object> path = new LinkedHashMap<>();
                path.put("peer", peer.peer());
                path.put("preference", peer.preference());
                path.put("label", label);
                path.put("active_label", label);
                path.put("vxlan_id", 0);
                path.put("nh", nh);
                paths.add(path);
            }
            m.put("path_list", paths);
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> nh(final NextHopRequest nh, final long id,
        final Map<Integer, NextHopRequest> nhs, final Map<Integer, String> vifNames)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("nh_index", id);
        if (nh == null)
        {
            m.put("type", "discard");
            m.put("policy", "");
            return m;
        }
        m.put("type", "");
        m.put("policy", (nh.flags() & NextHopFlags.POLICY_ENABLED) != 0 ? "enabled" : "");
        m.put("vrf", (long)nh.vrf());
        NextHopKinds.introspect(nh, m, new NextHopDirectory()
        {
            @Override
            public String interfaceName(final int vif)
            {
                return vifNames.get(vif);
            }

            @Override
            public NextHopRequest nextHop(final int nhId)
            {
                return nhs.get(nhId);
            }
        });
        return m;
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
        for (final VrfStatsRequest o : StatsRequests.execute(vr, VrfStatsRequest.dump())
            .objects(VrfStatsRequest.class))
        {
            final Map<String, Object> v = new LinkedHashMap<>();
            v.put("vrf", (long)o.vrf());
            for (final VrfStat s : VrfStat.BY_ID)
            {
                v.put(s.fieldName(), o.stat(s));
            }
            vrfs.add(v);
        }
        m.put("vrfs", vrfs);
        final List<Map<String, Object>> ifs = new ArrayList<>();
        for (final InterfaceRequest v : dump(InterfaceRequest.dump(), InterfaceRequest.class))
        {
            final int idx = v.idx();
            final Map<String, Object> i = new LinkedHashMap<>();
            i.put("vif", idx);
            i.put("name", v.name());
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

    /** HELP text of the daemon's I/O counters ({@link NodeService#ioCounters}). */
    private static final Map<String, String> IO_HELP = Map.ofEntries(
        Map.entry("fabric_rx_datagrams", "Datagrams read from the fabric socket."),
        Map.entry("fabric_rx_ring_full", "Fabric datagrams the kernel dropped because the receive ring was full."),
        Map.entry("fabric_tx_datagrams", "Datagrams sent on the fabric socket."),
        Map.entry("fabric_tx_drops", "Datagrams the fabric socket refused to send."),
        Map.entry("fabric_tx_super_frames", "Pod super-frames (GSO) segmented into tunnel datagrams."),
        Map.entry("fabric_tx_segments", "Tunnel datagrams those super-frames became."),
        Map.entry("tx_no_port", "Frames sent to an interface that has no port (device) attached."),
        Map.entry("port_tx_drops", "Frames a pod port's device refused to send."),
        Map.entry("port_rx_super_frames", "Super-frames (GSO) read from pod ports with offloads."),
        Map.entry("port_rx_bad_vnet", "Frames from pod ports dropped for a GSO type other than TCP."),
        Map.entry("port_tx_super_frames", "Super-frames written whole to pod ports with offloads."),
        Map.entry("port_tx_segmented", "Super-frames segmented in software for pod ports without offloads."),
        Map.entry("port_tx_segments", "Frames those super-frames became."),
        Map.entry("port_tx_coalesced", "Super-frames coalesced from TCP segments for pod ports with offloads (GRO)."),
        Map.entry("port_tx_coalesced_segments", "Segments those super-frames were made of."));

    /**
     * The counters in the Prometheus text format ({@code /metrics}): drops by reason, per interface
     * packets and bytes in and out and drops, per VRF packets by path, flows, daemon I/O.
     *
     * @return the exposition.
     */
    public String metrics()
    {
        final VRouter vr = node.vrouter();
        final PrometheusText t = new PrometheusText();
        t.gauge("vrouter_workers", "Forwarding workers (threads) of this node.").sample(vr.forwarders().size());
        t.counter("vrouter_drops_total", "Packets dropped, by reason (dropstats; the reason is the counter's "
            + "vds_ name without the prefix).");
        for (final DropReason r : DropReason.BY_ID)
        {
            t.sample(vr.drops(r), "reason", r.name().toLowerCase(java.util.Locale.ROOT));
        }
        final List<InterfaceRequest> vifs = dump(InterfaceRequest.dump(), InterfaceRequest.class);
        final String[][] ifCounters = {
            {"vrouter_interface_receive_packets_total", "Packets received on the interface."},
            {"vrouter_interface_receive_bytes_total", "Bytes received on the interface."},
            {"vrouter_interface_transmit_packets_total", "Packets sent out of the interface."},
            {"vrouter_interface_transmit_bytes_total", "Bytes sent out of the interface."},
            {"vrouter_interface_drops_total", "Packets received on the interface and dropped (any reason)."},
        };
        final int[] ifIds = {CounterSource.IF_IPACKETS, CounterSource.IF_IBYTES, CounterSource.IF_OPACKETS,
            CounterSource.IF_OBYTES, CounterSource.IF_DROPS};
        for (int c = 0; c < ifIds.length; c++)
        {
            t.counter(ifCounters[c][0], ifCounters[c][1]);
            for (final InterfaceRequest v : vifs)
            {
                t.sample(vr.interfaceCounter(v.idx(), ifIds[c]), "vif", "0/" + v.idx(), "name", v.name());
            }
        }
        t.counter("vrouter_vrf_packets_total", "Packets forwarded in a VRF, by the path they took (vrfstats; "
            + "VRFs with any non-zero count).");
        for (final VrfStatsRequest o : StatsRequests.execute(vr, VrfStatsRequest.dump())
            .objects(VrfStatsRequest.class))
        {
            for (final VrfStat s : VrfStat.BY_ID)
            {
                t.sample(o.stat(s), "vrf", Integer.toString(o.vrf()), "path", s.fieldName());
            }
        }
        final io.vrouter.core.flow.FlowTable flows = vr.flows();
        t.gauge("vrouter_flow_entries", "Flow entries in use (active).").sample(flows.activeEntries());
        t.gauge("vrouter_flow_hold_entries", "Flow entries waiting for a decision (hold).")
            .sample(flows.holdEntries());
        t.gauge("vrouter_flow_overflow_entries", "Overflow flow entries in use.").sample(flows.overflowUsed());
        t.gauge("vrouter_flow_table_entries", "Flow table capacity in entries.").sample(flows.totalEntries());
        t.gauge("vrouter_flow_table_bytes", "Flow table size in bytes.").sample(flows.byteSize());
        t.counter("vrouter_flows_created_total", "Flow entries created.").sample(flows.created());
        t.counter("vrouter_flows_deleted_total", "Flow entries deleted.").sample(flows.deleted());
        for (final Map.Entry<String, Long> e : node.ioCounters().entrySet())
        {
            t.counter("vrouter_io_" + e.getKey() + "_total", IO_HELP.getOrDefault(e.getKey(), "Daemon I/O counter "
                + e.getKey() + ".")).sample(e.getValue());
        }
        return t.toString();
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
    private static String mac(final long mac)
    {
        return mac == RouteRequest.NO_MAC ? mac(null, 0) : mac(Requests.macBytes(mac), 0);
    }

    /** The MAC at the start of a rewrite, as {@link #mac(long)}. */
    private static String mac(final byte[] b, final int offset)
    {
        return NextHopText.introspectMac(b, offset);
    }
}
