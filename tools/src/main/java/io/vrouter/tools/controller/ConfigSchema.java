package io.vrouter.tools.controller;

import io.vrouter.xmpp.XmlElement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        final Map<String, XmlElement> out = new LinkedHashMap<>();
        final List<String> networks = new ArrayList<>();
        for (final Cluster.Pod p : cluster.pods())
        {
            if (p.node().equals(node) && !networks.contains(p.network()))
            {
                networks.add(p.network());
            }
        }
        for (final String n : List.copyOf(networks))
        {
            for (final String other : cluster.connected(n))
            {
                if (!networks.contains(other))
                {
                    networks.add(other);
                }
            }
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
        for (final Cluster.Pod p : cluster.pods())
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
        for (final Cluster.Service svc : cluster.services())
        {
            if (!networks.contains(svc.network()))
            {
                continue;
            }
            final Cluster.Network n = cluster.network(svc.network());
            final String name = svc.namespace() + ":" + svc.name();
            final XmlElement.Builder b = XmlElement.builder("node").attribute("type", LOADBALANCER)
                .leaf("name", name)
                .leaf("virtual-network", svc.network())
                .leaf("routing-instance", n.routingInstance())
                .leaf("vip", svc.clusterIp());
            for (final String client : cluster.connected(svc.network()))
            {
                b.leaf("client-network", client);
            }
            for (final Cluster.ServicePort sp : svc.ports())
            {
                b.child(XmlElement.builder("listener").leaf("protocol", sp.protocol())
                    .leaf("port", Integer.toString(sp.port())).leaf("target-port", Integer.toString(sp.targetPort()))
                    .build());
            }
            for (final Cluster.Pod p : cluster.endpoints(svc))
            {
                b.child(XmlElement.builder("member").leaf("pod", p.namespace() + ":" + p.name()).leaf("ip", p.ip())
                    .leaf("node", p.node()).build());
            }
            out.put(LOADBALANCER + "/" + name, b.build());
        }
        return out;
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
