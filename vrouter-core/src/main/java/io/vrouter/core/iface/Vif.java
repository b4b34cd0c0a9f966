package io.vrouter.core.iface;

/**
 * One interface's configuration, immutable: a change publishes a new instance, so a forwarding
 * worker always reads a consistent set of fields.
 *
 * @param index     vif index.
 * @param type      {@link VifType}.
 * @param name      OS name ({@code vifr_name}).
 * @param transport {@code vifr_transport} (0 virtual, 1 eth, 2 PMD, 3 socket).
 * @param vrf       VRF the interface belongs to.
 * @param mcastVrf  VRF for broadcast/multicast, 65535 = none.
 * @param mac       interface MAC as a long (48 bits).
 * @param ip        IPv4 address (big-endian int), 0 if none.
 * @param mtu       MTU.
 * @param flags     {@link VifFlags}.
 * @param nhId      the interface's own next hop (flow key), -1 if none.
 * @param osIndex   OS interface index.
 * @param mirrorId  mirror index for Mr/Mt, -1 if none.
 * @param inMirrorMd  {@code vifr_in_mirror_md}: metadata a dynamic mirror puts in front of Mr copies (may be
 *                    empty: Contrail's default {@code ff 00} is used then); do not modify.
 * @param outMirrorMd {@code vifr_out_mirror_md}: the same for Mt copies; do not modify.
 */
public record Vif(
    int index,
    int type,
    String name,
    int transport,
    int vrf,
    int mcastVrf,
    long mac,
    int ip,
    int mtu,
    int flags,
    int nhId,
    int osIndex,
    int mirrorId,
    byte[] inMirrorMd,
    byte[] outMirrorMd)
{
    /** {@code vifr_mcast_vrf} of an interface with no multicast VRF. */
    public static final int NO_VRF = 65535;

    /** Largest {@code vifr_in_mirror_md} / {@code vifr_out_mirror_md}, bytes. */
    public static final int MAX_MIRROR_MD = 64;

    /**
     * Whether a flag is set.
     *
     * @param flag one of {@link VifFlags}.
     * @return true if set.
     */
    public boolean hasFlag(final int flag)
    {
        return (flags & flag) != 0;
    }
}
