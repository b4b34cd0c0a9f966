package io.vrouter.core.iface;

/**
 * Interface flags ({@code VIF_FLAG_*}), bits and CLI symbols as Contrail's {@code vif}.
 */
public final class VifFlags
{
    /** P: every unicast IP packet received goes through flow lookup. */
    public static final int POLICY_ENABLED = 0x1;
    /** X: cross-connect fabric and vhost. */
    public static final int XCONNECT = 0x2;
    /** S: service-chain interface. */
    public static final int SERVICE_IF = 0x4;
    /** Mr: mirror received packets. */
    public static final int MIRROR_RX = 0x8;
    /** Mt: mirror transmitted packets. */
    public static final int MIRROR_TX = 0x10;
    /** Tc: TX checksum offload. */
    public static final int TX_CSUM_OFFLOAD = 0x20;
    /** L3: routing enabled. */
    public static final int L3_ENABLED = 0x40;
    /** L2: bridging enabled. */
    public static final int L2_ENABLED = 0x80;
    /** D: DHCP requests trapped to the agent. */
    public static final int DHCP_ENABLED = 0x100;
    /** Vp: physical port paired with vhost0. */
    public static final int VHOST_PHYS = 0x200;
    /** Pr: promiscuous. */
    public static final int PROMISCOUS = 0x400;
    /** Vnt: untagged is VLAN 0. */
    public static final int NATIVE_VLAN_TAG = 0x800;
    /** Mnp: no ARP proxy. */
    public static final int NO_ARP_PROXY = 0x1000;
    /** Dpdk: PMD. */
    public static final int PMD = 0x2000;
    /** Rfl: HW filtering offload. */
    public static final int FILTERING_OFFLOAD = 0x4000;
    /** Mon: monitored. */
    public static final int MONITORED = 0x8000;
    /** Uuf: flood unknown unicast. */
    public static final int UNKNOWN_UC_FLOOD = 0x10000;
    /** Vof: VLAN offload. */
    public static final int VLAN_OFFLOAD = 0x20000;
    /** Df: drop new flows. */
    public static final int DROP_NEW_FLOWS = 0x40000;
    /** L: MAC learning. */
    public static final int MAC_LEARN = 0x80000;
    /** Proxy: always answer ARP with the vif MAC. */
    public static final int MAC_PROXY = 0x100000;
    /** Er: E-tree root. */
    public static final int ETREE_ROOT = 0x200000;
    /** Mn: mirror without VLAN tag. */
    public static final int MIRROR_NOTAG = 0x1000000;
    /** Ig: IGMP trap. */
    public static final int IGMP_ENABLED = 0x2000000;
    /** A mock device (vtest's fake physical/vhost ports; our replay ports). */
    public static final int MOCK_DEVICE = 0x4000000;

    private static final int[] BITS =
    {
        POLICY_ENABLED, XCONNECT, SERVICE_IF, MIRROR_RX, MIRROR_TX, TX_CSUM_OFFLOAD, L3_ENABLED, L2_ENABLED,
        DHCP_ENABLED, VHOST_PHYS, PROMISCOUS, NATIVE_VLAN_TAG, NO_ARP_PROXY, PMD, FILTERING_OFFLOAD, MONITORED,
        UNKNOWN_UC_FLOOD, VLAN_OFFLOAD, DROP_NEW_FLOWS, MAC_LEARN, MAC_PROXY, ETREE_ROOT, MIRROR_NOTAG, IGMP_ENABLED,
    };
    private static final String[] SYMBOLS =
    {
        "P", "X", "S", "Mr", "Mt", "Tc", "L3", "L2", "D", "Vp", "Pr", "Vnt", "Mnp", "Dpdk", "Rfl", "Mon",
        "Uuf", "Vof", "Df", "L", "Proxy", "Er", "Mn", "Ig",
    };

    private VifFlags()
    {
    }

    /**
     * The flag string {@code vif --list} prints after "Flags:" (e.g. {@code PL3L2D}).
     *
     * @param flags flag bits.
     * @return the symbols concatenated.
     */
    public static String symbols(final int flags)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BITS.length; i++)
        {
            if ((flags & BITS[i]) != 0)
            {
                sb.append(SYMBOLS[i]);
            }
        }
        return sb.toString();
    }
}
