package io.vrouter.tools.node;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.vrouter.agent.control.ControlClient;
import io.vrouter.agent.control.ControlException;
import io.vrouter.core.control.Programmer;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code NodeSetup}: adds pod ports and programs what an MPLSoUDP overlay between nodes needs, as
 * docs/vrouterd.md describes: fabric vif 0, the node's receive route, the gateway MAC's L2-receive
 * next hop, per local pod an interface next hop, a /32 route and a label, one tunnel next hop to the
 * remote node and a labelled /32 route per remote pod. Exits non-zero on the first refused request.
 */
@Command(name = "node-setup", mixinStandardHelpOptions = true,
    description = "Programs pods and an MPLSoUDP overlay on one vrouterd through its control socket.")
public final class NodeSetup implements Callable<Integer>
{
    @Option(names = "--socket", required = true, description = "control socket")
    Path socket;

    @Option(names = "--fabric-if", required = true, description = "fabric interface name (vif 0)")
    String fabricIf;

    @Option(names = "--local", required = true, description = "this node's fabric address")
    String local;

    @Option(names = "--remote", required = true, description = "the other node's fabric address")
    String remote;

    @Option(names = "--gateway", defaultValue = "10.1.1.1", description = "pods' gateway (10.1.1.1)")
    String gateway;

    @Option(names = "--vrf", defaultValue = "1", description = "pods' VRF (1)")
    int vrf;

    @Option(names = "--mtu", defaultValue = "1400", description = "pod MTU (1400)")
    int mtu;

    @Option(names = "--pod", description = "local pod NAME:NETNS:MAC:IP/LEN:VIF:LABEL (repeatable)")
    List<String> pods = new ArrayList<>();

    @Option(names = "--remote-pod", description = "remote pod IP:LABEL (repeatable)")
    List<String> remotePods = new ArrayList<>();

    private NodeSetup()
    {
    }

    /**
     * Entry point.
     *
     * @param args see {@code --help}.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new NodeSetup()).execute(args));
    }

    @Override
    public Integer call()
    {
        try (ControlClient c = ControlClient.connect(socket))
        {
            final List<SandeshObject> r = new ArrayList<>();
            for (final String p : pods)
            {
                final String[] f = p.split(":", -1);
                // NAME:NETNS:aa:bb:cc:dd:ee:ff:IP/LEN:VIF:LABEL
                if (f.length != 11)
                {
                    System.err.println("node-setup: --pod " + p + ": expected NAME:NETNS:MAC:IP/LEN:VIF:LABEL");
                    return 2;
                }

                final String mac = String.join(":", java.util.Arrays.copyOfRange(f, 2, 8));
                r.add(new SandeshObject("vr_port_req").put("h_op", 0L).put("port_name", f[0]).put("port_netns", f[1])
                    .put("port_ifname", "eth0").put("port_mac", mac).put("port_ip", f[8]).put("port_gw", gateway)
                    .put("port_vrf", (long)vrf).put("port_mtu", (long)mtu).put("port_vif_idx", Long.parseLong(f[9])));
            }
            r.add(new SandeshObject("vr_interface_req").put("h_op", 0L).put("vifr_idx", 0L)
                .put("vifr_type", (long)VifType.PHYSICAL).put("vifr_name", fabricIf).put("vifr_vrf", 0L)
                .put("vifr_mac", Programmer.macBytes(0x02000000fa00L)).put("vifr_mtu", 1500L)
                .put("vifr_transport", 0L));
            r.add(Requests.nextHop(1, NextHopType.L2_RECEIVE, vrf).put("nhr_flags", (long)NextHopFlags.VALID));
            r.add(new SandeshObject("vr_route_req").put("h_op", 0L).put("rtr_family", 7L).put("rtr_vrf_id", (long)vrf)
                .put("rtr_mac", Programmer.macBytes(GATEWAY_MAC)).put("rtr_nh_id", 1L));
            r.add(Requests.nextHop(2, NextHopType.RECEIVE, 0).put("nhr_flags", (long)NextHopFlags.VALID));
            r.add(Requests.route4(0, local, 2, -1, 0));
            r.add(Requests.route4(vrf, gateway, 2, -1, 0x2));
            int nhId = 10;
            for (final String p : pods)
            {
                final String[] f = p.split(":", -1);
                final long mac = Long.parseLong(String.join("", java.util.Arrays.copyOfRange(f, 2, 8)), 16);
                r.add(Requests.nextHop(nhId, NextHopType.ENCAP, vrf).put("nhr_family", 2L)
                    .put("nhr_flags", (long)NextHopFlags.VALID)
                    .put("nhr_encap_oif_id", new long[] {Long.parseLong(f[9])})
                    .put("nhr_encap", Requests.l2Rewrite(mac, GATEWAY_MAC)));
                r.add(Requests.route4(vrf, f[8].split("/")[0], nhId, -1, 0x2));
                r.add(new SandeshObject("vr_mpls_req").put("h_op", 0L).put("mr_label", Long.parseLong(f[10]))
                    .put("mr_nhid", (long)nhId));
                nhId++;
            }
            r.add(Requests.nextHop(1000, NextHopType.TUNNEL, 0).put("nhr_family", 2L)
                .put("nhr_flags", (long)(NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS))
                .put("nhr_encap_oif_id", new long[] {0})
                .put("nhr_encap", Requests.l2Rewrite(0x02000000fb00L, 0x02000000fa00L))
                .put("nhr_tun_sip", Requests.ipv4LittleEndian(local))
                .put("nhr_tun_dip", Requests.ipv4LittleEndian(remote)));
            for (final String p : remotePods)
            {
                final String[] f = p.split(":");
                r.add(Requests.route4(vrf, f[0], 1000, Integer.parseInt(f[1]), 0x3));
            }
            final List<Response> answers = c.call(r);
            for (int i = 0; i < answers.size(); i++)
            {
                if (answers.get(i).code() < 0)
                {
                    System.err.println("node-setup: " + r.get(i).type() + " refused: " + answers.get(i));
                    return 1;
                }
            }
            System.out.println("node-setup: " + r.size() + " requests applied on " + socket);
            return 0;
        }
        catch (final ControlException | IllegalArgumentException e)
        {
            System.err.println("node-setup: " + e.getMessage());
            return 1;
        }
    }
}
