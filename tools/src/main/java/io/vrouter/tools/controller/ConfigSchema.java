package io.vrouter.tools.controller;

import io.vrouter.xmpp.XmlElement;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration a node needs, as {@code config} {@code node} elements (reference §4.2): the
 * virtual networks (with their routing instance, subnet, gateway and DNS), the interfaces of the
 * pods placed on it (the port the node creates: MAC, address, label, namespace), the network
 * policies and logical routers attached to its networks, the default policy between a namespace's pod
 * and service networks, and the services (load balancers) on its service networks. Contrail sends the
 * IFMap graph with links; we inline the references, documented in docs/controller.md.
 */
public final class ConfigSchema
{
    /** Node type of a virtual network. */
    public static final String VIRTUAL_NETWORK = "virtual-network";
    /** Node type of a pod interface. */
    public static final String INTERFACE = "virtual-machine-interface";
    /** Node type of a network policy. */
    public static final String POLICY = "network-policy";
    /** Node type of a logical router. */
    public static final String LOGICAL_ROUTER = "logical-router";
    /** Node type of a service's load balancer. */
    public static final String LOADBALANCER = "loadbalancer";
    /** Node type of the node itself (Contrail's {@code virtual-router}): its fabric SNAT port range. */
    public static final String VIRTUAL_ROUTER = "virtual-router";

    private ConfigSchema()
    {
    }

    /**
     * Everything one node should hold, keyed by {@code type/name}.
     *
     * @param cluster     the model.
     * @param node        the node.
     * @param netnsPrefix prefix of pods' network namespace names.
     * @return config elements in a stable order.
     */
    public static Map<String, XmlElement> forNode(final Cluster cluster, final String node, final String netnsPrefix)
    {
        return forNode(cluster, node, netnsPrefix, new Cache());
    }

    /**
     * Load balancer elements kept from one computation to the next (a node's configuration is computed again
     * after every change, and most services did not change): an element is reused while its service (the same
     * record), network, client networks and members are what they were.
     */
    public static final class Cache
    {
        private record Built(Cluster.Network network, Set<String> clients, List<Cluster.Pod> members,
            XmlElement element)
        {
        }

        private Map<Cluster.Service, Built> kept = new IdentityHashMap<>();
        private Map<Cluster.Service, Built> used = new IdentityHashMap<>();

        private XmlElement loadbalancer(final Cluster.Service svc, final Cluster.Network n, final Set<String> clients,
            final List<Cluster.Pod> members)
        {
            Built b = used.get(svc);
            if (b == null)
            {
                b = kept.get(svc);
            }
            if (b == null || b.network() != n && !b.network().equals(n) || !b.clients().equals(clients)
                || !b.members().equals(members))
            {
                b = new Built(n, clients, members, build(svc, n, clients, members));
            }
            used.put(svc, b);
            return b.element();
        }

        /** Forgets the elements of services no computation asked for since the last call. */
        public void retainUsed()
        {
            kept = used;
            used = new IdentityHashMap<>();
        }
    }

    /**
     * Everything one node should hold, reusing unchanged services' elements from a cache.
     *
     * @param cluster     the model.
     * @param node        the node.
     * @param netnsPrefix prefix of pods' network namespace names.
     * @param cache       elements of earlier computations.
     * @return config elements in a stable order.
     */
    public static Map<String, XmlElement> forNode(final Cluster cluster, final String node, final String netnsPrefix,
        final Cache cache)
    {
        final Map<String, XmlElement> out = new LinkedHashMap<>();
        final Map<String, Set<String>> connected = new HashMap<>();
        final Set<String> networks = new LinkedHashSet<>();
        final List<Cluster.Pod> pods = cluster.pods();
        for (final Cluster.Pod p : pods)
        {
            if (p.node().equals(node))
            {
                networks.add(p.network());
            }
        }
        for (final String n : List.copyOf(networks))
        {
            networks.addAll(connected.computeIfAbsent(n, cluster::connected));
        }
        for (final String fq : networks)
        {
            final Cluster.Network n = cluster.network(fq);
            out.put(VIRTUAL_NETWORK + "/" + fq, XmlElement.builder("node").attribute("type", VIRTUAL_NETWORK)
                .leaf("name", fq)
                .leaf("network-id", Integer.toString(n.id()))
                .leaf("routing-instance", n.routingInstance())
                .leaf("subnet", n.cidr())
                .leaf("gateway", n.gateway())
                .leaf("dns", n.dns())
                .leaf("ip-fabric-forwarding", Boolean.toString(n.fabricForwarding()))
                .leaf("fabric-snat", Boolean.toString(n.fabricSnat()))
                .build());
        }
        // The node's own port range for fabric SNAT (Contrail's agent translates to ports of a range per compute
        // node); sent while the node holds a network with fabric SNAT, so that no two nodes share a port.
        final int[] snatPorts = cluster.snatPorts(node);
        if (snatPorts != null && networks.stream().anyMatch(fq -> cluster.network(fq).fabricSnat()))
        {
            out.put(VIRTUAL_ROUTER + "/" + node, XmlElement.builder("node").attribute("type", VIRTUAL_ROUTER)
                .leaf("name", node)
                .leaf("fabric-snat-ports", snatPorts[0] + "-" + snatPorts[1])
                .build());
        }
        for (final Cluster.Pod p : pods)
        {
            if (!p.node().equals(node))
            {
                continue;
            }
            final Cluster.Network n = cluster.network(p.network());
            final String name = p.namespace() + ":" + p.name();
            out.put(INTERFACE + "/" + name, XmlElement.builder("node").attribute("type", INTERFACE)
                .leaf("name", name)
                .leaf("mac", p.mac())
                .leaf("ip", p.ip() + "/" + Ipv4Cidr.parse(n.cidr()).length())
                .leaf("gateway", n.gateway())
                .leaf("virtual-network", p.network())
                .leaf("routing-instance", n.routingInstance())
                .leaf("label", Integer.toString(p.label()))
                .leaf("netns", netns(netnsPrefix, p))
                .leaf("host-ifname", hostIfName(p))
                .build());
        }
        for (final Cluster.Policy policy : cluster.policies())
        {
            if (policy.networks().stream().noneMatch(networks::contains))
            {
                continue;
            }
            final XmlElement.Builder b = XmlElement.builder("node").attribute("type", POLICY)
                .leaf("name", policy.namespace() + ":" + policy.name());
            for (final String n : policy.networks())
            {
                b.leaf("network", n);
            }
            for (final Cluster.PolicyRule r : policy.rules())
            {
                b.child(XmlElement.builder("rule")
                    .leaf("action", r.action())
                    .leaf("protocol", r.protocol())
                    .leaf("source", r.source())
                    .leaf("destination", r.destination())
                    .leaf("ports", r.portLow() + "-" + r.portHigh())
                    .leaf("direction", r.bidirectional() ? "<>" : ">")
                    .build());
            }
            out.put(POLICY + "/" + policy.namespace() + ":" + policy.name(), b.build());
        }
        for (final Cluster.LogicalRouter router : cluster.logicalRouters())
        {
            if (router.networks().stream().noneMatch(networks::contains))
            {
                continue;
            }
            final XmlElement.Builder b = XmlElement.builder("node").attribute("type", LOGICAL_ROUTER)
                .leaf("name", router.namespace() + ":" + router.name());
            for (final String n : router.networks())
            {
                b.leaf("network", n);
            }
            out.put(LOGICAL_ROUTER + "/" + router.namespace() + ":" + router.name(), b.build());
        }
        for (final String fq : networks)
        {
            final String pair = cluster.servicePair(fq);
            final Cluster.Network n = cluster.network(fq);
            if (pair == null || !n.kind().equals("pod") || !networks.contains(pair))
            {
                continue;
            }
            // Contrail's kube-manager connects a namespace's pod and service networks with a default policy.
            final String ns = n.owner().isEmpty() ? "default" : n.owner().substring(0, n.owner().indexOf('/'));
            final String name = ns + ":k8s-" + ns + "-pod-service-np";
            out.put(POLICY + "/" + name, XmlElement.builder("node").attribute("type", POLICY)
                .leaf("name", name)
                .leaf("network", fq)
                .leaf("network", pair)
                .child(XmlElement.builder("rule").leaf("action", "pass").leaf("protocol", "any")
                    .leaf("source", fq).leaf("destination", pair).leaf("ports", "0-65535").leaf("direction", "<>")
                    .build())
                .build());
        }
        final Map<List<Object>, List<Cluster.Pod>> members = new HashMap<>();
        for (final Cluster.Service svc : cluster.services())
        {
            if (!networks.contains(svc.network()))
            {
                continue;
            }
            final String name = svc.namespace() + ":" + svc.name();
            out.put(LOADBALANCER + "/" + name, cache.loadbalancer(svc, cluster.network(svc.network()),
                connected.computeIfAbsent(svc.network(), cluster::connected),
                members.computeIfAbsent(List.of(svc.namespace(), svc.selector()), k -> cluster.endpoints(svc))));
        }
        return out;
    }

    private static XmlElement build(final Cluster.Service svc, final Cluster.Network n, final Set<String> clients,
        final List<Cluster.Pod> members)
    {
        final XmlElement.Builder b = XmlElement.builder("node").attribute("type", LOADBALANCER)
            .leaf("name", svc.namespace() + ":" + svc.name())
            .leaf("virtual-network", svc.network())
            .leaf("routing-instance", n.routingInstance())
            .leaf("vip", svc.clusterIp());
        for (final String client : clients)
        {
            b.leaf("client-network", client);
        }
        for (final Cluster.ServicePort sp : svc.ports())
        {
            b.child(XmlElement.builder("listener").leaf("protocol", sp.protocol())
                .leaf("port", Integer.toString(sp.port())).leaf("target-port", Integer.toString(sp.targetPort()))
                .build());
        }
        for (final Cluster.Pod p : members)
        {
            b.child(XmlElement.builder("member").leaf("pod", p.namespace() + ":" + p.name()).leaf("ip", p.ip())
                .leaf("node", p.node()).build());
        }
        return b.build();
    }

    /**
     * The network namespace a pod's interface goes into (kubelet's role in the lab).
     *
     * @param prefix the name prefix ({@code pod-} by default).
     * @param p      the pod.
     * @return a namespace name.
     */
    public static String netns(final String prefix, final Cluster.Pod p)
    {
        return prefix + p.namespace() + "-" + p.name();
    }

    /**
     * The host-side interface name, Contrail style ({@code tap} + a digest), at most 15 characters.
     *
     * @param p the pod.
     * @return the name.
     */
    public static String hostIfName(final Cluster.Pod p)
    {
        return String.format("tap%08x", (p.namespace() + "/" + p.name()).hashCode()) + "-0";
    }
}
