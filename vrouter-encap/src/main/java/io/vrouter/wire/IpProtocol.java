package io.vrouter.wire;

/**
 * IP protocol / IPv6 next-header numbers (IANA "Assigned Internet Protocol Numbers").
 */
public final class IpProtocol
{
    /**
     * IPv6 hop-by-hop options.
     */
    public static final int HOP_BY_HOP = 0;

    /**
     * ICMP for IPv4.
     */
    public static final int ICMP = 1;

    /**
     * IGMP.
     */
    public static final int IGMP = 2;

    /**
     * TCP.
     */
    public static final int TCP = 6;

    /**
     * UDP.
     */
    public static final int UDP = 17;

    /**
     * IPv6 routing header.
     */
    public static final int IPV6_ROUTING = 43;

    /**
     * IPv6 fragment header.
     */
    public static final int IPV6_FRAGMENT = 44;

    /**
     * Generic Routing Encapsulation.
     */
    public static final int GRE = 47;

    /**
     * Encapsulating Security Payload.
     */
    public static final int ESP = 50;

    /**
     * Authentication Header.
     */
    public static final int AH = 51;

    /**
     * ICMP for IPv6.
     */
    public static final int ICMPV6 = 58;

    /**
     * IPv6 no next header.
     */
    public static final int IPV6_NO_NEXT = 59;

    /**
     * IPv6 destination options.
     */
    public static final int IPV6_DESTINATION_OPTIONS = 60;

    private IpProtocol()
    {
    }
}
