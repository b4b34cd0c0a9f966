package io.vrouter.core.nh;

import io.vrouter.encap.EncapRewrite;
import io.vrouter.encap.TunnelType;

/**
 * One next hop, immutable: reprogramming publishes a new instance, so a worker always reads a
 * consistent set of fields. Per-type behaviour is resolved here, when the next hop is programmed, not
 * per packet: the tunnel's kind ({@link #tunnelKind()}) and the graph nodes that carry a packet through
 * this next hop ({@link #l3Node()}, {@link #l2Node()}, {@link #mirrorNode()}), chosen by the next hop's
 * kind (VPP's {@code dpoi_next_node}, tf-vrouter's {@code nh_reach_nh}).
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
 * @param outer       prebuilt outer headers of a tunnel (Ethernet + IPv4 + UDP/GRE [+ VXLAN]), else null.
 * @param tunnelKind  {@link TunnelType} of a tunnel ({@link TunnelType#NONE} otherwise), resolved at
 *                    programming time.
 * @param l3Node      graph node that sends a routed packet through this next hop.
 * @param l2Node      graph node that sends a bridged frame through this next hop.
 * @param mirrorNode  graph node that sends a mirror copy through this next hop, or -1 if it cannot.
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
    EncapRewrite outer,
    int tunnelKind,
    int l3Node,
    int l2Node,
    int mirrorNode)
{
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
