package io.vrouter.wire;

/**
 * Address families as Contrail's sandesh messages carry them ({@code nhr_family}, {@code rtr_family},
 * the flow key's family): the Linux {@code AF_*} numbers.
 */
public final class AddressFamily
{
    /** Unset ({@code AF_UNSPEC}). */
    public static final int UNSPEC = 0;
    /** IPv4 ({@code AF_INET}). */
    public static final int INET = 2;
    /** Bridge: Ethernet frames by MAC ({@code AF_BRIDGE}). */
    public static final int BRIDGE = 7;
    /** IPv6 ({@code AF_INET6}). */
    public static final int INET6 = 10;

    private AddressFamily()
    {
    }

    /**
     * Whether a value is one of the families the vRouter programs (inet, inet6, bridge).
     *
     * @param family a family number.
     * @return true for {@link #INET}, {@link #INET6} and {@link #BRIDGE}.
     */
    public static boolean isKnown(final int family)
    {
        return family == INET || family == INET6 || family == BRIDGE;
    }

    /**
     * The name Contrail's tools print for a family.
     *
     * @param family a family number.
     * @return {@code AF_INET}, {@code AF_INET6}, {@code AF_BRIDGE}, {@code AF_UNSPEC} or the number.
     */
    public static String name(final int family)
    {
        switch (family)
        {
            case UNSPEC:
                return "AF_UNSPEC";
            case INET:
                return "AF_INET";
            case BRIDGE:
                return "AF_BRIDGE";
            case INET6:
                return "AF_INET6";
            default:
                return Integer.toString(family);
        }
    }
}
