package io.vrouter.tools.cli;

import java.util.List;

import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.MirrorTable;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.nh.kind.NextHopKinds;
import io.vrouter.core.nh.kind.NextHopText;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.PortRequest;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.VxlanRequest;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.wire.AddressFamily;

/**
 * Renders forwarder objects (the typed answers to {@code vr_interface_req}, {@code vr_nexthop_req},
 * {@code vr_route_req}, {@code vr_mpls_req}, ...) and counters in the layouts of Contrail's {@code vif --list},
 * {@code nh --list}, {@code rt --dump}, {@code mpls --dump}, {@code dropstats} and {@code vrfstats}
 * (reference §5), so an operator reads what they already know. Two deliberate differences:
 * {@code rt --dump} prints each route once as its prefix (Contrail prints mtrie leaves), and QoS, which
 * this forwarder does not have, shows as Contrail shows an interface without a QoS map ({@code QOS:-1}).
 * Reference counts ({@code Ref:}, {@code Ref_cnt:}) are the forwarder's ({@code References}).
 */
public final class Formats
{
    private static final String VIF_LEGEND = String.join("\n",
        "Flags: P=Policy, X=Cross Connect, S=Service Chain, Mr=Receive Mirror",
        "       Mt=Transmit Mirror, Tc=Transmit Checksum Offload, L3=Layer 3, L2=Layer 2",
        "       D=DHCP, Vp=Vhost Physical, Pr=Promiscuous, Vnt=Native Vlan Tagged",
        "       Mnp=No MAC Proxy, Dpdk=DPDK PMD Interface, Rfl=Receive Filtering Offload, Mon=Interface is Monitored",
        "       Uuf=Unknown Unicast Flood, Vof=VLAN insert/strip offload, Df=Drop New Flows, L=MAC Learning Enabled",
        "       Proxy=MAC Requests Proxied Always, Er=Etree Root, Mn=Mirror without Vlan Tag, Ig=Igmp Trap Enabled");

    /** {@code vifr_qos_map_index} of an interface without a QoS map: this forwarder has no QoS maps. */
    private static final int NO_QOS_MAP = -1;

    private Formats()
    {
    }

    /**
     * {@code vif --list}.
     *
     * @param vifs interface objects in index order.
     * @return the text.
     */
    public static String vifList(final List<InterfaceRequest> vifs)
    {
        final StringBuilder sb = new StringBuilder("Vrouter Interface Table\n\n").append(VIF_LEGEND).append("\n\n");
        for (final InterfaceRequest v : vifs)
        {
            sb.append(vif(v)).append('\n');
        }
        return sb.toString();
    }

    /**
     * One interface block of {@code vif --list} / {@code vif --get}.
     *
     * @param v an interface as GET or DUMP answers it.
     * @return the block, ending with a newline.
     */
    public static String vif(final InterfaceRequest v)
    {
        final int type = v.type();
        final String os = type == VifType.PHYSICAL && (v.flags() & VifFlags.MOCK_DEVICE) != 0
            ? "PCI: Mock" : "OS: " + v.name();
        final StringBuilder sb = new StringBuilder();
        sb.append(pad("vif0/" + v.idx(), 12)).append(os).append(" NH: ").append(v.nhId()).append('\n');
        sb.append(indent()).append("Type:").append(VifType.name(type)).append(" HWaddr:")
            .append(mac(Requests.macBytes(v.mac()), true)).append(" IPaddr:").append(ip(Integer.reverseBytes(v.ip())))
            .append('\n');
        sb.append(indent()).append("Vrf:").append(v.vrf()).append(" Mcast Vrf:").append(v.mcastVrf())
            .append(" Flags:").append(VifFlags.symbols(v.flags())).append(" QOS:").append(NO_QOS_MAP)
            .append(" Ref:").append(v.refCnt()).append(" MTU:").append(v.mtu()).append('\n');
        sb.append(indent()).append("RX packets:").append(v.ipackets()).append("  bytes:").append(v.ibytes())
            .append(" errors:0\n");
        sb.append(indent()).append("TX packets:").append(v.opackets()).append("  bytes:").append(v.obytes())
            .append(" errors:0\n");
        sb.append(indent()).append("Drops:").append(v.dpackets()).append('\n');
        return sb.toString();
    }

    /**
     * {@code nh --list}.
     *
     * @param nhs next-hop objects in id order.
     * @return the text.
     */
    public static String nhList(final List<NextHopRequest> nhs)
    {
        final StringBuilder sb = new StringBuilder();
        for (final NextHopRequest nh : nhs)
        {
            sb.append(nh(nh)).append('\n');
        }
        return sb.toString();
    }

    /**
     * One next-hop block of {@code nh --list} / {@code nh --get}.
     *
     * @param nh a next hop as GET or DUMP answers it.
     * @return the block, ending with a newline.
     */
    public static String nh(final NextHopRequest nh)
    {
        final int type = nh.type();
        final int flags = nh.flags();
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format("Id:%-9d  Type:%-13s  Fmly:%8s  Rid:0  Ref_cnt:%-10d Vrf:%d%n", nh.id(),
            NextHopType.name(type), AddressFamily.name(nh.family()), nh.refCnt(), nh.vrf()));
        final String words = NextHopFlags.words(flags);
        sb.append(NH_INDENT).append("Flags:").append(words.isEmpty() ? "None" : words).append('\n');
        NextHopKinds.list(nh, sb);
        return sb.toString();
    }

    /**
     * {@code rt --dump VRF} for inet or inet6: one line per route, its prefix and prefix length.
     *
     * @param vrf    the VRF.
     * @param family {@link AddressFamily#INET} or {@link AddressFamily#INET6}.
     * @param routes routes from a dump.
     * @return the text.
     */
    public static String rtDump(final int vrf, final int family, final List<RouteRequest> routes)
    {
        final StringBuilder sb = new StringBuilder(
            "Flags: L=Label Valid, P=Proxy ARP, T=Trap ARP, F=Flood ARP, Ml=MAC-IP learnt route\n");
        sb.append("vRouter ").append(family == AddressFamily.INET6 ? "inet6" : "inet4").append(" routing table 0/")
            .append(vrf).append("/unicast\n");
        sb.append("Destination           PPL        Flags        Label         Nexthop    Stitched MAC(Index)\n");
        for (final RouteRequest r : routes)
        {
            final int plen = r.prefixLen();
            sb.append(String.format("%-21s %4d        %5s      %5s        %7d        %s%n", prefix(r), plen,
                routeFlags(r.labelFlags()), r.labelled() ? String.valueOf(r.label()) : "-", r.nhId(),
                r.mac() == RouteRequest.NO_MAC ? "-" : mac(Requests.macBytes(r.mac()), false)));
        }
        return sb.toString();
    }

    /**
     * {@code mpls --dump}.
     *
     * @param labels label objects.
     * @return the text.
     */
    public static String mplsDump(final List<MplsRequest> labels)
    {
        final StringBuilder sb = new StringBuilder(
            "MPLS Input Label Map\n\n   Label    NextHop\n-------------------\n");
        for (final MplsRequest l : labels)
        {
            sb.append(String.format("%8d    %6d%n", l.label(), l.nhId()));
        }
        return sb.toString();
    }

    /**
     * {@code rt --dump VRF --family bridge}. The Index column is the entry's position in the dump
     * (this forwarder's bridge table is not an index-addressed hash table) and Stats, which it does
     * not count per entry, is {@code -}.
     *
     * @param vrf     the VRF.
     * @param entries bridge routes from a dump.
     * @return the text.
     */
    public static String rtBridgeDump(final int vrf, final List<RouteRequest> entries)
    {
        final StringBuilder sb = new StringBuilder("Flags: L=Label Valid, Df=DHCP flood, Mm=Mac Moved, "
            + "L2c=L2 Evpn Control Word, N=New Entry, Ec=EvpnControlProcessing\n");
        sb.append("vRouter bridge table 0/").append(vrf).append('\n');
        sb.append("Index       DestMac                  Flags           Label/VNID      Nexthop           Stats\n");
        int index = 0;
        for (final RouteRequest e : entries)
        {
            final String label = e.labelled() ? String.valueOf(e.label()) : "-";
            sb.append(bridgeRow(String.valueOf(index++), mac(Requests.macBytes(e.mac()), false),
                e.labelled() ? "L" : "", label, e.nhId(), "-"));
        }
        return sb.toString();
    }

    /** One row of the bridge table, in the columns of reference §5.1's example. */
    static String bridgeRow(final String index, final String mac, final String flags, final String label,
        final long nh, final String stats)
    {
        return String.format("%-12s%-20s %9s      %9s      %7d    %9s%n", index, mac, flags, label, nh, stats);
    }

    /**
     * {@code vxlan --dump}.
     *
     * @param vnis VNI objects.
     * @return the text.
     */
    public static String vxlanDump(final List<VxlanRequest> vnis)
    {
        final StringBuilder sb = new StringBuilder("VXLAN Table\n\n VNID    NextHop\n----------------\n");
        for (final VxlanRequest v : vnis)
        {
            sb.append(String.format("%7d    %d%n", v.vnid(), v.nhId()));
        }
        return sb.toString();
    }

    /**
     * {@code mirror --dump} and {@code mirror --get N} in Contrail's layout (utils/mirror.c): flags {@code D}
     * (dynamic) and {@code Hw}; the VNI column of a row is omitted when the entry has no VNI (-1), as Contrail
     * omits it; the VLAN is 0 (this forwarder does not tag mirror copies).
     *
     * @param mirrors mirror entries.
     * @return the text.
     */
    public static String mirrorDump(final List<MirrorRequest> mirrors)
    {
        final StringBuilder sb = new StringBuilder("Mirror Table\n\n"
            + "Flags:D=Dynamic Mirroring, Hw=NIC Assisted Mirroring\n\n"
            + "Index    NextHop    Flags       VNI    Vlan\n------------------------------------------------\n");
        for (final MirrorRequest m : mirrors)
        {
            final int flags = m.flags();
            final String f = ((flags & MirrorTable.FLAG_DYNAMIC) != 0 ? "D" : "")
                + ((flags & MirrorTable.FLAG_HW_ASSISTED) != 0 ? "Hw" : "");
            sb.append(String.format("%5d    %7d    %4s", m.index(), m.nhId(), f));
            if (m.vni() != MirrorRequest.NO_VNI)
            {
                sb.append(String.format("    %7d", m.vni()));
            }
            sb.append(String.format("    %4d%n", 0));
        }
        return sb.toString();
    }

    /**
     * A route's prefix as {@code address/plen}.
     *
     * @param r an inet or inet6 route.
     * @return e.g. {@code 10.1.0.0/24}.
     */
    public static String prefix(final RouteRequest r)
    {
        final byte[] p = r.prefix();
        return (p.length == 4 ? ip(p) : ip6(p)) + "/" + r.prefixLen();
    }

    /**
     * {@code vrouterctl port list}: one row per pod port.
     *
     * @param ports the ports.
     * @return the text.
     */
    public static String portList(final List<PortRequest> ports)
    {
        final StringBuilder sb = new StringBuilder(String.format("%-16s %-20s %-8s %-17s %5s %5s %5s  %s%n",
            "Name", "Netns", "Ifname", "MAC", "Vrf", "MTU", "Vif", "Addresses (gateway)"));
        for (final PortRequest p : ports)
        {
            final String gw = p.gateway();
            sb.append(String.format("%-16s %-20s %-8s %-17s %5d %5d %5d  %s%s%n", p.name(), p.netns(), p.ifname(),
                p.mac(), p.vrf(), p.mtu(), p.vifIdx(), String.join(",", p.addresses()),
                gw.isEmpty() ? "" : " (" + gw + ")"));
        }
        return sb.toString();
    }

    /** Contrail's {@code dropstats} order (reference §5.6). */
    private static final DropReason[] DROPSTATS_ORDER =
    {
        DropReason.INVALID_IF, DropReason.INVALID_ARP, DropReason.TRAP_NO_IF, DropReason.INTERFACE_TX_DISCARD,
        DropReason.INTERFACE_DROP, DropReason.INTERFACE_RX_DISCARD, DropReason.FLOW_UNUSABLE,
        DropReason.FLOW_NO_MEMORY, DropReason.FLOW_TABLE_FULL, DropReason.FLOW_NAT_NO_RFLOW,
        DropReason.FLOW_ACTION_DROP, DropReason.FLOW_ACTION_INVALID, DropReason.FLOW_INVALID_PROTOCOL,
        DropReason.FLOW_QUEUE_LIMIT_EXCEEDED, DropReason.NEW_FLOWS, DropReason.FLOW_EVICT, DropReason.TRAP_ORIGINAL,
        DropReason.DISCARD, DropReason.TTL_EXCEEDED, DropReason.MCAST_CLONE_FAIL, DropReason.INVALID_NH,
        DropReason.INVALID_LABEL, DropReason.INVALID_PROTOCOL, DropReason.LEAF_TO_LEAF,
        DropReason.BMAC_ISID_MISMATCH, DropReason.REWRITE_FAIL, DropReason.INVALID_MCAST_SOURCE, DropReason.PKT_LOOP,
        DropReason.PUSH, DropReason.PULL, DropReason.DUPLICATED, DropReason.HEAD_ALLOC_FAIL, DropReason.PCOW_FAIL,
        DropReason.INVALID_PACKET, DropReason.MISC, DropReason.NOWHERE_TO_GO, DropReason.CKSUM_ERR,
        DropReason.NO_FMD, DropReason.INVALID_VNID, DropReason.FRAGMENTS, DropReason.INVALID_SOURCE,
        DropReason.MCAST_DF_BIT, DropReason.L2_NO_ROUTE, DropReason.NO_MEMORY, DropReason.FRAGMENT_QUEUE_FAIL,
        DropReason.NO_CRYPT_PATH, DropReason.INVALID_HBS_PKT, DropReason.NO_FRAG_ENTRY, DropReason.ICMP_ERROR,
        DropReason.CLONE_FAIL, DropReason.INVALID_UNDERLAY_ECMP, DropReason.VLAN_FWD_TX, DropReason.VLAN_FWD_ENQ,
    };

    /**
     * {@code dropstats}: the non-zero counters, in Contrail's order, as {@code "%-28s  %d"}.
     *
     * @param drops counts indexed by {@link DropReason#ordinal()}.
     * @return the text ("" when nothing was dropped).
     */
    public static String dropstats(final long[] drops)
    {
        final StringBuilder sb = new StringBuilder();
        for (final DropReason r : DROPSTATS_ORDER)
        {
            final long n = drops[r.ordinal()];
            if (n != 0)
            {
                sb.append(String.format("%-28s  %d%n", r.label(), n));
            }
        }
        return sb.toString();
    }

    /**
     * {@code vrfstats --get N}.
     *
     * @param vrf    the VRF.
     * @param counts counts indexed by {@link VrfStat#ordinal()}.
     * @return the text.
     */
    public static String vrfstats(final int vrf, final long[] counts)
    {
        return "Vrf: " + vrf + "\n"
            + line(counts, "Discards", VrfStat.DISCARDS, "Resolves", VrfStat.RESOLVES, "Receives", VrfStat.RECEIVES,
                "L2 Receives", VrfStat.L2_RECEIVES, "Vrf Translates", VrfStat.VRF_TRANSLATES,
                "Unknown Unicast Floods", VrfStat.UUC_FLOODS)
            + line(counts, "Ecmp Composites", VrfStat.ECMP_COMPOSITES, "L2 Mcast Composites",
                VrfStat.L2_MCAST_COMPOSITES, "Fabric Composites", VrfStat.FABRIC_COMPOSITES, "Encap Composites",
                VrfStat.ENCAP_COMPOSITES, "Evpn Composites", VrfStat.EVPN_COMPOSITES)
            + line(counts, "Udp Tunnels", VrfStat.UDP_TUNNELS, "Udp Mpls Tunnels", VrfStat.UDP_MPLS_TUNNELS,
                "Gre Mpls Tunnels", VrfStat.GRE_MPLS_TUNNELS, "Vxlan Tunnels", VrfStat.VXLAN_TUNNELS, "Pbb Tunnels",
                VrfStat.PBB_TUNNELS, "Mpls over Mpls Tunnels", VrfStat.UDP_MPLS_OVER_MPLS_TUNNELS)
            + line(counts, "L2 Encaps", VrfStat.L2_ENCAPS, "Encaps", VrfStat.ENCAPS)
            + line(counts, "GROs", VrfStat.GROS, "Diags", VrfStat.DIAGS)
            + line(counts, "Arp Virtual Proxys", VrfStat.ARP_VIRTUAL_PROXY, "Arp Virtual Stitchs",
                VrfStat.ARP_VIRTUAL_STITCH, "Arp Virtual Floods", VrfStat.ARP_VIRTUAL_FLOOD, "Arp Physical Stitchs",
                VrfStat.ARP_PHYSICAL_STITCH, "Arp Tor Proxys", VrfStat.ARP_TOR_PROXY, "Arp Physical Floods",
                VrfStat.ARP_PHYSICAL_FLOOD);
    }

    private static String line(final long[] counts, final Object... namesAndStats)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < namesAndStats.length; i += 2)
        {
            if (i > 0)
            {
                sb.append(", ");
            }
            sb.append(namesAndStats[i]).append(' ').append(counts[((VrfStat)namesAndStats[i + 1]).ordinal()]);
        }
        return sb.append('\n').toString();
    }

    /** Contrail's letters for {@code rtr_label_flags}: L, P, T, F ({@link RouteFlags}) and Ml (0x10). */
    private static String routeFlags(final int flags)
    {
        final StringBuilder sb = new StringBuilder();
        final String[] letters = {"L", "P", "T", "F", "Ml"};
        for (int i = 0; i < letters.length; i++)
        {
            if ((flags & (1 << i)) != 0)
            {
                sb.append(letters[i]);
            }
        }
        return sb.toString();
    }

    private static final String NH_INDENT = NextHopText.INDENT;

    private static String indent()
    {
        return "            ";
    }

    private static String pad(final String s, final int width)
    {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    /** MAC as {@code ether_ntoa} prints it (no leading zeros), or zero-padded. */
    static String mac(final byte[] b, final boolean zeroPad)
    {
        if (b == null)
        {
            return "00:00:00:00:00:00";
        }
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++)
        {
            if (i > 0)
            {
                sb.append(':');
            }
            sb.append(zeroPad ? String.format("%02x", b[i] & 0xFF) : Integer.toHexString(b[i] & 0xFF));
        }
        return sb.toString();
    }

    static String ip(final int a)
    {
        return NextHopText.ip(a);
    }

    private static String ip(final byte[] p)
    {
        return (p[0] & 0xFF) + "." + (p[1] & 0xFF) + "." + (p[2] & 0xFF) + "." + (p[3] & 0xFF);
    }

    private static String ip6(final byte[] p)
    {
        try
        {
            return java.net.InetAddress.getByAddress(p).getHostAddress();
        }
        catch (final java.net.UnknownHostException e)
        {
            throw new IllegalArgumentException(e);
        }
    }
}
