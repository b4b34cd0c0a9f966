package io.vrouter.tools.controller;

import io.vrouter.agent.introspect.PrometheusText;
import io.vrouter.xmpp.ChannelMessage;
import io.vrouter.xmpp.ContrailXmpp;
import io.vrouter.xmpp.ControllerSession;
import io.vrouter.xmpp.NodeChannelListener;
import io.vrouter.xmpp.RouteEntry;
import io.vrouter.xmpp.RouteNextHop;
import io.vrouter.xmpp.XmlElement;
import io.vrouter.xmpp.XmppProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * The reference control node: holds the {@link Cluster} model, pushes each node the configuration
 * it needs, keeps the routes nodes publish per routing instance, reflects them to every node
 * subscribed to the instance, and leaks them into the instances of networks connected by a policy
 * (same next hop, label and encapsulations; the origin network kept, reference §6).
 * <p>
 * Overview: every entry point is {@code synchronized}; the controller is a control-plane object
 * whose callers are the node sessions' event loops and the admin API. For each (node, instance) the
 * controller remembers what it last sent, so a change is sent as the difference: route publishes
 * resync one prefix, a policy or manifest change resyncs whole instances. A node that goes away has
 * its routes withdrawn from the others (no graceful-restart helper mode, Contrail's default); the
 * nodes themselves keep forwarding on their last state when the controller goes away.
 */
public final class Controller implements NodeChannelListener
{
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    /** Routes per {@code items} message: about 500 KB of XML, well under a node's stanza limit. */
    private static final int ROUTES_PER_MESSAGE = 1024;
    /** Subscriptions a node may hold, with a shared store, to instances not in this replica's model yet. */
    private static final int MAX_PENDING_SUBSCRIPTIONS = 64;

    private final Cluster cluster;
    private final ClusterStore store;
    private final ScheduledExecutorService registrar;
    private final Set<String> registering = new HashSet<>();
    private long modelVersion = -1;
    private final Map<String, Map<String, Map<String, RouteEntry>>> rib = new HashMap<>();
    private final Map<String, ControllerSession> sessions = new LinkedHashMap<>();
    private final Map<String, Map<String, Integer>> subscriptions = new HashMap<>();
    private final Map<String, Map<String, Map<String, RouteEntry>>> sent = new HashMap<>();
    private final Map<String, Map<String, XmlElement>> sentConfig = new HashMap<>();
    private final ConfigSchema.Cache configCache = new ConfigSchema.Cache();
    private final Map<String, Map<String, Set<String>>> dirty = new HashMap<>();
    private final Map<String, List<String>> leakSources = new HashMap<>();
    private final Map<String, Set<String>> refreshed = new HashMap<>();
    private final Set<String> endOfRibFrom = new HashSet<>();
    private final Set<String> endOfRibOwed = new LinkedHashSet<>();
    private final long endOfRibDeadline;
    private String netnsPrefix = "pod-";
    private long configSequence;
    private long sessionsUp;
    private long sessionsDown;
    private long routeAdds;
    private long routeWithdraws;

    /**
     * A controller.
     *
     * @param cluster   the model (loaded from the state file, or new).
     * @param stateFile where the model is saved after every change, or null for none.
     */
    public Controller(final Cluster cluster, final Path stateFile)
    {
        this(cluster, stateFile, 0);
    }

    /**
     * A controller that holds back end-of-RIB after a restart.
     * <p>
     * A node sweeps the routes it did not get again once it receives end-of-RIB. After a controller
     * restart the RIB fills only as the nodes re-publish, so end-of-RIB goes to a node only when every
     * node of the saved state has sent its own end-of-RIB, or once the grace time has passed.
     *
     * @param cluster    the model.
     * @param stateFile  where the model is saved, or null.
     * @param graceNanos how long after start end-of-RIB may wait for the other nodes.
     */
    public Controller(final Cluster cluster, final Path stateFile, final long graceNanos)
    {
        this(cluster, new FileClusterStore(cluster, stateFile), graceNanos);
    }

    /**
     * A controller whose model lives in a store (a file, or etcd shared with other controllers): it follows
     * every model the store commits, its own changes and, for a shared store, other controllers'.
     *
     * @param store      the store (the controller does not close it).
     * @param graceNanos how long after start end-of-RIB may wait for the other nodes.
     */
    public Controller(final ClusterStore store, final long graceNanos)
    {
        this(new Cluster(), store, graceNanos);
    }

    private Controller(final Cluster cluster, final ClusterStore store, final long graceNanos)
    {
        this.cluster = cluster;
        this.store = store;
        this.endOfRibDeadline = System.nanoTime() + graceNanos;
        this.registrar = store.local() ? null : Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "controller-registrar");
            t.setDaemon(true);
            return t;
        });
        store.start(this::modelChanged);
    }

    /**
     * Takes a model the store committed (this controller's change or, on a shared store, another's) and
     * pushes what it changes to the nodes: configuration, and the routes of instances whose leaks changed.
     *
     * @param model   the model (not changed by anyone afterwards).
     * @param version the store's version of it; older ones than the last taken are ignored.
     */
    private synchronized void modelChanged(final Cluster model, final long version)
    {
        if (version <= modelVersion)
        {
            return;
        }
        modelVersion = version;
        cluster.replaceWith(model);
        changed();
    }

    // ------------------------------------------------------------------------------------------ admin

    /**
     * Applies manifests (all or nothing) and pushes the result to the nodes.
     *
     * @param resources        objects.
     * @param defaultNamespace namespace for objects without one.
     * @return kubectl-style lines.
     */
    public List<String> apply(final List<Resource> resources, final String defaultNamespace)
    {
        return store.update(c -> c.apply(resources, defaultNamespace));
    }

    /**
     * Deletes manifests (all or nothing) and pushes the result to the nodes.
     *
     * @param resources        objects.
     * @param defaultNamespace namespace for objects without one.
     * @return kubectl-style lines.
     */
    public List<String> delete(final List<Resource> resources, final String defaultNamespace)
    {
        return store.update(c -> c.delete(resources, defaultNamespace));
    }

    /**
     * Brings the model up to every change committed before the call (a shared store; see {@link ClusterStore#sync}).
     *
     * @return null when current, else why the model may be stale.
     */
    public String sync()
    {
        return store.sync();
    }

    /**
     * A copy of the model as this controller has it now.
     *
     * @return the copy.
     */
    synchronized Cluster snapshot()
    {
        return cluster.copy();
    }

    /**
     * Where the model lives.
     *
     * @return the store.
     */
    public ClusterStore store()
    {
        return store;
    }

    /**
     * {@code get pods -o wide}.
     *
     * @return the table.
     */
    public synchronized String pods()
    {
        return Tables.pods(cluster, sessions.keySet());
    }

    /**
     * Sets the prefix of pods' network namespace names (the lab uses its own so that it can clean up).
     *
     * @param prefix the prefix.
     */
    public synchronized void netnsPrefix(final String prefix)
    {
        this.netnsPrefix = prefix;
    }

    /**
     * {@code get nodes}: NAME, STATUS.
     *
     * @return the table.
     */
    public synchronized String nodes()
    {
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "STATUS"));
        for (final String n : cluster.nodes())
        {
            rows.add(List.of(n, sessions.containsKey(n) ? "Ready" : "NotReady"));
        }
        return Tables.render(rows);
    }

    /**
     * {@code get networks}.
     *
     * @return the table.
     */
    public synchronized String networks()
    {
        return Tables.networks(cluster);
    }

    /**
     * {@code get services}.
     *
     * @return the table.
     */
    public synchronized String services()
    {
        return Tables.services(cluster);
    }

    /**
     * The routes of an instance as the controller holds them (best path per prefix, with leaks).
     *
     * @param instance routing instance.
     * @return prefix → route.
     */
    public synchronized Map<String, RouteEntry> routes(final String instance)
    {
        final Map<String, RouteEntry> out = new TreeMap<>();
        for (final String prefix : prefixes(instance))
        {
            final RouteEntry e = desired(instance, prefix);
            if (e != null)
            {
                out.put(prefix, e);
            }
        }
        return out;
    }

    /**
     * The controller's counters in the Prometheus text format (the admin port's {@code /metrics}): nodes,
     * sessions, pods, networks, routes per routing instance, route updates received.
     *
     * @return the exposition.
     */
    public synchronized String metrics()
    {
        final PrometheusText t = new PrometheusText();
        t.gauge("vrouter_controller_nodes", "Nodes in the model.").sample(cluster.nodes().size());
        t.gauge("vrouter_controller_nodes_connected", "Nodes with an XMPP session up.").sample(sessions.size());
        t.counter("vrouter_controller_sessions_established_total", "XMPP sessions from nodes that came up.")
            .sample(sessionsUp);
        t.counter("vrouter_controller_sessions_closed_total", "XMPP sessions from nodes that went down.")
            .sample(sessionsDown);
        t.gauge("vrouter_controller_pods", "Pods in the model.").sample(cluster.pods().size());
        t.gauge("vrouter_controller_networks", "Virtual networks in the model.").sample(cluster.networks().size());
        t.gauge("vrouter_controller_routes", "Prefixes nodes have published, per routing instance (leaks not "
            + "counted).");
        for (final String instance : new java.util.TreeSet<>(rib.keySet()))
        {
            t.sample(rib.get(instance).size(), "instance", instance);
        }
        t.counter("vrouter_controller_route_updates_total", "Route updates received from nodes, by operation.")
            .sample(routeAdds, "op", "add")
            .sample(routeWithdraws, "op", "withdraw");
        return t.toString();
    }

    /**
     * How many prefixes nodes have published into an instance (leaks not counted).
     *
     * @param instance routing instance.
     * @return the count.
     */
    public synchronized int routeCount(final String instance)
    {
        return rib.getOrDefault(instance, Map.of()).size();
    }

    // ------------------------------------------------------------------------------------------ nodes

    @Override
    public synchronized void onNodeUp(final String node, final ControllerSession session)
    {
        sessionsUp++;
        final ControllerSession old = sessions.put(node, session);
        if (old != null && old != session)
        {
            // The node's routes stay until its new session's end-of-RIB, which sweeps what it did not
            // publish again; the old session's events, its end included, no longer count.
            refreshed.put(node, new HashSet<>());
            old.close("replaced by a new session from the same node");
        }
        subscriptions.put(node, new HashMap<>());
        sent.put(node, new HashMap<>());
        sentConfig.put(node, new HashMap<>());
        LOG.info("node {} is up", node);
        if (cluster.nodes().contains(node))
        {
            pushConfig(node);
        }
    }

    /** The node of a session that is its node's live one, or null for a replaced (or unknown) session. */
    private String live(final ControllerSession session)
    {
        final String node = session.node();
        return node != null && sessions.get(node) == session ? node : null;
    }

    @Override
    public synchronized void onSubscribe(final ControllerSession session, final String instance, final int instanceId)
    {
        final String node = live(session);
        if (node == null)
        {
            throw new XmppProtocolException("this session of " + session.node() + " was replaced");
        }
        if (networkOf(instance) == null && !awaitable(node, instance))
        {
            throw new XmppProtocolException("unknown routing instance " + instance);
        }
        subscriptions.get(node).put(instance, instanceId);
        sent.get(node).put(instance, new HashMap<>());
        // Nothing was sent to this subscription yet: only the instance's own and leaked routes matter.
        final List<String> sources = leakSources(instance);
        leakSources.put(instance, sources);
        resync(node, instance, ownAndLeaked(instance, sources));
    }

    @Override
    public synchronized void onUnsubscribe(final ControllerSession session, final String instance)
    {
        final String node = live(session);
        if (node != null)
        {
            subscriptions.get(node).remove(instance);
            sent.get(node).remove(instance);
        }
    }

    @Override
    public synchronized void onRoute(final ControllerSession session, final String instance, final RouteEntry entry,
        final boolean withdraw)
    {
        final String node = live(session);
        if (node == null)
        {
            return;
        }
        final Map<String, Map<String, RouteEntry>> table = rib.computeIfAbsent(instance, k -> new HashMap<>());
        if (withdraw)
        {
            routeWithdraws++;
        }
        else
        {
            routeAdds++;
        }
        if (withdraw)
        {
            final Map<String, RouteEntry> paths = table.get(entry.prefix());
            if (paths != null)
            {
                paths.remove(node);
                if (paths.isEmpty())
                {
                    table.remove(entry.prefix());
                }
            }
        }
        else
        {
            table.computeIfAbsent(entry.prefix(), k -> new TreeMap<>()).put(node, entry);
            final Set<String> fresh = refreshed.get(node);
            if (fresh != null)
            {
                fresh.add(instance + "\n" + entry.prefix());
            }
        }
        markDirty(instance, Set.of(entry.prefix()));
    }

    private void markDirty(final String instance, final Collection<String> prefixes)
    {
        for (final String target : targets(instance))
        {
            for (final String subscriber : subscribers(target))
            {
                dirty.computeIfAbsent(subscriber, k -> new HashMap<>()).computeIfAbsent(target, k -> new TreeSet<>())
                    .addAll(prefixes);
            }
        }
    }

    /**
     * Sends the route changes batched since the last flush (called when a read from a node is done).
     *
     * @param node the node whose read completed.
     */
    @Override
    public synchronized void onReadComplete(final ControllerSession session)
    {
        flushDirty();
    }

    private void flushDirty()
    {
        if (dirty.isEmpty())
        {
            return;
        }
        for (final Map.Entry<String, Map<String, Set<String>>> bySubscriber : dirty.entrySet())
        {
            for (final Map.Entry<String, Set<String>> byInstance : bySubscriber.getValue().entrySet())
            {
                resync(bySubscriber.getKey(), byInstance.getKey(), byInstance.getValue());
            }
        }
        dirty.clear();
    }

    @Override
    public synchronized void onEndOfRib(final ControllerSession session)
    {
        final String node = live(session);
        if (node == null)
        {
            return;
        }
        final Set<String> fresh = refreshed.remove(node);
        if (fresh != null)
        {
            final int swept = withdrawRoutes(node, (instance, prefix) -> !fresh.contains(instance + "\n" + prefix));
            LOG.info("node {}: end-of-RIB of its new session; {} routes of the old one not published again withdrawn",
                node, swept);
        }
        flushDirty();
        if (!cluster.nodes().contains(node))
        {
            // A node joins the cluster (and gets pods) once its session has gone as far as its first
            // end-of-RIB, so a connection that only sends a stream header changes nothing.
            register(node);
        }
        endOfRibFrom.add(node);
        endOfRibOwed.add(node);
        flushEndOfRib(System.nanoTime());
    }

    /**
     * Sends the end-of-RIB owed to nodes once every known node has published, or the grace time is over.
     * Called on each node's end-of-RIB and periodically.
     *
     * @param nowNanos the time.
     */
    public synchronized void flushEndOfRib(final long nowNanos)
    {
        if (endOfRibOwed.isEmpty() ||
            (nowNanos - endOfRibDeadline < 0 && !endOfRibFrom.containsAll(cluster.nodes())))
        {
            return;
        }
        for (final String node : endOfRibOwed)
        {
            final ControllerSession s = sessions.get(node);
            if (s != null)
            {
                s.sendEndOfRib();
            }
        }
        endOfRibOwed.clear();
    }

    @Override
    public synchronized void onNodeDown(final ControllerSession session)
    {
        sessionsDown++;
        final String node = live(session);
        if (node == null)
        {
            if (session.node() != null)
            {
                LOG.info("a replaced session of node {} ended; its live session is untouched", session.node());
            }
            return;
        }
        sessions.remove(node);
        subscriptions.remove(node);
        sent.remove(node);
        sentConfig.remove(node);
        endOfRibOwed.remove(node);
        refreshed.remove(node);
        LOG.info("node {} is down; withdrawing its routes", node);
        withdrawRoutes(node, (instance, prefix) -> true);
        flushDirty();
    }

    /**
     * Adds a node to the model: at once with a local store (the model comes back through
     * {@link #modelChanged} on this thread); with a shared store on the registrar thread, never holding this
     * lock across the round trip, and again every second while the store refuses (etcd unreachable).
     */
    private void register(final String node)
    {
        if (registrar == null)
        {
            try
            {
                store.update(c -> c.addNode(node));
                LOG.info("node {} registered", node);
            }
            catch (final StoreUnavailableException e)
            {
                LOG.warn("node {} not registered: {}", node, e.getMessage());
            }
            return;
        }
        if (registering.add(node))
        {
            registrar.execute(() -> registerShared(node));
        }
    }

    private void registerShared(final String node)
    {
        synchronized (this)
        {
            if (!sessions.containsKey(node) || cluster.nodes().contains(node))
            {
                registering.remove(node);
                return;
            }
        }
        try
        {
            store.update(c -> c.addNode(node));
            LOG.info("node {} registered", node);
            synchronized (this)
            {
                registering.remove(node);
            }
        }
        catch (final RuntimeException e)
        {
            LOG.warn("node {} not registered yet ({}); trying again in 1 s", node, e.getMessage());
            registrar.schedule(() -> registerShared(node), 1, TimeUnit.SECONDS);
        }
    }

    /** Removes a node's paths that match from the RIB and marks them for resync; returns how many. */
    private int withdrawRoutes(final String node, final BiPredicate<String, String> which)
    {
        int count = 0;
        for (final Map.Entry<String, Map<String, Map<String, RouteEntry>>> t : rib.entrySet())
        {
            final List<String> gone = new ArrayList<>();
            final Iterator<Map.Entry<String, Map<String, RouteEntry>>> it = t.getValue().entrySet().iterator();
            while (it.hasNext())
            {
                final Map.Entry<String, Map<String, RouteEntry>> p = it.next();
                if (p.getValue().containsKey(node) && which.test(t.getKey(), p.getKey()))
                {
                    p.getValue().remove(node);
                    gone.add(p.getKey());
                    if (p.getValue().isEmpty())
                    {
                        it.remove();
                    }
                }
            }
            count += gone.size();
            if (!gone.isEmpty())
            {
                markDirty(t.getKey(), gone);
            }
        }
        return count;
    }

    // ------------------------------------------------------------------------------------------ internals

    /**
     * Pushes configuration and resyncs the subscriptions whose routes the change can have altered:
     * an instance's routes depend on the routes published into it (sent as they change) and on which
     * instances leak into it, so only an instance whose leak sources changed is compared in full.
     */
    private void changed()
    {
        final Map<String, List<String>> now = new HashMap<>();
        for (final String node : List.copyOf(sessions.keySet()))
        {
            pushConfig(node);
            for (final String instance : List.copyOf(subscriptions.get(node).keySet()))
            {
                if (networkOf(instance) == null && !store.local())
                {
                    // Not (or no longer) in the model: kept until the node unsubscribes or the network appears.
                    continue;
                }
                if (networkOf(instance) == null)
                {
                    subscriptions.get(node).remove(instance);
                    sent.get(node).remove(instance);
                    continue;
                }
                final List<String> sources = now.computeIfAbsent(instance, this::leakSources);
                if (!sources.equals(leakSources.get(instance)))
                {
                    resync(node, instance, prefixes(instance));
                }
            }
        }
        leakSources.clear();
        leakSources.putAll(now);
        configCache.retainUsed();
    }

    /**
     * Whether a subscription to an instance this controller does not know yet is kept until the network
     * appears: with a shared store only, where a node subscribes on both its sessions as soon as one replica
     * has sent it a new network, and the other replica may not have taken that change from etcd yet (closing
     * the session would make it flap). At most {@value #MAX_PENDING_SUBSCRIPTIONS} such per node.
     */
    private boolean awaitable(final String node, final String instance)
    {
        if (store.local() || instance.lastIndexOf(':') < 0)
        {
            return false;
        }
        int pending = 0;
        for (final String i : subscriptions.get(node).keySet())
        {
            pending += networkOf(i) == null ? 1 : 0;
        }
        if (pending >= MAX_PENDING_SUBSCRIPTIONS)
        {
            return false;
        }
        LOG.info("node {} subscribes to {}, not in this replica's model yet: kept until the network appears", node,
            instance);
        return true;
    }

    /** The instances whose routes leak into an instance (those of networks connected to its network). */
    private List<String> leakSources(final String instance)
    {
        final List<String> targets = targets(instance);
        return List.copyOf(targets.subList(1, targets.size()));
    }

    private void pushConfig(final String node)
    {
        final ControllerSession session = sessions.get(node);
        final Map<String, XmlElement> want = ConfigSchema.forNode(cluster, node, netnsPrefix, configCache);
        final Map<String, XmlElement> have = sentConfig.get(node);
        final List<XmlElement> updates = new ArrayList<>();
        final List<XmlElement> deletes = new ArrayList<>();
        for (final Map.Entry<String, XmlElement> e : want.entrySet())
        {
            if (!e.getValue().equals(have.get(e.getKey())))
            {
                updates.add(e.getValue());
            }
        }
        for (final Map.Entry<String, XmlElement> e : have.entrySet())
        {
            if (!want.containsKey(e.getKey()))
            {
                deletes.add(e.getValue());
            }
        }
        if (!deletes.isEmpty())
        {
            session.send(ContrailXmpp.config(node, "config" + (++configSequence), true, deletes, List.of()));
        }
        if (!updates.isEmpty())
        {
            session.send(ContrailXmpp.config(node, "config" + (++configSequence), false, updates, List.of()));
        }
        have.clear();
        have.putAll(want);
    }

    /** Sends a subscriber the difference between what it has and what it should have for some prefixes. */
    private void resync(final String node, final String instance, final Collection<String> prefixes)
    {
        final Map<String, RouteEntry> have = sent.get(node).get(instance);
        final ControllerSession session = sessions.get(node);
        if (have == null || session == null)
        {
            return;
        }
        final List<RouteEntry> items = new ArrayList<>();
        final List<String> retracts = new ArrayList<>();
        for (final String prefix : prefixes)
        {
            final RouteEntry want = desired(instance, prefix);
            final RouteEntry had = have.get(prefix);
            if (want == null && had != null)
            {
                retracts.add(prefix);
                have.remove(prefix);
            }
            else if (want != null && !want.equals(had))
            {
                items.add(want);
                have.put(prefix, want);
            }
        }
        for (int i = 0; i < Math.max(items.size(), retracts.size()); i += ROUTES_PER_MESSAGE)
        {
            final int to = i + ROUTES_PER_MESSAGE;
            session.sendRoutes(new ChannelMessage.RouteUpdate(instance, 1, 1,
                items.subList(Math.min(i, items.size()), Math.min(to, items.size())),
                retracts.subList(Math.min(i, retracts.size()), Math.min(to, retracts.size()))));
        }
    }

    /** The route a subscriber of an instance should have for a prefix: own paths, else leaked ones. */
    private RouteEntry desired(final String instance, final String prefix)
    {
        final List<RouteNextHop> hops = new ArrayList<>();
        RouteEntry first = null;
        final Map<String, RouteEntry> own = rib.getOrDefault(instance, Map.of()).get(prefix);
        if (own != null && own.size() == 1)
        {
            return own.values().iterator().next();
        }
        if (own != null)
        {
            for (final RouteEntry e : own.values())
            {
                first = first == null ? e : first;
                hops.addAll(e.nextHops());
            }
        }
        if (hops.isEmpty())
        {
            final String network = networkOf(instance);
            if (network == null)
            {
                return null;
            }
            for (final String other : cluster.connected(network))
            {
                final Map<String, RouteEntry> leaked = rib.getOrDefault(cluster.network(other).routingInstance(),
                    Map.of()).get(prefix);
                if (leaked != null)
                {
                    for (final RouteEntry e : leaked.values())
                    {
                        first = first == null ? e : first;
                        hops.addAll(e.nextHops());
                    }
                }
            }
        }
        if (first == null)
        {
            return null;
        }
        // ECMP over at most RouteEntry.MAX_NEXT_HOPS paths (the first in node order), what a node accepts.
        return new RouteEntry(first.af(), first.safi(), prefix, hops.subList(0, Math.min(hops.size(),
            RouteEntry.MAX_NEXT_HOPS)), first.sequence(), first.localPreference());
    }

    /** Every prefix an instance could hold: its own and those of connected networks' instances. */
    private Set<String> prefixes(final String instance)
    {
        final Set<String> out = new TreeSet<>(rib.getOrDefault(instance, Map.of()).keySet());
        final String network = networkOf(instance);
        if (network != null)
        {
            for (final String other : cluster.connected(network))
            {
                out.addAll(rib.getOrDefault(cluster.network(other).routingInstance(), Map.of()).keySet());
            }
        }
        for (final Map<String, Map<String, RouteEntry>> bySubscriber : sent.values())
        {
            out.addAll(bySubscriber.getOrDefault(instance, Map.of()).keySet());
        }
        return out;
    }

    /** The prefixes of an instance's own routes and of those leaked into it from its leak sources. */
    private Collection<String> ownAndLeaked(final String instance, final List<String> sources)
    {
        final Set<String> own = rib.getOrDefault(instance, Map.of()).keySet();
        if (sources.isEmpty())
        {
            return own;
        }
        final Set<String> out = new HashSet<>(own);
        for (final String source : sources)
        {
            out.addAll(rib.getOrDefault(source, Map.of()).keySet());
        }
        return out;
    }

    /** The instance itself and the instances of networks connected to its network. */
    private List<String> targets(final String instance)
    {
        final List<String> out = new ArrayList<>();
        out.add(instance);
        final String network = networkOf(instance);
        if (network != null)
        {
            for (final String other : cluster.connected(network))
            {
                out.add(cluster.network(other).routingInstance());
            }
        }
        return out;
    }

    private List<String> subscribers(final String instance)
    {
        final List<String> out = new ArrayList<>();
        for (final Map.Entry<String, Map<String, Integer>> e : subscriptions.entrySet())
        {
            if (e.getValue().containsKey(instance))
            {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private String networkOf(final String instance)
    {
        final int colon = instance.lastIndexOf(':');
        if (colon < 0)
        {
            return null;
        }
        final Cluster.Network n = cluster.network(instance.substring(0, colon));
        return n != null && n.routingInstance().equals(instance) ? n.fqName() : null;
    }
}
