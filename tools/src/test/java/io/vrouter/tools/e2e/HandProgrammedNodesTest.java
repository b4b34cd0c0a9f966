package io.vrouter.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vrouter.tools.cli.VrouterCtl;

/**
 * The README's "program a node by hand" walk-through, as root: two node namespaces joined by a veth
 * underlay, one {@code vrouterd} in each, one pod per node, and everything programmed with the
 * operator CLI's commands only ({@code port add}, {@code vif --add}, {@code nh --create}, {@code rt -c},
 * {@code mpls --create}), exactly as docs/cli.md lists them. Then the pods ping each other across the
 * MPLSoUDP overlay; {@code rt -d} of the remote pod's route stops it; {@code rt -c} brings it back.
 * The namespaces, the underlay and the daemons are {@link TwoNodeLab}'s: everything created carries a per-run
 * id and is removed also when the test fails.
 * <p>
 * Prerequisites: root, iproute2, ping, /dev/net/tun. In CI ({@code CI} set) a missing prerequisite fails
 * the test; elsewhere it is skipped with a message saying why.
 */
@Tag("e2e")
class HandProgrammedNodesTest
{
    static final String GW = "10.1.1.1";
    static final String A = "10.1.1.3";
    static final String C = "10.1.1.5";
    static final String U1 = "172.31.251.1";
    static final String U2 = "172.31.251.2";

    private TwoNodeLab lab;
    private String n1;
    private String n2;
    private String pa;
    private String pc;
    private String u1;
    private String u2;
    private Path dir;

    @Test
    void twoNodesProgrammedWithTheCliOnlyForwardBetweenTheirPods() throws Exception
    {
        TwoNodeLab.prerequisites("ip", "ping");
        lab = new TwoNodeLab("vrh");
        n1 = lab.n1;
        n2 = lab.n2;
        u1 = lab.u1;
        u2 = lab.u2;
        pa = lab.name("pa");
        pc = lab.name("pc");
        dir = lab.dir;
        lab.runAndCleanUp(this::run);
    }

    private void run() throws Exception
    {
        lab.addNamespaces(n1, n2, pa, pc);
        lab.underlay(U1, U2, 1500);
        final Path s1 = dir.resolve("n1.sock");
        final Path s2 = dir.resolve("n2.sock");
        lab.startDaemon(n1, U1, s1, "node1", 1);
        lab.startDaemon(n2, U2, s2, "node2", 1);

        programNode(s1, pa, "02:00:00:00:01:03", A, 16, u1, U1, U2, C, 40);
        programNode(s2, pc, "02:00:00:00:01:05", C, 40, u2, U2, U1, A, 16);

        final String routes = ctl(s1, "rt", "--dump", "1");
        assertTrue(routes.contains(C + "/32") && routes.contains("LP         40"), routes);
        assertEquals(0, ping(pa, C), "pod A to pod C across the overlay");
        assertEquals(0, ping(pc, A), "pod C to pod A across the overlay");

        // rt -d: the covering route is looked up (none here), the /32 goes back to discard
        ctl(s1, "rt", "-d", "-v", "1", "-p", C, "-l", "32");
        assertTrue(!ctl(s1, "rt", "--dump", "1").contains(C + "/32"));
        assertNotEquals(0, ping(pa, C), "pod A still reaches pod C after its route was deleted");
        ctl(s1, "rt", "-c", "-v", "1", "-p", C, "-l", "32", "-n", "20", "-t", "40", "-P");
        assertEquals(0, ping(pa, C), "pod A to pod C once the route is back");

        // A refusal is the daemon's errno, one line, exit status 1.
        final StringWriter err = new StringWriter();
        assertEquals(1, VrouterCtl.run("nh", new String[] {"--socket", s1.toString(), "--create", "30", "--type", "2",
            "--vrf", "1", "--oif", "9", "--smac", "0:0:5e:0:1:0", "--dmac", "2:0:0:0:1:9"},
            new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertTrue(err.toString().startsWith("nh: vRouter(Response): No such device (19)"), err.toString());
    }

    /**
     * docs/cli.md's recipe for one node: the pod's port, the fabric vif, the gateway MAC's L2-receive
     * next hop and bridge route, the node's receive next hop and its address, the pod's interface next
     * hop, route and label, the tunnel to the other node and the remote pod's labelled route.
     */
    private void programNode(final Path sock, final String pod, final String podMac, final String podIp,
        final int podLabel, final String fabricIf, final String local, final String remote, final String remotePod,
        final int remoteLabel)
    {
        ctl(sock, "port", "add", "--name", pod, "--netns", pod, "--mac", podMac, "--ip", podIp + "/24", "--gw", GW,
            "--vrf", "1", "--mtu", "1400", "--vif", "3");
        final String podVif = ctl(sock, "vif", "--get", "3");
        assertTrue(podVif.contains(" IPaddr:" + podIp + "\n") && podVif.contains("Vrf:1 Mcast Vrf:1 "),
            "a pod vif shows its address and its VRF as multicast VRF, as Contrail's agent programs it: " + podVif);
        ctl(sock, "vif", "--add", fabricIf, "--type", "physical", "--id", "0", "--vrf", "0", "--mac", "2:0:0:0:fa:0",
            "--mtu", "1500");
        ctl(sock, "nh", "--create", "1", "--type", "8", "--vrf", "1");
        ctl(sock, "rt", "-c", "-v", "1", "-f", "bridge", "-e", "0:0:5e:0:1:0", "-n", "1");
        ctl(sock, "nh", "--create", "2", "--type", "1", "--vrf", "0");
        ctl(sock, "rt", "-c", "-v", "0", "-p", local, "-l", "32", "-n", "2");
        ctl(sock, "rt", "-c", "-v", "1", "-p", GW, "-l", "32", "-n", "2", "-P");
        ctl(sock, "nh", "--create", "10", "--type", "2", "--vrf", "1", "--oif", "3", "--smac", "0:0:5e:0:1:0",
            "--dmac", podMac);
        ctl(sock, "rt", "-c", "-v", "1", "-p", podIp, "-l", "32", "-n", "10", "-P");
        ctl(sock, "mpls", "--create", Integer.toString(podLabel), "--nh", "10");
        ctl(sock, "nh", "--create", "20", "--type", "3", "--vrf", "0", "--oif", "0", "--smac", "2:0:0:0:fa:0",
            "--dmac", "2:0:0:0:fb:0", "--sip", local, "--dip", remote, "--udp");
        ctl(sock, "rt", "-c", "-v", "1", "-p", remotePod, "-l", "32", "-n", "20", "-t", Integer.toString(remoteLabel),
            "-P");
    }

    /** One CLI command against a daemon's socket; it must succeed. */
    private static String ctl(final Path sock, final String... args)
    {
        final String[] all = new String[args.length + 2];
        all[0] = "--socket";
        all[1] = sock.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = VrouterCtl.run("vrouterctl", all, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, "vrouterctl " + String.join(" ", all) + ": " + err);
        return out.toString();
    }

    private static int ping(final String ns, final String dst)
    {
        return TwoNodeLab.sh(30, "ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "1", dst).code();
    }
}
