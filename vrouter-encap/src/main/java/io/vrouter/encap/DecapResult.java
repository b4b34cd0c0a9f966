package io.vrouter.encap;

/**
 * Result of {@link TunnelDecap}: either a non-negative packed {@code long} describing the inner packet, or a
 * negative error code naming why the packet was rejected. The core forwarder maps the codes onto its drop reasons.
 * <pre>
 *   63 62 61 60 59      52 51                 32 31            16 15             0
 *  +--+-----+--+----------+---------------------+----------------+----------------+
 *  |0 |  0  |type| MPLS TTL |   MPLS label (20)   |  inner length  | header length  |
 *  |  |     |    |    VXLAN VNI (24 bits, 32..55) |                |                |
 *  +--+-----+--+----------+---------------------+----------------+----------------+
 * </pre>
 * Header length = inner offset - the offset decap started at (frame or outer IP), i.e. bytes to strip.
 * The tunnel type is one of {@link TunnelType}. Error codes are small negative ints; {@code (int)result} recovers
 * them.
 */
public final class DecapResult
{
    /**
     * Truncated: a header or the length it announces does not fit in the received bytes.
     */
    public static final int PULL = -1;

    /**
     * Malformed header: wrong IP version, IHL &lt; 5, inconsistent lengths, unsupported GRE flags or version.
     */
    public static final int INVALID_PACKET = -2;

    /**
     * Outer IPv4 header checksum, non-zero UDP checksum or GRE checksum is wrong.
     */
    public static final int CKSUM_ERR = -3;

    /**
     * MPLS label stack not acceptable: the VPN label is not bottom of stack.
     */
    public static final int INVALID_LABEL = -4;

    /**
     * VXLAN header without the I (valid VNI) flag.
     */
    public static final int INVALID_VNID = -5;

    /**
     * GRE payload protocol other than MPLS unicast (0x8847).
     */
    public static final int INVALID_PROTOCOL = -6;

    /**
     * Not a tunnel packet (other EtherType, IP protocol or UDP port): hand it to the host path.
     */
    public static final int NOT_TUNNEL = -7;

    /**
     * The outer IPv4 packet is a fragment; tunnel packets are never fragmented by vRouters.
     */
    public static final int FRAGMENT = -8;

    private static final String[] NAMES =
    {
        "ok", "pull", "invalid-packet", "cksum-err", "invalid-label", "invalid-vnid", "invalid-protocol",
        "not-tunnel", "fragment"
    };

    private DecapResult()
    {
    }

    /**
     * @param result from {@link TunnelDecap}.
     * @return true if the result is an error code.
     */
    public static boolean isError(final long result)
    {
        return result < 0;
    }

    /**
     * @param result from {@link TunnelDecap}.
     * @return the error code (negative), or a non-negative value for success.
     */
    public static int errorCode(final long result)
    {
        return result < 0 ? (int)result : 0;
    }

    /**
     * @param code error code, or 0.
     * @return a stable kebab-case name for counters and traces.
     */
    public static String name(final int code)
    {
        final int index = -code;
        return index >= 0 && index < NAMES.length ? NAMES[index] : "unknown";
    }

    /**
     * @param result successful result.
     * @return bytes from the start of the decapsulated frame/packet to the inner packet.
     */
    public static int headerLength(final long result)
    {
        return (int)result & 0xFFFF;
    }

    /**
     * @param result successful result.
     * @return length of the inner packet.
     */
    public static int innerLength(final long result)
    {
        return (int)(result >>> 16) & 0xFFFF;
    }

    /**
     * @param result successful result of an MPLS tunnel.
     * @return MPLS VPN label.
     */
    public static int label(final long result)
    {
        return (int)(result >>> 32) & 0xF_FFFF;
    }

    /**
     * @param result successful result of an MPLS tunnel.
     * @return MPLS TTL of the VPN label (not yet decremented).
     */
    public static int ttl(final long result)
    {
        return (int)(result >>> 52) & 0xFF;
    }

    /**
     * @param result successful result of a VXLAN tunnel.
     * @return VNI.
     */
    public static int vni(final long result)
    {
        return (int)(result >>> 32) & 0xFF_FFFF;
    }

    /**
     * @param result successful result.
     * @return {@link TunnelType#MPLS_UDP}, {@link TunnelType#MPLS_GRE} or {@link TunnelType#VXLAN}.
     */
    public static int tunnelType(final long result)
    {
        return (int)(result >>> 60) & 0x3;
    }

    /**
     * Pack an MPLS result.
     *
     * @param tunnelType   {@link TunnelType#MPLS_UDP} or {@link TunnelType#MPLS_GRE}.
     * @param label        20-bit label.
     * @param ttl          MPLS TTL.
     * @param headerLength bytes to strip.
     * @param innerLength  inner packet length.
     * @return packed result.
     */
    public static long packMpls(
        final int tunnelType, final int label, final int ttl, final int headerLength, final int innerLength)
    {
        return ((long)tunnelType << 60) | ((long)(ttl & 0xFF) << 52) | ((long)(label & 0xF_FFFF) << 32) |
            ((long)(innerLength & 0xFFFF) << 16) | (headerLength & 0xFFFF);
    }

    /**
     * Pack a VXLAN result.
     *
     * @param vni          24-bit VNI.
     * @param headerLength bytes to strip.
     * @param innerLength  inner frame length.
     * @return packed result.
     */
    public static long packVxlan(final int vni, final int headerLength, final int innerLength)
    {
        return ((long)TunnelType.VXLAN << 60) | ((long)(vni & 0xFF_FFFF) << 32) |
            ((long)(innerLength & 0xFFFF) << 16) | (headerLength & 0xFFFF);
    }
}
