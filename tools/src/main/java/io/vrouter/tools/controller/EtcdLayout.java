package io.vrouter.tools.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("nextNetworkId", tree.get("nextNetworkId"));
        meta.put("roundRobin", tree.get("roundRobin"));
        out.put(META, json(meta));
        for (final Object n : (List<Object>)tree.get("nodes"))
        {
            out.put(ROOT + "nodes/" + escape((String)n), json(Map.of("name", n)));
        }
        for (final Object o : (List<Object>)tree.get("namespaces"))
        {
            out.put(ROOT + "namespaces/" + escape((String)((Map<String, Object>)o).get("name")), json(o));
        }
        final Map<String, String> pools = new HashMap<>();
        for (final Object o : (List<Object>)tree.get("networks"))
        {
            final Map<String, Object> n = (Map<String, Object>)o;
            final String fqName = (String)n.get("fqName");
            pools.put(fqName, (String)n.get("pool"));
            out.put(ROOT + "networks/" + escape(fqName), json(n));
            out.put(ALLOC + "network-id/" + n.get("id"), json(fqName));
        }
        for (final Object o : (List<Object>)tree.get("pods"))
        {
            final Map<String, Object> p = (Map<String, Object>)o;
            final String ref = namespaced("pods", p);
            out.put(ROOT + ref, json(p));
            out.put(ALLOC + "ip/" + escape(pools.get((String)p.get("network"))) + "/" + p.get("ip"), json(ref));
            final String node = (String)p.get("node");
            if (!node.isEmpty())
            {
                out.put(ALLOC + "label/" + escape(node) + "/" + p.get("label"), json(ref));
            }
        }
        for (final Object o : (List<Object>)tree.get("policies"))
        {
            out.put(ROOT + namespaced("policies", (Map<String, Object>)o), json(o));
        }
        for (final Object o : (List<Object>)tree.get("logicalRouters"))
        {
            out.put(ROOT + namespaced("logicalRouters", (Map<String, Object>)o), json(o));
        }
        for (final Object o : (List<Object>)tree.get("services"))
        {
            final Map<String, Object> s = (Map<String, Object>)o;
            final String ref = namespaced("services", s);
            out.put(ROOT + ref, json(s));
            out.put(ALLOC + "ip/" + escape(pools.get((String)s.get("network"))) + "/" + s.get("clusterIP"),
                json(ref));
        }
        return out;
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
