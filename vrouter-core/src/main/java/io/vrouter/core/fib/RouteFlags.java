package io.vrouter.core.fib;

/**
 * Route label flags ({@code rtr_label_flags}, Contrail's {@code VR_RT_*_FLAG}) and the "no label"
 * value, as the FIB stores them and {@code vr_route_req} carries them (reference §1.4).
 */
public final class RouteFlags
{
    /** {@code L}: {@code rtr_label} is an MPLS label (or VNI) to push. */
    public static final int LABEL_VALID = 0x1;
    /** {@code P}: the vRouter answers ARP (and NS) for addresses of this route. */
    public static final int ARP_PROXY = 0x2;
    /** {@code T}: ARP for this route is copied to the agent. */
    public static final int ARP_TRAP = 0x4;
    /** {@code F}: ARP for this route is flooded. */
    public static final int ARP_FLOOD = 0x8;

    /**
     * The label of a route that has none: 24 bits all ones, as Contrail stores and answers it; never
     * a valid MPLS label (20 bits), so it also stands for "no label" on the packet path.
     */
    public static final int NO_LABEL = 0xFFFFFF;

    /** Largest MPLS label. */
    public static final int MAX_MPLS_LABEL = (1 << 20) - 1;

    private RouteFlags()
    {
    }
}
