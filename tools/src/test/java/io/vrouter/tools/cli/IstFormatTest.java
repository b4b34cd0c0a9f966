package io.vrouter.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.vrouter.agent.introspect.SandeshJson;

/**
 * Golden text for {@code ist vr vrf} / {@code ist vr route}: the tables are what Python's PrettyTable
 * (align l, max_width 60, as ist.py sets it) prints for the same rows; the route lines are reference
 * §5.9's example.
 */
class IstFormatTest
{
    @Test
    void shouldPrintVrfTableAsPrettyTableWithWrappedCells() throws Exception
    {
        final JsonNode vrfs = SandeshJson.mapper().readTree("""
            [{"name":"default-domain:k8s-default:k8s-default-pod-network:k8s-default-pod-network","ucindex":2,
              "mcindex":2,"brindex":2,"evpnindex":2,"vxlan_id":5,
              "vn":"default-domain:k8s-default:k8s-default-pod-network"},
             {"name":"default-domain:default-project:ip-fabric:__default__","ucindex":0,"mcindex":0,"brindex":0,
              "evpnindex":0,"vxlan_id":0,"vn":"N/A"}]""");
        final String rule = "+--------------------------------------------------------------+---------+---------+"
            + "---------+-----------+----------+----------------------------------------------------+\n";
        final String expected = rule
            + "| name                                                         | ucindex | mcindex | brindex "
            + "| evpnindex | vxlan_id | vn                                                 |\n"
            + rule
            + "| default-domain:k8s-default:k8s-default-pod-                  | 2       | 2       | 2       "
            + "| 2         | 5        | default-domain:k8s-default:k8s-default-pod-network |\n"
            + "| network:k8s-default-pod-network                              |         |         |         "
            + "|           |          |                                                    |\n"
            + "| default-domain:default-project:ip-fabric:__default__         | 0       | 0       | 0       "
            + "| 0         | 0        | N/A                                                |\n"
            + rule;
        assertEquals(expected, IstFormat.vrfTable(vrfs));
    }

    @Test
    void shouldPrintXmppTableWithIstPysColumns() throws Exception
    {
        final JsonNode peers = SandeshJson.mapper().readTree("""
            [{"controller_ip":"10.0.0.1","state":"Established","peer_name":"network-control@contrailsystems.com",
              "peer_address":"10.0.0.1:5269","cfg_controller":"Yes","flap_count":0,"flap_time":"never",
              "last_event":"session up"},
             {"controller_ip":"10.0.0.2","state":"Idle","peer_name":"","peer_address":"10.0.0.2:5269",
              "cfg_controller":"No","flap_count":2,"flap_time":"2026-12-07T16:00:00Z"}]""");
        final String rule = "+---------------+-------------+-------------------------------------+---------------+"
            + "----------------+------------+----------------------+\n";
        assertEquals(rule
            + "| controller_ip | state       | peer_name                           | peer_address  | cfg_controller "
            + "| flap_count | flap_time            |\n"
            + rule
            + "| 10.0.0.1      | Established | network-control@contrailsystems.com | 10.0.0.1:5269 | Yes            "
            + "| 0          | never                |\n"
            + "| 10.0.0.2      | Idle        |                                     | 10.0.0.2:5269 | No             "
            + "| 2          | 2026-12-07T16:00:00Z |\n"
            + rule, IstFormat.xmppTable(peers));
    }

    @Test
    void shouldCutLongWordsAsTextwrap()
    {
        final String x70 = "x".repeat(70);
        assertEquals("+--------------------------------------------------------------+----+\n"
            + "| name                                                         | vn |\n"
            + "+--------------------------------------------------------------+----+\n"
            + "| a b xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | y  |\n"
            + "| xxxxxxxxxxxxxx word                                          |    |\n"
            + "+--------------------------------------------------------------+----+\n",
            IstFormat.table(List.of("name", "vn"), List.of(List.of("a b " + x70 + " word", "y"))));
    }

    @Test
    void shouldPrintRoutesAsIstPy() throws Exception
    {
        final JsonNode routes = SandeshJson.mapper().readTree("""
            [{"src_ip":"10.47.255.252","src_plen":32,"path_list":[
               {"peer":"LocalVmPort","preference":200,"label":25,"active_label":25,"vxlan_id":0,
                "nh":{"type":"interface","nh_index":27,"policy":"enabled","itf":"tapeth0-1234ab",
                      "mac":"2:84:4f:c3:40:2b"}},
               {"peer":"10.0.0.5","preference":200,"label":25,"active_label":25,"vxlan_id":0,
                "nh":{"type":"interface","nh_index":27,"policy":"enabled","itf":"tapeth0-1234ab",
                      "mac":"2:84:4f:c3:40:2b"}}]},
             {"src_ip":"10.47.255.250","src_plen":32,"path_list":[
               {"peer":"10.0.0.5","preference":100,"label":31,"active_label":31,"vxlan_id":0,
                "nh":{"type":"tunnel","nh_index":41,"policy":"","mac":"52:54:0:12:34:56",
                      "tunnel_type":"MPLSoUDP",
                      "dip":"192.168.1.12","sip":"192.168.1.11"}}]},
             {"src_ip":"10.47.255.254","src_plen":32,"path_list":[
               {"peer":"Local","preference":100,"label":-1,"active_label":-1,"vxlan_id":0,
                "nh":{"type":"interface","nh_index":8,"policy":"","itf":"pkt0","mac":"0:0:0:0:0:1"}}]}]""");
        final String expected = String.join("\n",
            "10.47.255.252/32",
            "    [LocalVmPort] pref:200",
            "     to 2:84:4f:c3:40:2b via tapeth0-1234ab, assigned_label:25, nh_index:27 , nh_type:interface, "
                + "nh_policy:enabled, active_label:25, vxlan_id:0",
            "    [10.0.0.5] pref:200",
            "     to 2:84:4f:c3:40:2b via tapeth0-1234ab, assigned_label:25, nh_index:27 , nh_type:interface, "
                + "nh_policy:enabled, active_label:25, vxlan_id:0",
            "10.47.255.250/32",
            "    [10.0.0.5] pref:100",
            "     to 52:54:0:12:34:56 via MPLSoUDP dip:192.168.1.12 sip:192.168.1.11 label:31, nh_index:41 , "
                + "nh_type:tunnel, nh_policy:, active_label:31, vxlan_id:0",
            "10.47.255.254/32",
            "    [Local] pref:100",
            "     to 0:0:0:0:0:1 via pkt0, assigned_label:-1, nh_index:8 , nh_type:interface, nh_policy:, "
                + "active_label:-1, vxlan_id:0",
            "");
        assertEquals(expected, IstFormat.routes(routes));
    }
}
