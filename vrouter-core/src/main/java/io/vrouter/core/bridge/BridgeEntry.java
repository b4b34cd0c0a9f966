package io.vrouter.core.bridge;

/**
 * One bridge-table entry, immutable.
 *
 * @param vrf   VRF id.
 * @param mac   MAC address as a long (48 bits).
 * @param nhId  next hop for frames to this MAC.
 * @param label MPLS L2 label or VNI, or -1.
 * @param flags {@code L} (0x2) label valid, and the other bridge flags of Contrail.
 */
public record BridgeEntry(int vrf, long mac, int nhId, int label, int flags)
{
    /** Label valid. */
    public static final int FLAG_LABEL_VALID = 0x2;
}
