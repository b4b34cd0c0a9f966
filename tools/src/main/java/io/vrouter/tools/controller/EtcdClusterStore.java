package io.vrouter.tools.controller;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The model in etcd ({@link EtcdLayout}), shared by every controller replica that points at the same etcd
 * cluster.
 * <p>
 * Each replica keeps a view: every key under {@code /vrouter/v1/} as of some etcd revision, filled by one
 * read and kept current by a watch from the revision after it; every change to the view (its own commits,
 * other replicas' commits seen by the watch, a fresh read) rebuilds the model and hands it to the listener.
 * A change is computed against the view's model and committed in one etcd transaction that holds only if
 * {@code meta}'s mod revision is still the one the view had (every commit rewrites {@code meta}, so no
 * other commit came between) and every address, label and network id the change newly hands out has no key
 * yet. A transaction that fails the compare changed nothing; the replica waits for its view to move on
 * (the watch, or a fresh read) and computes the change again. etcd's transactions are linearizable, so two
 * replicas racing never both commit against the same model, and never hand out the same address or label.
 * <p>
 * A replica whose etcd cannot be reached (dead members, no quorum, a partition) refuses changes with
 * {@link StoreUnavailableException} rather than change its own model: its listener keeps the last model it
 * had. A health check reads {@code meta} every second; once it answers again the view is rebuilt from a
 * fresh read and a new watch, and the listener gets the model as etcd now has it.
 */
public final class EtcdClusterStore implements ClusterStore
{
    /** How long one etcd request may take before the store counts etcd as unreachable. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(EtcdClusterStore.class);
    private static final long HEALTH_PERIOD_MILLIS = 1_000;
    private static final long RETRY_PAUSE_MILLIS = 200;
    private static final ByteSequence ROOT = bytes(EtcdLayout.ROOT);
    private static final ByteSequence META = bytes(EtcdLayout.META);

    static
    {
        // jetcd's Vert.x would otherwise make a /tmp/vertx-cache-* directory for serving class-path files, which
        // a controller that is killed leaves behind; jetcd serves no files.
        if (System.getProperty("vertx.disableFileCPResolving") == null)
        {
            System.setProperty("vertx.disableFileCPResolving", "true");
        }
    }

    private final List<String> endpoints;
    private final long timeoutMillis;
    private final Client client;
    private final KV kv;
    private final ScheduledExecutorService health;
    private final Object lock = new Object();
    private final Object commitLock = new Object();
    // Guarded by lock: the view.
    private final Map<String, EtcdLayout.Stored> entries = new HashMap<>();
    private long revision;
    private long metaRevision;
    private Cluster model;
    private long modelRevision;
    private long delivered = -1;
    private String modelError;
    private int watchGeneration;
    private Watch.Watcher watcher;
    private Listener listener;
    private final java.util.concurrent.atomic.AtomicLong conflicts = new java.util.concurrent.atomic.AtomicLong();
    private volatile String unavailable;
    private volatile boolean closed;

    private EtcdClusterStore(final List<String> endpoints, final long timeoutMillis)
    {
        this.endpoints = List.copyOf(endpoints);
        this.timeoutMillis = timeoutMillis;
        // Requests fail at once on a member that is down instead of waiting for it, and each attempt is cut
        // short (see update), so a retry goes to a member that answers.
        // Keep-alive pings (10 s, gRPC's least; etcd allows 5 s) take a member that stopped answering, frozen or cut
        // off with its connection still open, out of the client's round robin within about 13 s; without them
        // every other request of a replica would still be sent to it.
        this.client = Client.builder().endpoints(endpoints.toArray(String[]::new)).waitForReady(false)
            .connectTimeout(java.time.Duration.ofMillis(Math.min(1_000, timeoutMillis)))
            .keepaliveTime(java.time.Duration.ofSeconds(10)).keepaliveTimeout(java.time.Duration.ofSeconds(3))
            .keepaliveWithoutCalls(true).build();
        this.kv = client.getKVClient();
        this.health = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "etcd-store-health");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects, creates the cluster from {@code seed} when etcd holds none yet, reads it and starts watching.
     *
     * @param endpoints     etcd client URLs ({@code http://127.0.0.1:2379}).
     * @param seed          the model to store when etcd has no vrouter cluster (a new one, or a state file's).
     * @param timeoutMillis how long one request may take.
     * @return the store.
     * @throws StoreUnavailableException when etcd cannot be reached or holds an invalid model.
     */
    public static EtcdClusterStore open(final List<String> endpoints, final Cluster seed, final long timeoutMillis)
    {
        if (endpoints.isEmpty())
        {
            throw new IllegalArgumentException("no etcd endpoints");
        }
        final EtcdClusterStore store = new EtcdClusterStore(endpoints, timeoutMillis);
        try
        {
            store.seed(seed);
            store.resync();
            synchronized (store.lock)
            {
                if (store.modelError != null)
                {
                    throw new StoreUnavailableException("etcd " + store.endpoints + " holds no valid vrouter " +
                        "cluster: " + store.modelError, null);
                }
            }
            store.health.scheduleWithFixedDelay(store::checkHealth, HEALTH_PERIOD_MILLIS, HEALTH_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
            return store;
        }
        catch (final RuntimeException e)
        {
            store.close();
            throw e;
        }
    }

    private void seed(final Cluster seed)
    {
        final List<Op> puts = new ArrayList<>();
        EtcdLayout.keys(seed).forEach((k, v) -> puts.add(Op.put(bytes(k), bytes(v), PutOption.DEFAULT)));
        final TxnResponse r = retrying(() -> kv.txn().If(new Cmp(META, Cmp.Op.EQUAL, CmpTarget.version(0)))
            .Then(puts.toArray(Op[]::new)).commit(), "create the cluster");
        if (r.isSucceeded())
        {
            LOG.info("etcd {}: created the vrouter cluster ({} keys) at revision {}", endpoints, puts.size(),
                r.getHeader().getRevision());
        }
    }

    @Override
    public void start(final Listener listener)
    {
        synchronized (lock)
        {
            this.listener = listener;
        }
        deliver();
    }

    @Override
    public <T> T update(final Function<Cluster, T> change)
    {
        synchronized (commitLock)
        {
            if (closed)
            {
                throw new StoreUnavailableException("the etcd store is closed", null);
            }
            if (unavailable != null)
            {
                // The health check saw etcd go; a fresh read both proves it is back and brings the view current.
                resync();
                unavailable = null;
            }
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            for (int attempt = 1; ; attempt++)
            {
                final Cluster base;
                final long baseMeta;
                synchronized (lock)
                {
                    if (modelError != null)
                    {
                        throw new StoreUnavailableException("etcd " + endpoints + " holds an invalid model, " +
                            "changes refused: " + modelError, null);
                    }
                    base = model;
                    baseMeta = metaRevision;
                }
                final Cluster draft = base.copy();
                final T result = change.apply(draft);
                // The keys of what changed, or of the whole model when nodes, namespaces or networks changed (other
                // objects' keys depend on them). Entries read after baseMeta cannot matter: every commit rewrites
                // meta, so the transaction's compare fails if the view moved on.
                final Cluster.Delta delta = draft.since(base);
                final Set<String> gone = new HashSet<>();
                final Map<String, String> want = delta.structural() ? EtcdLayout.keys(draft)
                    : EtcdLayout.changedKeys(base, delta, gone);
                final Map<String, EtcdLayout.Stored> seen = new HashMap<>();
                synchronized (lock)
                {
                    if (delta.structural())
                    {
                        seen.putAll(entries);
                        for (final String key : entries.keySet())
                        {
                            if (!want.containsKey(key))
                            {
                                gone.add(key);
                            }
                        }
                    }
                    else
                    {
                        for (final String key : want.keySet())
                        {
                            final EtcdLayout.Stored had = entries.get(key);
                            if (had != null)
                            {
                                seen.put(key, had);
                            }
                        }
                        gone.removeIf(key -> !entries.containsKey(key));
                    }
                }
                final List<Cmp> compares = new ArrayList<>();
                compares.add(new Cmp(META, Cmp.Op.EQUAL, CmpTarget.modRevision(baseMeta)));
                final List<Op> ops = new ArrayList<>();
                final Map<String, String> puts = new HashMap<>();
                for (final Map.Entry<String, String> e : want.entrySet())
                {
                    final EtcdLayout.Stored had = seen.get(e.getKey());
                    if (had != null && had.json().equals(e.getValue()) && !e.getKey().equals(EtcdLayout.META))
                    {
                        continue;
                    }
                    if (e.getKey().startsWith(EtcdLayout.ALLOC))
                    {
                        compares.add(new Cmp(bytes(e.getKey()), Cmp.Op.EQUAL, had == null ? CmpTarget.version(0)
                            : CmpTarget.modRevision(had.modRevision())));
                    }
                    puts.put(e.getKey(), e.getValue());
                    ops.add(Op.put(bytes(e.getKey()), bytes(e.getValue()), PutOption.DEFAULT));
                }
                final List<String> deletes = new ArrayList<>(gone);
                for (final String key : deletes)
                {
                    ops.add(Op.delete(bytes(key), DeleteOption.DEFAULT));
                }
                final boolean writes = ops.size() > 1 || deletes.size() > 0 || !want.get(EtcdLayout.META)
                    .equals(seen.get(EtcdLayout.META) == null ? null : seen.get(EtcdLayout.META).json());
                // A change that writes nothing still confirms, in a transaction, that the model it read was
                // current: its answer ("unchanged") is then true of the model as etcd has it.
                final TxnResponse r;
                try
                {
                    r = await(kv.txn().If(writes ? compares.toArray(Cmp[]::new) : compares.subList(0, 1)
                        .toArray(Cmp[]::new)).Then(writes ? ops.toArray(Op[]::new) : new Op[0]).commit(), "commit",
                        attemptDeadline(deadline));
                }
                catch (final StoreUnavailableException e)
                {
                    // A leader election or a member going away fails a request briefly: try again while time
                    // is left. A commit that did take effect fails the retry's compare and is then seen in the
                    // model the retry computes against.
                    if (deadline - System.nanoTime() < TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MILLIS))
                    {
                        final String why = "etcd " + endpoints + " unreachable: no commit within " + timeoutMillis +
                            " ms (last: " + e.getMessage() + ")";
                        markUnavailable(why);
                        throw new StoreUnavailableException(why + "; a commit that was under way may still take " +
                            "effect, get shows it once etcd answers", e);
                    }
                    pause();
                    continue;
                }
                if (r.isSucceeded())
                {
                    if (writes)
                    {
                        applyCommit(r.getHeader().getRevision(), baseMeta, puts, deletes, base, delta);
                        deliver();
                    }
                    return result;
                }
                conflicts.incrementAndGet();
                if (System.nanoTime() - deadline > 0)
                {
                    throw new StoreUnavailableException("etcd " + endpoints + ": " + attempt + " commits in a row " +
                        "lost the race to other controllers' changes; nothing changed, try again", null);
                }
                awaitNewer(baseMeta);
            }
        }
    }

    /**
     * The view after this replica's own commit, without waiting for the watch to bring it: the commit succeeded
     * against the model it started from, so etcd now holds that model with the delta applied.
     */
    private void applyCommit(final long commitRevision, final long baseMeta, final Map<String, String> puts,
        final List<String> deletes, final Cluster base, final Cluster.Delta delta)
    {
        synchronized (lock)
        {
            if (revision >= commitRevision || metaRevision != baseMeta)
            {
                return;
            }
            for (final Map.Entry<String, String> e : puts.entrySet())
            {
                final EtcdLayout.Stored had = entries.get(e.getKey());
                entries.put(e.getKey(), EtcdLayout.Stored.of(e.getValue(),
                    had == null ? commitRevision : had.createRevision(), commitRevision));
            }
            deletes.forEach(entries::remove);
            revision = commitRevision;
            metaRevision = commitRevision;
            if (delta.structural())
            {
                rebuild();
                return;
            }
            try
            {
                model = base.with(EtcdLayout.inKeyOrder(delta, base, key -> commitRevision));
                modelRevision = revision;
                modelError = null;
            }
            catch (final IllegalArgumentException e)
            {
                rebuild();
            }
        }
    }

    /** Waits (briefly) for the view to pass a meta revision; reads afresh when the watch does not bring it. */
    private void awaitNewer(final long baseMeta)
    {
        final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(1_000, timeoutMillis));
        synchronized (lock)
        {
            while (metaRevision == baseMeta)
            {
                final long left = until - System.nanoTime();
                if (left <= 0)
                {
                    break;
                }
                try
                {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new StoreUnavailableException("interrupted", e);
                }
            }
            if (metaRevision != baseMeta)
            {
                return;
            }
        }
        resync();
    }

    @Override
    public String sync()
    {
        final String why = unavailable;
        if (why != null)
        {
            return why;
        }
        try
        {
            final GetResponse r = retrying(() -> kv.get(META), "read");
            final long committed = r.getKvs().isEmpty() ? 0 : r.getKvs().get(0).getModRevision();
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(1_000, timeoutMillis));
            synchronized (lock)
            {
                // Until the listener holds a model that includes the commit, not merely the view: a read
                // answered from the listener's model right after this must see it.
                while (delivered < committed && until - System.nanoTime() > 0)
                {
                    TimeUnit.NANOSECONDS.timedWait(lock, until - System.nanoTime());
                }
                if (delivered >= committed)
                {
                    return null;
                }
            }
            resync();
            return null;
        }
        catch (final StoreUnavailableException e)
        {
            return e.getMessage();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Reads every key afresh, replaces the view and restarts the watch from the revision read. */
    private void resync()
    {
        final GetResponse r = retrying(() -> kv.get(ROOT, GetOption.builder().isPrefix(true).build()),
            "read the cluster");
        final long at = r.getHeader().getRevision();
        final int generation;
        synchronized (lock)
        {
            if (at < revision)
            {
                // An older read than the view (a lagging member): the view stays; the watch keeps going.
                return;
            }
            entries.clear();
            for (final KeyValue e : r.getKvs())
            {
                entries.put(text(e.getKey()), EtcdLayout.Stored.of(text(e.getValue()), e.getCreateRevision(),
                    e.getModRevision()));
            }
            revision = at;
            final EtcdLayout.Stored meta = entries.get(EtcdLayout.META);
            metaRevision = meta == null ? 0 : meta.modRevision();
            generation = ++watchGeneration;
            if (watcher != null)
            {
                watcher.close();
            }
            watcher = client.getWatchClient().watch(ROOT, WatchOption.builder().isPrefix(true).withRevision(at + 1)
                .build(), Watch.listener(w -> onWatch(generation, w), e -> onWatchError(generation, e)));
            rebuild();
            lock.notifyAll();
        }
        deliver();
    }

    private void onWatch(final int generation, final WatchResponse response)
    {
        boolean changed = false;
        synchronized (lock)
        {
            if (generation != watchGeneration)
            {
                return;
            }
            long newest = revision;
            final Changes objects = new Changes();
            for (final WatchEvent event : response.getEvents())
            {
                final KeyValue e = event.getKeyValue();
                if (e.getModRevision() <= revision)
                {
                    continue;
                }
                final String key = text(e.getKey());
                if (event.getEventType() == WatchEvent.EventType.DELETE)
                {
                    objects.delete(key, entries.remove(key));
                }
                else
                {
                    final EtcdLayout.Stored stored = EtcdLayout.Stored.of(text(e.getValue()), e.getCreateRevision(),
                        e.getModRevision());
                    entries.put(key, stored);
                    objects.put(key, stored);
                    if (key.equals(EtcdLayout.META))
                    {
                        metaRevision = e.getModRevision();
                    }
                }
                newest = Math.max(newest, e.getModRevision());
                changed = true;
            }
            if (changed)
            {
                revision = newest;
                apply(objects);
                lock.notifyAll();
            }
        }
        if (changed)
        {
            deliver();
        }
    }

    private void onWatchError(final int generation, final Throwable error)
    {
        synchronized (lock)
        {
            if (generation != watchGeneration || closed)
            {
                return;
            }
        }
        LOG.warn("etcd {}: the watch ended ({}); reading the cluster afresh", endpoints, firstLine(error));
        health.execute(() ->
        {
            try
            {
                resync();
            }
            catch (final StoreUnavailableException e)
            {
                markUnavailable(e.getMessage());
            }
        });
    }

    private void checkHealth()
    {
        if (closed)
        {
            return;
        }
        try
        {
            retrying(() -> kv.get(META), "health check");
            if (unavailable != null)
            {
                synchronized (commitLock)
                {
                    resync();
                    unavailable = null;
                }
                LOG.info("etcd {} answers again: view read afresh at revision {}, configuration changes accepted",
                    endpoints, revision());
            }
        }
        catch (final StoreUnavailableException e)
        {
            markUnavailable(e.getMessage());
        }
    }

    private long revision()
    {
        synchronized (lock)
        {
            return revision;
        }
    }

    private void markUnavailable(final String why)
    {
        if (unavailable == null && !closed)
        {
            LOG.warn("{}; configuration changes refused until it answers (nodes keep their sessions and routes)",
                why);
        }
        unavailable = why + " (since " + Instant.now() + ")";
    }

    /**
     * What a batch of watch events changed, object by object; null {@link #delta} when only a full rebuild can
     * follow it (nodes, namespaces or networks changed, or a value that is not an object).
     */
    private static final class Changes
    {
        private final Map<String, Map<String, Map<String, Object>>> puts = new LinkedHashMap<>();
        private final Map<String, List<String>> deletes = new LinkedHashMap<>();
        private final Map<String, Long> created = new HashMap<>();
        private boolean structural;

        @SuppressWarnings("unchecked")
        void put(final String key, final EtcdLayout.Stored stored)
        {
            final String kind = EtcdLayout.kindOf(key);
            final String name = name(key, kind, stored);
            if (name != null)
            {
                puts.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(name, (Map<String, Object>)stored.value());
                created.put(key, stored.createRevision());
            }
        }

        void delete(final String key, final EtcdLayout.Stored old)
        {
            final String kind = EtcdLayout.kindOf(key);
            final String name = name(key, kind, old);
            if (name == null)
            {
                return;
            }
            final Map<String, Map<String, Object>> p = puts.get(kind);
            if (p != null)
            {
                p.remove(name);
            }
            deletes.computeIfAbsent(kind, k -> new ArrayList<>()).add(name);
        }

        /**
         * The object name an event's key and value give, or null for a key of no object kind (meta, allocations,
         * nodes) and for a value that is no object; a node or unreadable value marks the batch structural.
         */
        private String name(final String key, final String kind, final EtcdLayout.Stored stored)
        {
            if (kind == null)
            {
                structural |= key.startsWith(EtcdLayout.ROOT + "nodes/");
                return null;
            }
            final String name = stored != null && stored.value() instanceof Map<?, ?> m ? Cluster.keyOf(kind, m)
                : null;
            structural |= name == null;
            return name;
        }

        Cluster.Delta delta(final EtcdLayout.Stored meta, final Cluster model)
        {
            if (structural || meta == null || !(meta.value() instanceof Map<?, ?> m)
                || !(m.get("nextNetworkId") instanceof Integer next) || !(m.get("roundRobin") instanceof Integer rr))
            {
                return null;
            }
            final Cluster.Delta d = new Cluster.Delta(next, rr, null, puts, deletes);
            return d.structural() ? null : EtcdLayout.inKeyOrder(d, model,
                key -> created.getOrDefault(key, Long.MAX_VALUE));
        }
    }

    /** Applies a batch of watch events to the model object by object, or rebuilds it when it must. */
    private void apply(final Changes changes)
    {
        final Cluster.Delta delta = model == null || modelError != null ? null
            : changes.delta(entries.get(EtcdLayout.META), model);
        if (delta == null)
        {
            rebuild();
            return;
        }
        try
        {
            model = model.with(delta);
            modelRevision = revision;
        }
        catch (final IllegalArgumentException e)
        {
            // The whole view, read as a model, reports the problem with the key that holds it.
            rebuild();
        }
    }

    /** Rebuilds the model from the view; a view that is no valid model keeps the last model and blocks commits. */
    private void rebuild()
    {
        try
        {
            model = EtcdLayout.model(entries);
            modelRevision = revision;
            modelError = null;
        }
        catch (final IllegalArgumentException e)
        {
            if (modelError == null)
            {
                LOG.error("etcd {}: the keys under {} are no valid model at revision {}: {}; keeping the last " +
                    "model, changes refused", endpoints, EtcdLayout.ROOT, revision, e.getMessage());
            }
            modelError = e.getMessage();
        }
    }

    private void deliver()
    {
        final Cluster m;
        final long v;
        final Listener l;
        synchronized (lock)
        {
            m = model;
            v = modelRevision;
            l = listener;
        }
        if (l != null && m != null)
        {
            l.modelChanged(m, v);
            synchronized (lock)
            {
                delivered = Math.max(delivered, v);
                lock.notifyAll();
            }
        }
    }

    private static void pause()
    {
        try
        {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for etcd", e);
        }
    }

    /** One attempt's deadline: a third of the timeout (at least 500 ms), so a retry can reach another member. */
    private long attemptDeadline(final long deadline)
    {
        return Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(500, timeoutMillis / 3)));
    }

    /**
     * A request (a read, or a commit that is the same whatever the model) tried again while the timeout lasts:
     * a member that went away or a leader election fails one attempt, not the request. Marks etcd unreachable
     * when no attempt succeeded.
     */
    private <T> T retrying(final java.util.function.Supplier<CompletableFuture<T>> request, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true)
        {
            try
            {
                return await(request.get(), what, attemptDeadline(deadline));
            }
            catch (final StoreUnavailableException e)
            {
                if (deadline - System.nanoTime() < TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MILLIS))
                {
                    final String why = "etcd " + endpoints + " unreachable: no answer to " + what + " within " +
                        timeoutMillis + " ms (last: " + e.getMessage() + ")";
                    markUnavailable(why);
                    throw new StoreUnavailableException(why, e);
                }
                pause();
            }
        }
    }

    /** One attempt: the answer, or StoreUnavailableException (not marking etcd unreachable; callers decide). */
    private <T> T await(final CompletableFuture<T> future, final String what, final long deadline)
    {
        try
        {
            return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException e)
        {
            future.cancel(true);
            throw new StoreUnavailableException("no answer to " + what + " in time", e);
        }
        catch (final ExecutionException e)
        {
            final String cause = firstLine(e.getCause());
            if (cause.contains("too many operations") || cause.contains("request is too large"))
            {
                throw new IllegalArgumentException("the change is too big for one etcd transaction (" + cause +
                    "): start etcd with larger --max-txn-ops / --max-request-bytes, or apply it in parts", e);
            }
            throw new StoreUnavailableException(what + " failed: " + cause, e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for etcd", e);
        }
    }

    private static String firstLine(final Throwable t)
    {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c && (c.getMessage() == null || c instanceof
            java.util.concurrent.CompletionException))
        {
            c = c.getCause();
        }
        final String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public boolean local()
    {
        return false;
    }

    @Override
    public String describe()
    {
        return "etcd " + String.join(",", endpoints);
    }

    /**
     * Whether etcd answered the last request or health check (for tests and metrics).
     *
     * @return true while reachable.
     */
    public boolean reachable()
    {
        return unavailable == null;
    }

    /**
     * How many commits failed their compare (another replica committed first) and were computed again.
     *
     * @return the count.
     */
    public long conflicts()
    {
        return conflicts.get();
    }

    @Override
    public void close()
    {
        closed = true;
        health.shutdownNow();
        synchronized (lock)
        {
            watchGeneration++;
            if (watcher != null)
            {
                watcher.close();
                watcher = null;
            }
        }
        client.close();
    }

    private static ByteSequence bytes(final String s)
    {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String text(final ByteSequence b)
    {
        return b.toString(StandardCharsets.UTF_8);
    }
}
