package io.vrouter.agent.controller;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static io.vrouter.core.fib.RouteFlags.ARP_PROXY;
import static io.vrouter.core.fib.RouteFlags.LABEL_VALID;

import io.vrouter.agent.api.HostPort;
import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.PortSpec;
import io.vrouter.agent.api.RoutePeer;
import io.vrouter.agent.api.VrfName;
import io.vrouter.core.flow.FabricSnat;
import io.vrouter.core.flow.PolicyTable;
import io.vrouter.core.flow.RouteNetworks;
import io.vrouter.core.flow.ServiceTable;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.PodRequest;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.wire.AddressFamily;
import io.vrouter.wire.MacAddress;
import io.vrouter.xmpp.ChannelMessage;
import io.vrouter.xmpp.ContrailXmpp;
import io.vrouter.xmpp.ControllerListener;
import io.vrouter.xmpp.NodeSession;
import io.vrouter.xmpp.RouteEntry;
import io.vrouter.xmpp.RouteNextHop;
import io.vrouter.xmpp.XmlElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The node's agent for the controller channel (Contrail's vrouter-agent, reduced to what the lab
 * needs): virtual networks become VRFs, pod interfaces become ports with an interface next hop, an
 * MPLS label and a /32 route that the node publishes; routes from the controller become tunnel
 * next hops (MPLSoUDP to the hosting node) or, for the node's own pods seen through a leak, the
 * pod's interface next hop; several next hops become an ECMP composite.
 * <p>
 * Overview: everything runs on the controller client's event loop, one event at a time. The agent keeps
 * up to {@link #MAX_SESSIONS} controller sessions at once (Contrail's two XMPP servers), each a {@link
 * #session(int) listener} of its own; what the sessions send is merged ({@link PeerMerge}): a route or a
 * configuration item advertised by both is programmed once, and goes only when every session that
 * advertised it has withdrawn it. Losing one session keeps everything another still advertises, neither
 * stale nor reprogrammed; what no remaining session advertises is marked stale and kept in the forwarder,
 * so forwarding continues headless (reference §4.6), and the next end-of-RIB (from any session) removes
 * whatever was not advertised again. Every route installed carries the ARP-proxy flag, so a pod
 * resolving an on-link address gets the gateway MAC for destinations that have a route and no
 * answer for the others, which is how an isolated network stays unreachable. Every route programmed is
 * kept in a per-VRF {@link Rib}, so that a route's delete carries its covering route (Contrail's delete is
 * a replacement: the range falls back to the cover, or to discard when there is none).
 */
public final class NodeAgent implements ControllerListener
{
    /** Controller sessions the agent merges at most (Contrail's agent: two XMPP servers). */
    public static final int MAX_SESSIONS = 2;

    private static final long FABRIC_MAC = 0x02000000fa00L;
    private static final long UNDERLAY_PEER_MAC = 0x02000000fb00L;
    private static final String VN = "virtual-network";
    private static final String VMI = "virtual-machine-interface";
    private static final String POLICY = "network-policy";
    private static final String LOGICAL_ROUTER = "logical-router";
    private static final String LOADBALANCER = "loadbalancer";
    private static final String VIRTUAL_ROUTER = "virtual-router";
    /** The fabric's network in the flow policy: VRF 0, Contrail's {@code ip-fabric} (controller ids start at 1). */
    private static final int FABRIC_NETWORK_ID = 0;
    private static final String FABRIC_NETWORK = "default-domain:default-project:ip-fabric";
    private static final String DEFAULT_ROUTE = "0.0.0.0/0";
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    private record Network(String fqName, String instance, int vrf, String gateway, String dns, int l2Receive,
        int id, String subnet, boolean forwarding, boolean snat)
    {
        Network withFabric(final boolean fwd, final boolean nat)
        {
            return new Network(fqName, instance, vrf, gateway, dns, l2Receive, id, subnet, fwd, nat);
        }
    }

    /**
     * A pod's attached interface: in the namespace the agent made ({@code ownNetns}, the lab's kubelet
     * part) or in the one a container runtime made, attached for a CNI plugin ({@code container}).
     */
    private record Port(String name, XmlElement config, String instance, String network, int vrf, String ip,
        int label, int vif, int nh, String netns, String ifname, String container, boolean ownNetns)
    {
    }

    /** A refusal with the errno to answer a CNI plugin's request with. */
    private static final class Refused extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;
        private final int code;

        Refused(final int code, final String message)
        {
            super(message);
            this.code = code;
        }
    }

    private final NodeService node;
    private final String routerId;
    private final String fabricName;
    private final int fabricVif;
    private final int podMtu;
    private final PodNamespaces namespaces;
    private final IntFunction<NodeSession> sessions;
    private final Channel[] channels = new Channel[MAX_SESSIONS];
    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final Map<String, Port> ports = new LinkedHashMap<>();
    private final Map<String, XmlElement> interfaces = new LinkedHashMap<>();
    private final Map<String, XmlElement> policies = new LinkedHashMap<>();
    private final Map<String, XmlElement> routers = new LinkedHashMap<>();
    private final Map<String, XmlElement> loadbalancers = new LinkedHashMap<>();
    private final Map<String, RouteEntry> vips = new LinkedHashMap<>();
    private Map<XmlElement, ServiceView> serviceViews = new IdentityHashMap<>();
    private List<ServiceTable.Entry> serviceEntries = List.of();
    private final Map<String, Integer> tunnels = new HashMap<>();
    private final Map<String, Integer> composites = new HashMap<>();
    private final Map<Integer, PeerMerge<String, RouteEntry>> learned = new HashMap<>();
    private final PeerMerge<String, XmlElement> items = new PeerMerge<>(MAX_SESSIONS);
    /** Configuration items whose last apply failed: applied again when sent again, even unchanged. */
    private final Set<String> unapplied = new HashSet<>();
    private final Rib rib = new Rib();
    private int nextVrf = 1;
    private int nextNh;
    private int receiveNh = -1;
    /** The host port's ({@code vhost0}) interface next hop in the fabric VRF, or -1 when the node has none. */
    private int vhostNh = -1;
    /** This node's fabric SNAT port range from its {@code virtual-router}, or null. */
    private int[] snatPorts;
    /** What fabric SNAT was last programmed as (VRFs and range), or empty when off. */
    private String snatProgrammed = "";
    /** Whether the missing host port was reported (once). */
    private boolean noHostPortLogged;
    /** VRFs given the default route to the host port (networks with fabric forwarding or SNAT). */
    private final Set<Integer> fabricDefaults = new HashSet<>();
    /** Fabric-forwarded pods: address to the interface next hop their fabric VRF route points at. */
    private final Map<String, Integer> forwarded = new HashMap<>();
    private boolean policyFlags;
    private boolean flowPolicy;
    private boolean enforcePolicy = true;
    private boolean cniPods;
    private int fabricMtu = 1500;

    /**
     * An agent.
     *
     * @param node       the node it programs.
     * @param routerId   the node's fabric address, the next hop it publishes.
     * @param fabricName the fabric interface's name.
     * @param fabricVif  the fabric interface, the tunnels' outgoing interface.
     * @param firstNhId  the first next-hop id it may use (ids below are the daemon's).
     * @param podMtu     MTU of pod interfaces.
     * @param namespaces creates pods' network namespaces.
     * @param session    the current controller session, or null while down (the agent's only session: its
     *                   events come through the agent's own {@link ControllerListener} methods).
     */
    public NodeAgent(
        final NodeService node,
        final String routerId,
        final String fabricName,
        final int fabricVif,
        final int firstNhId,
        final int podMtu,
        final PodNamespaces namespaces,
        final Supplier<NodeSession> session)
    {
        this(node, routerId, fabricName, fabricVif, firstNhId, podMtu, namespaces,
            index -> index == 0 ? session.get() : null);
    }

    /**
     * An agent with up to {@link #MAX_SESSIONS} controller sessions; session {@code i}'s events go to {@link
     * #session(int) session(i)} (session 0's also to the agent's own {@link ControllerListener} methods).
     *
     * @param node       the node it programs.
     * @param routerId   the node's fabric address, the next hop it publishes.
     * @param fabricName the fabric interface's name.
     * @param fabricVif  the fabric interface, the tunnels' outgoing interface.
     * @param firstNhId  the first next-hop id it may use (ids below are the daemon's).
     * @param podMtu     MTU of pod interfaces.
     * @param namespaces creates pods' network namespaces.
     * @param sessions   session index → that session when it is up, else null.
     */
    public NodeAgent(
        final NodeService node,
        final String routerId,
        final String fabricName,
        final int fabricVif,
        final int firstNhId,
        final int podMtu,
        final PodNamespaces namespaces,
        final IntFunction<NodeSession> sessions)
    {
        this.node = node;
        this.routerId = routerId;
        this.fabricName = fabricName;
        this.fabricVif = fabricVif;
        this.nextNh = firstNhId;
        this.podMtu = podMtu;
        this.namespaces = namespaces;
        this.sessions = sessions;
        for (int i = 0; i < MAX_SESSIONS; i++)
        {
            channels[i] = new Channel(i);
        }
    }

    /**
     * The listener of one controller session: its routes and configuration are merged with the other
     * session's.
     *
     * @param index the session, 0 to {@link #MAX_SESSIONS} - 1.
     * @return its listener.
     */
    public ControllerListener session(final int index)
    {
        return channels[index];
    }

    /**
     * How the node names a control node in its views: its address, with the port when it is not XMPP's
     * (two controllers on one address stay apart).
     *
     * @param host the control node's address.
     * @param port its XMPP port (0: none known).
     * @return the name.
     */
    public static String controlNodeName(final String host, final int port)
    {
        return port == ContrailXmpp.DEFAULT_PORT || port == 0 ? host : host + ":" + port;
    }

    /** The sessions that are up. */
    private List<NodeSession> openSessions()
    {
        final List<NodeSession> out = new ArrayList<>(MAX_SESSIONS);
        for (int i = 0; i < MAX_SESSIONS; i++)
        {
            final NodeSession s = sessions.apply(i);
            if (s != null)
            {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Whether pod interfaces carry the policy flag, so that flows are set up from the compiled
     * policy (call before {@link #start()}; on unless turned off).
     *
     * @param enforce true to enforce, false to opt out.
     * @return this.
     */
    public NodeAgent enforcePolicy(final boolean enforce)
    {
        this.enforcePolicy = enforce;
        return this;
    }

    /**
     * Whether pods' interfaces are attached for a CNI plugin in the namespaces a container runtime makes
     * ({@link #pod}), instead of in namespaces the agent makes as the configuration arrives (the lab's
     * kubelet part). Call before {@link #start()}; off unless turned on.
     *
     * @param cni true when a CNI plugin attaches them.
     * @return this.
     */
    public NodeAgent cniPods(final boolean cni)
    {
        this.cniPods = cni;
        return this;
    }

    /**
     * The MTU the fabric interface is programmed with (the underlay's: tunnels' path MTU and the TCP MSS clamp
     * follow from it). Call before {@link #start()}; 1,500 unless set.
     *
     * @param mtu the fabric interface's MTU, 68 to 65,535.
     * @return this.
     */
    public NodeAgent fabricMtu(final int mtu)
    {
        if (mtu < 68 || mtu > 65535)
        {
            throw new IllegalArgumentException("fabric MTU " + mtu + ": 68..65535");
        }
        this.fabricMtu = mtu;
        return this;
    }

    /**
     * Programs what the node needs before any network: the fabric interface, a receive next hop and
     * the route for the node's own address in the fabric VRF (so tunnel packets to it are decapsulated).
     */
    public void start()
    {
        // The policy's rules and every installed route's network always reach the flow policy (when
        // the node has one): as in Contrail, a flow's destination network is its route's network, which
        // tells apart isolated namespaces' networks drawing on the shared pod pool. Pod interfaces and
        // their next hops carry the policy flag, making the forwarder set flows up from those rules,
        // unless enforcement is turned off (controller.enforce-policy=false).
        flowPolicy = node.programPolicy(List.of(), List.of()).code() == 0;
        // After a restart from the state store, next hops are allocated above the restored ones: the resync
        // then never rewrites a next hop that restored routes still use; the restored ones are swept after
        // the controller's end of RIB.
        nextNh = Math.max(nextNh, node.restoredNextHopCeiling());
        policyFlags = flowPolicy && enforcePolicy;
        program(InterfaceRequest.builder().idx(fabricVif).type(VifType.PHYSICAL).name(fabricName).vrf(0)
            .mac(FABRIC_MAC).mtu(fabricMtu).transport(0).build());
        receiveNh = nextNh++;
        program(Requests.nextHop(receiveNh, NextHopType.RECEIVE, 0).flags(NextHopFlags.VALID).build());
        addRoute(0, routerId + "/32", receiveNh, 0, 0);
        final HostPort host = node.hostPort();
        if (host != null)
        {
            startHostPort(host);
        }
    }

    /**
     * The host port ({@code vhost0}, Contrail's vif 0/1): a vif in the fabric VRF with the policy flag (replies
     * of fabric SNAT flows and packets to fabric-forwarded pods take the flow there), its interface next hop
     * (frames to the kernel side's MAC), the gateway MAC's L2-receive entry in the fabric VRF (the kernel sends
     * to it) and the fabric VRF's default route to it: what is not the node's or a pod's goes to the kernel,
     * which routes it on the underlay.
     */
    private void startHostPort(final HostPort host)
    {
        final int vifFlags = flowPolicy ? VifFlags.POLICY_ENABLED : 0;
        final InterfaceRequest vif = InterfaceRequest.builder().idx(host.vif()).type(VifType.HOST).name(host.name())
            .vrf(0).mcastVrf(0).mac(GATEWAY_MAC).mtu(1500).flags(vifFlags).transport(0).build();
        program(vif);
        vhostNh = nextNh++;
        program(Requests.nextHop(vhostNh, NextHopType.ENCAP, 0).family(AddressFamily.INET)
            .flags(NextHopFlags.VALID).oif(host.vif()).encap(Requests.l2Rewrite(host.kernelMac(), GATEWAY_MAC))
            .build());
        program(vif.toBuilder().nhId(vhostNh).build());
        final int l2 = nextNh++;
        program(Requests.nextHop(l2, NextHopType.L2_RECEIVE, 0).flags(NextHopFlags.VALID).build(),
            RouteRequest.builder().family(AddressFamily.BRIDGE).vrfId(0).mac(GATEWAY_MAC).nhId(l2).build());
        addRoute(0, DEFAULT_ROUTE, vhostNh, 0, 0);
        // The node's own address in the fabric VRF: a receive next hop through the host port (Contrail's points at
        // vhost0), so what the kernel handed over with the SNAT replies but belongs to no translated flow (its own
        // pings' replies, ICMP errors for it) goes back to the kernel as it came, MACs aside; tunnel packets to the
        // address are still decapsulated (fabric-input asks only for a receive next hop).
        final int hostReceive = nextNh++;
        program(Requests.nextHop(hostReceive, NextHopType.RECEIVE, 0).flags(NextHopFlags.VALID).oif(host.vif())
            .encap(Requests.l2Rewrite(host.kernelMac(), GATEWAY_MAC)).build());
        addRoute(0, routerId + "/32", hostReceive, 0, 0);
        LOG.info("host port {} is vif {} in the fabric VRF, next hop {}", host.name(), host.vif(), vhostNh);
    }

    // ------------------------------------------------------------------------------------------ session

    /** One controller session's listener: its events, tagged with the session's index. */
    private final class Channel implements ControllerListener
    {
        private final int index;
        private String peer = "";
        private boolean up;

        Channel(final int index)
        {
            this.index = index;
        }

        @Override
        public void onSessionUp()
        {
            sessionUp(this);
        }

        @Override
        public void onSessionDown()
        {
            sessionDown(this);
        }

        @Override
        public void onRoutes(final ChannelMessage.RouteUpdate update)
        {
            routes(this, update);
        }

        @Override
        public void onConfig(final ChannelMessage.Config config)
        {
            config(this, config);
        }

        @Override
        public void onEndOfRib()
        {
            endOfRib(this);
        }
    }

    @Override
    public void onSessionUp()
    {
        sessionUp(channels[0]);
    }

    @Override
    public void onSessionDown()
    {
        sessionDown(channels[0]);
    }

    @Override
    public void onEndOfRib()
    {
        endOfRib(channels[0]);
    }

    @Override
    public void onConfig(final ChannelMessage.Config config)
    {
        config(channels[0], config);
    }

    @Override
    public void onRoutes(final ChannelMessage.RouteUpdate update)
    {
        routes(channels[0], update);
    }

    /** The new session (re-)subscribes and (re-)publishes everything, then sends its end-of-RIB. */
    private void sessionUp(final Channel c)
    {
        final NodeSession s = sessions.apply(c.index);
        if (s == null)
        {
            LOG.warn("controller session {} reported up but is not open: ignored", c.index);
            return;
        }
        // The introspect names routes learned over XMPP by the control node's address, as Contrail's agent
        // does (with the port when it is not XMPP's, so two controllers on one address stay apart); a session
        // without one (an in-memory pipe) by the controller's stream name.
        c.peer = s.remoteHost().isEmpty() ? s.peer() : controlNodeName(s.remoteHost(), s.remotePort());
        c.up = true;
        for (final Network n : networks.values())
        {
            s.subscribe(n.instance(), n.vrf());
        }
        for (final Port p : ports.values())
        {
            publish(s, p, false);
        }
        for (final Map.Entry<String, RouteEntry> v : vips.entrySet())
        {
            s.publish(v.getKey().substring(0, v.getKey().indexOf('|')), v.getValue(), false);
        }
        s.endOfRib();
        LOG.info("controller session {} with {} is up", c.index, c.peer);
    }

    /**
     * A session ended: what another session still advertises stays as it is; what no session advertises any
     * more is kept, marked stale, for the next end-of-RIB to sweep.
     */
    private void sessionDown(final Channel c)
    {
        c.up = false;
        int reprogrammed = 0;
        int kept = 0;
        int stale = 0;
        for (final Map.Entry<Integer, PeerMerge<String, RouteEntry>> vrf : learned.entrySet())
        {
            final List<PeerMerge.Change<String, RouteEntry>> changes = vrf.getValue().lost(c.index);
            reprogrammed += changes.size();
            routeNetworks(vrf.getKey(), reinstall(vrf.getKey(), changes));
            stale += vrf.getValue().staleCount();
            kept += vrf.getValue().size();
        }
        final List<PeerMerge.Change<String, XmlElement>> config = items.lost(c.index);
        if (!config.isEmpty())
        {
            applyConfig(config.stream().map(PeerMerge.Change::value).toList(), false);
        }
        boolean others = false;
        for (final Channel o : channels)
        {
            others |= o.up;
        }
        if (others)
        {
            LOG.warn("controller session {} with {} down: {} learned routes kept, {} of them stale (no other session "
                + "advertises them), {} now programmed as the other session advertises them", c.index, c.peer, kept,
                stale, reprogrammed);
        }
        else
        {
            LOG.warn("controller session down: forwarding on the last state ({} learned routes kept, marked stale)",
                stale);
        }
    }

    /**
     * A session has sent everything it has: what no session advertised again since it went stale is removed
     * (routes, then configuration items), then what the node restored from its store and no one claimed.
     */
    private void endOfRib(final Channel c)
    {
        int swept = 0;
        for (final Map.Entry<Integer, PeerMerge<String, RouteEntry>> vrf : learned.entrySet())
        {
            for (final PeerMerge.Change<String, RouteEntry> gone : vrf.getValue().sweep())
            {
                deleteRoute(vrf.getKey(), gone.key());
                swept++;
            }
        }
        final List<PeerMerge.Change<String, XmlElement>> staleConfig = items.sweep();
        if (!staleConfig.isEmpty())
        {
            applyConfig(staleConfig.stream().map(PeerMerge.Change::value).toList(), true);
        }
        LOG.info("end of RIB from the controller ({}): {} stale routes and {} stale configuration items swept",
            c.peer, swept, staleConfig.size());
        sweepRestored();
    }

    /**
     * Removes what the node restored from its state store at start and the controller's resync did not
     * program again (routes with their covering route from the RIB, then labels, next hops, interfaces
     * and pod ports): after the resync, not before, so forwarding ran on the restored state until the
     * controller's replaced it.
     */
    private void sweepRestored()
    {
        final List<SandeshRecord> leftovers = node.restoredLeftovers();
        if (leftovers.isEmpty())
        {
            return;
        }
        int removed = 0;
        for (final SandeshRecord r : leftovers)
        {
            final Response answer = switch (r)
            {
                case RouteRequest rt when rt.family() == AddressFamily.INET && rt.prefix() != null
                    && rt.prefix().length == 4 ->
                {
                    deleteRoute(rt.vrfId(), (rt.prefix()[0] & 0xFF) + "." + (rt.prefix()[1] & 0xFF) + "."
                        + (rt.prefix()[2] & 0xFF) + "." + (rt.prefix()[3] & 0xFF) + "/" + rt.prefixLen());
                    yield Response.ok();
                }
                case RouteRequest rt -> node.program(List.of(rt.toBuilder().op(Op.DELETE).build())).get(0);
                case MplsRequest m -> node.program(List.of(MplsRequest.delete(m.label()))).get(0);
                case io.vrouter.core.request.VxlanRequest v ->
                    node.program(List.of(io.vrouter.core.request.VxlanRequest.delete(v.vnid()))).get(0);
                case io.vrouter.core.request.MirrorRequest m ->
                    node.program(List.of(io.vrouter.core.request.MirrorRequest.delete(m.index()))).get(0);
                case NextHopRequest n -> node.program(List.of(NextHopRequest.delete(n.id()))).get(0);
                case InterfaceRequest i -> node.program(List.of(InterfaceRequest.delete(i.idx()))).get(0);
                case io.vrouter.core.request.PortRequest p -> node.deletePort(p.name());
                default -> Response.ok();
            };
            if (answer.code() < 0 && answer.code() != Errno.ENOENT)
            {
                LOG.warn("restored {} not removed after the resync: {} {}", r.struct(), answer.code(),
                    answer.message());
            }
            else
            {
                removed++;
            }
        }
        node.restoredSwept();
        LOG.info("restored state the controller no longer has: {} of {} objects removed after its resync", removed,
            leftovers.size());
    }

    // ------------------------------------------------------------------------------------------ config

    /**
     * A configuration block from a session, merged with the other session's: an update applies when its
     * element is new or differs from the one applied; a delete applies only when no other session still has
     * the item (else the other session's element is applied if it differs).
     */
    private void config(final Channel c, final ChannelMessage.Config config)
    {
        final List<XmlElement> update = new ArrayList<>();
        final List<XmlElement> delete = new ArrayList<>();
        for (final XmlElement n : config.nodes())
        {
            final String key = itemKey(n);
            if (!config.delete())
            {
                if (items.advertise(c.index, key, n) || unapplied.contains(key))
                {
                    update.add(n);
                }
                continue;
            }
            final XmlElement applied = items.current(key);
            final PeerMerge.Change<String, XmlElement> change = items.withdraw(c.index, key);
            if (change == null)
            {
                if (applied == null)
                {
                    // Never advertised by any session: deleted as asked (nothing there is harmless).
                    delete.add(n);
                }
            }
            else if (change.value() == null)
            {
                delete.add(applied);
            }
            else
            {
                update.add(change.value());
            }
        }
        applyConfig(delete, true);
        applyConfig(update, false);
    }

    private static String itemKey(final XmlElement n)
    {
        return n.attribute("type") + "\n" + n.childText("name");
    }

    /** Applies configuration elements (networks before interfaces on update, the reverse on delete). */
    private void applyConfig(final List<XmlElement> nodes, final boolean delete)
    {
        if (nodes.isEmpty())
        {
            return;
        }
        final List<XmlElement> ordered = new ArrayList<>(nodes);
        ordered.sort((a, b) -> Integer.compare(rank(a, delete), rank(b, delete)));
        for (final XmlElement n : ordered)
        {
            try
            {
                if (delete)
                {
                    unapplied.remove(itemKey(n));
                    deleteConfig(n);
                }
                else
                {
                    updateConfig(n);
                    unapplied.remove(itemKey(n));
                }
            }
            catch (final RuntimeException e)
            {
                if (!delete)
                {
                    unapplied.add(itemKey(n));
                }
                LOG.error("cannot apply {} {}: {}", n.attribute("type"), n.childText("name"), e.getMessage());
            }
        }
        programPolicy();
        refreshServices();
        refreshFabric();
    }

    /**
     * Services as Contrail's agent serves a Kubernetes service's load balancer: the ClusterIP is published in
     * the service network's instance as a route to this node's backends (one next hop, a local backend's
     * label), so the controller merges every node's into one ECMP route that leaks into the client
     * networks; and the forwarder translates new flows from a client network's VRF to the ClusterIP and a
     * listener's port to a backend (by the flow hash) and its target port. Call on the event loop after
     * anything a service depends on changed (its configuration, a local port).
     */
    private void refreshServices()
    {
        final Map<String, RouteEntry> want = new LinkedHashMap<>();
        final List<ServiceTable.Entry> entries = new ArrayList<>();
        final Map<XmlElement, ServiceView> views = new IdentityHashMap<>();
        for (final XmlElement lb : loadbalancers.values())
        {
            ServiceView v = serviceViews.get(lb);
            if (v == null || !v.current(networks, ports))
            {
                v = serviceView(lb);
            }
            views.put(lb, v);
            if (v.route() != null)
            {
                want.put(v.routeKey(), v.route());
            }
            entries.addAll(v.entries());
        }
        serviceViews = views;
        final List<NodeSession.Publication> publications = new ArrayList<>();
        for (final Map.Entry<String, RouteEntry> had : List.copyOf(vips.entrySet()))
        {
            if (!want.containsKey(had.getKey()))
            {
                vips.remove(had.getKey());
                publications.add(new NodeSession.Publication(had.getKey().substring(0, had.getKey().indexOf('|')),
                    had.getValue(), true));
            }
        }
        for (final Map.Entry<String, RouteEntry> w : want.entrySet())
        {
            if (!w.getValue().equals(vips.get(w.getKey())))
            {
                vips.put(w.getKey(), w.getValue());
                publications.add(new NodeSession.Publication(w.getKey().substring(0, w.getKey().indexOf('|')),
                    w.getValue(), false));
            }
        }
        if (!publications.isEmpty())
        {
            // One batch (one flush) per session, however many services the message changed.
            for (final NodeSession s : openSessions())
            {
                s.publish(publications);
            }
        }
        if (flowPolicy && !sameEntries(entries, serviceEntries))
        {
            final Response r = node.programServices(entries);
            if (r.code() < 0)
            {
                LOG.warn("services not programmed: {} {}", r.code(), r.message());
            }
            else
            {
                serviceEntries = entries;
                LOG.info("services: {} entries", entries.size());
            }
        }
    }

    /**
     * What one load balancer element gives this node (its VIP route when a backend is local, its service
     * table entries), with what that was computed from: the element (by identity), the service network, the
     * members' ports and the client networks. Kept from one refresh to the next, so that a configuration
     * message costs what it changes, not the services the node holds.
     */
    private record ServiceView(String serviceNetName, Network serviceNet, List<String> memberPods,
        List<Port> memberPorts, List<String> clientNames, List<Network> clients, String routeKey, RouteEntry route,
        List<ServiceTable.Entry> entries)
    {
        boolean current(final Map<String, Network> networks, final Map<String, Port> ports)
        {
            if (networks.get(serviceNetName) != serviceNet)
            {
                return false;
            }
            for (int i = 0; i < memberPods.size(); i++)
            {
                if (ports.get(memberPods.get(i)) != memberPorts.get(i))
                {
                    return false;
                }
            }
            for (int i = 0; i < clientNames.size(); i++)
            {
                if (networks.get(clientNames.get(i)) != clients.get(i))
                {
                    return false;
                }
            }
            return true;
        }
    }

    private ServiceView serviceView(final XmlElement lb)
    {
        final String vip = lb.childText("vip");
        final String serviceNetName = lb.childText("virtual-network");
        final Network serviceNet = networks.get(serviceNetName);
        final List<XmlElement> members = lb.children("member");
        final List<String> memberPods = new ArrayList<>();
        final List<Port> memberPorts = new ArrayList<>();
        final List<RouteNextHop> local = new ArrayList<>();
        final int[] backends = new int[members.size()];
        for (int i = 0; i < members.size(); i++)
        {
            final XmlElement m = members.get(i);
            backends[i] = PolicyTable.Cidr.parse(m.childText("ip") + "/32").address();
            final String pod = m.childText("pod");
            final Port p = ports.get(pod);
            memberPods.add(pod);
            memberPorts.add(p);
            if (p != null && p.ip().equals(m.childText("ip")))
            {
                local.add(new RouteNextHop(1, routerId, "", p.label(), List.of("udp"), serviceNetName));
            }
        }
        String routeKey = null;
        RouteEntry route = null;
        if (serviceNet != null && !local.isEmpty())
        {
            // A node publishes one next hop per route (the first local backend's label): the controller's
            // route item carries one next hop per node with a backend, the nodes' ECMP composite spans them.
            routeKey = serviceNet.instance() + "|" + vip + "/32";
            route = new RouteEntry(1, 1, vip + "/32", List.of(local.get(0)), 0, 200);
        }
        final int address = PolicyTable.Cidr.parse(vip + "/32").address();
        final List<String> clientNames = new ArrayList<>();
        final List<Network> clients = new ArrayList<>();
        final List<ServiceTable.Entry> entries = new ArrayList<>();
        for (final XmlElement client : lb.children("client-network"))
        {
            final Network net = networks.get(client.text());
            clientNames.add(client.text());
            clients.add(net);
            if (net == null)
            {
                continue;
            }
            for (final XmlElement l : lb.children("listener"))
            {
                entries.add(new ServiceTable.Entry(net.vrf(), address,
                    "UDP".equals(l.childText("protocol")) ? 17 : 6, Integer.parseInt(l.childText("port")),
                    Integer.parseInt(l.childText("target-port")), backends));
            }
        }
        return new ServiceView(serviceNetName, serviceNet, memberPods, java.util.Collections.unmodifiableList(
            memberPorts), clientNames, java.util.Collections.unmodifiableList(clients), routeKey, route,
            List.copyOf(entries));
    }

    private static boolean sameEntries(final List<ServiceTable.Entry> a, final List<ServiceTable.Entry> b)
    {
        if (a.size() != b.size())
        {
            return false;
        }
        for (int i = 0; i < a.size(); i++)
        {
            final ServiceTable.Entry x = a.get(i);
            final ServiceTable.Entry y = b.get(i);
            if (x.vrf() != y.vrf() || x.address() != y.address() || x.protocol() != y.protocol()
                || x.port() != y.port() || x.targetPort() != y.targetPort()
                || !java.util.Arrays.equals(x.backends(), y.backends()))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Compiles the networks this node holds and the rules of the policies attached to them into the
     * forwarder's flow policy (Contrail's agent does this at flow setup; here the forwarder sets
     * flows up in line from it). A rule naming a network this node does not hold is left out: no
     * flow of this node can match it.
     */
    private void programPolicy()
    {
        final List<PolicyTable.Network> nets = new ArrayList<>();
        final Map<String, Integer> ids = new HashMap<>();
        for (final Network n : networks.values())
        {
            nets.add(new PolicyTable.Network(n.id(), n.fqName(), new int[] {n.vrf()},
                List.of(PolicyTable.Cidr.parse(n.subnet()))));
            ids.put(n.fqName(), n.id());
        }
        final List<PolicyTable.Rule> rules = new ArrayList<>();
        for (final XmlElement policy : policies.values())
        {
            for (final XmlElement r : policy.children("rule"))
            {
                final PolicyTable.Endpoint src = endpoint(r.childText("source"), ids);
                final PolicyTable.Endpoint dst = endpoint(r.childText("destination"), ids);
                if (src == null || dst == null)
                {
                    continue;
                }
                final String[] ports = r.childText("ports").split("-");
                rules.add(new PolicyTable.Rule(src, dst, protocol(r.childText("protocol")), 0, 65535,
                    Integer.parseInt(ports[0]), Integer.parseInt(ports[ports.length - 1]),
                    "<>".equals(r.childText("direction")), "pass".equals(r.childText("action"))));
            }
        }
        // Networks attached to one logical router are routed to each other: a pass rule both ways for each
        // pair this node holds, after the policies' rules (an explicit policy rule decides first).
        for (final XmlElement router : routers.values())
        {
            final List<Integer> attached = new ArrayList<>();
            for (final XmlElement n : router.children("network"))
            {
                final Integer id = ids.get(n.text());
                if (id != null && !attached.contains(id))
                {
                    attached.add(id);
                }
            }
            for (int i = 0; i < attached.size(); i++)
            {
                for (int j = i + 1; j < attached.size(); j++)
                {
                    rules.add(new PolicyTable.Rule(PolicyTable.Endpoint.network(attached.get(i)),
                        PolicyTable.Endpoint.network(attached.get(j)), PolicyTable.ANY_PROTOCOL, 0, 65535, 0, 65535,
                        true, true));
                }
            }
        }
        // Contrail's k8s-default-ip-fabric-np: a network with fabric forwarding or SNAT and the fabric (VRF 0, the
        // host port's side) pass both ways; the fabric network has no subnet, so an underlay address stays outside
        // every overlay network (what fabric SNAT translates).
        if (vhostNh >= 0)
        {
            nets.add(new PolicyTable.Network(FABRIC_NETWORK_ID, FABRIC_NETWORK, new int[] {0}, List.of()));
            for (final Network n : networks.values())
            {
                if (n.forwarding() || n.snat())
                {
                    rules.add(new PolicyTable.Rule(PolicyTable.Endpoint.network(n.id()),
                        PolicyTable.Endpoint.network(FABRIC_NETWORK_ID), PolicyTable.ANY_PROTOCOL, 0, 65535, 0, 65535,
                        true, true));
                }
            }
        }
        final Response r = node.programPolicy(nets, rules);
        if (r.code() < 0)
        {
            LOG.warn("flow policy not programmed: {} {}", r.code(), r.message());
        }
        else
        {
            LOG.info("flow policy: {} networks, {} rules", nets.size(), rules.size());
        }
    }

    /** A {@code LOW-HIGH} port range within 1..65535, or null (logged) when it is not one. */
    private static int[] portRange(final String text)
    {
        final String[] parts = text == null ? new String[0] : text.split("-");
        try
        {
            final int low = Integer.parseInt(parts[0].trim());
            final int high = Integer.parseInt(parts[1].trim());
            if (parts.length == 2 && low >= 1 && high <= 65535 && low <= high)
            {
                return new int[] {low, high};
            }
        }
        catch (final RuntimeException e)
        {
            // refused below
        }
        LOG.warn("virtual-router fabric-snat-ports '{}' is not LOW-HIGH within 1..65535: no fabric SNAT", text);
        return null;
    }

    /**
     * Fabric forwarding and SNAT as the configuration now asks (call on the event loop after a change):
     * <ul>
     * <li>a network with either gets a default route to the host port in its VRF (what leaves the overlay goes
     * to the node's kernel; with forwarding only, it counts as the fabric's network for the policy);</li>
     * <li>a fabric-forwarded network's pods of this node get their /32 in the fabric VRF (Contrail puts their
     * routes in {@code ip-fabric:__default__}) and in the node kernel's table through the host port, so a host
     * on the underlay that routes the address to this node reaches the pod without the overlay;</li>
     * <li>the forwarder's fabric SNAT covers the VRFs of networks with SNAT, translating to the node's fabric
     * address and its port range, and the node kernel hands the replies (TCP and UDP to that address and range)
     * back to the host port.</li>
     * </ul>
     */
    private void refreshFabric()
    {
        final boolean wanted = networks.values().stream().anyMatch(n -> n.forwarding() || n.snat());
        if (vhostNh < 0)
        {
            if (wanted && !noHostPortLogged)
            {
                LOG.warn("a network asks for fabric forwarding or SNAT, but this node has no host port (fabric.vhost):"
                    + " its pods stay in the overlay");
                noHostPortLogged = true;
            }
            return;
        }
        for (final Network n : networks.values())
        {
            final boolean want = n.forwarding() || n.snat();
            if (want && fabricDefaults.add(n.vrf()))
            {
                addRoute(n.vrf(), DEFAULT_ROUTE, vhostNh, 0, 0);
            }
            else if (!want && fabricDefaults.remove(n.vrf()))
            {
                deleteRoute(n.vrf(), DEFAULT_ROUTE);
            }
            if (want)
            {
                routeNetworks(n.vrf(), List.of(routeNetwork(DEFAULT_ROUTE,
                    n.forwarding() && !n.snat() ? FABRIC_NETWORK_ID : RouteNetworks.NONE)));
            }
        }
        final Map<String, Port> want = new LinkedHashMap<>();
        for (final Port p : ports.values())
        {
            final Network n = networks.get(p.network());
            if (n != null && n.forwarding())
            {
                want.put(p.ip(), p);
            }
        }
        for (final String ip : List.copyOf(forwarded.keySet()))
        {
            final Port p = want.get(ip);
            if (p == null || p.nh() != forwarded.get(ip))
            {
                unforward(ip);
            }
        }
        for (final Port p : want.values())
        {
            if (!forwarded.containsKey(p.ip()))
            {
                addRoute(0, p.ip() + "/32", p.nh(), 0, 0);
                routeNetworks(0, List.of(routeNetwork(p.ip() + "/32", networkId(p.network()))));
                final Response r = node.hostRoute(p.ip() + "/32", true);
                if (r.code() < 0)
                {
                    LOG.warn("fabric forwarding of {}: no kernel route: {}", p.ip(), r.message());
                }
                forwarded.put(p.ip(), p.nh());
                LOG.info("pod {} ({}) fabric-forwarded: routed in the fabric VRF and by the node's kernel", p.name(),
                    p.ip());
            }
        }
        final List<Integer> vrfs = networks.values().stream().filter(Network::snat).map(Network::vrf).sorted().toList();
        final int[] range = snatPorts;
        final String now = vrfs.isEmpty() || range == null ? "" : vrfs + " " + range[0] + "-" + range[1];
        if (!now.equals(snatProgrammed))
        {
            if (!vrfs.isEmpty() && range == null)
            {
                LOG.warn("networks with fabric SNAT but no port range for this node from the controller:"
                    + " not translated");
            }
            final FabricSnat.Config config = now.isEmpty() ? null : new FabricSnat.Config(0,
                PolicyTable.Cidr.parse(routerId + "/32").address(), range[0], range[1],
                vrfs.stream().mapToInt(Integer::intValue).toArray());
            final Response r = node.programFabricSnat(config);
            final Response k = node.hostSnatPorts(routerId, now.isEmpty() ? 0 : range[0],
                now.isEmpty() ? 0 : range[1]);
            if (r.code() < 0 || k.code() < 0)
            {
                LOG.warn("fabric SNAT not programmed: {} {}", r.message(), k.message());
            }
            else
            {
                LOG.info("fabric SNAT: {}", now.isEmpty() ? "off" : "VRFs " + vrfs + " to " + routerId + " ports "
                    + range[0] + "-" + range[1]);
            }
            snatProgrammed = now;
        }
    }

    /** Takes a pod's address out of the fabric VRF and the node kernel's table, if it was fabric-forwarded. */
    private void unforward(final String ip)
    {
        if (forwarded.remove(ip) == null)
        {
            return;
        }
        deleteRoute(0, ip + "/32");
        routeNetworks(0, List.of(routeNetwork(ip + "/32", RouteNetworks.NONE)));
        final Response r = node.hostRoute(ip + "/32", false);
        if (r.code() < 0)
        {
            LOG.warn("fabric forwarding of {}: kernel route not removed: {}", ip, r.message());
        }
    }

    private static PolicyTable.Endpoint endpoint(final String text, final Map<String, Integer> ids)
    {
        if (text == null || text.equals("any"))
        {
            return PolicyTable.Endpoint.ANYWHERE;
        }
        if (text.indexOf('/') > 0 && text.indexOf(':') < 0)
        {
            return PolicyTable.Endpoint.cidr(text);
        }
        final Integer id = ids.get(text);
        return id == null ? null : PolicyTable.Endpoint.network(id);
    }

    private static int protocol(final String name)
    {
        return switch (name == null ? "any" : name)
        {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "icmp" -> 1;
            default -> PolicyTable.ANY_PROTOCOL;
        };
    }

    private static int rank(final XmlElement n, final boolean delete)
    {
        final int r = switch (n.attribute("type"))
        {
            case VN -> 0;
            case POLICY, LOGICAL_ROUTER -> 1;
            case LOADBALANCER -> 3;
            default -> 2;
        };
        return delete ? -r : r;
    }

    private void updateConfig(final XmlElement n)
    {
        final String name = n.childText("name");
        switch (n.attribute("type"))
        {
            case VN ->
            {
                final boolean fwd = "true".equals(n.childText("ip-fabric-forwarding"));
                final boolean nat = "true".equals(n.childText("fabric-snat"));
                final Network known = networks.get(name);
                if (known != null)
                {
                    if (known.forwarding() != fwd || known.snat() != nat)
                    {
                        networks.put(name, known.withFabric(fwd, nat));
                        LOG.info("network {}: fabric forwarding {}, fabric SNAT {}", name, fwd, nat);
                    }
                    return;
                }
                final int vrf = nextVrf++;
                final int l2 = nextNh++;
                program(Requests.nextHop(l2, NextHopType.L2_RECEIVE, vrf).flags(NextHopFlags.VALID).build(),
                    RouteRequest.builder().family(AddressFamily.BRIDGE).vrfId(vrf).mac(GATEWAY_MAC).nhId(l2).build());
                final Network net = new Network(name, required(n, "routing-instance"), vrf,
                    required(n, "gateway"), required(n, "dns"), l2, Integer.parseInt(required(n, "network-id")),
                    required(n, "subnet"), fwd, nat);
                networks.put(name, net);
                node.nameVrf(vrf, new VrfName(net.instance(), name, Integer.parseInt(required(n, "network-id"))));
                addRoute(net.vrf(), net.gateway() + "/32", receiveNh, ARP_PROXY, 0);
                addRoute(net.vrf(), net.dns() + "/32", receiveNh, ARP_PROXY, 0);
                routeNetworks(net.vrf(), List.of(routeNetwork(net.gateway() + "/32", net.id()),
                    routeNetwork(net.dns() + "/32", net.id())));
                for (final NodeSession s : openSessions())
                {
                    s.subscribe(net.instance(), net.vrf());
                }
                LOG.info("network {} is VRF {}", name, net.vrf());
            }
            case VMI ->
            {
                interfaces.put(name, n);
                final Port existing = ports.get(name);
                if (existing != null)
                {
                    if (existing.config().equals(n))
                    {
                        return;
                    }
                    removePort(existing);
                    if (!existing.ownNetns())
                    {
                        // Changed while a runtime's container holds it: attached again where it was.
                        addPort(name, n, existing.netns(), existing.ifname(), existing.container(), false);
                        return;
                    }
                }
                if (!cniPods)
                {
                    addPort(name, n, required(n, "netns"), "eth0", "", true);
                }
            }
            case POLICY -> policies.put(name, n);
            case LOGICAL_ROUTER -> routers.put(name, n);
            case LOADBALANCER -> loadbalancers.put(name, n);
            case VIRTUAL_ROUTER -> snatPorts = portRange(n.childText("fabric-snat-ports"));
            default -> LOG.warn("ignoring config of unknown type {}", n.attribute("type"));
        }
    }

    private void deleteConfig(final XmlElement n)
    {
        final String name = n.childText("name");
        switch (n.attribute("type"))
        {
            case VN ->
            {
                final Network net = networks.remove(name);
                if (net == null)
                {
                    return;
                }
                node.nameVrf(net.vrf(), null);
                if (flowPolicy)
                {
                    final Response cleared = node.clearRouteNetworks(net.vrf());
                    if (cleared.code() < 0)
                    {
                        LOG.warn("route networks of VRF {} not cleared: {} {}", net.vrf(), cleared.code(),
                            cleared.message());
                    }
                }
                // The whole VRF goes: its routes are deleted without reprogramming covers that go too.
                rib.removeVrf(net.vrf());
                final PeerMerge<String, RouteEntry> routes = learned.remove(net.vrf());
                if (routes != null)
                {
                    routes.keys().forEach(prefix -> deleteRoute(net.vrf(), prefix));
                }
                deleteRoute(net.vrf(), net.gateway() + "/32");
                deleteRoute(net.vrf(), net.dns() + "/32");
                if (fabricDefaults.remove(net.vrf()))
                {
                    deleteRoute(net.vrf(), DEFAULT_ROUTE);
                }
                node.program(List.of(RouteRequest.builder().op(Op.DELETE).family(AddressFamily.BRIDGE)
                        .vrfId(net.vrf()).mac(GATEWAY_MAC).build(),
                    NextHopRequest.delete(net.l2Receive())));
                for (final NodeSession s : openSessions())
                {
                    s.unsubscribe(net.instance());
                }
            }
            case VMI ->
            {
                interfaces.remove(name);
                final Port p = ports.get(name);
                if (p != null)
                {
                    removePort(p);
                }
            }
            case POLICY -> policies.remove(name);
            case LOGICAL_ROUTER -> routers.remove(name);
            case LOADBALANCER -> loadbalancers.remove(name);
            case VIRTUAL_ROUTER -> snatPorts = null;
            default -> LOG.warn("ignoring config delete of unknown type {}", n.attribute("type"));
        }
    }

    private void addPort(final String name, final XmlElement n, final String netns, final String ifname,
        final String container, final boolean ownNetns)
    {
        final String vnName = required(n, "virtual-network");
        final Network net = networks.get(vnName);
        if (net == null)
        {
            throw new IllegalStateException("interface " + name + " names network " + vnName + ", not configured");
        }
        final String cidr = required(n, "ip");
        final String ip = cidr.substring(0, cidr.indexOf('/'));
        final int label = Integer.parseInt(required(n, "label"));
        final String mac = required(n, "mac");
        if (ownNetns)
        {
            namespaces.ensure(netns);
        }
        final Response added = node.addPort(new PortSpec(required(n, "host-ifname"), netns, ifname, mac,
            List.of(cidr), required(n, "gateway"), net.vrf(), podMtu, -1, policyFlags ? VifFlags.POLICY_ENABLED : 0));
        if (added.code() < 0)
        {
            if (ownNetns)
            {
                namespaces.remove(netns);
            }
            throw new Refused(added.code(), "port add refused: " + added.code() + " " + added.message());
        }
        final int vif = added.first(InterfaceRequest.class).idx();
        final int nh = nextNh++;
        final byte[] encap = Requests.l2Rewrite(MacAddress.parse(mac), GATEWAY_MAC);
        program(Requests.nextHop(nh, NextHopType.ENCAP, net.vrf()).family(AddressFamily.INET)
                .flags(NextHopFlags.VALID | (policyFlags ? NextHopFlags.POLICY_ENABLED : 0)).oif(vif).encap(encap)
                .build(),
            MplsRequest.add(label, nh));
        // Contrail keys a flow by the ingress interface's next hop (in place of the VRF), and a packet
        // from the fabric to this pod by the label's next hop: the same one, so that replies coming back
        // hit the reverse entry. The interface was created before its next hop existed; set it now.
        final Response got = node.program(List.of(InterfaceRequest.get(vif))).get(0);
        if (got.code() < 0 || got.objects().isEmpty())
        {
            throw new IllegalStateException("interface " + vif + " not readable: " + got.code() + " " + got.message());
        }
        program(got.first(InterfaceRequest.class).toBuilder().op(Op.ADD).nhId(nh).build());
        addRoute(net.vrf(), ip + "/32", nh, ARP_PROXY, 0);
        routeNetworks(net.vrf(), List.of(routeNetwork(ip + "/32", net.id())));
        final Port port = new Port(name, n, net.instance(), vnName, net.vrf(), ip, label, vif, nh, netns, ifname,
            container, ownNetns);
        ports.put(name, port);
        for (final NodeSession s : openSessions())
        {
            publish(s, port, false);
        }
        LOG.info("pod interface {} ({}) is vif {} in VRF {}, label {}", name, ip, vif, net.vrf(), label);
        refreshServices();
        refreshFabric();
    }

    private void removePort(final Port p)
    {
        for (final NodeSession s : openSessions())
        {
            publish(s, p, true);
        }
        ports.remove(p.name());
        unforward(p.ip());
        deleteRoute(p.vrf(), p.ip() + "/32");
        routeNetworks(p.vrf(), List.of(routeNetwork(p.ip() + "/32", RouteNetworks.NONE)));
        program(MplsRequest.delete(p.label()));
        final Response r = node.deletePort(required(p.config(), "host-ifname"));
        if (r.code() < 0)
        {
            LOG.warn("port delete of {}: {} {}", p.name(), r.code(), r.message());
        }
        program(NextHopRequest.delete(p.nh()));
        if (p.ownNetns())
        {
            namespaces.remove(p.netns());
        }
        refreshServices();
    }

    // ------------------------------------------------------------------------------------------ CNI

    /**
     * A CNI plugin's request ({@code vr_pod_req}), as Contrail's agent serves {@code contrail-k8s-cni}: ADD
     * attaches the pod's interface (address, MAC and label from the controller's configuration) in the
     * runtime's namespace and answers it; a repeated ADD from the same container answers the same; a pod
     * this node has no configuration for yet is EAGAIN (the plugin asks again), one attached to another
     * container EEXIST. DELETE detaches it (nothing attached, or attached to another container, is not an
     * error: the runtime's DEL is idempotent). GET answers the pod's interface and where it is attached.
     * Call on the session's event loop.
     *
     * @param r the request, validated.
     * @return the answer.
     */
    public Response pod(final PodRequest r)
    {
        if (!cniPods)
        {
            return new Response(Errno.EOPNOTSUPP, "this node's agent makes pods' interfaces itself " +
                "(pods.cni is false)", List.of());
        }
        final String name = r.namespace() + ":" + r.name();
        final String key = r.namespace() + "/" + r.name();
        final XmlElement config = interfaces.get(name);
        final Port port = ports.get(name);
        switch (r.op())
        {
            case ADD:
            {
                if (config == null)
                {
                    return new Response(Errno.EAGAIN, "pod " + key + " has no interface on this node yet",
                        List.of());
                }
                if (port != null)
                {
                    if (port.container().equals(r.container()) && port.netns().equals(r.netns()) &&
                        port.ifname().equals(r.ifname()))
                    {
                        return Response.of(0, List.of(answer(config, port)));
                    }
                    return new Response(Errno.EEXIST, "pod " + key + " is attached to container " +
                        port.container() + " in " + port.netns(), List.of());
                }
                try
                {
                    addPort(name, config, r.netns(), r.ifname(), r.container(), false);
                }
                catch (final Refused e)
                {
                    return new Response(e.code, e.getMessage(), List.of());
                }
                catch (final RuntimeException e)
                {
                    return new Response(Errno.EINVAL, "pod " + key + ": " + e.getMessage(), List.of());
                }
                return Response.of(0, List.of(answer(config, ports.get(name))));
            }
            case DELETE:
                if (port != null && !port.ownNetns() && (r.container().isEmpty() ||
                    port.container().equals(r.container())))
                {
                    removePort(port);
                }
                return Response.ok();
            case GET:
                if (config == null)
                {
                    return new Response(Errno.ENOENT, "pod " + key + " has no interface on this node", List.of());
                }
                return Response.of(0, List.of(answer(config, port)));
            default:
                return new Response(Errno.EOPNOTSUPP, PodRequest.TYPE + ": op " + r.op() + " not supported",
                    List.of());
        }
    }

    private PodRequest answer(final XmlElement config, final Port port)
    {
        final String name = required(config, "name");
        final int colon = name.indexOf(':');
        final Network net = networks.get(required(config, "virtual-network"));
        // An answer describes the pod and asks for nothing: h_op Get, so it reads back whether attached or not.
        return new PodRequest(Op.GET, name.substring(0, colon), name.substring(colon + 1),
            port == null ? "" : port.container(), port == null ? "" : port.netns(), port == null ? "" : port.ifname(),
            required(config, "mac"), required(config, "ip"), required(config, "gateway"),
            net == null ? "" : net.dns(), net == null ? 0 : net.vrf(), port == null ? -1 : port.vif());
    }

    private void publish(final NodeSession s, final Port p, final boolean withdraw)
    {
        s.publish(p.instance(), new RouteEntry(1, 1, p.ip() + "/32", List.of(
            new RouteNextHop(1, routerId, "", p.label(), List.of("udp"), p.network())), 0, 200), withdraw);
    }

    // ------------------------------------------------------------------------------------------ routes

    /**
     * Routes from a session, merged with the other session's: an item is programmed when it is new or
     * differs from what the forwarder has for the prefix (a repeat, the other session's same route included,
     * programs nothing); a retract removes the route only when no other session still advertises it (else
     * the other session's route is programmed if it differs).
     */
    private void routes(final Channel c, final ChannelMessage.RouteUpdate update)
    {
        final Network net = networks.values().stream().filter(n -> n.instance().equals(update.instance()))
            .findFirst().orElse(null);
        if (net == null)
        {
            LOG.warn("routes for {}, which this node has no network for: ignored", update.instance());
            return;
        }
        final PeerMerge<String, RouteEntry> routes =
            learned.computeIfAbsent(net.vrf(), k -> new PeerMerge<>(MAX_SESSIONS));
        final List<RouteRequest> batch = new ArrayList<>(update.items().size());
        final List<RouteEntry> entries = new ArrayList<>(update.items().size());
        final List<PolicyTable.RouteNetwork> nets = new ArrayList<>(update.items().size() + update.retracts().size());
        final Set<String> own = ownPrefixes(net);
        for (final RouteEntry e : update.items())
        {
            if (own.contains(e.prefix()))
            {
                continue;
            }
            try
            {
                final RouteRequest add = install(net.vrf(), e);
                if (programmed(add).equals(rib.get(net.vrf(), e.prefix())))
                {
                    // The forwarder already has this route (from the other session, or a repeat): nothing to do.
                    routes.advertise(c.index, e.prefix(), e);
                    continue;
                }
                batch.add(add);
                entries.add(e);
            }
            catch (final RuntimeException ex)
            {
                LOG.error("cannot install {} in VRF {}: {}", e.prefix(), net.vrf(), ex.getMessage());
            }
        }
        final List<Response> responses = batch.isEmpty() ? List.of() : node.program(batch);
        for (int i = 0; i < responses.size(); i++)
        {
            final RouteEntry e = entries.get(i);
            if (responses.get(i).code() < 0)
            {
                LOG.error("cannot install {} in VRF {}: {} {}", e.prefix(), net.vrf(), responses.get(i).code(),
                    responses.get(i).message());
            }
            else
            {
                routes.advertise(c.index, e.prefix(), e);
                rib.put(net.vrf(), e.prefix(), programmed(batch.get(i)));
                nets.add(routeNetwork(e.prefix(), networkId(origin(e))));
            }
        }
        final List<PeerMerge.Change<String, RouteEntry>> fallbacks = new ArrayList<>();
        for (final String prefix : update.retracts())
        {
            final PeerMerge.Change<String, RouteEntry> change = routes.withdraw(c.index, prefix);
            if (change == null)
            {
                continue;
            }
            if (change.value() == null)
            {
                deleteRoute(net.vrf(), prefix);
                nets.add(routeNetwork(prefix, RouteNetworks.NONE));
            }
            else
            {
                fallbacks.add(change);
            }
        }
        nets.addAll(reinstall(net.vrf(), fallbacks));
        routeNetworks(net.vrf(), nets);
    }

    /** The network a route item names (its first next hop's {@code <virtual-network>}), or empty. */
    private static String origin(final RouteEntry e)
    {
        return e.nextHops().isEmpty() ? "" : e.nextHops().get(0).virtualNetwork();
    }

    /**
     * Programs the routes another session advertises in place of the ones a withdrawn or lost session did,
     * each only when the forwarder's route differs from it (so an identical route is never touched).
     *
     * @return the routes' networks, for the flow policy.
     */
    private List<PolicyTable.RouteNetwork> reinstall(final int vrf, final List<PeerMerge.Change<String, RouteEntry>>
        changes)
    {
        final List<PolicyTable.RouteNetwork> nets = new ArrayList<>();
        for (final PeerMerge.Change<String, RouteEntry> change : changes)
        {
            final RouteEntry e = change.value();
            try
            {
                final RouteRequest add = install(vrf, e);
                if (programmed(add).equals(rib.get(vrf, e.prefix())))
                {
                    continue;
                }
                final Response r = node.program(List.of(add)).get(0);
                if (r.code() < 0)
                {
                    LOG.error("cannot install {} in VRF {}: {} {}", e.prefix(), vrf, r.code(), r.message());
                    continue;
                }
                rib.put(vrf, e.prefix(), programmed(add));
                nets.add(routeNetwork(e.prefix(), networkId(origin(e))));
            }
            catch (final RuntimeException ex)
            {
                LOG.error("cannot install {} in VRF {}: {}", e.prefix(), vrf, ex.getMessage());
            }
        }
        return nets;
    }

    /** The id of a route's network (the item's {@code <virtual-network>}), or none when this node lacks it. */
    private int networkId(final String fqName)
    {
        final Network n = networks.get(fqName);
        return n == null ? RouteNetworks.NONE : n.id();
    }

    private static PolicyTable.RouteNetwork routeNetwork(final String prefix, final int network)
    {
        try
        {
            return new PolicyTable.RouteNetwork(PolicyTable.Cidr.parse(prefix), network);
        }
        catch (final IllegalArgumentException e)
        {
            // Not an IPv4 prefix: the flow policy matches IPv6 by network of the VRF only.
            return null;
        }
    }

    private void routeNetworks(final int vrf, final List<PolicyTable.RouteNetwork> list)
    {
        final List<PolicyTable.RouteNetwork> nets = list.stream().filter(java.util.Objects::nonNull).toList();
        if (!flowPolicy || nets.isEmpty())
        {
            return;
        }
        final Response r = node.routeNetworks(vrf, nets);
        if (r.code() < 0)
        {
            LOG.warn("route networks of VRF {} not set: {} {}", vrf, r.code(), r.message());
        }
    }

    /** The /32 prefixes of this node's own ports in a network's VRF (routes this node publishes). */
    private Set<String> ownPrefixes(final Network net)
    {
        final Set<String> out = new HashSet<>();
        for (final Port p : ports.values())
        {
            if (p.vrf() == net.vrf())
            {
                out.add(p.ip() + "/32");
            }
        }
        return out;
    }

    private RouteRequest install(final int vrf, final RouteEntry e)
    {
        final List<RouteNextHop> hops = e.nextHops();
        if (hops.size() == 1)
        {
            final RouteNextHop hop = hops.get(0);
            if (hop.address().equals(routerId))
            {
                return routeAdd(vrf, e.prefix(), localNh(hop.label()), ARP_PROXY, 0);
            }
            return routeAdd(vrf, e.prefix(), tunnel(hop.address()), LABEL_VALID | ARP_PROXY, hop.label());
        }
        final int[] members = new int[hops.size()];
        final int[] labels = new int[hops.size()];
        final StringBuilder key = new StringBuilder();
        for (int i = 0; i < hops.size(); i++)
        {
            final RouteNextHop hop = hops.get(i);
            members[i] = hop.address().equals(routerId) ? localNh(hop.label()) : tunnel(hop.address());
            labels[i] = hop.label();
            key.append(members[i]).append('/').append(labels[i]).append(',');
        }
        final Integer existing = composites.get(vrf + ":" + key);
        final int nh;
        if (existing != null)
        {
            nh = existing;
        }
        else
        {
            nh = nextNh++;
            program(Requests.nextHop(nh, NextHopType.COMPOSITE, vrf).family(AddressFamily.INET)
                .flags(NextHopFlags.VALID | NextHopFlags.COMPOSITE_ECMP).members(members, labels).build());
            composites.put(vrf + ":" + key, nh);
        }
        return routeAdd(vrf, e.prefix(), nh, ARP_PROXY, 0);
    }

    private int localNh(final int label)
    {
        return ports.values().stream().filter(p -> p.label() == label).findFirst()
            .orElseThrow(() -> new IllegalStateException("route via this node with label " + label +
                ", which no local pod has"))
            .nh();
    }

    private int tunnel(final String remote)
    {
        final Integer existing = tunnels.get(remote);
        if (existing != null)
        {
            return existing;
        }
        final int nh = nextNh++;
        final byte[] outer = Requests.l2Rewrite(UNDERLAY_PEER_MAC, FABRIC_MAC);
        program(Requests.nextHop(nh, NextHopType.TUNNEL, 0).family(AddressFamily.INET)
            .flags(NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS).oif(fabricVif).encap(outer)
            .tunnel(Requests.ipv4LittleEndian(routerId), Requests.ipv4LittleEndian(remote)).build());
        tunnels.put(remote, nh);
        LOG.info("tunnel next hop {} to {}", nh, remote);
        return nh;
    }

    private void addRoute(final int vrf, final String prefix, final int nh, final int flags, final int label)
    {
        final RouteRequest add = routeAdd(vrf, prefix, nh, flags, label);
        program(add);
        rib.put(vrf, prefix, programmed(add));
    }

    /** What a route add programs, as the RIB keeps it: next hop, label, label flags, stitched MAC. */
    private static Rib.Route programmed(final RouteRequest add)
    {
        return new Rib.Route(add.nhId(), add.label() == SandeshRecord.UNSET ? -1 : add.label(), add.labelFlags(),
            add.mac() == RouteRequest.NO_MAC ? 0 : add.mac());
    }

    private static RouteRequest routeAdd(final int vrf, final String prefix, final int nh, final int flags,
        final int label)
    {
        return Requests.route4(vrf, prefix, nh, (flags & LABEL_VALID) != 0 ? label : -1, flags);
    }

    /**
     * Deletes a route, its range falling back to the covering route in the RIB (Contrail's agent sends the
     * cover's length and data with the delete), or to discard when nothing covers it.
     */
    private void deleteRoute(final int vrf, final String prefix)
    {
        rib.remove(vrf, prefix);
        final Rib.Cover cover = rib.cover(vrf, prefix);
        final Response covered = node.program(List.of(withCover(Requests.route4Key(vrf, prefix).op(Op.DELETE),
            cover))).get(0);
        Response r = covered;
        if (covered.code() < 0 && cover != null)
        {
            // The forwarder refused the cover (its next hop has gone since it was programmed, say): the
            // route still goes, and its range is discard until the cover is programmed again.
            r = node.program(List.of(Requests.route4Key(vrf, prefix).op(Op.DELETE).build())).get(0);
            if (r.code() == 0)
            {
                LOG.warn("route delete {} in VRF {}: covering /{} via next hop {} refused ({} {}), the range is "
                    + "discard", prefix, vrf, cover.prefixLength(), cover.route().nh(), covered.code(),
                    covered.message());
            }
        }
        if (r.code() < 0 && r.code() != Errno.ENOENT)
        {
            LOG.warn("route delete {} in VRF {}: {} {}", prefix, vrf, r.code(), r.message());
        }
    }

    /** A route delete with the replacement fields of its cover ({@code rtr_replace_plen} and the cover's data). */
    private static RouteRequest withCover(final RouteRequest.Builder delete, final Rib.Cover cover)
    {
        if (cover == null)
        {
            return delete.build();
        }
        final Rib.Route route = cover.route();
        delete.replacePlen(cover.prefixLength()).nhId(route.nh()).labelFlags(route.labelFlags());
        if (route.label() >= 0)
        {
            delete.label(route.label());
        }
        if (route.mac() != 0)
        {
            delete.mac(route.mac());
        }
        return delete.build();
    }

    private void program(final SandeshRecord... requests)
    {
        final List<Response> responses = node.program(List.of(requests));
        for (int i = 0; i < responses.size(); i++)
        {
            if (responses.get(i).code() < 0)
            {
                throw new IllegalStateException(requests[i].struct() + " refused: " + responses.get(i).code() + " " +
                    responses.get(i).message());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static String required(final XmlElement n, final String field)
    {
        final String v = n.childText(field);
        if (v == null || v.isEmpty())
        {
            throw new IllegalStateException(n.attribute("type") + " " + n.childText("name") + " without " + field);
        }
        return v;
    }

    /**
     * The VRF of a routing instance, for views.
     *
     * @param instance the instance.
     * @return the VRF, or -1.
     */
    public int vrfOf(final String instance)
    {
        return networks.values().stream().filter(n -> n.instance().equals(instance)).mapToInt(Network::vrf)
            .findFirst().orElse(-1);
    }

    /**
     * Where the routes of a VRF came from, for the introspect: one path per control node that advertises a
     * learned route (as Contrail lists one path per peer; a stale route, kept after every session that had it
     * went away, shows those sessions' control nodes), {@code LocalVmPort} for this node's pods, {@code Local}
     * for the node's address and the networks' gateway and DNS. Call on the session's event loop (it reads
     * the agent's state).
     *
     * @param vrf the VRF.
     * @return {@code address/len} → peers.
     */
    public Map<String, List<RoutePeer>> routePeers(final int vrf)
    {
        final Map<String, List<RoutePeer>> out = new HashMap<>();
        if (vrf == 0)
        {
            out.put(routerId + "/32", List.of(RoutePeer.LOCAL));
        }
        final PeerMerge<String, RouteEntry> routes = learned.get(vrf);
        if (routes != null)
        {
            for (final String prefix : routes.keys())
            {
                final List<RoutePeer> peers = new ArrayList<>(MAX_SESSIONS);
                for (final int index : routes.holders(prefix))
                {
                    final String name = channels[index].peer;
                    peers.add(new RoutePeer(name.isEmpty() ? "controller" : name, 100));
                }
                out.put(prefix, peers.isEmpty() ? List.of(new RoutePeer("controller", 100)) : peers);
            }
        }
        for (final Network n : networks.values())
        {
            if (n.vrf() == vrf)
            {
                out.put(n.gateway() + "/32", List.of(RoutePeer.LOCAL));
                out.put(n.dns() + "/32", List.of(RoutePeer.LOCAL));
            }
        }
        for (final Port p : ports.values())
        {
            if (p.vrf() == vrf)
            {
                out.put(p.ip() + "/32", List.of(RoutePeer.LOCAL_VM_PORT));
            }
        }
        return out;
    }

    /**
     * Whether a learned route is kept only because no session withdrew it before going away (views, tests).
     * Call on the session's event loop.
     *
     * @param vrf    the VRF.
     * @param prefix {@code address/len}.
     * @return true when stale.
     */
    public boolean staleRoute(final int vrf, final String prefix)
    {
        final PeerMerge<String, RouteEntry> routes = learned.get(vrf);
        return routes != null && routes.stale(prefix);
    }

    /**
     * Policies received, for the flow policy.
     *
     * @return name → policy element.
     */
    public Map<String, XmlElement> policies()
    {
        return Map.copyOf(policies);
    }
}
