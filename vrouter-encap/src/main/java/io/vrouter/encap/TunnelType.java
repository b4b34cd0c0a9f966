package io.vrouter.encap;

import io.vrouter.wire.MplsHeader;

/**
 * Tunnel kinds, their well-known UDP ports, header overheads and Contrail's default values.
 * <pre>
 *   MPLSoUDP  (RFC 7510): Ethernet 14 | IPv4 20 | UDP 8 (dst 6635) | MPLS 4 | inner        overhead 46
 *   MPLSoGRE  (RFC 4023): Ethernet 14 | IPv4 20 | GRE 4 (0x8847)   | MPLS 4 | inner        overhead 42
 *   VXLAN     (RFC 7348): Ethernet 14 | IPv4 20 | UDP 8 (dst 4789) | VXLAN 8 | inner       overhead 50
 *   UDP       (mirror):   Ethernet 14 | IPv4 20 | UDP 8 (next hop's sport/dport) | inner   overhead 42
 * </pre>
 */
public final class TunnelType
{
    /**
     * No tunnel.
     */
    public static final int NONE = 0;

    /**
     * MPLS over UDP.
     */
    public static final int MPLS_UDP = 1;

    /**
     * MPLS over GRE.
     */
    public static final int MPLS_GRE = 2;

    /**
     * VXLAN.
     */
    public static final int VXLAN = 3;

    /**
     * Plain UDP tunnel (Contrail's {@code nh_udp_tunnel}, NH flag Udp): mirroring to an analyzer.
     */
    public static final int UDP = 4;

    /**
     * IANA MPLS-in-UDP port.
     */
    public static final int MPLS_UDP_PORT = 6635;

    /**
     * Legacy Contrail MPLSoUDP port, still accepted on receive.
     */
    public static final int MPLS_UDP_LEGACY_PORT = 51234;

    /**
     * IANA VXLAN port.
     */
    public static final int VXLAN_PORT = 4789;

    /**
     * Contrail's MPLSoUDP source port when no hash is available.
     */
    public static final int MPLS_UDP_DEFAULT_SOURCE_PORT = 51000;

    /**
     * Contrail's VXLAN source port when no hash is available.
     */
    public static final int VXLAN_DEFAULT_SOURCE_PORT = 52000;

    /**
     * Outer IPv4 TTL used for tunnel packets.
     */
    public static final int OUTER_TTL = 64;

    /**
     * MPLS TTL used when the packet TTL is unknown (0).
     */
    public static final int DEFAULT_MPLS_TTL = MplsHeader.DEFAULT_TTL;

    /**
     * Bytes added in front of the inner packet by MPLSoUDP.
     */
    public static final int MPLS_UDP_OVERHEAD = 46;

    /**
     * Bytes added in front of the inner packet by MPLSoGRE.
     */
    public static final int MPLS_GRE_OVERHEAD = 42;

    /**
     * Bytes added in front of the inner packet by VXLAN.
     */
    public static final int VXLAN_OVERHEAD = 50;

    /**
     * Bytes added in front of the inner packet by a plain UDP tunnel.
     */
    public static final int UDP_OVERHEAD = 42;

    private TunnelType()
    {
    }

    /**
     * @param tunnelType one of the type constants.
     * @return bytes the encapsulation adds in front of the inner packet, or 0 for unknown types.
     */
    public static int overhead(final int tunnelType)
    {
        switch (tunnelType)
        {
            case MPLS_UDP:
                return MPLS_UDP_OVERHEAD;
            case MPLS_GRE:
                return MPLS_GRE_OVERHEAD;
            case VXLAN:
                return VXLAN_OVERHEAD;
            case UDP:
                return UDP_OVERHEAD;
            default:
                return 0;
        }
    }

    /**
     * @param tunnelType one of the type constants.
     * @return a stable lower-case name, e.g. "mpls-udp".
     */
    public static String name(final int tunnelType)
    {
        switch (tunnelType)
        {
            case MPLS_UDP:
                return "mpls-udp";
            case MPLS_GRE:
                return "mpls-gre";
            case VXLAN:
                return "vxlan";
            case UDP:
                return "udp";
            case NONE:
                return "none";
            default:
                return "unknown";
        }
    }
}
