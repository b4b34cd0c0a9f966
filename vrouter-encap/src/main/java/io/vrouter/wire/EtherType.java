package io.vrouter.wire;

/**
 * EtherType values used by the vRouter (IEEE 802 numbers).
 */
public final class EtherType
{
    /**
     * Internet Protocol version 4.
     */
    public static final int IPV4 = 0x0800;

    /**
     * Address Resolution Protocol.
     */
    public static final int ARP = 0x0806;

    /**
     * IEEE 802.1Q VLAN tag (TPID).
     */
    public static final int VLAN = 0x8100;

    /**
     * IEEE 802.1ad service VLAN tag (QinQ outer TPID).
     */
    public static final int QINQ = 0x88A8;

    /**
     * Internet Protocol version 6.
     */
    public static final int IPV6 = 0x86DD;

    /**
     * MPLS unicast (also the GRE protocol type for MPLSoGRE).
     */
    public static final int MPLS_UNICAST = 0x8847;

    /**
     * MPLS multicast.
     */
    public static final int MPLS_MULTICAST = 0x8848;

    private EtherType()
    {
    }
}
