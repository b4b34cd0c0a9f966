package io.vrouter.tools.node;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.vrouter.agent.control.ControlClient;
import io.vrouter.agent.control.ControlException;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.PortRequest;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.wire.AddressFamily;
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
            final List<SandeshRecord> r = new ArrayList<>();
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
                r.add(PortRequest.add(f[0], f[1], PortRequest.DEFAULT_IFNAME, mac, List.of(f[8]), gateway, vrf, mtu,
                    Integer.parseInt(f[9]), 0));
            }
            r.add(InterfaceRequest.builder().idx(0).type(VifType.PHYSICAL).name(fabricIf).vrf(0).mac(0x02000000fa00L)
                .mtu(1500).transport(0).build());
            r.add(Requests.nextHop(1, NextHopType.L2_RECEIVE, vrf).flags(NextHopFlags.VALID).build());
            r.add(RouteRequest.builder().family(AddressFamily.BRIDGE).vrfId(vrf).mac(GATEWAY_MAC).nhId(1).build());
            r.add(Requests.nextHop(2, NextHopType.RECEIVE, 0).flags(NextHopFlags.VALID).build());
            r.add(Requests.route4(0, local, 2, -1, 0));
            r.add(Requests.route4(vrf, gateway, 2, -1, RouteFlags.ARP_PROXY));
            int nhId = 10;
            for (final String p : pods)
            {
                final String[] f = p.split(":", -1);
                final long mac = Long.parseLong(String.join("", java.util.Arrays.copyOfRange(f, 2, 8)), 16);
                r.add(Requests.nextHop(nhId, NextHopType.ENCAP, vrf).family(AddressFamily.INET)
                    .flags(NextHopFlags.VALID).oif(Integer.parseInt(f[9])).encap(Requests.l2Rewrite(mac, GATEWAY_MAC))
                    .build());
                r.add(Requests.route4(vrf, f[8].split("/")[0], nhId, -1, RouteFlags.ARP_PROXY));
                r.add(MplsRequest.add(Integer.parseInt(f[10]), nhId));
                nhId++;
            }
            r.add(Requests.nextHop(1000, NextHopType.TUNNEL, 0).family(AddressFamily.INET)
                .flags(NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS).oif(0)
                .encap(Requests.l2Rewrite(0x02000000fb00L, 0x02000000fa00L))
                .tunnel(Requests.ipv4LittleEndian(local), Requests.ipv4LittleEndian(remote)).build());
            for (final String p : remotePods)
            {
                final String[] f = p.split(":");
                r.add(Requests.route4(vrf, f[0], 1000, Integer.parseInt(f[1]),
                    RouteFlags.LABEL_VALID | RouteFlags.ARP_PROXY));
            }
            final List<Response> answers = c.call(r);
            for (int i = 0; i < answers.size(); i++)
            {
                if (answers.get(i).code() < 0)
                {
                    System.err.println("node-setup: " + r.get(i).struct() + " refused: " + answers.get(i));
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
