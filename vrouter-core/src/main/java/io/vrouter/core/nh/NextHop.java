package io.vrouter.core.nh;

/**
 * One next hop, immutable: reprogramming publishes a new instance, so a worker always reads a
 * consistent set of fields. Per-type behaviour is resolved here, when the next hop is programmed
 * ({@link #tunnelKind()}), not per packet.
 *
 * @param id          next-hop id.
 * @param type        {@link NextHopType}.
 * @param family      2 (inet), 7 (bridge), 10 (inet6), 0 unset.
 * @param flags       {@link NextHopFlags}.
 * @param vrf         {@code nhr_vrf}: the VRF this next hop belongs to or translates to.
 * @param oif         outgoing interface ({@code nhr_encap_oif_id}), -1 if none.
 * @param encap       L2 rewrite bytes ({@code nhr_encap}: dst MAC, src MAC, ethertype), may be empty.
 * @param tunnelSrc   tunnel source IPv4 (big-endian int).
 * @param tunnelDst   tunnel destination IPv4 (big-endian int).
 * @param tunnelSport UDP source port for plain UDP tunnels.
 * @param tunnelDport UDP destination port for plain UDP tunnels.
 * @param members     composite members' next-hop ids.
 * @param labels      composite members' labels (per member), same length as members.
 * @param ecmpConfigHash ECMP hash field selection (0 = all).
 * @param outer       prebuilt outer headers for tunnels (Ethernet + IPv4 + UDP/GRE), else empty.
 * @param tunnelKind  one of the {@code KIND_*} constants, resolved at programming time.
 */
public record NextHop(
    int id,
    int type,
    int family,
    int flags,
    int vrf,
    int oif,
    byte[] encap,
    int tunnelSrc,
    int tunnelDst,
    int tunnelSport,
    int tunnelDport,
    int[] members,
    int[] labels,
    int ecmpConfigHash,
    byte[] outer,
    int tunnelKind)
{
    /** Not a tunnel. */
    public static final int KIND_NONE = 0;
    /** MPLS over UDP. */
    public static final int KIND_MPLS_UDP = 1;
    /** MPLS over GRE. */
    public static final int KIND_MPLS_GRE = 2;
    /** VXLAN. */
    public static final int KIND_VXLAN = 3;
    /** Plain UDP (mirror). */
    public static final int KIND_UDP = 4;

    /**
     * Whether a flag is set.
     *
     * @param flag one of {@link NextHopFlags}.
     * @return true if set.
     */
    public boolean hasFlag(final int flag)
    {
        return (flags & flag) != 0;
    }

    /**
     * Whether the VALID flag is set.
     *
     * @return true if usable.
     */
    public boolean isValid()
    {
        return (flags & NextHopFlags.VALID) != 0;
    }
}
