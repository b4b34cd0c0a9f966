package io.vrouter.core.nh;

/**
 * Next-hop flags ({@code NH_FLAG_*}), bits and CLI words as Contrail's {@code nh}.
 */
public final class NextHopFlags
{
    /** Must be set or packets drop with Invalid NH. */
    public static final int VALID = 0x1;
    /** Flow lookup required when this next hop is chosen. */
    public static final int POLICY_ENABLED = 0x2;
    /** Tunnel encapsulation MPLS over GRE. */
    public static final int TUNNEL_GRE = 0x8;
    /** Plain UDP tunnel (mirroring to an analyzer). */
    public static final int TUNNEL_UDP = 0x10;
    /** Multicast. */
    public static final int MCAST = 0x20;
    /** Tunnel encapsulation MPLS over UDP. */
    public static final int TUNNEL_UDP_MPLS = 0x40;
    /** Tunnel encapsulation VXLAN. */
    public static final int TUNNEL_VXLAN = 0x80;
    /** Flow only for link-local service ports. */
    public static final int RELAXED_POLICY = 0x100;
    /** Composite: fabric multicast. */
    public static final int COMPOSITE_FABRIC = 0x200;
    /** Composite: ECMP. */
    public static final int COMPOSITE_ECMP = 0x400;
    /** Composite: label-unicast ECMP. */
    public static final int COMPOSITE_LU_ECMP = 0x800;
    /** Composite: EVPN. */
    public static final int COMPOSITE_EVPN = 0x1000;
    /** Composite: encap. */
    public static final int COMPOSITE_ENCAP = 0x2000;
    /** Composite: TOR. */
    public static final int COMPOSITE_TOR = 0x4000;
    /** Route lookup. */
    public static final int ROUTE_LOOKUP = 0x8000;
    /** Unknown unicast flood. */
    public static final int UNKNOWN_UC_FLOOD = 0x10000;
    /** Flow lookup without ACL meaning (ECMP stickiness). */
    public static final int FLOW_LOOKUP = 0x40000;
    /** VXLAN routing: rewrite the inner destination MAC. */
    public static final int L3_VXLAN = 0x2000000;

    /** Mask of the tunnel type bits. */
    public static final int TUNNEL_TYPE_MASK = TUNNEL_GRE | TUNNEL_UDP | TUNNEL_UDP_MPLS | TUNNEL_VXLAN;

    private static final int[] BITS =
    {
        VALID, POLICY_ENABLED, TUNNEL_GRE, TUNNEL_UDP, MCAST, TUNNEL_UDP_MPLS, TUNNEL_VXLAN, RELAXED_POLICY,
        COMPOSITE_FABRIC, COMPOSITE_ECMP, COMPOSITE_LU_ECMP, COMPOSITE_EVPN, COMPOSITE_ENCAP, COMPOSITE_TOR,
        ROUTE_LOOKUP, UNKNOWN_UC_FLOOD, FLOW_LOOKUP, L3_VXLAN,
    };
    private static final String[] WORDS =
    {
        "Valid", "Policy", "MPLSoGRE", "Udp", "Multicast", "MPLSoUDP", "Vxlan", "Policy(R)",
        "Fabric", "Ecmp", "LU-Ecmp", "Evpn", "Encap", "Tor", "RouteLookup", "Unicast Flood", "Flow Lookup",
        "l3_vxlan",
    };

    private NextHopFlags()
    {
    }

    /**
     * The flag words {@code nh} prints after "Flags:", comma separated.
     *
     * @param flags flag bits.
     * @return e.g. {@code Valid, MPLSoUDP}.
     */
    public static String words(final int flags)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BITS.length; i++)
        {
            if ((flags & BITS[i]) != 0)
            {
                if (sb.length() > 0)
                {
                    sb.append(", ");
                }
                sb.append(WORDS[i]);
            }
        }
        return sb.toString();
    }
}
