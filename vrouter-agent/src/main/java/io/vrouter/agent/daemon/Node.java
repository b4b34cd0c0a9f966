package io.vrouter.agent.daemon;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vrouter.agent.api.HostPort;
import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.PortSpec;
import io.vrouter.agent.api.NodeEndpoints;
import io.vrouter.agent.api.RouteOrigins;
import io.vrouter.agent.api.XmppPeers;
import io.vrouter.agent.counters.CounterFile;
import io.vrouter.agent.api.VrfName;
import io.vrouter.agent.fabric.FabricPort;
import io.vrouter.agent.fabric.FabricSender;
import io.vrouter.agent.port.IpCommands;
import io.vrouter.agent.port.PortException;
import io.vrouter.agent.port.TapPort;
import io.vrouter.agent.control.PortRequests;
import io.vrouter.agent.state.FlowReconciler;
import io.vrouter.agent.state.StateKeys;
import io.vrouter.agent.state.StateStore;
import io.vrouter.core.request.Parsed;
import io.vrouter.core.request.PortRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.VRouter;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.flow.FabricSnat;
import io.vrouter.core.flow.FlowAger;
import io.vrouter.core.flow.PolicyTable;
import io.vrouter.core.flow.ServiceTable;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.flow.FlowTableConfig;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.PodRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.iface.VifType;

/**
 * A running node: the forwarder's tables, the conductor (the one thread that programs them), the
 * forwarding workers, the pod ports and the fabric port; the {@link NodeService} the front ends use.
 * <p>
 * Pod ports are assigned to workers round-robin for receive. Removing a port takes its vif out of
 * the tables first, then its device out of the workers' lists, waits until every worker has
 * finished the cycle it was in, and only then closes the device.
 */
public final class Node implements NodeService, AutoCloseable
{
    private final Map<Integer, VrfName> vrfNames = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile RouteOrigins routeOrigins;
    private volatile XmppPeers xmppPeers;
    private volatile Function<PodRequest, Response> pods;

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,15}");
    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    /** The daemon's I/O counters, in the order {@link #ioCounters()} lists them. */
    private static final List<String> IO_COUNTERS = List.of("fabric_rx_datagrams", "fabric_rx_ring_full",
        "fabric_tx_datagrams", "fabric_tx_drops", "fabric_tx_super_frames", "fabric_tx_segments", "tx_no_port",
        "port_tx_drops", "port_rx_super_frames", "port_rx_bad_vnet", "port_tx_super_frames", "port_tx_segmented",
        "port_tx_segments", "port_tx_coalesced", "port_tx_coalesced_segments");
    private static final long QUIESCE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Frames the pod can queue towards the daemon (the TAP's ring) while a worker is descheduled. */
    private static final int POD_TX_QUEUE = 4096;

    private final DaemonConfig config;
    private final VRouterConfig tableConfig;
    private final VRouter vrouter;
    private final FlowTable flowTable;
    private final FlowAger ager;
    private final java.util.concurrent.ScheduledExecutorService agingTimer =
        Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "flow-aging-timer");
            t.setDaemon(true);
            return t;
        });
    private final ExecutorService conductor;
    private final AtomicReferenceArray<TapPort> portsByVif;
    private final Map<String, PortState> ports = new LinkedHashMap<>();
    private final Object portLock = new Object();
    private final List<ForwardingWorker> workers = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<WorkerIdle> idles = new ArrayList<>();
    private final StateStore store;
    /** Keys restored from the store that nothing has programmed since (conductor only). */
    private final java.util.Set<String> restored = new java.util.HashSet<>();
    /** Restored pod ports a node agent may adopt (under portLock). */
    private final java.util.Set<String> restoredPorts = new java.util.HashSet<>();
    private volatile int restoredNhCeiling;
    private FabricPort fabric;
    /** The host port ({@code vhost0}), or null (fabric.vhost empty); its TAP is not in {@link #ports}. */
    private volatile HostPort hostPort;
    private TapPort hostTap;
    private ForwardingWorker hostWorker;
    /** The fabric SNAT steering installed in the kernel: address, low, high (under hostLock), or null. */
    private String[] hostSnat;
    private boolean localRuleMoved;
    private final Object hostLock = new Object();
    private CounterFile counters;
    private volatile Thread conductorThread;
    private int nextWorker;

    private record PortState(PortSpec spec, TapPort tap, ForwardingWorker worker)
    {
    }

    /**
     * A node (not started).
     *
     * @param config the settings.
     * @throws StartupException when the settings are invalid.
     */
    public Node(final DaemonConfig config) throws StartupException
    {
        this.config = config;
        this.tableConfig = config.vrouterConfig();
        final Path stateDir = Path.of(config.string("paths.state"));
        final Path flowFile = stateDir.resolve("flows.tbl");
        try
        {
            Files.createDirectories(stateDir);
            this.flowTable = FlowTable.open(flowFile, FlowTableConfig.defaults());
        }
        catch (final IOException | RuntimeException e)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "flow table " + flowFile + ": " + e.getMessage()
                + " (move the file aside or delete it: flows are set up again by traffic)");
        }
        if (flowTable.repairedAtOpen() > 0)
        {
            LOG.warn("flow table {}: {} inconsistent entries repaired at open (unknown states freed, reverse-flow " +
                "indices out of range or not mutual dropped)", flowFile, flowTable.repairedAtOpen());
        }
        final Path storeFile = config.string("state.store").isEmpty() ? stateDir.resolve("state.log")
            : Path.of(config.string("state.store"));
        try
        {
            this.store = StateStore.open(storeFile, config.integer("state.entries"));
        }
        catch (final IOException | RuntimeException | LinkageError e)
        {
            flowTable.close();
            throw new StartupException(StartupException.EXIT_CONFIG, "state store " + storeFile + ": " + e.getMessage()
                + " (stop the daemon holding it, or move the file aside to start without stored state)");
        }
        if (store.openedHow().startsWith("REBUILT"))
        {
            LOG.warn("state store {}", store.openedHow());
        }
        this.vrouter = new VRouter(tableConfig, config.integer("workers.count"), flowTable, System::nanoTime);
        this.ager = vrouter.newFlowAger();
        this.portsByVif = new AtomicReferenceArray<>(tableConfig.interfaces());
        this.conductor = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "conductor");
            t.setDaemon(true);
            conductorThread = t;
            return t;
        });
    }

    /**
     * Whether a text is a dotted-quad IPv4 address (what {@code fabric.address} must be).
     *
     * @param address the text.
     * @return true when it is.
     */
    public static boolean isIpv4(final String address)
    {
        if (!IPV4.matcher(address).matches())
        {
            return false;
        }
        for (final String part : address.split("\\."))
        {
            if (Integer.parseInt(part) > 255)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Binds the fabric port and starts the workers.
     *
     * @throws StartupException when the fabric address cannot be bound.
     */
    public void start() throws StartupException
    {
        final String address = config.string("fabric.address");
        final InetAddress fabricAddress;
        try
        {
            if (!IPV4.matcher(address).matches())
            {
                throw new StartupException(StartupException.EXIT_CONFIG,
                    "fabric.address must be an IPv4 address, got '" + address + "'");
            }
            fabricAddress = InetAddress.getByName(address);
        }
        catch (final java.net.UnknownHostException e)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "fabric.address: " + e.getMessage());
        }
        final FabricPort port = new FabricPort(new InetSocketAddress(fabricAddress, config.integer("fabric.port")),
            config.integer("fabric.vif"));
        try
        {
            port.start();
        }
        catch (final Exception e)
        {
            throw new StartupException(StartupException.EXIT_FABRIC, "cannot bind the fabric port "
                + address + ":" + config.integer("fabric.port") + ": " + e.getMessage()
                + " (is the address on an interface of this namespace, and no other daemon using it?)");
        }
        fabric = port;
        StartupClock.mark("fabric");
        final int count = config.integer("workers.count");
        final java.nio.file.Path countersPath = config.string("paths.counters").isEmpty()
            ? NodeEndpoints.countersFor(java.nio.file.Path.of(config.string("paths.socket")).toAbsolutePath())
            : java.nio.file.Path.of(config.string("paths.counters")).toAbsolutePath();
        try
        {
            counters = CounterFile.create(countersPath, count, tableConfig.interfaces(), tableConfig.vrfs());
        }
        catch (final java.io.IOException | RuntimeException e)
        {
            throw new StartupException(StartupException.EXIT_COUNTERS,
                "cannot create the counters file " + countersPath + ": " + e.getMessage());
        }
        for (int i = 0; i < count; i++)
        {
            final ForwardingWorker w = new ForwardingWorker(i, vrouter.newForwarder(counters.counters(i)), portsByVif,
                fabric, i == 0, config.bool("pods.offloads"), count);
            final IdleStrategy idle;
            if (config.string("workers.idle").equals("adaptive"))
            {
                final FabricPort drained = i == 0 ? fabric : null;
                final WorkerIdle adaptive = new WorkerIdle(config.idleStrategy(), w, drained);
                w.wakeup(adaptive::wake);
                if (drained != null)
                {
                    drained.onReceive(adaptive::wake);
                }
                idles.add(adaptive);
                idle = adaptive;
            }
            else
            {
                idle = config.idleStrategy();
            }
            final AgentRunner runner = new AgentRunner(idle, t -> LOG.error("worker {} failed", w.roleName(), t),
                null, w);
            workers.add(w);
            runners.add(runner);
            AgentRunner.startOnThread(runner);
        }
        StartupClock.mark("workers");
        if (config.bool("state.restore"))
        {
            onConductor(() ->
            {
                restore();
                return null;
            });
            StartupClock.mark("restore");
            // The flows' check against the restored tables walks the whole flow table (hundreds of
            // milliseconds at a million entries): it runs next on the conductor, after the start has
            // returned, not in front of forwarding. Until then a flow whose next hop did not come back only
            // holds its slot: its key next hop is gone, so no packet can hit it.
            conductor.execute(this::reconcileRestored);
        }
        else
        {
            store.clear();
        }
        // After the restore: the overlay forwards again without the host port, whose set-up runs `ip`.
        if (!config.string("fabric.vhost").isEmpty())
        {
            startHostPort();
            StartupClock.mark("host port");
        }
        // Flow aging runs on the conductor, the tables' one writer: a slice every 100 ms, a full pass
        // over the table about every 5 s.
        final int slice = Math.max(1024, flowTable.totalEntries() / 50);
        agingTimer.scheduleAtFixedRate(() -> conductor.execute(() -> ager.scan(slice)), 100, 100,
            TimeUnit.MILLISECONDS);
        LOG.info("node {} started: {} worker(s), idle {}, fabric {}:{} on vif {}{}", config.string("node.name"), count,
            config.string("workers.idle"), address, config.integer("fabric.port"), config.integer("fabric.vif"),
            StartupClock.summary());
    }

    @Override
    public List<Response> program(final List<? extends SandeshRecord> requests)
    {
        return onConductor(() ->
        {
            final List<Response> out = new ArrayList<>(requests.size());
            for (final SandeshRecord r : requests)
            {
                out.add(apply(r));
            }
            return out;
        });
    }

    /**
     * Programs one request and records it in the state store when it changed state (conductor only):
     * an ADD stores the object under its key, a DELETE removes the key. Either claims a restored object.
     */
    private Response apply(final SandeshRecord r)
    {
        final Response response = vrouter.program(r);
        if (response.code() >= 0)
        {
            record(r);
        }
        return response;
    }

    private void record(final SandeshRecord r)
    {
        final String key = StateKeys.of(r);
        if (key == null)
        {
            return;
        }
        restored.remove(key);
        try
        {
            if (r.op() == io.vrouter.core.request.Op.DELETE)
            {
                store.remove(key);
            }
            else
            {
                store.put(key, r.toSandesh());
            }
        }
        catch (final RuntimeException e)
        {
            LOG.error("state store {}: cannot record {}: {} (forwarding is unaffected; a restart without the "
                + "controller would miss this change)", store.file(), key, e.toString());
        }
    }

    /**
     * Programs the forwarder from the state store (conductor, at start, workers running): the objects in
     * the order they were programmed, again for those whose references were programmed after them, until
     * a pass makes no progress; then re-attaches the pod ports' TAP devices and evicts the flows whose
     * next hops or interfaces did not come back. What cannot be restored is logged one line each and
     * dropped from the store.
     */
    private void restore()
    {
        final long t0 = System.nanoTime();
        final StateStore.Contents contents = store.entries();
        for (final String bad : contents.bad())
        {
            LOG.warn("state store {}: dropping an entry that does not decode: {}", store.file(), bad);
            store.remove(bad.substring(0, bad.indexOf(':')));
        }
        final List<StateStore.Entry> portEntries = new ArrayList<>();
        List<StateStore.Entry> pending = new ArrayList<>();
        for (final StateStore.Entry e : contents.entries())
        {
            (e.key().startsWith(StateKeys.PORT) ? portEntries : pending).add(e);
        }
        final Map<String, String> errors = new LinkedHashMap<>();
        int programmed = 0;
        while (!pending.isEmpty())
        {
            final List<StateStore.Entry> again = new ArrayList<>();
            for (final StateStore.Entry e : pending)
            {
                final Parsed p = Parsed.of(e.object());
                if (!p.ok() || !e.key().equals(StateKeys.of(p.record())))
                {
                    errors.put(e.key(), p.ok() ? "stored under the wrong key" : p.refusal().getMessage());
                    continue;
                }
                final Response r = vrouter.program(p.record());
                if (r.code() < 0)
                {
                    errors.put(e.key(), r.code() + " " + r.message());
                    again.add(e);
                }
                else
                {
                    errors.remove(e.key());
                    restored.add(e.key());
                    programmed++;
                    if (p.record() instanceof NextHopRequest nh)
                    {
                        restoredNhCeiling = Math.max(restoredNhCeiling, nh.id() + 1);
                    }
                }
            }
            if (again.size() == pending.size())
            {
                break;
            }
            pending = again;
        }
        for (final Map.Entry<String, String> e : errors.entrySet())
        {
            LOG.warn("state store {}: not restoring {}: {}", store.file(), e.getKey(), e.getValue());
            store.remove(e.getKey());
        }
        int attached = 0;
        synchronized (portLock)
        {
            for (final StateStore.Entry e : portEntries)
            {
                attached += reattach(e) ? 1 : 0;
            }
        }
        LOG.info("state restored from {} ({}): {} objects, {} of {} pod ports re-attached, {} entries refused, "
            + "in {} ms", store.file(), store.openedHow(), programmed, attached, portEntries.size(),
            errors.size() + contents.bad().size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Evicts the surviving flows whose next hop or interface did not come back (conductor, after the start). */
    private void reconcileRestored()
    {
        final long t0 = System.nanoTime();
        final int evicted = FlowReconciler.reconcile(flowTable, vrouter.tables());
        LOG.info("flows reconciled with the restored state: {} evicted (next hop or interface gone), in {} ms",
            evicted, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Re-attaches one stored pod port to its persistent TAP device in the pod's namespace. */
    private boolean reattach(final StateStore.Entry e)
    {
        final Parsed p = Parsed.of(e.object());
        if (!p.ok() || !(p.record() instanceof PortRequest pr) || !e.key().equals(StateKeys.of(pr)))
        {
            LOG.warn("state store {}: not restoring {}: {}", store.file(), e.key(),
                p.ok() ? "not a port" : p.refusal().getMessage());
            store.remove(e.key());
            return false;
        }
        final PortSpec spec = PortRequests.spec(pr);
        final int vif = spec.vifIndex();
        if (vif < 0 || vif >= tableConfig.interfaces() || vrouter.tables().interfaces().get(vif) == null)
        {
            LOG.warn("state store {}: not restoring port {}: its vif {} was not restored", store.file(), spec.name(),
                vif);
            store.remove(e.key());
            return false;
        }
        final TapPort tap;
        try
        {
            tap = TapPort.attach(spec.podIfName(), nsPath(spec.netns()), offloads(spec.name()));
        }
        catch (final PortException x)
        {
            LOG.warn("state store {}: port {} not re-attached ({} {} in {}: {}); its vif {} is removed",
                store.file(), spec.name(), spec.podIfName(), spec.addresses(), spec.netns(), x.getMessage(), vif);
            store.remove(e.key());
            apply(InterfaceRequest.delete(vif));
            return false;
        }
        publish(spec, tap, vif);
        restoredPorts.add(spec.name());
        restored.add(e.key());
        LOG.info("port {} re-attached: vif {}, {} {} in {}", spec.name(), vif, spec.podIfName(), spec.addresses(),
            spec.netns());
        return true;
    }

    private static Path nsPath(final String netns)
    {
        return netns.startsWith("/") ? Path.of(netns) : Path.of("/var/run/netns", netns);
    }

    /** Hands a port's device to a worker for receive and to every worker for send (under portLock). */
    private void publish(final PortSpec stored, final TapPort tap, final int vif)
    {
        tap.bind(vif);
        final ForwardingWorker w = workers.isEmpty() ? null : workers.get(nextWorker++ % workers.size());
        portsByVif.set(vif, tap);
        if (w != null)
        {
            final TapPort[] old = w.rxPorts();
            final TapPort[] now = Arrays.copyOf(old, old.length + 1);
            now[old.length] = tap;
            w.rxPorts(now);
        }
        ports.put(stored.name(), new PortState(stored, tap, w));
    }

    @Override
    public int restoredNextHopCeiling()
    {
        return restoredNhCeiling;
    }

    @Override
    public List<SandeshRecord> restoredLeftovers()
    {
        return onConductor(() ->
        {
            final List<String> keys = new ArrayList<>(restored);
            keys.sort(java.util.Comparator.comparingInt(StateKeys::removalRank).thenComparing(k -> k));
            final Map<String, SandeshRecord> byKey = new java.util.HashMap<>();
            for (final StateStore.Entry e : store.entries().entries())
            {
                final Parsed p = Parsed.of(e.object());
                if (p.ok())
                {
                    byKey.put(e.key(), p.record());
                }
            }
            final List<SandeshRecord> out = new ArrayList<>();
            for (final String k : keys)
            {
                final SandeshRecord r = byKey.get(k);
                if (r != null)
                {
                    out.add(r);
                }
            }
            return out;
        });
    }

    @Override
    public void restoredSwept()
    {
        synchronized (portLock)
        {
            restoredPorts.clear();
        }
        onConductor(() ->
        {
            final int left = restored.size();
            restored.clear();
            final int evicted = FlowReconciler.reconcile(flowTable, vrouter.tables());
            LOG.info("restored state swept after the controller's resync: {} objects not claimed by it were left "
                + "to its sweep, {} flows evicted (next hop or interface gone)", left, evicted);
            return null;
        });
    }

    private <T> T onConductor(final java.util.concurrent.Callable<T> task)
    {
        if (Thread.currentThread() == conductorThread)
        {
            try
            {
                return task.call();
            }
            catch (final Exception e)
            {
                throw new IllegalStateException(e);
            }
        }
        final Future<T> f = conductor.submit(task);
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return f.get();
                }
                catch (final InterruptedException e)
                {
                    interrupted = true;
                }
            }
        }
        catch (final ExecutionException e)
        {
            throw new IllegalStateException("conductor: " + e.getCause(), e.getCause());
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Response addPort(final PortSpec spec)
    {
        synchronized (portLock)
        {
            try
            {
                return doAddPort(spec);
            }
            catch (final PortException e)
            {
                LOG.warn("port add {} failed: {}", spec.name(), e.getMessage());
                return new Response(e.code(), e.getMessage(), List.of());
            }
        }
    }

    private Response doAddPort(final PortSpec spec) throws PortException
    {
        validate(spec);
        if (restoredPorts.contains(spec.name()))
        {
            final Response adopted = adopt(spec);
            if (adopted != null)
            {
                return adopted;
            }
        }
        if (ports.containsKey(spec.name()))
        {
            throw new PortException(Errno.EEXIST, "port " + spec.name() + " exists");
        }
        if (Files.exists(Path.of("/sys/class/net", spec.name())))
        {
            throw new PortException(Errno.EEXIST, "an interface named " + spec.name() + " exists on the node");
        }
        final Path nsPath = nsPath(spec.netns());
        if (!Files.exists(nsPath))
        {
            throw new PortException(Errno.ENOENT, "network namespace " + spec.netns() + " not found");
        }
        final int mtu = spec.mtu() == 0 ? 1500 : spec.mtu();
        final TapPort tap = TapPort.create(spec.name(), offloads(spec.name()));
        try
        {
            IpCommands.ip("link", "set", "dev", spec.name(), "netns", nsPath.toString());
            final String ns = spec.netns();
            IpCommands.ipIn(ns, "link", "set", "dev", spec.name(), "name", spec.podIfName());
            IpCommands.ipIn(ns, "link", "set", "dev", spec.podIfName(), "address", spec.mac(), "mtu",
                Integer.toString(mtu), "txqueuelen", Integer.toString(POD_TX_QUEUE));
            for (final String a : spec.addresses())
            {
                IpCommands.ipIn(ns, a.contains(":") ? "-6" : "-4", "addr", "add", a, "dev", spec.podIfName());
            }
            IpCommands.ipIn(ns, "link", "set", "dev", spec.podIfName(), "up");
            IpCommands.ipIn(ns, "link", "set", "dev", "lo", "up");
            if (!spec.gateway().isEmpty())
            {
                IpCommands.ipIn(ns, "route", "add", "default", "via", spec.gateway(), "dev", spec.podIfName());
            }
            final int[] vif = {-1};
            final Response added = onConductor(() ->
            {
                vif[0] = spec.vifIndex() >= 0 ? spec.vifIndex() : freeVif();
                if (vif[0] < 0)
                {
                    return new Response(Errno.ENOSPC, "no free vif index", List.of());
                }
                if (vrouter.tables().interfaces().get(vif[0]) != null)
                {
                    return new Response(Errno.EEXIST, "vif " + vif[0] + " is in use", List.of());
                }
                // Contrail's vif MAC for pod interfaces: the gateway MAC the pods send to (reference §1.2);
                // as Contrail's agent, the pod's IPv4 address and the VRF as the multicast VRF.
                final Response r = apply(InterfaceRequest.builder().idx(vif[0]).type(VifType.VIRTUAL)
                    .name(spec.name()).vrf(spec.vrf()).mcastVrf(spec.vrf()).ip(PortSpec.ipv4(spec.addresses()))
                    .mac(GATEWAY_MAC).mtu(mtu).flags(spec.vifFlags()).transport(0).build());
                if (r.code() < 0)
                {
                    return r;
                }
                return vrouter.program(InterfaceRequest.get(vif[0]));
            });
            if (added.code() < 0)
            {
                throw new PortException(added.code(), "vif for " + spec.name() + ": " + added.message());
            }
            final PortSpec stored = new PortSpec(spec.name(), spec.netns(), spec.podIfName(), spec.mac(),
                spec.addresses(), spec.gateway(), spec.vrf(), mtu, vif[0], spec.vifFlags());
            publish(stored, tap, vif[0]);
            onConductor(() ->
            {
                record(PortRequests.toRequest(stored));
                return null;
            });
            LOG.info("port {} added: vif {} in VRF {}, {} {} in {}", spec.name(), vif[0], spec.vrf(),
                spec.podIfName(), spec.addresses(), spec.netns());
            return added;
        }
        catch (final PortException | RuntimeException e)
        {
            tap.unpersist();
            tap.close();
            throw e;
        }
    }

    /**
     * A node agent adding a port the node restored from its store: when it is the same device (namespace,
     * interface name, MAC, addresses, gateway, MTU) the port is kept as it is, forwarding throughout, and
     * its vif is programmed again with the new VRF and flags (its next hop kept until the agent sets its
     * own); otherwise the restored port is removed and null returned, so the port is made anew.
     */
    private Response adopt(final PortSpec spec)
    {
        restoredPorts.remove(spec.name());
        final PortState p = ports.get(spec.name());
        if (p == null)
        {
            return null;
        }
        final PortSpec old = p.spec();
        final int mtu = spec.mtu() == 0 ? 1500 : spec.mtu();
        final boolean same = old.netns().equals(spec.netns()) && old.podIfName().equals(spec.podIfName())
            && old.mac().equalsIgnoreCase(spec.mac()) && old.addresses().equals(spec.addresses())
            && old.gateway().equals(spec.gateway()) && old.mtu() == mtu
            && (spec.vifIndex() < 0 || spec.vifIndex() == old.vifIndex());
        if (!same)
        {
            LOG.info("restored port {} differs from the one asked for ({} vs {}): making it anew", spec.name(), old,
                spec);
            deletePort(spec.name());
            return null;
        }
        final int vif = old.vifIndex();
        final Response added = onConductor(() ->
        {
            final Response got = vrouter.program(InterfaceRequest.get(vif));
            if (got.code() < 0 || got.objects().isEmpty())
            {
                return got;
            }
            final InterfaceRequest now = got.first(InterfaceRequest.class);
            final Response r = apply(InterfaceRequest.builder().idx(vif).type(VifType.VIRTUAL).name(spec.name())
                .vrf(spec.vrf()).mcastVrf(spec.vrf()).ip(PortSpec.ipv4(spec.addresses())).mac(GATEWAY_MAC).mtu(mtu)
                .flags(spec.vifFlags()).transport(0).nhId(now.nhId()).build());
            if (r.code() < 0)
            {
                return r;
            }
            return vrouter.program(InterfaceRequest.get(vif));
        });
        if (added.code() < 0)
        {
            LOG.warn("restored port {}: vif {} not reprogrammed ({} {}): making it anew", spec.name(), vif,
                added.code(), added.message());
            deletePort(spec.name());
            return null;
        }
        final PortSpec stored = new PortSpec(spec.name(), spec.netns(), spec.podIfName(), spec.mac(), spec.addresses(),
            spec.gateway(), spec.vrf(), mtu, vif, spec.vifFlags());
        ports.put(spec.name(), new PortState(stored, p.tap(), p.worker()));
        onConductor(() ->
        {
            record(PortRequests.toRequest(stored));
            return null;
        });
        LOG.info("port {} adopted from the restored state: vif {} in VRF {}", spec.name(), vif, spec.vrf());
        return added;
    }

    private int freeVif()
    {
        final int reserved = config.integer("fabric.vif");
        for (int i = 1; i < tableConfig.interfaces(); i++)
        {
            if (i != reserved && !isHostVif(i) && vrouter.tables().interfaces().get(i) == null
                && portsByVif.get(i) == null)
            {
                return i;
            }
        }
        return -1;
    }

    private void validate(final PortSpec spec) throws PortException
    {
        if (!IFNAME.matcher(spec.name()).matches())
        {
            throw new PortException(Errno.EINVAL, "port_name '" + spec.name() + "': 1 to 15 of [A-Za-z0-9_.-]");
        }
        if (!IFNAME.matcher(spec.podIfName()).matches())
        {
            throw new PortException(Errno.EINVAL, "port_ifname '" + spec.podIfName() + "': 1 to 15 of [A-Za-z0-9_.-]");
        }
        if (spec.netns().isEmpty() || ".".equals(spec.netns()) || "..".equals(spec.netns())
            || (!spec.netns().startsWith("/") && !IFNAME.matcher(spec.netns()).matches()
            && !spec.netns().matches("[A-Za-z0-9_.\\-]{1,64}")))
        {
            throw new PortException(Errno.EINVAL, "port_netns '" + spec.netns() + "': a name or an absolute path");
        }
        if (!MAC.matcher(spec.mac()).matches())
        {
            throw new PortException(Errno.EINVAL, "port_mac '" + spec.mac() + "': expected aa:bb:cc:dd:ee:ff");
        }
        for (final String a : spec.addresses())
        {
            final int slash = a.indexOf('/');
            final String ip = slash < 0 ? a : a.substring(0, slash);
            final boolean v4 = IPV4.matcher(ip).matches();
            if (!v4 && !IPV6.matcher(ip).matches())
            {
                throw new PortException(Errno.EINVAL, "port_ip '" + a + "': not an address in CIDR form");
            }
            if (slash >= 0)
            {
                final int len;
                try
                {
                    len = Integer.parseInt(a.substring(slash + 1));
                }
                catch (final NumberFormatException e)
                {
                    throw new PortException(Errno.EINVAL, "port_ip '" + a + "': bad prefix length");
                }
                if (len < 0 || len > (v4 ? 32 : 128))
                {
                    throw new PortException(Errno.EINVAL, "port_ip '" + a + "': bad prefix length");
                }
            }
        }
        if (!spec.gateway().isEmpty() && !IPV4.matcher(spec.gateway()).matches())
        {
            throw new PortException(Errno.EINVAL, "port_gw '" + spec.gateway() + "': expected an IPv4 address");
        }
        if (spec.mtu() != 0 && (spec.mtu() < 68 || spec.mtu() > tableConfig.maxFrame() - 14))
        {
            throw new PortException(Errno.EINVAL, "port_mtu " + spec.mtu() + ": 68.." + (tableConfig.maxFrame() - 14));
        }
        if (spec.vrf() < 0 || spec.vrf() >= tableConfig.vrfs())
        {
            throw new PortException(Errno.EINVAL, "port_vrf " + spec.vrf() + ": 0.." + (tableConfig.vrfs() - 1));
        }
        if (spec.vifIndex() < -1 || spec.vifIndex() >= tableConfig.interfaces()
            || spec.vifIndex() == config.integer("fabric.vif") || isHostVif(spec.vifIndex()))
        {
            throw new PortException(Errno.EINVAL, "port_vif_idx " + spec.vifIndex() + ": -1 or a free vif index");
        }
    }

    @Override
    public Response deletePort(final String name)
    {
        synchronized (portLock)
        {
            final PortState p = ports.get(name);
            if (p == null)
            {
                return new Response(Errno.ENOENT, "no port " + name, List.of());
            }
            final int vif = p.spec().vifIndex();
            final Response r = onConductor(() ->
            {
                record(PortRequest.named(io.vrouter.core.request.Op.DELETE, name));
                return apply(InterfaceRequest.delete(vif));
            });
            if (r.code() < 0 && r.code() != Errno.ENOENT)
            {
                LOG.warn("port delete {}: vif {} delete answered {} {}", name, vif, r.code(), r.message());
            }
            portsByVif.set(vif, null);
            if (p.worker() != null)
            {
                final List<TapPort> keep = new ArrayList<>(Arrays.asList(p.worker().rxPorts()));
                keep.remove(p.tap());
                p.worker().rxPorts(keep.toArray(new TapPort[0]));
            }
            quiesce();
            p.tap().unpersist();
            p.tap().close();
            ports.remove(name);
            restoredPorts.remove(name);
            LOG.info("port {} deleted (vif {})", name, vif);
            return Response.ok();
        }
    }

    /** Waits until every running worker has finished the cycle it was in. */
    private void quiesce()
    {
        final long[] start = new long[workers.size()];
        for (int i = 0; i < start.length; i++)
        {
            start[i] = workers.get(i).cycles();
        }
        final long deadline = System.nanoTime() + QUIESCE_TIMEOUT_NANOS;
        for (int i = 0; i < start.length; i++)
        {
            while (workers.get(i).cycles() < start[i] + 2 && !runners.get(i).isClosed()
                && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ host port

    /** The kernel side's MAC on the host port (locally administered; only ever seen on that link). */
    private static final long HOST_KERNEL_MAC = 0x02000000fa01L;
    /** The link-local next hop the kernel routes through the host port (Contrail's vhost0 gateway is similar). */
    private static final String HOST_NEIGHBOR = "169.254.0.1";
    /** The kernel routing table holding the fabric SNAT replies' route to the host port. */
    static final String SNAT_TABLE = "6635";
    /** Preference of the rules steering fabric SNAT replies; the local table's rule moves behind them. */
    static final String SNAT_RULE_PREF = "100";
    static final String LOCAL_RULE_PREF = "200";

    private boolean isHostVif(final int vif)
    {
        return !config.string("fabric.vhost").isEmpty() && vif == config.integer("fabric.vhost-vif");
    }

    /**
     * Creates the host port: a TAP in the daemon's own namespace (not persistent: it goes with the daemon, and
     * the kernel routes through it with it), up, with the kernel side's MAC, a permanent neighbour for the
     * link-local next hop with the forwarder's MAC, and the device's own settings: accept_local (the replies'
     * translated packets carry the node's own address as their source), rp_filter off, no IPv6. Its frames go
     * to a worker like a pod port's; the node agent programs its vif, next hop and routes.
     */
    private void startHostPort() throws StartupException
    {
        final String name = config.string("fabric.vhost");
        final int vif = config.integer("fabric.vhost-vif");
        final TapPort tap;
        try
        {
            if (Files.exists(Path.of("/sys/class/net", name)))
            {
                // A daemon that died before closing it left nothing (not persistent), so this is someone else's.
                throw new PortException(Errno.EEXIST, "an interface named " + name + " exists on the node");
            }
            tap = TapPort.create(name);
        }
        catch (final PortException e)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "fabric.vhost " + name + ": " + e.getMessage());
        }
        try
        {
            tap.unpersist();
            IpCommands.ip("link", "set", "dev", name, "address", io.vrouter.wire.MacAddress.format(HOST_KERNEL_MAC),
                "mtu", "1500", "up");
            sysctl("net/ipv4/conf/" + name + "/accept_local", "1");
            sysctl("net/ipv4/conf/" + name + "/rp_filter", "0");
            sysctl("net/ipv6/conf/" + name + "/disable_ipv6", "1");
            IpCommands.ip("neigh", "replace", HOST_NEIGHBOR, "lladdr", io.vrouter.wire.MacAddress.format(GATEWAY_MAC),
                "dev", name, "nud", "permanent");
        }
        catch (final PortException e)
        {
            tap.close();
            throw new StartupException(StartupException.EXIT_CONFIG, "fabric.vhost " + name + ": " + e.getMessage());
        }
        tap.bind(vif);
        final ForwardingWorker w = workers.get(nextWorker++ % workers.size());
        portsByVif.set(vif, tap);
        final TapPort[] old = w.rxPorts();
        final TapPort[] now = Arrays.copyOf(old, old.length + 1);
        now[old.length] = tap;
        w.rxPorts(now);
        hostTap = tap;
        hostWorker = w;
        hostPort = new HostPort(name, vif, HOST_KERNEL_MAC, HOST_NEIGHBOR);
        final String forwarding = readSysctl("net/ipv4/ip_forward");
        if (!"1".equals(forwarding))
        {
            LOG.warn("host port {}: net.ipv4.ip_forward is {} in this namespace: the kernel will not route fabric"
                + " forwarding and SNAT packets between {} and the underlay (sysctl -w net.ipv4.ip_forward=1)",
                name, forwarding, name);
        }
        LOG.info("host port {} (vif {}): plain IP between the fabric VRF and this namespace's kernel", name, vif);
    }

    private static void sysctl(final String key, final String value) throws PortException
    {
        try
        {
            Files.writeString(Path.of("/proc/sys", key), value);
        }
        catch (final IOException e)
        {
            throw new PortException(Errno.EINVAL, "sysctl " + key.replace('/', '.') + "=" + value + ": " + e);
        }
    }

    private static String readSysctl(final String key)
    {
        try
        {
            return Files.readString(Path.of("/proc/sys", key)).strip();
        }
        catch (final IOException e)
        {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private void closeHostPort()
    {
        synchronized (hostLock)
        {
            if (hostSnat != null)
            {
                removeSnatRules();
            }
            final TapPort tap = hostTap;
            if (tap == null)
            {
                return;
            }
            portsByVif.set(tap.vifIndex(), null);
            if (hostWorker != null)
            {
                final List<TapPort> keep = new ArrayList<>(Arrays.asList(hostWorker.rxPorts()));
                keep.remove(tap);
                hostWorker.rxPorts(keep.toArray(new TapPort[0]));
            }
            tap.close();
            hostTap = null;
            hostPort = null;
        }
    }

    @Override
    public HostPort hostPort()
    {
        return hostPort;
    }

    @Override
    public Response hostRoute(final String prefix, final boolean add)
    {
        final HostPort h = hostPort;
        if (h == null)
        {
            return NodeService.super.hostRoute(prefix, add);
        }
        try
        {
            if (!IPV4.matcher(prefix.substring(0, Math.max(0, prefix.indexOf('/')))).matches())
            {
                throw new PortException(Errno.EINVAL, "host route " + prefix + ": not an IPv4 prefix");
            }
            if (add)
            {
                IpCommands.ip("route", "replace", prefix, "via", h.neighbor(), "dev", h.name(), "onlink");
            }
            else
            {
                IpCommands.ip("route", "del", prefix, "dev", h.name());
            }
            return Response.ok();
        }
        catch (final PortException e)
        {
            return new Response(e.code(), e.getMessage(), List.of());
        }
    }

    @Override
    public Response hostSnatPorts(final String address, final int low, final int high)
    {
        final HostPort h = hostPort;
        if (h == null)
        {
            return NodeService.super.hostSnatPorts(address, low, high);
        }
        synchronized (hostLock)
        {
            boolean installing = false;
            try
            {
                if (low == 0 && high == 0)
                {
                    if (hostSnat != null)
                    {
                        removeSnatRules();
                    }
                    return Response.ok();
                }
                if (!IPV4.matcher(address).matches() || low < 1 || high > 65535 || low > high)
                {
                    throw new PortException(Errno.EINVAL, "fabric snat steering: " + address + " " + low + "-" + high
                        + " is not an IPv4 address and a port range within 1..65535");
                }
                final String underlay = deviceOf(address);
                final String[] want = {address, Integer.toString(low), Integer.toString(high), underlay};
                if (hostSnat != null)
                {
                    if (Arrays.equals(hostSnat, want))
                    {
                        return Response.ok();
                    }
                    removeSnatRules();
                }
                // Replies to the node's address are local to the kernel: the rules that send them to the host port
                // must come before the local table's, which moves from preference 0 to behind them (as other
                // dataplanes that steer local traffic do); it goes back when the rules go.
                if (!localRuleMoved)
                {
                    // A daemon killed before its cleanup may have left the rules (its device went with it).
                    while (IpCommands.ipOutput("rule", "show", "pref", SNAT_RULE_PREF).contains("lookup " + SNAT_TABLE))
                    {
                        IpCommands.ip("rule", "del", "pref", SNAT_RULE_PREF);
                    }
                    if (!IpCommands.ipOutput("rule", "show", "pref", LOCAL_RULE_PREF).contains("lookup local"))
                    {
                        IpCommands.ip("rule", "add", "pref", LOCAL_RULE_PREF, "lookup", "local");
                    }
                    if (IpCommands.ipOutput("rule", "show", "pref", "0").contains("lookup local"))
                    {
                        IpCommands.ip("rule", "del", "pref", "0", "lookup", "local");
                    }
                    localRuleMoved = true;
                }
                IpCommands.ip("route", "replace", "default", "via", h.neighbor(), "dev", h.name(), "onlink", "table",
                    SNAT_TABLE);
                hostSnat = want;
                installing = true;
                for (final String proto : List.of("tcp", "udp"))
                {
                    IpCommands.ip("rule", "add", "pref", SNAT_RULE_PREF, "to", address + "/32", "ipproto", proto,
                        "dport", low + "-" + high, "lookup", SNAT_TABLE);
                }
                // Echo replies carry no port the kernel can match: every ICMP packet to the address that comes in
                // from the underlay goes to the host port; the forwarder gives a translated flow's to its pod and
                // writes the rest (the node's own) back into the host port, where no rule matches (iif) and the
                // kernel delivers it locally. Never from the host port itself: that would loop.
                if (underlay.isEmpty())
                {
                    LOG.warn("fabric SNAT: {} is on no interface of this namespace: pods' pings through SNAT are"
                        + " not answered (ICMP not steered)", address);
                }
                else
                {
                    IpCommands.ip("rule", "add", "pref", SNAT_RULE_PREF, "iif", underlay, "to", address + "/32",
                        "ipproto", "icmp", "lookup", SNAT_TABLE);
                }
                LOG.info("fabric SNAT replies to {} ports {}-{} (tcp, udp){} steered to {}", address, low, high,
                    underlay.isEmpty() ? "" : " and ICMP from " + underlay, h.name());
                return Response.ok();
            }
            catch (final PortException e)
            {
                if (installing)
                {
                    // What was added of this request goes again (the previous steering went before it).
                    removeSnatRules();
                }
                LOG.warn("fabric SNAT steering not installed: {}", e.getMessage());
                return new Response(e.code(), e.getMessage(), List.of());
            }
        }
    }

    /**
     * The interface holding an IPv4 address in this namespace (the underlay's, for the node's fabric address).
     *
     * @return its name, or empty when no interface has the address.
     */
    private static String deviceOf(final String address) throws PortException
    {
        // "2: eth0    inet 192.168.100.11/24 brd 192.168.100.255 scope global eth0\ ..."
        for (final String line : IpCommands.ipOutput("-o", "-4", "addr", "show").split("\n"))
        {
            final String[] f = line.trim().split("\\s+");
            if (f.length > 3 && "inet".equals(f[2]) && f[3].startsWith(address + "/"))
            {
                final String name = f[1];
                final int at = name.indexOf('@');
                return at < 0 ? name : name.substring(0, at);
            }
        }
        return "";
    }

    /** Removes the SNAT rules, their table's route and puts the local rule back (under hostLock). */
    private void removeSnatRules()
    {
        final String[] s = hostSnat;
        hostSnat = null;
        for (final String proto : List.of("tcp", "udp"))
        {
            quietly("rule", "del", "pref", SNAT_RULE_PREF, "to", s[0] + "/32", "ipproto", proto, "dport",
                s[1] + "-" + s[2], "lookup", SNAT_TABLE);
        }
        if (!s[3].isEmpty())
        {
            quietly("rule", "del", "pref", SNAT_RULE_PREF, "iif", s[3], "to", s[0] + "/32", "ipproto", "icmp",
                "lookup", SNAT_TABLE);
        }
        quietly("route", "flush", "table", SNAT_TABLE);
        if (localRuleMoved)
        {
            quietly("rule", "add", "pref", "0", "lookup", "local");
            quietly("rule", "del", "pref", LOCAL_RULE_PREF, "lookup", "local");
            localRuleMoved = false;
        }
    }

    private static void quietly(final String... args)
    {
        try
        {
            IpCommands.ip(args);
        }
        catch (final PortException e)
        {
            LOG.warn("host port cleanup: {}", e.getMessage());
        }
    }

    @Override
    public Response programFabricSnat(final FabricSnat.Config c)
    {
        return policyChange(() -> vrouter.policy().fabricSnat().program(c));
    }

    @Override
    public List<PortSpec> ports()
    {
        synchronized (portLock)
        {
            final List<PortSpec> out = new ArrayList<>();
            for (final PortState p : ports.values())
            {
                out.add(p.spec());
            }
            return out;
        }
    }

    @Override
    public Response programPolicy(final List<PolicyTable.Network> networks, final List<PolicyTable.Rule> rules)
    {
        return policyChange(() -> vrouter.policy().program(networks, rules));
    }

    @Override
    public Response routeNetworks(final int vrf, final List<PolicyTable.RouteNetwork> routes)
    {
        final List<PolicyTable.RouteNetwork> copy = List.copyOf(routes);
        return policyChange(() -> vrouter.policy().updateRoutes(vrf, copy));
    }

    @Override
    public Response programServices(final List<ServiceTable.Entry> entries)
    {
        final List<ServiceTable.Entry> copy = List.copyOf(entries);
        return policyChange(() -> vrouter.policy().services().program(copy));
    }

    @Override
    public Response clearRouteNetworks(final int vrf)
    {
        return policyChange(() -> vrouter.policy().clearRoutes(vrf));
    }

    /** A change of the flow policy that may be refused (a {@link RequestException}). */
    @FunctionalInterface
    private interface PolicyChange
    {
        void apply() throws RequestException;
    }

    /** Applies a change of the flow policy on the conductor; a refusal becomes its error response. */
    private Response policyChange(final PolicyChange change)
    {
        return onConductor(() ->
        {
            try
            {
                change.apply();
                return Response.ok();
            }
            catch (final RequestException e)
            {
                return Response.error(e);
            }
        });
    }

    @Override
    public void nameVrf(final int vrf, final VrfName name)
    {
        if (name == null)
        {
            vrfNames.remove(vrf);
        }
        else
        {
            vrfNames.put(vrf, name);
        }
    }

    @Override
    public Map<Integer, VrfName> vrfNames()
    {
        return Map.copyOf(vrfNames);
    }

    @Override
    public void attachPods(final Function<PodRequest, Response> handler)
    {
        this.pods = handler;
    }

    @Override
    public Response pod(final PodRequest request)
    {
        final Function<PodRequest, Response> handler = pods;
        return handler == null ? NodeService.super.pod(request) : handler.apply(request);
    }

    @Override
    public void attachRouteOrigins(final RouteOrigins origins)
    {
        this.routeOrigins = origins;
    }

    @Override
    public RouteOrigins routeOrigins()
    {
        return routeOrigins;
    }

    @Override
    public void attachXmppPeers(final XmppPeers peers)
    {
        this.xmppPeers = peers;
    }

    @Override
    public XmppPeers xmppPeers()
    {
        return xmppPeers;
    }

    @Override
    public VRouter vrouter()
    {
        return vrouter;
    }

    @Override
    public java.nio.file.Path stateFile()
    {
        return store.file().toAbsolutePath();
    }

    @Override
    public java.nio.file.Path countersFile()
    {
        final CounterFile c = counters;
        return c == null ? null : c.path();
    }

    /**
     * Whether a pod port's TAP takes offloads: {@code pods.offloads}, unless the port's name is in
     * {@code pods.offloads-except} (a comma-separated list).
     *
     * @param port the port's name.
     * @return true for offloads.
     */
    private boolean offloads(final String port)
    {
        if (!config.bool("pods.offloads"))
        {
            return false;
        }
        for (final String name : config.string("pods.offloads-except").split(","))
        {
            if (name.trim().equals(port))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Daemon-level counters that the forwarder does not keep (fabric socket, port devices).
     *
     * @return name to value.
     */
    @Override
    public Map<String, Long> ioCounters()
    {
        final Map<String, Long> m = new LinkedHashMap<>();
        for (final String name : IO_COUNTERS)
        {
            m.put(name, 0L);
        }
        m.put("fabric_rx_datagrams", fabric == null ? 0 : fabric.rxDatagrams());
        m.put("fabric_rx_ring_full", fabric == null ? 0 : fabric.rxRingFull());
        for (final ForwardingWorker w : workers)
        {
            m.merge("tx_no_port", w.txNoPort(), Long::sum);
            final FabricSender s = w.sender();
            if (s != null)
            {
                m.merge("fabric_tx_datagrams", s.sent(), Long::sum);
                m.merge("fabric_tx_drops", s.drops(), Long::sum);
                m.merge("fabric_tx_super_frames", s.superFrames(), Long::sum);
                m.merge("fabric_tx_segments", s.segments(), Long::sum);
            }
        }
        synchronized (portLock)
        {
            for (final PortState p : ports.values())
            {
                final TapPort t = p.tap();
                m.merge("port_tx_drops", t.txDrops(), Long::sum);
                m.merge("port_rx_super_frames", t.rxSuperFrames(), Long::sum);
                m.merge("port_rx_bad_vnet", t.rxBadVnet(), Long::sum);
                m.merge("port_tx_super_frames", t.txSuperFrames(), Long::sum);
                m.merge("port_tx_segmented", t.txSegmented(), Long::sum);
                m.merge("port_tx_segments", t.txSegments(), Long::sum);
                m.merge("port_tx_coalesced", t.txCoalesced(), Long::sum);
                m.merge("port_tx_coalesced_segments", t.txCoalescedSegments(), Long::sum);
            }
        }
        return m;
    }

    private String dropSummary()
    {
        final StringBuilder sb = new StringBuilder();
        for (final ForwardingWorker w : workers)
        {
            sb.append(sb.length() == 0 ? "" : "; ").append(w.roleName()).append(": ")
                .append(w.forwarder().dropSummary());
        }
        return sb.toString();
    }

    /**
     * Stops the workers, closes the pod ports (their devices stay, persistent and without carrier, for the
     * next start to re-attach: the state store still lists them), the fabric port and the store.
     */
    @Override
    public void close()
    {
        agingTimer.shutdownNow();
        for (final AgentRunner r : runners)
        {
            r.close();
        }
        idles.forEach(WorkerIdle::close);
        LOG.info("node {} I/O counters at stop: {}; forwarder drops: {}", config.string("node.name"), ioCounters(),
            dropSummary());
        synchronized (portLock)
        {
            for (final PortState p : ports.values())
            {
                portsByVif.set(p.spec().vifIndex(), null);
                p.tap().close();
            }
            ports.clear();
        }
        closeHostPort();
        if (fabric != null)
        {
            fabric.close();
        }
        if (counters != null)
        {
            counters.close();
        }
        conductor.shutdown();
        try
        {
            conductor.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        flowTable.close();
        store.close();
        LOG.info("node {} stopped", config.string("node.name"));
    }
}
