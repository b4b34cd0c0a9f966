package io.vrouter.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.VxlanRequest;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.wire.AddressFamily;

/**
 * Golden text: the rows of reference §5's examples, rebuilt from objects, must come out column for
 * column as Contrail's tools print them.
 */
class FormatsTest
{
    static RouteRequest.Builder route(final int a, final int b, final int c, final int d, final int plen,
        final int nh, final int label, final int flags)
    {
        return RouteRequest.builder().family(AddressFamily.INET).vrfId(2)
            .prefix(new byte[] {(byte)a, (byte)b, (byte)c, (byte)d}, plen).nhId(nh).label(label).labelFlags(flags);
    }

    @Test
    void shouldPrintRouteRowsInContrailColumns()
    {
        final RouteRequest stitched = route(10, 47, 255, 252, 32, 27, 0xFFFFFF, 0x2).mac(0x02e703ea67f1L).build();
        final String text = Formats.rtDump(2, AddressFamily.INET, List.of(route(10, 47, 255, 250, 32, 41, 25, 0x3)
            .build(), stitched));
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
        final String text = Formats.mplsDump(List.of(MplsRequest.add(42, 44)));
        assertEquals("MPLS Input Label Map\n\n   Label    NextHop\n-------------------\n      42        44\n",
            text.replace(System.lineSeparator(), "\n"));
    }

    @Test
    void shouldPrintNextHopHeaderAndEncapData()
    {
        final NextHopRequest nh = NextHopRequest.builder().id(38).type(2).family(AddressFamily.INET).vrf(5).flags(3)
            .oif(5).encap(new byte[] {2, (byte)0xc2, 0x23, 0x4c, (byte)0xd0, 0x55, 0, 0, 0x5e, 0, 1, 0, 8, 0}).refCnt(1)
            .build();
        final String[] lines = Formats.nh(nh).split("\\R");
        assertEquals("Id:38         Type:Encap          Fmly: AF_INET  Rid:0  Ref_cnt:1          Vrf:5", lines[0]);
        assertEquals("              Flags:Valid, Policy", lines[1]);
        assertEquals("              EncapFmly:0000 Oif:5 Len:14", lines[2]);
        assertEquals("              Encap Data: 02 c2 23 4c d0 55 00 00 5e 00 01 00 08 00", lines[3]);
    }

    @Test
    void shouldPrintTunnelEndpointsAsDottedQuads()
    {
        final NextHopRequest nh = NextHopRequest.builder().id(21).type(3).family(AddressFamily.INET).flags(0x41)
            .oif(0).encap(new byte[14]).tunnel(33554440, 50331656).build();
        final String[] lines = Formats.nh(nh).split("\\R");
        assertEquals("              Flags:Valid, MPLSoUDP", lines[1]);
        assertEquals("              Sip:8.0.0.2 Dip:8.0.0.3", lines[3]);
    }

    @Test
    void shouldPrintInterfaceBlock()
    {
        final InterfaceRequest v = InterfaceRequest.builder().idx(5).type(3).name("tapc2234cd0-55").nhId(38)
            .mac(BridgeTable.GATEWAY_MAC).ip(50397441).vrf(5).mcastVrf(5).flags(0x1C1).mtu(9160)
            .counters(0, 0, 1, 42, 0).refCnt(7).build();
        final String[] lines = Formats.vif(v).split("\\R");
        assertEquals("vif0/5      OS: tapc2234cd0-55 NH: 38", lines[0]);
        assertEquals("            Type:Virtual HWaddr:00:00:5e:00:01:00 IPaddr:1.1.1.3", lines[1]);
        assertEquals("            Vrf:5 Mcast Vrf:5 Flags:PL3L2D QOS:-1 Ref:7 MTU:9160", lines[2]);
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
        final String text = Formats.rtBridgeDump(3, List.of(RouteRequest.builder().family(AddressFamily.BRIDGE)
            .mac(0x020000000001L).nhId(21).label(27).labelFlags(1).build()));
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
            Formats.vxlanDump(List.of(VxlanRequest.add(5, 12))));
        final String[] lines = Formats.mirrorDump(List.of(MirrorRequest.add(1, 8, 0, MirrorRequest.NO_VNI)))
            .split("\n");
        assertEquals("Mirror Table", lines[0]);
        assertEquals("Flags:D=Dynamic Mirroring, Hw=NIC Assisted Mirroring", lines[2]);
        assertEquals("Index    NextHop    Flags       VNI    Vlan", lines[4]);
        assertEquals("    1          8               0", lines[6]);
        final String[] vxlan = Formats.mirrorDump(List.of(MirrorRequest.add(2, 9, 1, 4096))).split("\n");
        assertEquals("    2          9       D       4096       0", vxlan[6]);
    }
}
