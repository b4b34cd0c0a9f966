package io.vrouter.core.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code vr_port_req} (this project's; Contrail's CNI talks to its agent over HTTP instead): a pod
 * port to add (the interface pair, the pod end configured in its namespace, the vif), the name of
 * one to delete or get, a dump; an answer is one port with every field.
 *
 * @param op        {@code h_op}.
 * @param name      {@code port_name}: the host-side interface name, at most 15 characters.
 * @param netns     {@code port_netns}: the pod's network namespace.
 * @param ifname    {@code port_ifname}: the interface name inside the pod.
 * @param mac       {@code port_mac}: {@code aa:bb:cc:dd:ee:ff} (6 bytes are accepted too), lower case.
 * @param addresses {@code port_ip}: CIDR addresses (a comma list in the field).
 * @param gateway   {@code port_gw}: the pod's default gateway, or empty.
 * @param vrf       {@code port_vrf}.
 * @param mtu       {@code port_mtu}.
 * @param vifIdx    {@code port_vif_idx}: the vif index wanted, -1 to allocate.
 * @param vifFlags  {@code port_vif_flags}: {@code vifr_flags} of the vif.
 */
public record PortRequest(Op op, String name, String netns, String ifname, String mac, List<String> addresses,
    String gateway, int vrf, int mtu, int vifIdx, int vifFlags) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_port_req";
    /** Default {@code port_ifname}. */
    public static final String DEFAULT_IFNAME = "eth0";
    /** Default {@code port_mtu}. */
    public static final int DEFAULT_MTU = 1500;
    /** Longest {@code port_name} (Linux's {@code IFNAMSIZ} - 1). */
    public static final int MAX_NAME = 15;

    /**
     * A record; null strings read as empty, null addresses as none, the MAC in lower case.
     *
     * @param op        {@code h_op}.
     * @param name      {@code port_name}.
     * @param netns     {@code port_netns}.
     * @param ifname    {@code port_ifname}.
     * @param mac       {@code port_mac}.
     * @param addresses {@code port_ip}.
     * @param gateway   {@code port_gw}.
     * @param vrf       {@code port_vrf}.
     * @param mtu       {@code port_mtu}.
     * @param vifIdx    {@code port_vif_idx}.
     * @param vifFlags  {@code port_vif_flags}.
     */
    public PortRequest
    {
        name = name == null ? "" : name;
        netns = netns == null ? "" : netns;
        ifname = ifname == null ? "" : ifname;
        mac = mac == null ? "" : mac.toLowerCase(Locale.ROOT);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        gateway = gateway == null ? "" : gateway;
    }

    /** The fields of {@code vr_port_req}. */
    public enum Field implements SandeshField
    {
        /** {@code port_name}. */
        PORT_NAME(FieldKind.STRING),
        /** {@code port_netns}. */
        PORT_NETNS(FieldKind.STRING),
        /** {@code port_ifname}. */
        PORT_IFNAME(FieldKind.STRING),
        /** {@code port_mac}. */
        PORT_MAC(FieldKind.STRING),
        /** {@code port_ip}. */
        PORT_IP(FieldKind.STRING),
        /** {@code port_gw}. */
        PORT_GW(FieldKind.STRING),
        /** {@code port_vrf}. */
        PORT_VRF(FieldKind.INTEGER),
        /** {@code port_mtu}. */
        PORT_MTU(FieldKind.INTEGER),
        /** {@code port_vif_idx}. */
        PORT_VIF_IDX(FieldKind.INTEGER),
        /** {@code port_vif_flags}. */
        PORT_VIF_FLAGS(FieldKind.INTEGER);

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
     * An ADD of a port.
     *
     * @param name      host-side name.
     * @param netns     the pod's namespace.
     * @param ifname    the name inside the pod.
     * @param mac       the pod interface's MAC.
     * @param addresses CIDR addresses.
     * @param gateway   the gateway, or empty.
     * @param vrf       the VRF.
     * @param mtu       the MTU.
     * @param vifIdx    the vif index, -1 to allocate.
     * @param vifFlags  the vif's flags.
     * @return the request.
     */
    public static PortRequest add(final String name, final String netns, final String ifname, final String mac,
        final List<String> addresses, final String gateway, final int vrf, final int mtu, final int vifIdx,
        final int vifFlags)
    {
        return new PortRequest(Op.ADD, name, netns, ifname, mac, addresses, gateway, vrf, mtu, vifIdx, vifFlags);
    }

    /**
     * A request naming one port (GET, DELETE) or none (DUMP).
     *
     * @param op   the op.
     * @param name the port, or empty.
     * @return the request.
     */
    public static PortRequest named(final Op op, final String name)
    {
        return new PortRequest(op, name, "", DEFAULT_IFNAME, "", List.of(), "", 0, DEFAULT_MTU, -1, 0);
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static PortRequest from(final SandeshObject o) throws RequestException
    {
        final List<String> addresses = new ArrayList<>();
        for (final String a : string(o, Field.PORT_IP, "").split(","))
        {
            if (!a.isBlank())
            {
                addresses.add(a.trim());
            }
        }
        return new PortRequest(o.op(), string(o, Field.PORT_NAME, ""), string(o, Field.PORT_NETNS, ""),
            string(o, Field.PORT_IFNAME, DEFAULT_IFNAME), mac(o), addresses, string(o, Field.PORT_GW, ""),
            Mapping.integer(o, Field.PORT_VRF, 0), Mapping.integer(o, Field.PORT_MTU, DEFAULT_MTU),
            Mapping.integer(o, Field.PORT_VIF_IDX, -1), Mapping.unsigned32(o, Field.PORT_VIF_FLAGS, 0));
    }

    /** {@code port_mac} as a string or 6 bytes. */
    private static String mac(final SandeshObject o) throws RequestException
    {
        final Object v = o.get(Field.PORT_MAC.fieldName());
        if (v instanceof byte[] b)
        {
            if (b.length != 6)
            {
                throw Mapping.invalid(Field.PORT_MAC, b.length + " bytes, not 6");
            }
            return SandeshObject.format(b);
        }
        return string(o, Field.PORT_MAC, "");
    }

    /** A string field; unlike the forwarder's fields, nothing else is taken for a string. */
    private static String string(final SandeshObject o, final Field f, final String absent) throws RequestException
    {
        final Object v = o.get(f.fieldName());
        if (v == null)
        {
            return absent;
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
     * ADD: a name of at most 15 characters, a namespace, a MAC {@code aa:bb:cc:dd:ee:ff}, a VRF within
     * 16 bits, an MTU of 68 to 65535, a vif index of -1 or more. GET and DELETE: the name.
     */
    @Override
    public void validate() throws RequestException
    {
        switch (op)
        {
            case ADD:
                required(Field.PORT_NAME, name);
                if (name.length() > MAX_NAME)
                {
                    throw Mapping.invalid(Field.PORT_NAME, "'" + name + "' longer than " + MAX_NAME);
                }
                required(Field.PORT_NETNS, netns);
                required(Field.PORT_MAC, mac);
                if (!mac.matches("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}"))
                {
                    throw Mapping.invalid(Field.PORT_MAC, "'" + mac + "' is not aa:bb:cc:dd:ee:ff");
                }
                Mapping.range(Field.PORT_VRF, vrf, 0, 65535);
                Mapping.range(Field.PORT_MTU, mtu, 68, 65535);
                Mapping.range(Field.PORT_VIF_IDX, vifIdx, -1, Integer.MAX_VALUE);
                break;
            case GET:
            case DELETE:
                required(Field.PORT_NAME, name);
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
        return o.put(Field.PORT_NAME, name)
            .put(Field.PORT_NETNS, netns)
            .put(Field.PORT_IFNAME, ifname)
            .put(Field.PORT_MAC, mac)
            .put(Field.PORT_IP, String.join(",", addresses))
            .put(Field.PORT_GW, gateway)
            .put(Field.PORT_VRF, vrf)
            .put(Field.PORT_MTU, mtu)
            .put(Field.PORT_VIF_IDX, vifIdx)
            .put(Field.PORT_VIF_FLAGS, vifFlags & 0xFFFFFFFFL);
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }
}
