package io.vrouter.core.status;

/**
 * Per-VRF forwarding counters, in the order and with the names of tf-vrouter's
 * {@code vr_vrf_stats_req} ({@code vrfstats}). Each next-hop handler bumps its counter in the
 * destination VRF.
 */
public enum VrfStat
{
    DISCARDS("discards"),
    RESOLVES("resolves"),
    RECEIVES("receives"),
    L2_RECEIVES("l2_receives"),
    ECMP_COMPOSITES("ecmp_composites"),
    VRF_TRANSLATES("vrf_translates"),
    ENCAP_COMPOSITES("encap_composites"),
    EVPN_COMPOSITES("evpn_composites"),
    L2_MCAST_COMPOSITES("l2_mcast_composites"),
    FABRIC_COMPOSITES("fabric_composites"),
    UDP_TUNNELS("udp_tunnels"),
    UDP_MPLS_TUNNELS("udp_mpls_tunnels"),
    GRE_MPLS_TUNNELS("gre_mpls_tunnels"),
    VXLAN_TUNNELS("vxlan_tunnels"),
    PBB_TUNNELS("pbb_tunnels"),
    UDP_MPLS_OVER_MPLS_TUNNELS("udp_mpls_over_mpls_tunnels"),
    L2_ENCAPS("l2_encaps"),
    ENCAPS("encaps"),
    GROS("gros"),
    DIAGS("diags"),
    ARP_VIRTUAL_PROXY("arp_virtual_proxy"),
    ARP_VIRTUAL_STITCH("arp_virtual_stitch"),
    ARP_VIRTUAL_FLOOD("arp_virtual_flood"),
    ARP_PHYSICAL_STITCH("arp_physical_stitch"),
    ARP_TOR_PROXY("arp_tor_proxy"),
    ARP_PHYSICAL_FLOOD("arp_physical_flood"),
    UUC_FLOODS("uuc_floods");

    /** All counters by ordinal. */
    public static final VrfStat[] BY_ID = values();

    /** Number of counters per VRF. */
    public static final int COUNT = BY_ID.length;

    private final String fieldName;

    VrfStat(final String fieldName)
    {
        this.fieldName = fieldName;
    }

    /**
     * The sandesh field name without its {@code vsr_} prefix, as {@code vrfstats} prints it.
     *
     * @return the field name.
     */
    public String fieldName()
    {
        return fieldName;
    }
}
