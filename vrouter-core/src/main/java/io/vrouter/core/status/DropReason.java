package io.vrouter.core.status;

/**
 * Why a packet was dropped. Ids, order and labels follow tf-vrouter's {@code VP_DROP_*} enum and
 * the labels {@code dropstats} prints, so an operator reads the same words.
 * <p>
 * Every drop goes through one call with the reason written at the failure site; never
 * {@link #values()} on the hot path, use {@link #BY_ID}.
 */
public enum DropReason
{
    DISCARD("Discards"),
    PULL("Pull Fails"),
    INVALID_IF("Invalid IF"),
    INVALID_ARP("Invalid ARP"),
    TRAP_NO_IF("Trap No IF"),
    NOWHERE_TO_GO("Nowhere to go"),
    FLOW_QUEUE_LIMIT_EXCEEDED("Flow Queue Limit Exceeded"),
    FLOW_NO_MEMORY("Flow No Memory"),
    FLOW_INVALID_PROTOCOL("Flow Invalid Protocol"),
    FLOW_NAT_NO_RFLOW("Flow NAT no rflow"),
    FLOW_ACTION_DROP("Flow Action Drop"),
    FLOW_ACTION_INVALID("Flow Action Invalid"),
    FLOW_UNUSABLE("Flow Unusable"),
    FLOW_TABLE_FULL("Flow Table Full"),
    INTERFACE_TX_DISCARD("IF TX Discard"),
    INTERFACE_DROP("IF Drop"),
    DUPLICATED("Duplicate"),
    PUSH("Push Fails"),
    TTL_EXCEEDED("TTL Exceeded"),
    INVALID_NH("Invalid NH"),
    INVALID_LABEL("Invalid Label"),
    INVALID_PROTOCOL("Invalid Protocol"),
    INTERFACE_RX_DISCARD("IF RX Discard"),
    INVALID_MCAST_SOURCE("Invalid Mcast Source"),
    HEAD_ALLOC_FAIL("Head Alloc Fails"),
    PCOW_FAIL("PCOW fails"),
    MCAST_DF_BIT("Jumbo Mcast Pkt with DF Bit"),
    MCAST_CLONE_FAIL("Mcast Clone Fail"),
    NO_MEMORY("Memory Failures"),
    REWRITE_FAIL("Rewrite Fail"),
    MISC("Misc"),
    INVALID_PACKET("Invalid Packets"),
    CKSUM_ERR("Checksum errors"),
    NO_FMD("No Fmd"),
    CLONED_ORIGINAL("Cloned Original"),
    INVALID_VNID("Invalid VNID"),
    FRAGMENTS("Fragment errors"),
    INVALID_SOURCE("Invalid Source"),
    L2_NO_ROUTE("No L2 Route"),
    FRAGMENT_QUEUE_FAIL("Fragment Queueing Failures"),
    VLAN_FWD_TX("VLAN fwd intf failed TX"),
    VLAN_FWD_ENQ("VLAN fwd intf failed enq"),
    NEW_FLOWS("New Flow Drops"),
    FLOW_EVICT("Flow Unusable (Eviction)"),
    TRAP_ORIGINAL("Original Packet Trapped"),
    LEAF_TO_LEAF("Etree Leaf to Leaf"),
    BMAC_ISID_MISMATCH("Bmac/ISID Mismatch"),
    PKT_LOOP("Packet Loop"),
    NO_CRYPT_PATH("No Encrypt Path Failures"),
    INVALID_HBS_PKT("Invalid HBS received packet"),
    NO_FRAG_ENTRY("No Fragment Entries"),
    ICMP_ERROR("ICMP errors"),
    CLONE_FAIL("Clone Failures"),
    INVALID_UNDERLAY_ECMP("Invalid underlay ECMP"),
    // Not in Contrail: refusals of the per-interface and per-VRF flow limits (reference §7).
    FLOW_VIF_LIMIT("Flow Interface Limit"),
    FLOW_VRF_LIMIT("Flow VRF Limit"),
    // Not in Contrail as a reason of its own: a new fabric-SNAT flow found no free port in the node's range.
    FLOW_SNAT_NO_PORT("Fabric SNAT Port Exhausted");

    /** All reasons by {@link #ordinal()}, for the hot path (no {@code values()} clone). */
    public static final DropReason[] BY_ID = values();

    /** Number of reasons; the width of every drop counter array. */
    public static final int COUNT = BY_ID.length;

    private final String label;

    DropReason(final String label)
    {
        this.label = label;
    }

    /**
     * The label {@code dropstats} prints.
     *
     * @return the operator-facing label.
     */
    public String label()
    {
        return label;
    }
}
