package io.vrouter.core.request;

import java.util.Locale;

/**
 * {@code vr_pod_req} (this project's): a CNI plugin asking the node's agent for a pod's interface, as
 * Contrail's {@code contrail-k8s-cni} asks its agent (over HTTP there; here over the control socket,
 * which a plugin reaches as a file whatever network namespace the daemon runs in). ADD attaches the
 * pod's interface, whose address, MAC and label the controller gave the agent, in the namespace the
 * container runtime made; DELETE detaches it (nothing attached is not an error); GET answers the
 * pod's interface and where it is attached. An answer is one {@code vr_pod_req} with {@code h_op} Get and
 * every field (it describes the pod; attached or not, it reads back as a valid record).
 *
 * @param op        {@code h_op}.
 * @param namespace {@code pod_namespace}: the pod's Kubernetes namespace.
 * @param name      {@code pod_name}: the pod's name.
 * @param container {@code pod_container}: the runtime's container id ({@code CNI_CONTAINERID}).
 * @param netns     {@code pod_netns}: the network namespace's path ({@code CNI_NETNS}).
 * @param ifname    {@code pod_ifname}: the interface name in it ({@code CNI_IFNAME}).
 * @param mac       {@code pod_mac} (answer): the interface's MAC.
 * @param address   {@code pod_ip} (answer): its address, CIDR.
 * @param gateway   {@code pod_gw} (answer): the network's gateway.
 * @param dns       {@code pod_dns} (answer): the network's DNS address.
 * @param vrf       {@code pod_vrf} (answer): its VRF.
 * @param vif       {@code pod_vif} (answer): its vif, -1 while not attached.
 */
public record PodRequest(Op op, String namespace, String name, String container, String netns, String ifname,
    String mac, String address, String gateway, String dns, int vrf, int vif) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_pod_req";
    /** Longest interface name (Linux's {@code IFNAMSIZ} - 1). */
    public static final int MAX_IFNAME = 15;

    /**
     * A record; null strings read as empty, the MAC in lower case.
     *
     * @param op        {@code h_op}.
     * @param namespace {@code pod_namespace}.
     * @param name      {@code pod_name}.
     * @param container {@code pod_container}.
     * @param netns     {@code pod_netns}.
     * @param ifname    {@code pod_ifname}.
     * @param mac       {@code pod_mac}.
     * @param address   {@code pod_ip}.
     * @param gateway   {@code pod_gw}.
     * @param dns       {@code pod_dns}.
     * @param vrf       {@code pod_vrf}.
     * @param vif       {@code pod_vif}.
     */
    public PodRequest
    {
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        container = container == null ? "" : container;
        netns = netns == null ? "" : netns;
        ifname = ifname == null ? "" : ifname;
        mac = mac == null ? "" : mac.toLowerCase(Locale.ROOT);
        address = address == null ? "" : address;
        gateway = gateway == null ? "" : gateway;
        dns = dns == null ? "" : dns;
    }

    /** The fields of {@code vr_pod_req}. */
    public enum Field implements SandeshField
    {
        /** {@code pod_namespace}. */
        POD_NAMESPACE(FieldKind.STRING),
        /** {@code pod_name}. */
        POD_NAME(FieldKind.STRING),
        /** {@code pod_container}. */
        POD_CONTAINER(FieldKind.STRING),
        /** {@code pod_netns}. */
        POD_NETNS(FieldKind.STRING),
        /** {@code pod_ifname}. */
        POD_IFNAME(FieldKind.STRING),
        /** {@code pod_mac}. */
        POD_MAC(FieldKind.STRING),
        /** {@code pod_ip}. */
        POD_IP(FieldKind.STRING),
        /** {@code pod_gw}. */
        POD_GW(FieldKind.STRING),
        /** {@code pod_dns}. */
        POD_DNS(FieldKind.STRING),
        /** {@code pod_vrf}. */
        POD_VRF(FieldKind.INTEGER),
        /** {@code pod_vif}. */
        POD_VIF(FieldKind.INTEGER);

        private final String fieldName = name().toLowerCase(Locale.ROOT);
        private final FieldKind kind;

        Field(final FieldKind kind)
        {
            this.kind = kind;
        }

        @Override
        public String struct()
        {
            return TYPE;
        }

        @Override
        public String fieldName()
        {
            return fieldName;
        }

        @Override
        public FieldKind kind()
        {
            return kind;
        }
    }

    /**
     * An ADD: attach a pod's interface in a runtime's namespace.
     *
     * @param namespace the pod's namespace.
     * @param name      the pod.
     * @param container the container id.
     * @param netns     the network namespace's path.
     * @param ifname    the interface name in it.
     * @return the request.
     */
    public static PodRequest attach(final String namespace, final String name, final String container,
        final String netns, final String ifname)
    {
        return new PodRequest(Op.ADD, namespace, name, container, netns, ifname, "", "", "", "", 0, -1);
    }

    /**
     * A DELETE (detach, from this container when one is named) or a GET.
     *
     * @param op        DELETE or GET.
     * @param namespace the pod's namespace.
     * @param name      the pod.
     * @param container the container id, or empty.
     * @return the request.
     */
    public static PodRequest named(final Op op, final String namespace, final String name, final String container)
    {
        return new PodRequest(op, namespace, name, container, "", "", "", "", "", "", 0, -1);
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static PodRequest from(final SandeshObject o) throws RequestException
    {
        return new PodRequest(o.op(), string(o, Field.POD_NAMESPACE), string(o, Field.POD_NAME),
            string(o, Field.POD_CONTAINER), string(o, Field.POD_NETNS), string(o, Field.POD_IFNAME),
            string(o, Field.POD_MAC), string(o, Field.POD_IP), string(o, Field.POD_GW), string(o, Field.POD_DNS),
            Mapping.integer(o, Field.POD_VRF, 0), Mapping.integer(o, Field.POD_VIF, -1));
    }

    private static String string(final SandeshObject o, final Field f) throws RequestException
    {
        final Object v = o.get(f.fieldName());
        if (v == null)
        {
            return "";
        }
        if (!(v instanceof String))
        {
            throw Mapping.invalid(f, "expected a string");
        }
        return (String)v;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Every op but DUMP: the pod's namespace and name. ADD: also the container id, an absolute
     * namespace path and an interface name of 1 to 15 characters without {@code /}, blanks or colons.
     */
    @Override
    public void validate() throws RequestException
    {
        switch (op)
        {
            case ADD:
                required(Field.POD_NAMESPACE, namespace);
                required(Field.POD_NAME, name);
                required(Field.POD_CONTAINER, container);
                required(Field.POD_NETNS, netns);
                if (!netns.startsWith("/") || netns.contains("/../") || netns.endsWith("/.."))
                {
                    throw Mapping.invalid(Field.POD_NETNS, "'" + netns + "' is not an absolute path");
                }
                required(Field.POD_IFNAME, ifname);
                if (ifname.length() > MAX_IFNAME || !ifname.matches("[A-Za-z0-9_.\\-]+"))
                {
                    throw Mapping.invalid(Field.POD_IFNAME, "'" + ifname + "' is not an interface name");
                }
                break;
            case DELETE:
            case GET:
                required(Field.POD_NAMESPACE, namespace);
                required(Field.POD_NAME, name);
                break;
            default:
                break;
        }
    }

    private static void required(final Field f, final String value) throws RequestException
    {
        if (value.isEmpty())
        {
            throw Mapping.invalid(f, "required");
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code h_op} unless ADD, then every field.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        return o.put(Field.POD_NAMESPACE, namespace)
            .put(Field.POD_NAME, name)
            .put(Field.POD_CONTAINER, container)
            .put(Field.POD_NETNS, netns)
            .put(Field.POD_IFNAME, ifname)
            .put(Field.POD_MAC, mac)
            .put(Field.POD_IP, address)
            .put(Field.POD_GW, gateway)
            .put(Field.POD_DNS, dns)
            .put(Field.POD_VRF, vrf)
            .put(Field.POD_VIF, vif);
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }
}
