package io.vrouter.core.iface;

/**
 * Interface types ({@code VIF_TYPE_*}), values and CLI names as Contrail's.
 */
public final class VifType
{
    /** vhost0: the host's IP stack on the fabric side. */
    public static final int HOST = 0;
    /** pkt0: trap/inject channel to the agent. */
    public static final int AGENT = 1;
    /** The fabric NIC. */
    public static final int PHYSICAL = 2;
    /** A pod/VM port. */
    public static final int VIRTUAL = 3;
    /** Xen link-local host. */
    public static final int XEN_LL_HOST = 4;
    /** Simple gateway. */
    public static final int GATEWAY = 5;
    /** VLAN sub-interface of a VM port. */
    public static final int VIRTUAL_VLAN = 6;
    /** Stats only. */
    public static final int STATS = 7;
    /** VLAN. */
    public static final int VLAN = 8;
    /** Packet copy target for a monitored vif. */
    public static final int MONITORING = 9;
    /** One past the last valid type. */
    public static final int MAX = 10;

    private static final String[] NAMES =
    {
        "Host", "Agent", "Physical", "Virtual", "XenLL", "Gateway", "Virtual(Vlan)", "Stats", "Vlan", "Monitoring"
    };

    private VifType()
    {
    }

    /**
     * The name {@code vif --list} prints after "Type:".
     *
     * @param type a type.
     * @return the name, or "Invalid".
     */
    public static String name(final int type)
    {
        return type >= 0 && type < MAX ? NAMES[type] : "Invalid";
    }
}
