package io.vrouter.core.nh;

/**
 * Next-hop types ({@code enum nexthop_type}), values and CLI names as Contrail's {@code nh}.
 */
public final class NextHopType
{
    /** Unused. */
    public static final int DEAD = 0;
    /** For this host: tunnel decap, else deliver to vhost0. */
    public static final int RECEIVE = 1;
    /** Interface next hop: rewrite L2 and send on the interface. */
    public static final int ENCAP = 2;
    /** Tunnel: push label/VNI and outer headers. */
    public static final int TUNNEL = 3;
    /** Trap to the agent to resolve ARP. */
    public static final int RESOLVE = 4;
    /** Drop. NH id 0 is always a discard next hop. */
    public static final int DISCARD = 5;
    /** A list of members (ECMP, multicast trees, ...). */
    public static final int COMPOSITE = 6;
    /** Look up again in another VRF. */
    public static final int VRF_TRANSLATE = 7;
    /** Frame addressed to the vRouter MAC: go to L3. */
    public static final int L2_RECEIVE = 8;
    /** One past the last valid type. */
    public static final int MAX = 9;

    private static final String[] NAMES =
    {
        "Dead", "Receive", "Encap", "Tunnel", "Resolve", "Drop", "Composite", "Vrf_Translate", "L2 Receive",
    };

    private NextHopType()
    {
    }

    /**
     * The name {@code nh --list} prints after "Type:".
     *
     * @param type a type.
     * @return the name.
     */
    public static String name(final int type)
    {
        return type >= 0 && type < MAX ? NAMES[type] : "Invalid";
    }
}
