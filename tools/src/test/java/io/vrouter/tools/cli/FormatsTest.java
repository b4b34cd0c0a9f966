package io.vrouter.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;

/**
 * Golden text: the rows of reference §5's examples, rebuilt from objects, must come out column for
 * column as Contrail's tools print them.
 */
class FormatsTest
{
    static SandeshObject route(final int a, final int b, final int c, final int d, final int plen, final int nh,
        final int label, final int flags)
    {
        return new SandeshObject("vr_route_req").put("rtr_family", 2L).put("rtr_vrf_id", 2L)
            .put("rtr_prefix", new byte[] {(byte)a, (byte)b, (byte)c, (byte)d}).put("rtr_prefix_len", plen)
            .put("rtr_nh_id", nh).put("rtr_label", label).put("rtr_label_flags", flags);
    }

    @Test
    void shouldPrintRouteRowsInContrailColumns()
    {
        final SandeshObject stitched = route(10, 47, 255, 252, 32, 27, 0xFFFFFF, 0x2)
            .put("rtr_mac", new byte[] {2, (byte)0xe7, 3, (byte)0xea, 0x67, (byte)0xf1});
        final String text = Formats.rtDump(2, 2, List.of(route(10, 47, 255, 250, 32, 41, 25, 0x3), stitched));
        final String[] lines = text.split("\n");
        assertEquals("Flags: L=Label Valid, P=Proxy ARP, T=Trap ARP, F=Flood ARP, Ml=MAC-IP learnt route", lines[0]);
        assertEquals("vRouter inet4 routing table 0/2/unicast", lines[1]);
        assertEquals("Destination           PPL        Flags        Label         Nexthop    Stitched MAC(Index)",
            lines[2]);
        assertEquals("10.47.255.250/32        32           LP         25             41        -", lines[3]);
        assertEquals("10.47.255.252/32        32            P          -             27        2:e7:3:ea:67:f1",
            lines[4]);
    }

    @Test
    void shouldPrintMplsMapAsContrail()
    {
        final String text = Formats.mplsDump(List.of(new SandeshObject("vr_mpls_req").put("mr_label", 42L)
            .put("mr_nhid", 44L)));
        assertEquals("MPLS Input Label Map\n\n   Label    NextHop\n-------------------\n      42        44\n",
            text.replace(System.lineSeparator(), "\n"));
    }

    @Test
    void shouldPrintNextHopHeaderAndEncapData()
    {
        final SandeshObject nh = new SandeshObject("vr_nexthop_req").put("nhr_id", 38L).put("nhr_type", 2L)
            .put("nhr_family", 2L).put("nhr_vrf", 5L).put("nhr_flags", 3L).put("nhr_encap_oif_id", new long[] {5})
            .put("nhr_encap", new byte[] {2, (byte)0xc2, 0x23, 0x4c, (byte)0xd0, 0x55, 0, 0, 0x5e, 0, 1, 0, 8, 0});
        final String[] lines = Formats.nh(nh).split("\\R");
        assertTrue(lines[0].startsWith("Id:38         Type:Encap          Fmly: AF_INET  Rid:0"), lines[0]);
        assertEquals("              Flags:Valid, Policy", lines[1]);
        assertEquals("              EncapFmly:0000 Oif:5 Len:14", lines[2]);
        assertEquals("              Encap Data: 02 c2 23 4c d0 55 00 00 5e 00 01 00 08 00", lines[3]);
    }

    @Test
    void shouldPrintTunnelEndpointsAsDottedQuads()
    {
        final SandeshObject nh = new SandeshObject("vr_nexthop_req").put("nhr_id", 21L).put("nhr_type", 3L)
            .put("nhr_family", 2L).put("nhr_flags", 0x41L).put("nhr_encap_oif_id", new long[] {0})
            .put("nhr_encap", new byte[14]).put("nhr_tun_sip", 33554440L).put("nhr_tun_dip", 50331656L);
        final String[] lines = Formats.nh(nh).split("\\R");
        assertEquals("              Flags:Valid, MPLSoUDP", lines[1]);
        assertEquals("              Sip:8.0.0.2 Dip:8.0.0.3", lines[3]);
    }

    @Test
    void shouldPrintInterfaceBlock()
    {
        final SandeshObject v = new SandeshObject("vr_interface_req").put("vifr_idx", 5L).put("vifr_type", 3L)
            .put("vifr_name", "tapc2234cd0-55").put("vifr_nh_id", 38L)
            .put("vifr_mac", new byte[] {0, 0, 0x5e, 0, 1, 0}).put("vifr_ip", 50397441L).put("vifr_vrf", 5L)
            .put("vifr_mcast_vrf", 5L).put("vifr_flags", 0x1C1L).put("vifr_mtu", 9160L).put("vifr_opackets", 1L)
            .put("vifr_obytes", 42L);
        final String[] lines = Formats.vif(v).split("\\R");
        assertEquals("vif0/5      OS: tapc2234cd0-55 NH: 38", lines[0]);
        assertEquals("            Type:Virtual HWaddr:00:00:5e:00:01:00 IPaddr:1.1.1.3", lines[1]);
        assertTrue(lines[2].startsWith("            Vrf:5 Mcast Vrf:5 Flags:PL3L2D"), lines[2]);
        assertEquals("            RX packets:0  bytes:0 errors:0", lines[3]);
        assertEquals("            TX packets:1  bytes:42 errors:0", lines[4]);
        assertEquals("            Drops:0", lines[5]);
    }

    @Test
    void shouldPrintOnlyNonZeroDropsInContrailOrder()
    {
        final long[] drops = new long[DropReason.COUNT];
        drops[DropReason.PULL.ordinal()] = 3;
        drops[DropReason.INVALID_IF.ordinal()] = 1;
        drops[DropReason.DISCARD.ordinal()] = 7;
        assertEquals(String.format("%-28s  1%n%-28s  7%n%-28s  3%n", "Invalid IF", "Discards", "Pull Fails"),
            Formats.dropstats(drops));
    }

    @Test
    void shouldPrintVrfStatsLines()
    {
        final long[] c = new long[VrfStat.COUNT];
        c[VrfStat.L2_RECEIVES.ordinal()] = 3;
        c[VrfStat.UDP_MPLS_TUNNELS.ordinal()] = 12;
        final String[] lines = Formats.vrfstats(5, c).split("\\R");
        assertEquals("Vrf: 5", lines[0]);
        assertEquals("Discards 0, Resolves 0, Receives 0, L2 Receives 3, Vrf Translates 0, Unknown Unicast Floods 0",
            lines[1]);
        assertTrue(lines[3].startsWith("Udp Tunnels 0, Udp Mpls Tunnels 12, Gre Mpls Tunnels 0"), lines[3]);
    }

    @Test
    void shouldPrintBridgeRowsAsContrail()
    {
        assertEquals("92304       2:e7:3:ea:67:f1            LDf             27           21            1\n",
            Formats.bridgeRow("92304", "2:e7:3:ea:67:f1", "LDf", "27", 21, "1"));
        final String text = Formats.rtBridgeDump(3, List.of(new SandeshObject("vr_route_req")
            .put("rtr_mac", new byte[] {2, 0, 0, 0, 0, 1}).put("rtr_nh_id", 21L).put("rtr_label", 27L)
            .put("rtr_label_flags", 1L)));
        final String[] lines = text.split("\n");
        assertEquals("vRouter bridge table 0/3", lines[1]);
        assertEquals("Index       DestMac                  Flags           Label/VNID      Nexthop           Stats",
            lines[2]);
        assertEquals("0           2:0:0:0:0:1                  L             27           21            -", lines[3]);
    }

    @Test
    void shouldPrintVxlanAndMirrorTables()
    {
        assertEquals("VXLAN Table\n\n VNID    NextHop\n----------------\n      5    12\n",
            Formats.vxlanDump(List.of(new SandeshObject("vr_vxlan_req").put("vxlanr_vnid", 5L)
                .put("vxlanr_nhid", 12L))));
        final String[] lines = Formats.mirrorDump(List.of(new SandeshObject("vr_mirror_req").put("mirr_index", 1L)
            .put("mirr_nhid", 8L))).split("\n");
        assertEquals("Mirror Table", lines[0]);
        assertEquals("Flags:D=Dynamic Mirroring, Hw=NIC Assisted Mirroring", lines[2]);
        assertEquals("Index    NextHop    Flags       VNI    Vlan", lines[4]);
        assertEquals("    1          8               0", lines[6]);
        final String[] vxlan = Formats.mirrorDump(List.of(new SandeshObject("vr_mirror_req").put("mirr_index", 2L)
            .put("mirr_nhid", 9L).put("mirr_flags", 1L).put("mirr_vni", 4096L))).split("\n");
        assertEquals("    2          9       D       4096       0", vxlan[6]);
    }
}
