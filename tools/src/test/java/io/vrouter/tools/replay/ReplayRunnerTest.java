package io.vrouter.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vrouter.core.table.VRouterConfig;

/**
 * The harness itself must be able to fail: wrong return codes, wrong bytes, malformed files.
 */
class ReplayRunnerTest
{
    @TempDir
    Path dir;

    private static final String VIF = "<vr_interface_req><h_op>Add</h_op><vifr_type>3</vifr_type>"
        + "<vifr_idx>%d</vifr_idx>"
        + "<vifr_name>%d</vifr_name><vifr_transport>2</vifr_transport><vifr_vrf>0</vifr_vrf>"
        + "<vifr_mac>de:ad:be:ef:00:0%d</vifr_mac><vifr_mtu>1514</vifr_mtu></vr_interface_req>";

    private Path write(final String name, final String body) throws Exception
    {
        final Path f = dir.resolve(name);
        Files.writeString(f, "<?xml version=\"1.0\"?><test><test_name>t</test_name>" + body + "</test>");
        return f;
    }

    private ReplayRunner.CaseResult run(final Path f)
    {
        return new ReplayRunner(VRouterConfig.defaults(), null).run(f);
    }

    @Test
    void shouldFailWhenReturnCodeDiffers() throws Exception
    {
        final Path f = write("a.xml", "<message>" + String.format(VIF, 1, 1, 2) + "<return>-22</return></message>");
        final ReplayRunner.CaseResult r = run(f);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("expected return -22"), r.detail());
    }

    @Test
    void shouldFailWhenExpectedFieldDiffers() throws Exception
    {
        final Path f = write("b.xml", "<message>" + String.format(VIF, 1, 1, 2) + "<return>0</return></message>"
            + "<message><vr_interface_req><h_op>Get</h_op><vifr_idx>1</vifr_idx></vr_interface_req>"
            + "<return>0</return><expect><vr_interface_req><vifr_mtu>9000</vifr_mtu></vr_interface_req></expect>"
            + "</message>");
        final ReplayRunner.CaseResult r = run(f);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("vifr_mtu"), r.detail());
    }

    @Test
    void shouldFailWhenOutputBytesDiffer() throws Exception
    {
        final byte[] frame = new byte[60];
        for (int i = 0; i < 6; i++)
        {
            frame[i] = (byte)new int[] {0xde, 0xad, 0xbe, 0xef, 0x00, 0x01}[i];
        }
        frame[12] = (byte)0x88;
        frame[13] = (byte)0xb5;
        final byte[] other = frame.clone();
        other[59] = 1;
        Pcap.write(dir.resolve("in.pcap"), List.of(frame));
        Pcap.write(dir.resolve("out.pcap"), List.of(other));
        final String nh = "<message><vr_nexthop_req><h_op>Add</h_op><nhr_type>2</nhr_type><nhr_id>12</nhr_id>"
            + "<nhr_encap_oif_id>2</nhr_encap_oif_id><nhr_encap>de:ad:be:ef:00:01:de:ad:be:ef:00:02:08:00</nhr_encap>"
            + "<nhr_vrf>0</nhr_vrf><nhr_flags>1</nhr_flags><nhr_family>7</nhr_family></vr_nexthop_req>"
            + "<return>0</return></message>"
            + "<message><vr_route_req><h_op>Add</h_op><rtr_family>7</rtr_family><rtr_nh_id>12</rtr_nh_id>"
            + "<rtr_mac>de:ad:be:ef:00:01</rtr_mac><rtr_vrf_id>0</rtr_vrf_id></vr_route_req><return>0</return>"
            + "</message>";
        final String packet = "<packet><pcap_input_file>in.pcap</pcap_input_file>"
            + "<pcap_expected_file>out.pcap</pcap_expected_file><tx_interface><vif_index>1</vif_index></tx_interface>"
            + "<rx_interface><vif_index>2</vif_index></rx_interface></packet>";
        final Path f = write("c.xml", "<message>" + String.format(VIF, 1, 1, 2) + "<return>0</return></message>"
            + "<message>" + String.format(VIF, 2, 2, 1) + "<return>0</return></message>" + nh + packet);
        final ReplayRunner.CaseResult r = run(f);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("differs at byte 59"), r.detail());
    }

    @Test
    void shouldReportMalformedXmlAsFailure() throws Exception
    {
        final Path f = dir.resolve("bad.xml");
        Files.writeString(f, "<test><message><vr_interface_req>");
        final ReplayRunner.CaseResult r = run(f);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("malformed XML"), r.detail());
    }

    @Test
    void shouldRefuseDoctypeDeclarations() throws Exception
    {
        final Path f = dir.resolve("dtd.xml");
        Files.writeString(f,
            "<?xml version=\"1.0\"?><!DOCTYPE test [<!ENTITY x \"y\">]><test><test_name>&x;</test_name>"
            + "</test>");
        final ReplayRunner.CaseResult r = run(f);
        assertFalse(r.passed());
    }

    @Test
    void shouldPrintJsonSummary()
    {
        final String json = ReplayMain.toJson(List.of(new ReplayRunner.CaseResult(Path.of("x.xml"), "n \"q\"", true,
            "ok", 1, 2)), 0);
        assertEquals("{\"passed\":1,\"failed\":0,\"cases\":[{\"file\":\"x.xml\",\"name\":\"n \\\"q\\\"\","
            + "\"result\":\"PASS\",\"messages\":1,\"packets\":2,\"detail\":\"ok\"}]}", json);
    }
}
