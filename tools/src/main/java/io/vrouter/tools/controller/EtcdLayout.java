package io.vrouter.tools.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a {@link Cluster} is laid out in etcd: one key per object, JSON values, plus allocation keys.
 * <pre>
 * /vrouter/v1/meta                          {"nextNetworkId":N,"roundRobin":N}  rewritten by every commit
 * /vrouter/v1/nodes/NODE                    {"name":NODE}
 * /vrouter/v1/namespaces/NS                 a namespace
 * /vrouter/v1/networks/FQNAME               a network
 * /vrouter/v1/pods/NS/NAME                  a pod (address, MAC, node, label...)
 * /vrouter/v1/policies/NS/NAME              a network policy
 * /vrouter/v1/logicalRouters/NS/NAME        a logical router
 * /vrouter/v1/services/NS/NAME              a service
 * /vrouter/v1/alloc/ip/POOL/A.B.C.D         "pods/NS/NAME" or "services/NS/NAME": who holds the address
 * /vrouter/v1/alloc/label/NODE/LABEL        "pods/NS/NAME": who holds the MPLS label on the node
 * /vrouter/v1/alloc/network-id/ID           the network holding the id (also its VXLAN id)
 * </pre>
 * Object values are the entries of {@link Cluster#toTree()}'s lists, so the model read back is checked
 * by {@link Cluster#fromTree} as strictly as a state file. Objects of a kind are listed in the order their
 * keys were created (etcd's create revision, then the key). The allocation keys are derived from the
 * objects and not read back; they exist so that a commit can demand that an address or label it hands
 * out is held by no one (create revision 0) even apart from the whole-model compare on {@code meta}.
 * Name parts are written with {@code %} and {@code /} escaped.
 */
final class EtcdLayout
{
    /** Every key starts with this. */
    static final String ROOT = "/vrouter/v1/";
    /** The key every commit rewrites: its mod revision is the version of the whole model. */
    static final String META = ROOT + "meta";
    /** Allocation keys start with this. */
    static final String ALLOC = ROOT + "alloc/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KINDS = List.of("nodes", "namespaces", "networks", "pods", "policies",
        "logicalRouters", "services");

    /** A key's value as read, parsed, with its revisions. */
    record Stored(String json, Object value, long createRevision, long modRevision)
    {
        static Stored of(final String json, final long createRevision, final long modRevision)
        {
            return new Stored(json, parse(json), createRevision, modRevision);
        }
    }

    private EtcdLayout()
    {
    }

    /**
     * The keys and values of a model.
     *
     * @param model the model.
     * @return key → JSON, allocation keys included.
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> keys(final Cluster model)
    {
        final Map<String, Object> tree = model.toTree();
        final Map<String, String> out = new HashMap<>();
        out.put(META, meta((Integer)tree.get("nextNetworkId"), (Integer)tree.get("roundRobin")));
        for (final Object n : (List<Object>)tree.get("nodes"))
        {
            out.put(ROOT + "nodes/" + escape((String)n), json(Map.of("name", n)));
        }
        final Map<String, String> pools = pools(model);
        for (final String kind : Cluster.KINDS)
        {
            for (final Object o : (List<Object>)tree.get(kind))
            {
                out.putAll(keysOf(kind, (Map<String, Object>)o, pools));
            }
        }
        return out;
    }

    /**
     * The value of {@link #META}.
     *
     * @param nextNetworkId the model's next network id.
     * @param roundRobin    its scheduling position.
     * @return JSON.
     */
    static String meta(final int nextNetworkId, final int roundRobin)
    {
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("nextNetworkId", nextNetworkId);
        meta.put("roundRobin", roundRobin);
        return json(meta);
    }

    /**
     * Each network's address pool.
     *
     * @param model the model.
     * @return fq name → pool.
     */
    static Map<String, String> pools(final Cluster model)
    {
        final Map<String, String> pools = new HashMap<>();
        for (final Cluster.Network n : model.networks())
        {
            pools.put(n.fqName(), n.pool());
        }
        return pools;
    }

    /**
     * The keys of one object: its own and the allocation keys it holds.
     *
     * @param kind  one of {@link Cluster#KINDS}.
     * @param o     the object as {@link Cluster#toTree()} writes it.
     * @param pools each network's pool.
     * @return key → JSON.
     */
    static Map<String, String> keysOf(final String kind, final Map<String, Object> o, final Map<String, String> pools)
    {
        final Map<String, String> out = new HashMap<>();
        final String own = objectKey(kind, o);
        out.put(own, json(o));
        final String ref = own.substring(ROOT.length());
        switch (kind)
        {
            case "networks" -> out.put(ALLOC + "network-id/" + o.get("id"), json(o.get("fqName")));
            case "pods" ->
            {
                out.put(ALLOC + "ip/" + escape(pools.get((String)o.get("network"))) + "/" + o.get("ip"), json(ref));
                final String node = (String)o.get("node");
                if (!node.isEmpty())
                {
                    out.put(ALLOC + "label/" + escape(node) + "/" + o.get("label"), json(ref));
                }
            }
            case "services" -> out.put(ALLOC + "ip/" + escape(pools.get((String)o.get("network"))) + "/"
                + o.get("clusterIP"), json(ref));
            default ->
            {
                // Namespaces, policies and logical routers hold no allocation.
            }
        }
        return out;
    }

    /**
     * The keys a change writes and those it may remove, from the delta between the model it started from and
     * the one it made (neither touching nodes, namespaces nor networks: {@link Cluster.Delta#structural()}).
     *
     * @param base  the model the change started from.
     * @param delta what it changed.
     * @param gone  filled with the keys the old versions of changed and removed objects held and the new do not.
     * @return the keys of the new versions (and {@link #META}) with their values.
     */
    static Map<String, String> changedKeys(final Cluster base, final Cluster.Delta delta, final Set<String> gone)
    {
        final Map<String, String> pools = pools(base);
        final Map<String, String> want = new HashMap<>();
        want.put(META, meta(delta.nextNetworkId(), delta.roundRobin()));
        for (final Map.Entry<String, Map<String, Map<String, Object>>> kind : delta.puts().entrySet())
        {
            for (final Map.Entry<String, Map<String, Object>> o : kind.getValue().entrySet())
            {
                want.putAll(keysOf(kind.getKey(), o.getValue(), pools));
                oldKeys(base, kind.getKey(), o.getKey(), pools, gone);
            }
        }
        for (final Map.Entry<String, List<String>> kind : delta.deletes().entrySet())
        {
            for (final String key : kind.getValue())
            {
                oldKeys(base, kind.getKey(), key, pools, gone);
            }
        }
        gone.removeAll(want.keySet());
        return want;
    }

    /** Adds the keys the model's object of a kind and key holds (none when it has no such object). */
    private static void oldKeys(final Cluster base, final String kind, final String key,
        final Map<String, String> pools, final Set<String> out)
    {
        final Object old = base.objects(kind).get(key);
        if (old != null)
        {
            out.addAll(keysOf(kind, Cluster.treeOf(old), pools).keySet());
        }
    }

    /**
     * The key of an object.
     *
     * @param kind one of {@link Cluster#KINDS}.
     * @param o    the object as {@link Cluster#toTree()} writes it.
     * @return its key under {@link #ROOT}.
     */
    static String objectKey(final String kind, final Map<String, Object> o)
    {
        return switch (kind)
        {
            case "namespaces" -> ROOT + "namespaces/" + escape((String)o.get("name"));
            case "networks" -> ROOT + "networks/" + escape((String)o.get("fqName"));
            default -> ROOT + namespaced(kind, o);
        };
    }

    /**
     * A delta with its new objects in the order {@link #model} lists them (by create revision, then key), so that
     * a model a replica changes object by object lists its objects as one read from the keys does.
     *
     * @param d              the delta.
     * @param model          the model it applies to.
     * @param createRevision the create revision of a new object's key.
     * @return the delta, reordered.
     */
    static Cluster.Delta inKeyOrder(final Cluster.Delta d, final Cluster model,
        final java.util.function.ToLongFunction<String> createRevision)
    {
        final Map<String, Map<String, Map<String, Object>>> puts = new LinkedHashMap<>();
        for (final Map.Entry<String, Map<String, Map<String, Object>>> kind : d.puts().entrySet())
        {
            final Map<String, ?> existing = model.objects(kind.getKey());
            final Map<String, Map<String, Object>> ordered = new LinkedHashMap<>();
            final List<Map.Entry<String, Map<String, Object>>> fresh = new ArrayList<>();
            final java.util.Set<String> deleted = new java.util.HashSet<>(d.deletes().getOrDefault(kind.getKey(),
                List.of()));
            for (final Map.Entry<String, Map<String, Object>> o : kind.getValue().entrySet())
            {
                if (existing.containsKey(o.getKey()) && !deleted.contains(o.getKey()))
                {
                    ordered.put(o.getKey(), o.getValue());
                }
                else
                {
                    fresh.add(o);
                }
            }
            final Map<Map.Entry<String, Map<String, Object>>, String> keys = new java.util.IdentityHashMap<>();
            fresh.forEach(o -> keys.put(o, objectKey(kind.getKey(), o.getValue())));
            fresh.sort(Comparator.comparingLong((Map.Entry<String, Map<String, Object>> o) ->
                createRevision.applyAsLong(keys.get(o))).thenComparing(keys::get));
            fresh.forEach(o -> ordered.put(o.getKey(), o.getValue()));
            puts.put(kind.getKey(), ordered);
        }
        return new Cluster.Delta(d.nextNetworkId(), d.roundRobin(), d.nodes(), puts, d.deletes());
    }

    /**
     * The kind of an object key ({@code pods} for {@code /vrouter/v1/pods/NS/NAME}).
     *
     * @param key a key under {@link #ROOT}.
     * @return the kind, or null for {@link #META}, allocation and node keys and keys of no kind.
     */
    static String kindOf(final String key)
    {
        final int slash = key.indexOf('/', ROOT.length());
        if (!key.startsWith(ROOT) || slash < 0)
        {
            return null;
        }
        final String kind = key.substring(ROOT.length(), slash);
        return Cluster.KINDS.contains(kind) ? kind : null;
    }

    /**
     * The model the keys hold.
     *
     * @param entries every key under {@link #ROOT} with its value.
     * @return the model.
     * @throws IllegalArgumentException naming the key or field and the reason when they are not a valid model.
     */
    @SuppressWarnings("unchecked")
    static Cluster model(final Map<String, Stored> entries)
    {
        final Stored meta = entries.get(META);
        if (meta == null)
        {
            throw new IllegalArgumentException(META + ": absent (no vrouter cluster in this etcd)");
        }
        final Map<String, Object> root = new LinkedHashMap<>(StateReader.map(meta.value(), META));
        final Map<String, List<Map.Entry<String, Stored>>> byKind = new TreeMap<>();
        for (final Map.Entry<String, Stored> e : entries.entrySet())
        {
            final String key = e.getKey();
            if (key.equals(META) || key.startsWith(ALLOC))
            {
                continue;
            }
            final int slash = key.indexOf('/', ROOT.length());
            final String kind = slash < 0 ? "" : key.substring(ROOT.length(), slash);
            if (!KINDS.contains(kind))
            {
                throw new IllegalArgumentException(key + ": not a key of the vrouter layout");
            }
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(e);
        }
        final Comparator<Map.Entry<String, Stored>> created = Comparator
            .comparingLong((Map.Entry<String, Stored> e) -> e.getValue().createRevision())
            .thenComparing(Map.Entry::getKey);
        for (final String kind : KINDS)
        {
            final List<Map.Entry<String, Stored>> list = byKind.getOrDefault(kind, new ArrayList<>());
            list.sort(created);
            final List<Object> values = new ArrayList<>();
            for (final Map.Entry<String, Stored> e : list)
            {
                if (kind.equals("nodes"))
                {
                    values.add(StateReader.map(e.getValue().value(), e.getKey()).get("name"));
                }
                else
                {
                    values.add(e.getValue().value());
                }
            }
            root.put(kind, values);
        }
        return Cluster.fromTree(root);
    }

    private static String namespaced(final String kind, final Map<String, Object> o)
    {
        return kind + "/" + escape((String)o.get("namespace")) + "/" + escape((String)o.get("name"));
    }

    static String escape(final String part)
    {
        return part.replace("%", "%25").replace("/", "%2F");
    }

    private static String json(final Object value)
    {
        try
        {
            return JSON.writeValueAsString(value);
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalStateException("cannot write the model as JSON", e);
        }
    }

    private static Object parse(final String json)
    {
        try
        {
            return JSON.readValue(json, Object.class);
        }
        catch (final JsonProcessingException e)
        {
            // A value another writer put there: the model check reports it with the key.
            return json;
        }
    }
}
