package io.vrouter.tools.controller;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The controller's model of the cluster: namespaces, virtual networks, pods with their addresses,
 * MACs, labels and nodes, and network policies. Kubernetes objects are mapped the way Contrail's
 * kube-manager maps them (reference §6, DESIGN.md "Kubernetes mapping").
 * <p>
 * Overview: {@link #apply} and {@link #delete} validate a whole manifest against a copy of the
 * model and only then replace it, so a bad document changes nothing. Addresses come from pools: the
 * cluster pod pool 10.32.0.0/12 is shared by the default pod network and every isolated
 * namespace's pod network and allocates top-down (gateway …254, DNS …253, pods from …252 down);
 * a NetworkAttachmentDefinition's network allocates top-down in its own CIDR; a VirtualNetwork
 * allocates bottom-up (gateway .1, DNS .2, pods from .3). Labels are per node, from 16.
 * The model is plain data, persisted with {@link #toYaml()} / {@link #fromYaml(String)}.
 */
public final class Cluster
{
    /** Contrail's domain. */
    public static final String DOMAIN = "default-domain";
    /** The cluster pod pool. */
    public static final Ipv4Cidr POD_POOL = Ipv4Cidr.parse("10.32.0.0/12");
    /** The cluster service pool. */
    public static final Ipv4Cidr SERVICE_POOL = Ipv4Cidr.parse("10.96.0.0/12");
    /** First MPLS label handed out on a node. */
    public static final int FIRST_LABEL = 16;
    /** Largest MPLS label (20 bits). */
    public static final int MAX_LABEL = (1 << 20) - 1;
    /** Largest network id (it is also the VXLAN id: 24 bits). */
    public static final int MAX_NETWORK_ID = (1 << 24) - 1;

    private static final String POD_POOL_KEY = "cluster-pod-pool";
    private static final String SERVICE_POOL_KEY = "cluster-service-pool";
    private static final String ISOLATION = "opencontrail.org/isolation";
    private static final String NETWORK = "opencontrail.org/network";
    private static final String CIDR = "opencontrail.org/cidr";
    private static final String FABRIC_FORWARDING = "opencontrail.org/ip_fabric_forwarding";
    private static final String FABRIC_SNAT = "opencontrail.org/ip_fabric_snat";
    /**
     * The ports nodes translate fabric SNAT flows to: above the Linux default ephemeral range (32768-60999), so a
     * node's own connections never take one; each node gets its own block of {@link #SNAT_BLOCK} ports.
     */
    public static final int SNAT_POOL_LOW = 61000;
    /** Last port of the fabric SNAT pool. */
    public static final int SNAT_POOL_HIGH = 65535;
    /** Ports per node (17 nodes fit the pool; later nodes get no range, and their SNAT pods reach only the overlay). */
    public static final int SNAT_BLOCK = 256;

    /**
     * A namespace.
     *
     * @param name     name.
     * @param isolated whether it has its own networks.
     */
    public record Namespace(String name, boolean isolated)
    {
    }

    /**
     * A virtual network.
     *
     * @param fqName  {@code domain:project:name}.
     * @param kind    {@code pod}, {@code service}, {@code attachment} or {@code virtual}.
     * @param cidr    its subnet.
     * @param topDown whether addresses are handed out from the top.
     * @param pool    key of the address pool it draws on.
     * @param id      network id (also the VXLAN id).
     * @param owner   the namespace/object that made it, for deletion.
     * @param fabricForwarding {@code opencontrail.org/ip_fabric_forwarding}: its pods are routed in the underlay
     *                         (Contrail puts their routes in the fabric VRF).
     * @param fabricSnat       {@code opencontrail.org/ip_fabric_snat}: its pods reach addresses outside the
     *                         overlay through their node's fabric address.
     */
    public record Network(String fqName, String kind, String cidr, boolean topDown, String pool, int id, String owner,
        boolean fabricForwarding, boolean fabricSnat)
    {
        /**
         * A network without fabric forwarding or SNAT.
         *
         * @param fqName  {@code domain:project:name}.
         * @param kind    kind.
         * @param cidr    subnet.
         * @param topDown allocation order.
         * @param pool    pool key.
         * @param id      network id.
         * @param owner   owner.
         */
        public Network(final String fqName, final String kind, final String cidr, final boolean topDown,
            final String pool, final int id, final String owner)
        {
            this(fqName, kind, cidr, topDown, pool, id, owner, false, false);
        }

        /**
         * The project part of the name.
         *
         * @return project.
         */
        public String project()
        {
            return fqName.split(":")[1];
        }

        /**
         * The last part of the name.
         *
         * @return name.
         */
        public String name()
        {
            return fqName.split(":")[2];
        }

        /**
         * The routing instance: {@code domain:project:vn:vn}.
         *
         * @return the instance name.
         */
        public String routingInstance()
        {
            return fqName + ":" + name();
        }

        /**
         * The gateway address.
         *
         * @return dotted quad.
         */
        public String gateway()
        {
            final Ipv4Cidr c = Ipv4Cidr.parse(cidr);
            return Ipv4Cidr.format(topDown ? c.last() - 1 : c.network() + 1);
        }

        /**
         * The DNS address.
         *
         * @return dotted quad.
         */
        public String dns()
        {
            final Ipv4Cidr c = Ipv4Cidr.parse(cidr);
            return Ipv4Cidr.format(topDown ? c.last() - 2 : c.network() + 2);
        }
    }

    /**
     * A pod with its interface.
     *
     * @param namespace namespace.
     * @param name      name.
     * @param network   fq name of its network.
     * @param ip        its address, or empty before allocation.
     * @param mac       its interface MAC.
     * @param node      the node it runs on, or empty while pending.
     * @param label     its MPLS label on that node, or 0 while pending.
     * @param owner     the Deployment that made it, or empty.
     * @param nodeName  the node it asked for ({@code spec.nodeName}), or empty.
     * @param labels    its labels (a Service's selector picks pods by them).
     */
    public record Pod(String namespace, String name, String network, String ip, String mac, String node, int label,
        String owner, String nodeName, Map<String, String> labels)
    {
        /** Holds its labels unchangeable, so that models may share the record. */
        public Pod
        {
            labels = frozen(labels);
        }

        /**
         * The key {@code namespace/name}.
         *
         * @return key.
         */
        public String key()
        {
            return namespace + "/" + name;
        }
    }

    /**
     * A network policy between networks.
     *
     * @param namespace namespace.
     * @param name      name.
     * @param networks  fq names of the networks it is attached to.
     * @param rules     its rules.
     */
    public record Policy(String namespace, String name, List<String> networks, List<PolicyRule> rules)
    {
        /** Holds its lists unchangeable, so that models may share the record. */
        public Policy
        {
            networks = List.copyOf(networks);
            rules = List.copyOf(rules);
        }
    }

    /**
     * One rule: action, protocol, source and destination (a network fq name, a CIDR or {@code any}),
     * destination ports, direction.
     *
     * @param action        {@code pass} or {@code deny}.
     * @param protocol      {@code any}, {@code tcp}, {@code udp} or {@code icmp}.
     * @param source        source.
     * @param destination   destination.
     * @param portLow       lowest destination port.
     * @param portHigh      highest destination port.
     * @param bidirectional {@code <>} when true, {@code >} otherwise.
     */
    public record PolicyRule(String action, String protocol, String source, String destination, int portLow,
        int portHigh, boolean bidirectional)
    {
    }

    /**
     * A logical router joining networks: their routes are leaked into each other's routing instances
     * (Contrail's route leaking between the networks attached to a logical router) and traffic between
     * them passes the flow policy.
     *
     * @param namespace namespace.
     * @param name      name.
     * @param networks  fq names of the attached networks.
     */
    public record LogicalRouter(String namespace, String name, List<String> networks)
    {
        /** Holds its list unchangeable, so that models may share the record. */
        public LogicalRouter
        {
            networks = List.copyOf(networks);
        }
    }

    /**
     * A ClusterIP service (Contrail's kube-manager: a load balancer whose address is on the namespace's
     * service network and whose members are the pods its selector picks).
     *
     * @param namespace namespace.
     * @param name      name.
     * @param network   fq name of the service network its address is on.
     * @param clusterIp the address.
     * @param selector  the labels a backend pod has (all of them).
     * @param ports     its ports.
     */
    public record Service(String namespace, String name, String network, String clusterIp, Map<String, String> selector,
        List<ServicePort> ports)
    {
        /** Holds its selector and ports unchangeable, so that models may share the record. */
        public Service
        {
            selector = frozen(selector);
            ports = List.copyOf(ports);
        }
    }

    /**
     * A service port.
     *
     * @param name       the port's name, or empty.
     * @param protocol   {@code TCP} or {@code UDP}.
     * @param port       the service's port.
     * @param targetPort the backends' port.
     */
    public record ServicePort(String name, String protocol, int port, int targetPort)
    {
    }

    /** An unchangeable copy of a map, in its order. */
    private static Map<String, String> frozen(final Map<String, String> m)
    {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final Map<String, Policy> policies = new LinkedHashMap<>();
    private final Map<String, LogicalRouter> routers = new LinkedHashMap<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, TreeSet<Integer>> allocated = new LinkedHashMap<>();
    /**
     * Per network (and direction), the address from which the search for a free one starts: every address of
     * the network before it (after it, top down) is taken. Cleared whenever an address goes back to a pool, so
     * the search still finds the lowest (highest) free address, in amortized O(log n) instead of a scan from
     * the network's first address each time (100,000 services took hours). Not part of the model.
     */
    private final Map<String, Long> searchFrom = new HashMap<>();
    private final List<String> nodes = new ArrayList<>();
    private int nextNetworkId = 1;
    private int roundRobin;

    /**
     * A cluster with the {@code default} and {@code kube-system} namespaces and the default pod and
     * service networks.
     */
    public Cluster()
    {
        addNamespace("default", false);
        addNamespace("kube-system", false);
    }

    // ------------------------------------------------------------------------------------------ queries

    /**
     * The namespaces.
     *
     * @return in creation order.
     */
    public List<Namespace> namespaces()
    {
        return List.copyOf(namespaces.values());
    }

    /**
     * The networks.
     *
     * @return in creation order.
     */
    public List<Network> networks()
    {
        return List.copyOf(networks.values());
    }

    /**
     * A network by fq name.
     *
     * @param fqName the name.
     * @return the network or null.
     */
    public Network network(final String fqName)
    {
        return networks.get(fqName);
    }

    /**
     * The pods.
     *
     * @return in creation order.
     */
    public List<Pod> pods()
    {
        return List.copyOf(pods.values());
    }

    /**
     * A pod.
     *
     * @param namespace namespace.
     * @param name      name.
     * @return the pod or null.
     */
    public Pod pod(final String namespace, final String name)
    {
        return pods.get(namespace + "/" + name);
    }

    /**
     * The policies.
     *
     * @return in creation order.
     */
    public List<Policy> policies()
    {
        return List.copyOf(policies.values());
    }

    /**
     * The logical routers.
     *
     * @return in creation order.
     */
    public List<LogicalRouter> logicalRouters()
    {
        return List.copyOf(routers.values());
    }

    /**
     * The services.
     *
     * @return in creation order.
     */
    public List<Service> services()
    {
        return List.copyOf(services.values());
    }

    /**
     * A service's ready backends: the pods of its namespace that have every label of its selector and run on a
     * node, by name.
     *
     * @param s the service.
     * @return the pods.
     */
    public List<Pod> endpoints(final Service s)
    {
        return pods.values().stream().filter(p -> p.namespace().equals(s.namespace()) && !p.node().isEmpty()
            && p.labels().entrySet().containsAll(s.selector().entrySet())).sorted((a, b) -> a.name().compareTo(
            b.name())).toList();
    }

    /**
     * The pod network a service network serves, or the service network of a pod network: a non-isolated
     * namespace's pods are on the default pod network and its services on the default service network; an
     * isolated namespace has its own pair. Contrail's kube-manager connects each pair with a default policy;
     * here the pair is joined while its service network has at least one service.
     *
     * @param fqName a network.
     * @return the other network of its pair, or null when it is not a namespace's pod or service network.
     */
    public String servicePair(final String fqName)
    {
        final Network n = networks.get(fqName);
        if (n == null || (!n.kind().equals("pod") && !n.kind().equals("service")))
        {
            return null;
        }
        final String want = n.kind().equals("pod") ? "service" : "pod";
        for (final Network other : networks.values())
        {
            if (other.kind().equals(want) && other.owner().equals(n.owner()))
            {
                final String serviceNetwork = want.equals("service") ? other.fqName() : fqName;
                // The pair is joined while the service network has a service: before that it holds nothing to
                // reach, and nodes need neither its VRF nor the policy.
                return services.values().stream().anyMatch(x -> x.network().equals(serviceNetwork))
                    ? other.fqName() : null;
            }
        }
        return null;
    }

    /**
     * The registered nodes.
     *
     * @return in registration order.
     */
    public List<String> nodes()
    {
        return List.copyOf(nodes);
    }

    /**
     * The networks a network is connected to: by a policy attached to both with a pass rule, or by a
     * logical router both are attached to.
     *
     * @param fqName the network.
     * @return connected networks (not including itself).
     */
    public Set<String> connected(final String fqName)
    {
        final Set<String> out = new LinkedHashSet<>();
        final String pair = servicePair(fqName);
        if (pair != null)
        {
            out.add(pair);
        }
        for (final Policy p : policies.values())
        {
            if (p.networks().contains(fqName) && p.rules().stream().anyMatch(r -> r.action().equals("pass")))
            {
                for (final String other : p.networks())
                {
                    if (!other.equals(fqName))
                    {
                        out.add(other);
                    }
                }
            }
        }
        for (final LogicalRouter r : routers.values())
        {
            if (r.networks().contains(fqName))
            {
                for (final String other : r.networks())
                {
                    if (!other.equals(fqName))
                    {
                        out.add(other);
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ nodes

    /**
     * Registers a node (idempotent) and schedules pending pods that can go there.
     *
     * @param node the node name.
     * @return pods newly scheduled.
     */
    public List<Pod> addNode(final String node)
    {
        if (!nodes.contains(node))
        {
            nodes.add(node);
        }
        final List<Pod> scheduled = new ArrayList<>();
        for (final Pod p : List.copyOf(pods.values()))
        {
            if (p.node().isEmpty())
            {
                final Pod placed = schedule(p);
                if (!placed.node().isEmpty())
                {
                    scheduled.add(placed);
                }
            }
        }
        return scheduled;
    }

    // ------------------------------------------------------------------------------------------ apply / delete

    /**
     * Applies objects: all of them or, on the first error, none.
     *
     * @param resources        the objects.
     * @param defaultNamespace namespace for objects that name none.
     * @return one line per object, kubectl style ({@code pod/x created}).
     * @throws IllegalArgumentException naming the object and the problem; the model is unchanged.
     */
    public List<String> apply(final List<Resource> resources, final String defaultNamespace)
    {
        final Cluster draft = copy();
        final List<String> out = new ArrayList<>();
        for (final Resource r : resources)
        {
            try
            {
                out.add(draft.applyOne(r, r.namespace() == null ? defaultNamespace : r.namespace()));
            }
            catch (final IllegalArgumentException e)
            {
                throw new IllegalArgumentException(r.ref() + ": " + e.getMessage(), e);
            }
        }
        replaceWith(draft);
        return out;
    }

    /**
     * Deletes objects: all of them or, on the first error, none.
     *
     * @param resources        the objects.
     * @param defaultNamespace namespace for objects that name none.
     * @return one line per object ({@code pod/x deleted}).
     * @throws IllegalArgumentException naming the object and the problem; the model is unchanged.
     */
    public List<String> delete(final List<Resource> resources, final String defaultNamespace)
    {
        final Cluster draft = copy();
        final List<String> out = new ArrayList<>();
        for (final Resource r : resources)
        {
            try
            {
                out.add(draft.deleteOne(r, r.namespace() == null ? defaultNamespace : r.namespace()));
            }
            catch (final IllegalArgumentException e)
            {
                throw new IllegalArgumentException(r.ref() + ": " + e.getMessage(), e);
            }
        }
        replaceWith(draft);
        return out;
    }

    private String applyOne(final Resource r, final String ns)
    {
        switch (r.kind())
        {
            case "Namespace":
            {
                final String isolation = r.annotations().getOrDefault(ISOLATION, "false");
                if (!"true".equalsIgnoreCase(isolation) && !"false".equalsIgnoreCase(isolation))
                {
                    throw new IllegalArgumentException("annotation " + ISOLATION
                        + " must be \"true\" or \"false\", got '" + isolation + "'");
                }
                final boolean isolated = "true".equalsIgnoreCase(isolation);
                final Namespace existing = namespaces.get(r.name());
                if (existing != null)
                {
                    if (existing.isolated() != isolated)
                    {
                        throw new IllegalArgumentException("isolation of an existing namespace cannot change");
                    }
                    return r.ref() + " unchanged";
                }
                addNamespace(r.name(), isolated);
                return r.ref() + " created";
            }
            case "NetworkAttachmentDefinition":
            {
                requireNamespace(ns);
                final String cidr = r.annotations().get(CIDR);
                if (cidr == null)
                {
                    throw new IllegalArgumentException("annotation " + CIDR + " is required");
                }
                final boolean forwarding = fabricFlag(r, FABRIC_FORWARDING);
                final boolean snat = fabricFlag(r, FABRIC_SNAT);
                return addNetwork(fq(project(ns), "k8s-" + r.name() + "-pod-network"), "attachment", cidr, true,
                    ns + "/" + r.ref(), r.ref(), forwarding, snat);
            }
            case "VirtualNetwork":
            {
                requireNamespace(ns);
                final Object cidr = r.spec().getOrDefault("cidr", r.annotations().get(CIDR));
                if (!(cidr instanceof String c))
                {
                    throw new IllegalArgumentException("spec.cidr is required");
                }
                final Object project = r.spec().getOrDefault("project", project(ns));
                return addNetwork(fq(String.valueOf(project), r.name()), "virtual", c, false, ns + "/" + r.ref(),
                    r.ref());
            }
            case "Pod":
                requireNamespace(ns);
                return addPod(ns, r.name(), networkOf(ns, r.annotations()), "", nodeName(r.spec()), r.ref(),
                    r.labels());
            case "Deployment":
                return applyDeployment(r, ns);
            case "ContrailNetworkPolicy":
                return applyPolicy(r, ns);
            case "LogicalRouter":
                return applyRouter(r, ns);
            case "Service":
                return applyService(r, ns);
            default:
                throw new IllegalArgumentException("unsupported kind " + r.kind() +
                    " (Namespace, NetworkAttachmentDefinition, VirtualNetwork, Pod, Deployment, " +
                    "ContrailNetworkPolicy, LogicalRouter, Service)");
        }
    }

    private String deleteOne(final Resource r, final String ns)
    {
        switch (r.kind())
        {
            case "Namespace":
            {
                if (!namespaces.containsKey(r.name()) || r.name().equals("default") || r.name().equals("kube-system"))
                {
                    throw new IllegalArgumentException(namespaces.containsKey(r.name()) ?
                        "the " + r.name() + " namespace cannot be deleted" : "not found");
                }
                pods.values().removeIf(p -> p.namespace().equals(r.name()) && release(p));
                services.values().removeIf(x -> x.namespace().equals(r.name()) && releaseService(x));
                policies.values().removeIf(p -> p.namespace().equals(r.name()));
                routers.values().removeIf(x -> x.namespace().equals(r.name()));
                for (final Network n : List.copyOf(networks.values()))
                {
                    if (n.owner().startsWith(r.name() + "/"))
                    {
                        removeNetwork(n);
                    }
                }
                namespaces.remove(r.name());
                return r.ref() + " deleted";
            }
            case "NetworkAttachmentDefinition", "VirtualNetwork":
            {
                final Network n = networks.values().stream().filter(x -> x.owner().equals(ns + "/" + r.ref()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("not found"));
                removeNetwork(n);
                return r.ref() + " deleted";
            }
            case "Pod":
            {
                final Pod p = pods.get(ns + "/" + r.name());
                if (p == null)
                {
                    throw new IllegalArgumentException("not found");
                }
                release(p);
                pods.remove(p.key());
                return r.ref() + " deleted";
            }
            case "Deployment":
            {
                final String owner = ns + "/" + r.ref();
                if (pods.values().stream().noneMatch(p -> p.owner().equals(owner)))
                {
                    throw new IllegalArgumentException("not found");
                }
                pods.values().removeIf(p -> p.owner().equals(owner) && release(p));
                return r.ref() + " deleted";
            }
            case "ContrailNetworkPolicy":
                if (policies.remove(ns + "/" + r.name()) == null)
                {
                    throw new IllegalArgumentException("not found");
                }
                return r.ref() + " deleted";
            case "LogicalRouter":
                if (routers.remove(ns + "/" + r.name()) == null)
                {
                    throw new IllegalArgumentException("not found");
                }
                return r.ref() + " deleted";
            case "Service":
            {
                final Service x = services.remove(ns + "/" + r.name());
                if (x == null)
                {
                    throw new IllegalArgumentException("not found");
                }
                releaseService(x);
                return r.ref() + " deleted";
            }
            default:
                throw new IllegalArgumentException("unsupported kind " + r.kind());
        }
    }

    @SuppressWarnings("unchecked")
    private String applyDeployment(final Resource r, final String ns)
    {
        requireNamespace(ns);
        final Object replicas = r.spec().getOrDefault("replicas", 1);
        if (!(replicas instanceof Integer n) || n < 0 || n > 256)
        {
            throw new IllegalArgumentException("spec.replicas must be 0..256");
        }
        Map<String, String> annotations = Map.of();
        Map<String, String> labels = Map.of();
        Map<String, Object> podSpec = Map.of();
        if (r.spec().get("template") instanceof Map<?, ?> template)
        {
            if (template.get("metadata") instanceof Map<?, ?> md && md.get("annotations") instanceof Map<?, ?> a)
            {
                final Map<String, String> copy = new LinkedHashMap<>();
                a.forEach((k, v) -> copy.put(String.valueOf(k), String.valueOf(v)));
                annotations = copy;
            }
            if (template.get("metadata") instanceof Map<?, ?> md)
            {
                labels = Resource.stringMap(md.get("labels"), "spec.template.metadata.labels");
            }
            if (template.get("spec") instanceof Map<?, ?> s)
            {
                podSpec = (Map<String, Object>)s;
            }
        }
        final String owner = ns + "/" + r.ref();
        final String network = networkOf(ns, annotations);
        final String hash = podTemplateHash(ns + "/" + r.name());
        final List<Pod> existing = pods.values().stream().filter(p -> p.owner().equals(owner)).toList();
        for (int i = existing.size(); i < n; i++)
        {
            addPod(ns, r.name() + "-" + hash + "-" + suffix(ns + "/" + r.name(), i), network, owner, nodeName(
                podSpec), r.ref(), labels);
        }
        for (int i = n; i < existing.size(); i++)
        {
            release(existing.get(i));
            pods.remove(existing.get(i).key());
        }
        return r.ref() + (existing.isEmpty() ? " created" : " configured");
    }

    @SuppressWarnings("unchecked")
    private String applyPolicy(final Resource r, final String ns)
    {
        requireNamespace(ns);
        if (!(r.spec().get("networks") instanceof List<?> refs) || refs.size() < 2)
        {
            throw new IllegalArgumentException("spec.networks must name at least two networks");
        }
        final List<String> attached = new ArrayList<>();
        for (final Object ref : refs)
        {
            attached.add(resolveNetwork(ns, ref));
        }
        final List<PolicyRule> rules = new ArrayList<>();
        if (!(r.spec().get("rules") instanceof List<?> list) || list.isEmpty())
        {
            throw new IllegalArgumentException("spec.rules must hold at least one rule");
        }
        for (final Object o : list)
        {
            if (!(o instanceof Map<?, ?> rule))
            {
                throw new IllegalArgumentException("a rule is not a mapping");
            }
            rules.add(rule((Map<String, Object>)rule, ns));
        }
        final boolean existed = policies.put(ns + "/" + r.name(), new Policy(ns, r.name(), attached, rules)) != null;
        return r.ref() + (existed ? " configured" : " created");
    }

    /**
     * A logical router: {@code spec.networks} names the networks it attaches (at least one; an attached
     * network alone reaches nothing); each at most once.
     */
    private String applyRouter(final Resource r, final String ns)
    {
        requireNamespace(ns);
        if (!(r.spec().get("networks") instanceof List<?> refs) || refs.isEmpty())
        {
            throw new IllegalArgumentException("spec.networks must name at least one network");
        }
        final List<String> attached = new ArrayList<>();
        for (final Object ref : refs)
        {
            final String fqName = resolveNetwork(ns, ref);
            if (attached.contains(fqName))
            {
                throw new IllegalArgumentException("network " + fqName + " is named twice");
            }
            attached.add(fqName);
        }
        final boolean existed = routers.put(ns + "/" + r.name(), new LogicalRouter(ns, r.name(), attached)) != null;
        return r.ref() + (existed ? " configured" : " created");
    }

    /**
     * A ClusterIP service: {@code spec.selector} (labels, at least one), {@code spec.ports} (each {@code port},
     * optional {@code targetPort} (a number; the port when absent), {@code protocol} TCP or UDP (TCP when absent),
     * {@code name}); its address is allocated once from the namespace's service network and kept when the
     * service is applied again. {@code spec.type} may only be ClusterIP and {@code spec.clusterIP} only the
     * address it has.
     */
    private String applyService(final Resource r, final String ns)
    {
        requireNamespace(ns);
        final Object type = r.spec().getOrDefault("type", "ClusterIP");
        if (!"ClusterIP".equals(type))
        {
            throw new IllegalArgumentException("spec.type " + type + " is not supported (ClusterIP)");
        }
        final Map<String, String> selector = Resource.stringMap(r.spec().get("selector"), "spec.selector");
        if (selector.isEmpty())
        {
            throw new IllegalArgumentException("spec.selector must name at least one label");
        }
        if (!(r.spec().get("ports") instanceof List<?> list) || list.isEmpty() || list.size() > 64)
        {
            throw new IllegalArgumentException("spec.ports must hold 1..64 ports");
        }
        final List<ServicePort> ports = new ArrayList<>();
        for (final Object o : list)
        {
            if (!(o instanceof Map<?, ?> m))
            {
                throw new IllegalArgumentException("a port is not a mapping");
            }
            final String protocol = String.valueOf(m.containsKey("protocol") ? m.get("protocol") : "TCP");
            if (!protocol.equals("TCP") && !protocol.equals("UDP"))
            {
                throw new IllegalArgumentException("port protocol must be TCP or UDP, not " + protocol);
            }
            final int port = portNumber(m.get("port"), "port");
            final int target = m.containsKey("targetPort") ? portNumber(m.get("targetPort"), "targetPort") : port;
            final String name = m.containsKey("name") ? String.valueOf(m.get("name")) : "";
            for (final ServicePort other : ports)
            {
                if (other.protocol().equals(protocol) && other.port() == port)
                {
                    throw new IllegalArgumentException("port " + protocol + "/" + port + " is given twice");
                }
            }
            ports.add(new ServicePort(name, protocol, port, target));
        }
        final String network = namespaces.get(ns).isolated() ? fq(project(ns), "k8s-" + ns + "-service-network")
            : fq("k8s-default", "k8s-default-service-network");
        final Service existing = services.get(ns + "/" + r.name());
        final Object asked = r.spec().get("clusterIP");
        if (asked != null && (existing == null || !existing.clusterIp().equals(asked)))
        {
            throw new IllegalArgumentException("spec.clusterIP cannot be chosen (it is allocated from " + network
                + ")");
        }
        final String ip = existing != null ? existing.clusterIp()
            : Ipv4Cidr.format(allocateAddress(networks.get(network)));
        services.put(ns + "/" + r.name(), new Service(ns, r.name(), network, ip, selector, List.copyOf(ports)));
        return r.ref() + (existing != null ? " configured" : " created");
    }

    private static int portNumber(final Object value, final String what)
    {
        if (!(value instanceof Integer n) || n < 1 || n > 65535)
        {
            throw new IllegalArgumentException(what + " must be a number 1..65535, not " + value);
        }
        return n;
    }

    private boolean releaseService(final Service x)
    {
        final Network n = networks.get(x.network());
        if (n != null)
        {
            allocated.get(n.pool()).remove(Ipv4Cidr.parseAddress(x.clusterIp()));
            searchFrom.clear();
        }
        return true;
    }

    private PolicyRule rule(final Map<String, Object> rule, final String ns)
    {
        final String action = String.valueOf(rule.getOrDefault("action", "pass"));
        if (!action.equals("pass") && !action.equals("deny"))
        {
            throw new IllegalArgumentException("rule action must be pass or deny, not " + action);
        }
        final String protocol = String.valueOf(rule.getOrDefault("protocol", "any")).toLowerCase();
        if (!List.of("any", "tcp", "udp", "icmp").contains(protocol))
        {
            throw new IllegalArgumentException("rule protocol must be any, tcp, udp or icmp, not " + protocol);
        }
        final String direction = String.valueOf(rule.getOrDefault("direction", "<>"));
        if (!direction.equals("<>") && !direction.equals(">"))
        {
            throw new IllegalArgumentException("rule direction must be <> or >");
        }
        int low = 0;
        int high = 65535;
        final Object ports = rule.get("ports");
        if (ports != null)
        {
            final String[] range = String.valueOf(ports).split("-", -1);
            try
            {
                low = Integer.parseInt(range[0].trim());
                high = range.length > 1 ? Integer.parseInt(range[1].trim()) : low;
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("rule ports must be N or N-M, not " + ports);
            }
            if (range.length > 2 || low < 0 || high > 65535 || low > high)
            {
                throw new IllegalArgumentException("rule ports must be N or N-M within 0..65535, not " + ports);
            }
        }
        return new PolicyRule(action, protocol, endpoint(ns, rule.get("source")), endpoint(ns, rule.get("destination")),
            low, high, direction.equals("<>"));
    }

    private String endpoint(final String ns, final Object value)
    {
        if (value == null || "any".equals(value))
        {
            return "any";
        }
        if (value instanceof Map<?, ?> m && m.get("cidr") instanceof String c)
        {
            return Ipv4Cidr.parse(c).toString();
        }
        if (value instanceof Map<?, ?> m && m.get("network") != null)
        {
            return resolveNetwork(ns, m.get("network"));
        }
        return resolveNetwork(ns, value);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void addNamespace(final String name, final boolean isolated)
    {
        namespaces.put(name, new Namespace(name, isolated));
        if (name.equals("default"))
        {
            addNetwork(fq("k8s-default", "k8s-default-pod-network"), "pod", POD_POOL.toString(), true, "", "");
            addNetwork(fq("k8s-default", "k8s-default-service-network"), "service", SERVICE_POOL.toString(), true,
                "", "");
        }
        else if (isolated)
        {
            addNetwork(fq(project(name), "k8s-" + name + "-pod-network"), "pod", POD_POOL.toString(), true,
                name + "/namespace", "");
            addNetwork(fq(project(name), "k8s-" + name + "-service-network"), "service", SERVICE_POOL.toString(),
                true, name + "/namespace", "");
        }
    }

    /** An {@code ip_fabric_*} annotation: "true" or "false" (any case, absent is false), anything else refused. */
    private static boolean fabricFlag(final Resource r, final String annotation)
    {
        final String value = r.annotations().getOrDefault(annotation, "false");
        if (!"true".equalsIgnoreCase(value) && !"false".equalsIgnoreCase(value))
        {
            throw new IllegalArgumentException("annotation " + annotation + " must be \"true\" or \"false\", got '"
                + value + "'");
        }
        return "true".equalsIgnoreCase(value);
    }

    /**
     * A node's fabric SNAT port range: its block of the pool by its joining order (nodes are never renumbered).
     *
     * @param node the node.
     * @return {low, high}, or null when the node is unknown or the pool has no block left for it.
     */
    public int[] snatPorts(final String node)
    {
        final int index = nodes.indexOf(node);
        if (index < 0)
        {
            return null;
        }
        final long low = SNAT_POOL_LOW + (long)index * SNAT_BLOCK;
        final long high = low + SNAT_BLOCK - 1;
        return high > SNAT_POOL_HIGH ? null : new int[] {(int)low, (int)high};
    }

    private String addNetwork(
        final String fqName, final String kind, final String cidrText, final boolean topDown, final String owner,
        final String ref)
    {
        return addNetwork(fqName, kind, cidrText, topDown, owner, ref, false, false);
    }

    private String addNetwork(
        final String fqName, final String kind, final String cidrText, final boolean topDown, final String owner,
        final String ref, final boolean fabricForwarding, final boolean fabricSnat)
    {
        final Ipv4Cidr cidr;
        try
        {
            cidr = Ipv4Cidr.parse(cidrText);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("cidr: " + e.getMessage());
        }
        final String pool = kind.equals("pod") ? POD_POOL_KEY : kind.equals("service") ? SERVICE_POOL_KEY : fqName;
        final Network existing = networks.get(fqName);
        if (existing != null)
        {
            if (!existing.cidr().equals(cidr.toString()))
            {
                throw new IllegalArgumentException("network " + fqName + " exists with cidr " + existing.cidr());
            }
            if (existing.fabricForwarding() != fabricForwarding || existing.fabricSnat() != fabricSnat)
            {
                networks.put(fqName, new Network(existing.fqName(), existing.kind(), existing.cidr(),
                    existing.topDown(), existing.pool(), existing.id(), existing.owner(), fabricForwarding,
                    fabricSnat));
                return ref + " configured";
            }
            return ref + " unchanged";
        }
        if (!kind.equals("pod") && !kind.equals("service"))
        {
            if (POD_POOL.overlaps(cidr) || SERVICE_POOL.overlaps(cidr))
            {
                throw new IllegalArgumentException(cidr + " overlaps the cluster " + (POD_POOL.overlaps(cidr)
                    ? "pod pool " + POD_POOL : "service pool " + SERVICE_POOL) + ", which pods and services draw on");
            }
            for (final Network n : networks.values())
            {
                if (!n.pool().equals(POD_POOL_KEY) && !n.pool().equals(SERVICE_POOL_KEY) &&
                    Ipv4Cidr.parse(n.cidr()).overlaps(cidr))
                {
                    throw new IllegalArgumentException(cidr + " overlaps network " + n.fqName() + " (" + n.cidr()
                        + ")");
                }
            }
        }
        networks.put(fqName, new Network(fqName, kind, cidr.toString(), topDown, pool, nextNetworkId++, owner,
            fabricForwarding, fabricSnat));
        allocated.computeIfAbsent(pool, k -> new TreeSet<>());
        return ref + " created";
    }

    private void removeNetwork(final Network n)
    {
        final List<String> users = pods.values().stream().filter(p -> p.network().equals(n.fqName()))
            .map(Pod::key).toList();
        if (!users.isEmpty())
        {
            throw new IllegalArgumentException("network " + n.fqName() + " is in use by pods " + users);
        }
        for (final Policy p : policies.values())
        {
            if (p.networks().contains(n.fqName()))
            {
                throw new IllegalArgumentException("network " + n.fqName() + " is attached to policy " + p.name());
            }
        }
        for (final LogicalRouter r : routers.values())
        {
            if (r.networks().contains(n.fqName()))
            {
                throw new IllegalArgumentException("network " + n.fqName() + " is attached to logical router " +
                    r.name());
            }
        }
        networks.remove(n.fqName());
        if (n.pool().equals(n.fqName()))
        {
            allocated.remove(n.pool());
            searchFrom.clear();
        }
    }

    private String addPod(
        final String ns, final String name, final String network, final String owner, final String nodeName,
        final String ref, final Map<String, String> labels)
    {
        final Pod existing = pods.get(ns + "/" + name);
        if (existing != null)
        {
            if (!existing.network().equals(network))
            {
                throw new IllegalArgumentException("the network of an existing pod cannot change");
            }
            return ref + " unchanged";
        }
        final Network n = networks.get(network);
        final String ip = Ipv4Cidr.format(allocateAddress(n));
        final String mac = mac(ns + "/" + name);
        final Pod pod = schedule(new Pod(ns, name, network, ip, mac, "", 0, owner, nodeName, labels));
        pods.put(pod.key(), pod);
        return ref + " created";
    }

    private Pod schedule(final Pod p)
    {
        if (nodes.isEmpty() || (!p.nodeName().isEmpty() && !nodes.contains(p.nodeName())))
        {
            return p;
        }
        final String node = p.nodeName().isEmpty() ? nodes.get(roundRobin++ % nodes.size()) : p.nodeName();
        final Pod placed = new Pod(p.namespace(), p.name(), p.network(), p.ip(), p.mac(), node, allocateLabel(node),
            p.owner(), p.nodeName(), p.labels());
        pods.put(placed.key(), placed);
        return placed;
    }

    private int allocateLabel(final String node)
    {
        final Set<Integer> used = new TreeSet<>();
        for (final Pod p : pods.values())
        {
            if (p.node().equals(node))
            {
                used.add(p.label());
            }
        }
        int label = FIRST_LABEL;
        while (used.contains(label))
        {
            label++;
        }
        return label;
    }

    private int allocateAddress(final Network n)
    {
        final Ipv4Cidr cidr = Ipv4Cidr.parse(n.cidr());
        final TreeSet<Integer> used = allocated.get(n.pool());
        final int first = cidr.network() + 3;
        final int last = cidr.last() - 3;
        final String key = (n.topDown() ? "down:" : "up:") + n.fqName();
        if (n.topDown())
        {
            for (long a = searchFrom.getOrDefault(key, last & 0xFFFFFFFFL); a >= (first & 0xFFFFFFFFL) - 2; a--)
            {
                if (!used.contains((int)a))
                {
                    used.add((int)a);
                    searchFrom.put(key, a - 1);
                    return (int)a;
                }
            }
        }
        else
        {
            for (long a = searchFrom.getOrDefault(key, first & 0xFFFFFFFFL); a <= (last & 0xFFFFFFFFL) + 2; a++)
            {
                if (!used.contains((int)a))
                {
                    used.add((int)a);
                    searchFrom.put(key, a + 1);
                    return (int)a;
                }
            }
        }
        throw new IllegalArgumentException("network " + n.fqName() + " has no free address");
    }

    private boolean release(final Pod p)
    {
        final Network n = networks.get(p.network());
        if (n != null)
        {
            allocated.get(n.pool()).remove(Ipv4Cidr.parseAddress(p.ip()));
            searchFrom.clear();
        }
        return true;
    }

    private String networkOf(final String ns, final Map<String, String> annotations)
    {
        final String annotation = annotations.get(NETWORK);
        if (annotation != null)
        {
            final Object ref;
            try
            {
                ref = new Yaml(new SafeConstructor(new LoaderOptions())).load(annotation);
            }
            catch (final org.yaml.snakeyaml.error.YAMLException e)
            {
                throw new IllegalArgumentException(NETWORK + " is not JSON: " + annotation);
            }
            return resolveNetwork(ns, ref);
        }
        final Namespace namespace = namespaces.get(ns);
        return namespace.isolated() ? fq(project(ns), "k8s-" + ns + "-pod-network") :
            fq("k8s-default", "k8s-default-pod-network");
    }

    /**
     * Resolves a network reference: a map with domain/project/name, an fq name, or a short name in the
     * namespace's project (a VirtualNetwork's name or a NetworkAttachmentDefinition's name).
     */
    private String resolveNetwork(final String ns, final Object ref)
    {
        final List<String> candidates = new ArrayList<>();
        if (ref instanceof Map<?, ?> m)
        {
            final String domain = String.valueOf(m.containsKey("domain") ? m.get("domain") : DOMAIN);
            final String project = String.valueOf(m.containsKey("project") ? m.get("project") : project(ns));
            final String name = String.valueOf(m.get("name"));
            candidates.add(domain + ":" + project + ":" + name);
            candidates.add(domain + ":" + project + ":k8s-" + name + "-pod-network");
        }
        else if (ref instanceof String s && s.split(":").length == 3)
        {
            candidates.add(s);
        }
        else if (ref instanceof String s)
        {
            candidates.add(fq(project(ns), s));
            candidates.add(fq(project(ns), "k8s-" + s + "-pod-network"));
        }
        for (final String c : candidates)
        {
            if (networks.containsKey(c))
            {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown network " + ref);
    }

    private void requireNamespace(final String ns)
    {
        if (!namespaces.containsKey(ns))
        {
            throw new IllegalArgumentException("namespace " + ns + " not found");
        }
    }

    private static String nodeName(final Map<String, Object> spec)
    {
        final Object n = spec.get("nodeName");
        return n == null ? "" : String.valueOf(n);
    }

    private static String project(final String ns)
    {
        return "k8s-" + ns;
    }

    private static String fq(final String project, final String name)
    {
        return DOMAIN + ":" + project + ":" + name;
    }

    private static String podTemplateHash(final String key)
    {
        final String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        long h = key.hashCode() & 0xFFFFFFFFL;
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < 9; i++)
        {
            out.append(alphabet.charAt((int)(h % alphabet.length())));
            h = h / alphabet.length() + (long)(i + 7) * 2654435761L % 1000;
        }
        return out.toString();
    }

    private static String suffix(final String name, final int index)
    {
        return podTemplateHash(name + "#" + index).substring(0, 5);
    }

    private static String mac(final String key)
    {
        final int h = key.hashCode();
        final int g = (key + "/mac").hashCode();
        return String.format("02:%02x:%02x:%02x:%02x:%02x", h >>> 24, h >>> 16 & 0xFF, h >>> 8 & 0xFF, h & 0xFF,
            g & 0xFF);
    }

    // ------------------------------------------------------------------------------------------ persistence

    /**
     * The model as YAML.
     *
     * @return text for {@link #fromYaml}.
     */
    public String toYaml()
    {
        return new Yaml().dump(toTree());
    }

    /**
     * The model as the tree {@link #toYaml()} writes: mappings, lists, strings, integers and booleans.
     *
     * @return the tree (a fresh one, the caller's to change).
     */
    Map<String, Object> toTree()
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("nextNetworkId", nextNetworkId);
        root.put("roundRobin", roundRobin);
        root.put("nodes", List.copyOf(nodes));
        for (final String kind : KINDS)
        {
            root.put(kind, objects(kind).values().stream().map(Cluster::treeOf).toList());
        }
        return root;
    }

    /** The kinds of objects, in the order a model is read (an object refers only to kinds before its own). */
    static final List<String> KINDS = List.of("namespaces", "networks", "pods", "policies", "logicalRouters",
        "services");

    /** The objects of a kind by key (name, fq name or {@code namespace/name}), in creation order. */
    Map<String, ?> objects(final String kind)
    {
        return switch (kind)
        {
            case "namespaces" -> namespaces;
            case "networks" -> networks;
            case "pods" -> pods;
            case "policies" -> policies;
            case "logicalRouters" -> routers;
            case "services" -> services;
            default -> throw new IllegalArgumentException("no kind " + kind);
        };
    }

    /**
     * The key of an object's tree in its kind's map: {@code name} (namespaces), {@code fqName} (networks), else
     * {@code namespace/name}.
     *
     * @param kind one of {@link #KINDS}.
     * @param tree the object as {@link #toTree()} writes it.
     * @return the key, or null when the tree lacks the fields.
     */
    static String keyOf(final String kind, final Map<?, ?> tree)
    {
        return switch (kind)
        {
            case "namespaces" -> tree.get("name") instanceof String n ? n : null;
            case "networks" -> tree.get("fqName") instanceof String n ? n : null;
            default -> tree.get("namespace") instanceof String ns && tree.get("name") instanceof String n
                ? ns + "/" + n : null;
        };
    }

    /**
     * One object as {@link #toTree()} writes it.
     *
     * @param o a namespace, network, pod, policy, logical router or service.
     * @return a fresh tree.
     */
    static Map<String, Object> treeOf(final Object o)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        switch (o)
        {
            case Namespace n ->
            {
                m.put("name", n.name());
                m.put("isolated", n.isolated());
            }
            case Network n ->
            {
                m.put("fqName", n.fqName());
                m.put("kind", n.kind());
                m.put("cidr", n.cidr());
                m.put("topDown", n.topDown());
                m.put("pool", n.pool());
                m.put("id", n.id());
                m.put("owner", n.owner());
                m.put("fabricForwarding", n.fabricForwarding());
                m.put("fabricSnat", n.fabricSnat());
            }
            case Pod p ->
            {
                m.put("namespace", p.namespace());
                m.put("name", p.name());
                m.put("network", p.network());
                m.put("ip", p.ip());
                m.put("mac", p.mac());
                m.put("node", p.node());
                m.put("label", p.label());
                m.put("owner", p.owner());
                m.put("nodeName", p.nodeName());
                m.put("labels", new LinkedHashMap<>(p.labels()));
            }
            case Policy p ->
            {
                m.put("namespace", p.namespace());
                m.put("name", p.name());
                m.put("networks", p.networks());
                m.put("rules", p.rules().stream().map(r -> {
                    final Map<String, Object> rm = new LinkedHashMap<>();
                    rm.put("action", r.action());
                    rm.put("protocol", r.protocol());
                    rm.put("source", r.source());
                    rm.put("destination", r.destination());
                    rm.put("portLow", r.portLow());
                    rm.put("portHigh", r.portHigh());
                    rm.put("bidirectional", r.bidirectional());
                    return rm;
                }).toList());
            }
            case LogicalRouter r ->
            {
                m.put("namespace", r.namespace());
                m.put("name", r.name());
                m.put("networks", r.networks());
            }
            case Service x ->
            {
                m.put("namespace", x.namespace());
                m.put("name", x.name());
                m.put("network", x.network());
                m.put("clusterIP", x.clusterIp());
                m.put("selector", new LinkedHashMap<>(x.selector()));
                m.put("ports", x.ports().stream().map(sp -> {
                    final Map<String, Object> pm = new LinkedHashMap<>();
                    pm.put("name", sp.name());
                    pm.put("protocol", sp.protocol());
                    pm.put("port", sp.port());
                    pm.put("targetPort", sp.targetPort());
                    return pm;
                }).toList());
            }
            default -> throw new IllegalArgumentException("not an object of the model: " + o);
        }
        return m;
    }

    /**
     * Reads a model written by {@link #toYaml()}, checked as strictly as {@link #apply} checks
     * manifests: every field's type and range, network names, kinds, pools, CIDRs and ids (unique),
     * pods' networks, addresses (inside their network, each once), MACs, nodes and labels, policies'
     * actions, protocols and ports.
     *
     * @param yaml the text.
     * @return the model.
     * @throws IllegalArgumentException naming the field and the reason when the text is not a valid
     *                                  saved model.
     */
    public static Cluster fromYaml(final String yaml)
    {
        final Object tree;
        try
        {
            tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        }
        catch (final RuntimeException e)
        {
            throw new IllegalArgumentException("not YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return fromTree(tree);
    }

    /**
     * Reads a model from the tree {@link #toTree()} writes, with {@link #fromYaml}'s checks.
     *
     * @param tree the tree.
     * @return the model.
     * @throws IllegalArgumentException naming the field and the reason when the tree is not a valid model.
     */
    static Cluster fromTree(final Object tree)
    {
        final Map<String, Object> root = StateReader.map(tree, "(top level)");
        final Cluster c = new Cluster();
        c.namespaces.clear();
        c.networks.clear();
        c.allocated.clear();
        c.nextNetworkId = StateReader.integer(root, "nextNetworkId", "", 1, MAX_NETWORK_ID + 1);
        c.roundRobin = StateReader.integer(root, "roundRobin", "", 0, Integer.MAX_VALUE);
        final List<?> nodeList = StateReader.list(root, "nodes", "");
        for (int i = 0; i < nodeList.size(); i++)
        {
            final String where = "nodes[" + i + "]";
            if (!(nodeList.get(i) instanceof String n) || !n.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,252}"))
            {
                throw StateReader.refuse(where, "not a node name: " + StateReader.describe(nodeList.get(i)));
            }
            if (c.nodes.contains(n))
            {
                throw StateReader.refuse(where, "node " + n + " listed twice");
            }
            c.nodes.add(n);
        }
        for (final String kind : KINDS)
        {
            // Logical routers and services are absent from states saved before they existed.
            final List<?> list = root.containsKey(kind) || !List.of("logicalRouters", "services").contains(kind)
                ? StateReader.list(root, kind, "") : List.of();
            for (int i = 0; i < list.size(); i++)
            {
                c.read(kind, StateReader.map(list.get(i), kind + "[" + i + "]"), kind + "[" + i + "].", false);
            }
        }
        return c;
    }

    /**
     * Reads one object of a kind into this model, with {@link #fromTree}'s checks, and takes its address.
     *
     * @param kind    one of {@link #KINDS}.
     * @param tree    the object.
     * @param where   where it is, for errors ({@code pods[3].}).
     * @param replace whether it may replace an object of the same key (whose address was given back).
     * @throws IllegalArgumentException naming the field and the reason.
     */
    private void read(final String kind, final Map<String, Object> tree, final String where, final boolean replace)
    {
        switch (kind)
        {
            case "namespaces" -> readNamespace(this, tree, where, replace);
            case "networks" -> readNetwork(this, tree, where, replace);
            case "pods" -> readPod(this, tree, where, replace);
            case "policies" -> readPolicy(this, tree, where, replace);
            case "logicalRouters" -> readRouter(this, tree, where, replace);
            case "services" -> readService(this, tree, where, replace);
            default -> throw new IllegalArgumentException("no kind " + kind);
        }
    }

    private static void readNamespace(final Cluster c, final Map<String, Object> n, final String where,
        final boolean replace)
    {
        final String name = StateReader.string(n, "name", where, false);
        if (c.namespaces.put(name, new Namespace(name, StateReader.bool(n, "isolated", where))) != null && !replace)
        {
            throw StateReader.refuse(where + "name", "namespace " + name + " listed twice");
        }
    }

    private static void readNetwork(final Cluster c, final Map<String, Object> n, final String where,
        final boolean replace)
    {
        final String fqName = StateReader.string(n, "fqName", where, false);
        final String[] parts = fqName.split(":", -1);
        if (parts.length != 3 || Stream.of(parts).anyMatch(String::isBlank))
        {
            throw StateReader.refuse(where + "fqName", "'" + fqName + "' is not domain:project:name");
        }
        final String kind = StateReader.string(n, "kind", where, false);
        if (!List.of("pod", "service", "attachment", "virtual").contains(kind))
        {
            throw StateReader.refuse(where + "kind", "must be pod, service, attachment or virtual, not " + kind);
        }
        final String cidr = StateReader.string(n, "cidr", where, false);
        try
        {
            Ipv4Cidr.parse(cidr);
        }
        catch (final IllegalArgumentException e)
        {
            throw StateReader.refuse(where + "cidr", e.getMessage());
        }
        final String pool = StateReader.string(n, "pool", where, false);
        final String wantPool = kind.equals("pod") ? POD_POOL_KEY : kind.equals("service") ? SERVICE_POOL_KEY
            : fqName;
        if (!pool.equals(wantPool))
        {
            throw StateReader.refuse(where + "pool", "a " + kind + " network draws on " + wantPool + ", not " +
                pool);
        }
        final int id = StateReader.integer(n, "id", where, 1, MAX_NETWORK_ID);
        if (c.networks.values().stream().anyMatch(o -> o.id() == id && !o.fqName().equals(fqName)))
        {
            throw StateReader.refuse(where + "id", "network id " + id + " used twice");
        }
        // Files written before the fabric flags existed have neither: false.
        final boolean forwarding = n.containsKey("fabricForwarding")
            && StateReader.bool(n, "fabricForwarding", where);
        final boolean snat = n.containsKey("fabricSnat") && StateReader.bool(n, "fabricSnat", where);
        final Network net = new Network(fqName, kind, cidr, StateReader.bool(n, "topDown", where), pool, id,
            StateReader.string(n, "owner", where, true), forwarding, snat);
        if (c.networks.put(net.fqName(), net) != null && !replace)
        {
            throw StateReader.refuse(where + "fqName", "network " + fqName + " listed twice");
        }
        c.allocated.computeIfAbsent(net.pool(), k -> new TreeSet<>());
    }

    private static void readPod(final Cluster c, final Map<String, Object> p, final String where,
        final boolean replace)
    {
        final String network = StateReader.string(p, "network", where, false);
        final Network net = c.networks.get(network);
        if (net == null)
        {
            throw StateReader.refuse(where + "network", "no network " + network + " in the state");
        }
        final String ip = StateReader.string(p, "ip", where, false);
        final int address;
        try
        {
            address = Ipv4Cidr.parseAddress(ip);
        }
        catch (final IllegalArgumentException e)
        {
            throw StateReader.refuse(where + "ip", e.getMessage());
        }
        if (!Ipv4Cidr.parse(net.cidr()).contains(address))
        {
            throw StateReader.refuse(where + "ip", ip + " is outside its network " + net.cidr());
        }
        if (!c.allocated.get(net.pool()).add(address))
        {
            throw StateReader.refuse(where + "ip", ip + " is given to two pods");
        }
        final String mac = StateReader.string(p, "mac", where, false);
        if (!mac.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}"))
        {
            throw StateReader.refuse(where + "mac", "'" + mac + "' is not a MAC (xx:xx:xx:xx:xx:xx)");
        }
        final String node = StateReader.string(p, "node", where, true);
        if (!node.isEmpty() && !c.nodes.contains(node))
        {
            throw StateReader.refuse(where + "node", "no node " + node + " in the state's nodes");
        }
        final int label = node.isEmpty() ? StateReader.integer(p, "label", where, 0, 0)
            : StateReader.integer(p, "label", where, FIRST_LABEL, MAX_LABEL);
        final Map<String, String> labels;
        try
        {
            labels = Resource.stringMap(p.get("labels"), "labels");
        }
        catch (final IllegalArgumentException e)
        {
            throw StateReader.refuse(where + "labels", e.getMessage());
        }
        final Pod pod = new Pod(StateReader.string(p, "namespace", where, false),
            StateReader.string(p, "name", where, false), network, ip, mac, node, label,
            StateReader.string(p, "owner", where, true), StateReader.string(p, "nodeName", where, true), labels);
        if (c.pods.put(pod.key(), pod) != null && !replace)
        {
            throw StateReader.refuse(where + "name", "pod " + pod.key() + " listed twice");
        }
    }

    private static void readPolicy(final Cluster c, final Map<String, Object> p, final String where,
        final boolean replace)
    {
        final List<String> attached = new ArrayList<>();
        final List<?> nets = StateReader.list(p, "networks", where);
        for (int k = 0; k < nets.size(); k++)
        {
            if (!(nets.get(k) instanceof String s) || s.isBlank())
            {
                throw StateReader.refuse(where + "networks[" + k + "]", "not a network name: " +
                    StateReader.describe(nets.get(k)));
            }
            attached.add(s);
        }
        final List<PolicyRule> rules = new ArrayList<>();
        final List<?> ruleList = StateReader.list(p, "rules", where);
        for (int k = 0; k < ruleList.size(); k++)
        {
            final String rw = where + "rules[" + k + "].";
            final Map<String, Object> r = StateReader.map(ruleList.get(k), where + "rules[" + k + "]");
            final String action = StateReader.string(r, "action", rw, false);
            if (!action.equals("pass") && !action.equals("deny"))
            {
                throw StateReader.refuse(rw + "action", "must be pass or deny, not " + action);
            }
            final String protocol = StateReader.string(r, "protocol", rw, false);
            if (!List.of("any", "tcp", "udp", "icmp").contains(protocol))
            {
                throw StateReader.refuse(rw + "protocol", "must be any, tcp, udp or icmp, not " + protocol);
            }
            final int low = StateReader.integer(r, "portLow", rw, 0, 65535);
            final int high = StateReader.integer(r, "portHigh", rw, low, 65535);
            rules.add(new PolicyRule(action, protocol, endpoint(r, "source", rw), endpoint(r, "destination", rw),
                low, high, StateReader.bool(r, "bidirectional", rw)));
        }
        final Policy policy = new Policy(StateReader.string(p, "namespace", where, false),
            StateReader.string(p, "name", where, false), attached, rules);
        if (c.policies.put(policy.namespace() + "/" + policy.name(), policy) != null && !replace)
        {
            throw StateReader.refuse(where + "name", "policy " + policy.name() + " listed twice");
        }
    }

    private static void readRouter(final Cluster c, final Map<String, Object> r, final String where,
        final boolean replace)
    {
        final List<String> attached = new ArrayList<>();
        final List<?> nets = StateReader.list(r, "networks", where);
        for (int k = 0; k < nets.size(); k++)
        {
            if (!(nets.get(k) instanceof String s) || !c.networks.containsKey(s) || attached.contains(s))
            {
                throw StateReader.refuse(where + "networks[" + k + "]", "not a known network, or listed twice: "
                    + StateReader.describe(nets.get(k)));
            }
            attached.add(s);
        }
        final LogicalRouter router = new LogicalRouter(StateReader.string(r, "namespace", where, false),
            StateReader.string(r, "name", where, false), List.copyOf(attached));
        if (c.routers.put(router.namespace() + "/" + router.name(), router) != null && !replace)
        {
            throw StateReader.refuse(where + "name", "logical router " + router.name() + " listed twice");
        }
    }

    private static void readService(final Cluster c, final Map<String, Object> x, final String where,
        final boolean replace)
    {
        final String network = StateReader.string(x, "network", where, false);
        final Network net = c.networks.get(network);
        if (net == null || !net.kind().equals("service"))
        {
            throw StateReader.refuse(where + "network", "no service network " + network + " in the state");
        }
        final String ip = StateReader.string(x, "clusterIP", where, false);
        try
        {
            final int address = Ipv4Cidr.parseAddress(ip);
            if (!Ipv4Cidr.parse(net.cidr()).contains(address) || !c.allocated.get(net.pool()).add(address))
            {
                throw new IllegalArgumentException(ip + " is outside " + net.cidr() + " or given twice");
            }
        }
        catch (final IllegalArgumentException e)
        {
            throw StateReader.refuse(where + "clusterIP", e.getMessage());
        }
        final Map<String, String> selector;
        try
        {
            selector = Resource.stringMap(x.get("selector"), "selector");
        }
        catch (final IllegalArgumentException e)
        {
            throw StateReader.refuse(where + "selector", e.getMessage());
        }
        final List<ServicePort> ports = new ArrayList<>();
        final List<?> portList = StateReader.list(x, "ports", where);
        for (int k = 0; k < portList.size(); k++)
        {
            final String pw = where + "ports[" + k + "].";
            final Map<String, Object> sp = StateReader.map(portList.get(k), where + "ports[" + k + "]");
            final String protocol = StateReader.string(sp, "protocol", pw, false);
            if (!protocol.equals("TCP") && !protocol.equals("UDP"))
            {
                throw StateReader.refuse(pw + "protocol", "must be TCP or UDP, not " + protocol);
            }
            ports.add(new ServicePort(StateReader.string(sp, "name", pw, true), protocol,
                StateReader.integer(sp, "port", pw, 1, 65535),
                StateReader.integer(sp, "targetPort", pw, 1, 65535)));
        }
        final Service service = new Service(StateReader.string(x, "namespace", where, false),
            StateReader.string(x, "name", where, false), network, ip, selector, List.copyOf(ports));
        if (c.services.put(service.namespace() + "/" + service.name(), service) != null && !replace)
        {
            throw StateReader.refuse(where + "name", "service " + service.name() + " listed twice");
        }
    }


    /** A saved rule endpoint: any, a CIDR or a network's name. */
    private static String endpoint(final Map<String, Object> r, final String key, final String where)
    {
        final String v = StateReader.string(r, key, where, false);
        if (v.equals("any") || v.split(":", -1).length == 3)
        {
            return v;
        }
        try
        {
            return Ipv4Cidr.parse(v).toString();
        }
        catch (final IllegalArgumentException e)
        {
            throw StateReader.refuse(where + key, "not any, a CIDR or a network: " + e.getMessage());
        }
    }

    /**
     * An independent copy. The objects are immutable records, so the copy shares them: it costs a map entry per
     * object and the allocation sets, nothing is written out or checked again.
     *
     * @return the copy.
     */
    Cluster copy()
    {
        final Cluster c = new Cluster();
        c.replaceWith(this);
        return c;
    }

    /**
     * What one model changed against an older one, object by object: what a commit writes to a journal or to
     * etcd instead of the whole model.
     *
     * @param nextNetworkId the newer model's next network id.
     * @param roundRobin    its scheduling position.
     * @param nodes         its nodes, or null when they are the older model's.
     * @param puts          per kind ({@link #KINDS}), the objects added or changed as {@link #toTree()} writes
     *                      them, by key, in the newer model's order.
     * @param deletes       per kind, the keys of the objects removed.
     */
    record Delta(int nextNetworkId, int roundRobin, List<String> nodes,
        Map<String, Map<String, Map<String, Object>>> puts, Map<String, List<String>> deletes)
    {
        /**
         * Whether the delta touches nodes, namespaces or networks, which other objects refer to: such a delta
         * is applied by reading the whole model again.
         *
         * @return true when structural.
         */
        boolean structural()
        {
            return nodes != null || puts.containsKey("namespaces") || puts.containsKey("networks")
                || deletes.containsKey("namespaces") || deletes.containsKey("networks");
        }

        /**
         * How many objects it adds, changes or removes.
         *
         * @return the count.
         */
        int size()
        {
            int n = 0;
            for (final Map<String, Map<String, Object>> m : puts.values())
            {
                n += m.size();
            }
            for (final List<String> l : deletes.values())
            {
                n += l.size();
            }
            return n;
        }

        /**
         * The delta as a tree of mappings, lists and scalars (for a journal line).
         *
         * @return the tree.
         */
        Map<String, Object> toTree()
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("nextNetworkId", nextNetworkId);
            m.put("roundRobin", roundRobin);
            if (nodes != null)
            {
                m.put("nodes", nodes);
            }
            final Map<String, Object> p = new LinkedHashMap<>();
            puts.forEach((kind, objects) -> p.put(kind, List.copyOf(objects.values())));
            m.put("put", p);
            m.put("delete", deletes);
            return m;
        }

        /**
         * Reads a tree {@link #toTree()} wrote; the objects themselves are checked when applied.
         *
         * @param tree the tree.
         * @return the delta.
         * @throws IllegalArgumentException naming what is wrong.
         */
        static Delta fromTree(final Object tree)
        {
            final Map<String, Object> root = StateReader.map(tree, "(delta)");
            final int next = StateReader.integer(root, "nextNetworkId", "", 1, MAX_NETWORK_ID + 1);
            final int rr = StateReader.integer(root, "roundRobin", "", 0, Integer.MAX_VALUE);
            List<String> nodes = null;
            if (root.containsKey("nodes"))
            {
                nodes = new ArrayList<>();
                for (final Object n : StateReader.list(root, "nodes", ""))
                {
                    if (!(n instanceof String s))
                    {
                        throw StateReader.refuse("nodes", "not a node name: " + StateReader.describe(n));
                    }
                    nodes.add(s);
                }
            }
            final Map<String, Map<String, Map<String, Object>>> puts = new LinkedHashMap<>();
            final Map<String, Object> put = StateReader.map(root.get("put"), "put");
            for (final String k : put.keySet())
            {
                final String kind = knownKind(k, "put.");
                final Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
                final List<?> list = StateReader.list(put, kind, "put.");
                for (int i = 0; i < list.size(); i++)
                {
                    final Map<String, Object> o = StateReader.map(list.get(i), "put." + kind + "[" + i + "]");
                    final String key = keyOf(kind, o);
                    if (key == null)
                    {
                        throw StateReader.refuse("put." + kind + "[" + i + "]", "no name");
                    }
                    objects.put(key, o);
                }
                puts.put(kind, objects);
            }
            final Map<String, List<String>> deletes = new LinkedHashMap<>();
            final Map<String, Object> delete = StateReader.map(root.get("delete"), "delete");
            for (final String k0 : delete.keySet())
            {
                final String kind = knownKind(k0, "delete.");
                final List<String> keys = new ArrayList<>();
                for (final Object k : StateReader.list(delete, kind, "delete."))
                {
                    if (!(k instanceof String s))
                    {
                        throw StateReader.refuse("delete." + kind, "not a key: " + StateReader.describe(k));
                    }
                    keys.add(s);
                }
                deletes.put(kind, keys);
            }
            return new Delta(next, rr, nodes, puts, deletes);
        }

        private static String knownKind(final String kind, final String where)
        {
            if (!KINDS.contains(kind))
            {
                throw StateReader.refuse(where + kind, "not a kind of object (" + String.join(", ", KINDS) + ")");
            }
            return kind;
        }
    }

    /**
     * What this model changed against an older one. Objects shared with it (a {@link #copy()} and the changes
     * made to it) are compared by reference, so this costs a map lookup per object.
     *
     * @param older the model this one was made from.
     * @return the delta (empty when nothing changed).
     */
    Delta since(final Cluster older)
    {
        final Map<String, Map<String, Map<String, Object>>> puts = new LinkedHashMap<>();
        final Map<String, List<String>> deletes = new LinkedHashMap<>();
        for (final String kind : KINDS)
        {
            final Map<String, ?> now = objects(kind);
            final Map<String, ?> then = older.objects(kind);
            for (final Map.Entry<String, ?> e : now.entrySet())
            {
                final Object had = then.get(e.getKey());
                if (had != e.getValue() && !e.getValue().equals(had))
                {
                    puts.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(e.getKey(), treeOf(e.getValue()));
                }
            }
            if (now.size() - puts.getOrDefault(kind, Map.of()).size() != then.size())
            {
                for (final String key : then.keySet())
                {
                    if (!now.containsKey(key))
                    {
                        deletes.computeIfAbsent(kind, k -> new ArrayList<>()).add(key);
                    }
                }
            }
        }
        return new Delta(nextNetworkId, roundRobin, nodes.equals(older.nodes) ? null : List.copyOf(nodes), puts,
            deletes);
    }

    /**
     * Whether a delta changes nothing in this model: no object, node or counter.
     *
     * @param d a delta {@link #since} this model.
     * @return true when nothing changes.
     */
    boolean unchangedBy(final Delta d)
    {
        return d.size() == 0 && d.nodes() == null && d.nextNetworkId() == nextNetworkId
            && d.roundRobin() == roundRobin;
    }

    /**
     * This model with a delta applied, checked as {@link #fromTree} checks a model: a delta of pods, policies,
     * logical routers and services object by object (addresses given back, then taken by the new versions); one
     * that touches nodes, namespaces or networks by reading the whole model again.
     *
     * @param d the delta.
     * @return the new model (this one is not changed).
     * @throws IllegalArgumentException naming the object, the field and the reason when the result is not a
     *                                  valid model.
     */
    Cluster with(final Delta d)
    {
        if (d.structural())
        {
            final Map<String, Object> root = toTree();
            merge(root, d);
            return fromTree(root);
        }
        final Cluster c = copy();
        c.nextNetworkId = d.nextNetworkId();
        c.roundRobin = d.roundRobin();
        for (final String kind : List.of("pods", "services"))
        {
            final Set<String> leaving = new LinkedHashSet<>(d.deletes().getOrDefault(kind, List.of()));
            leaving.addAll(d.puts().getOrDefault(kind, Map.of()).keySet());
            for (final String key : leaving)
            {
                final Object o = c.objects(kind).get(key);
                if (o instanceof Pod p)
                {
                    c.release(p);
                }
                else if (o instanceof Service x)
                {
                    c.releaseService(x);
                }
            }
        }
        d.deletes().forEach((kind, keys) -> keys.forEach(c.objects(kind)::remove));
        for (final String kind : KINDS)
        {
            for (final Map.Entry<String, Map<String, Object>> e : d.puts().getOrDefault(kind, Map.of()).entrySet())
            {
                final String named = keyOf(kind, e.getValue());
                if (!e.getKey().equals(named))
                {
                    throw StateReader.refuse(kind + "/" + e.getKey(), "the object is named " + named);
                }
                c.read(kind, e.getValue(), kind + "/" + e.getKey() + ": ", true);
            }
        }
        return c;
    }

    /**
     * Applies a delta to a model's tree ({@link #toTree()}): a changed object keeps its place, a new one goes
     * last, nothing is checked (reading the tree checks it).
     *
     * @param root the tree, changed in place.
     * @param d    the delta.
     */
    static void merge(final Map<String, Object> root, final Delta d)
    {
        root.put("nextNetworkId", d.nextNetworkId());
        root.put("roundRobin", d.roundRobin());
        if (d.nodes() != null)
        {
            root.put("nodes", List.copyOf(d.nodes()));
        }
        for (final String kind : KINDS)
        {
            final Map<String, Map<String, Object>> puts = d.puts().getOrDefault(kind, Map.of());
            final List<String> deletes = d.deletes().getOrDefault(kind, List.of());
            if (puts.isEmpty() && deletes.isEmpty())
            {
                continue;
            }
            final Map<Object, Object> byKey = new LinkedHashMap<>();
            if (root.get(kind) instanceof List<?> list)
            {
                for (final Object o : list)
                {
                    final String key = o instanceof Map<?, ?> m ? keyOf(kind, m) : null;
                    // An entry without a name stays, for the check to report.
                    byKey.put(key == null ? new Object() : key, o);
                }
            }
            deletes.forEach(byKey::remove);
            byKey.putAll(puts);
            root.put(kind, new ArrayList<>(byKey.values()));
        }
    }

    /**
     * Takes over another model's content (the other is not changed afterwards by either).
     *
     * @param other the model.
     */
    void replaceWith(final Cluster other)
    {
        namespaces.clear();
        namespaces.putAll(other.namespaces);
        networks.clear();
        networks.putAll(other.networks);
        pods.clear();
        pods.putAll(other.pods);
        policies.clear();
        policies.putAll(other.policies);
        routers.clear();
        routers.putAll(other.routers);
        services.clear();
        services.putAll(other.services);
        allocated.clear();
        other.allocated.forEach((pool, used) -> allocated.put(pool, new TreeSet<>(used)));
        // The other model's search hints hold for the same allocations.
        searchFrom.clear();
        searchFrom.putAll(other.searchFrom);
        nodes.clear();
        nodes.addAll(other.nodes);
        nextNetworkId = other.nextNetworkId;
        roundRobin = other.roundRobin;
    }
}
