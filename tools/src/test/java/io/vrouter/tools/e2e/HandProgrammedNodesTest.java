package io.vrouter.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vrouter.agent.port.Posix;
import io.vrouter.tools.cli.VrouterCtl;

/**
 * The README's "program a node by hand" walk-through, as root: two node namespaces joined by a veth
 * underlay, one {@code vrouterd} in each, one pod per node, and everything programmed with the
 * operator CLI's commands only ({@code port add}, {@code vif --add}, {@code nh --create}, {@code rt -c},
 * {@code mpls --create}), exactly as docs/cli.md lists them. Then the pods ping each other across the
 * MPLSoUDP overlay; {@code rt -d} of the remote pod's route stops it; {@code rt -c} brings it back.
 * Everything created carries a per-run id and is removed in {@code finally}.
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

    final String id = String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
    final String n1 = "vrh" + id + "n1";
    final String n2 = "vrh" + id + "n2";
    final String pa = "vrh" + id + "pa";
    final String pc = "vrh" + id + "pc";
    final String u1 = "vrh" + id + "u1";
    final String u2 = "vrh" + id + "u2";
    final List<Process> processes = new ArrayList<>();
    final List<String> namespaces = new ArrayList<>();
    Path dir;

    @Test
    void twoNodesProgrammedWithTheCliOnlyForwardBetweenTheirPods() throws Exception
    {
        prerequisites();
        dir = Files.createTempDirectory("vrouter-hand-" + id);
        try
        {
            run();
        }
        catch (final Throwable t)
        {
            for (final String name : List.of("node1", "node2"))
            {
                final Path log = dir.resolve(name + ".log");
                System.err.println("==== " + log + "\n" + (Files.exists(log) ? Files.readString(log) : "(none)"));
            }
            throw t;
        }
        finally
        {
            cleanup();
        }
        final String left = sh("ip", "netns", "list").out;
        assertTrue(!left.contains("vrh" + id), "namespaces left behind:\n" + left);
    }

    private void run() throws Exception
    {
        for (final String ns : List.of(n1, n2, pa, pc))
        {
            check(sh("ip", "netns", "add", ns));
            namespaces.add(ns);
        }
        check(sh("ip", "link", "add", u1, "netns", n1, "type", "veth", "peer", "name", u2, "netns", n2));
        check(sh("ip", "-n", n1, "addr", "add", U1 + "/24", "dev", u1));
        check(sh("ip", "-n", n2, "addr", "add", U2 + "/24", "dev", u2));
        for (final String[] l : new String[][] {{n1, u1}, {n2, u2}})
        {
            check(sh("ip", "-n", l[0], "link", "set", "dev", l[1], "up"));
            check(sh("ip", "-n", l[0], "link", "set", "dev", "lo", "up"));
        }
        final Path s1 = dir.resolve("n1.sock");
        final Path s2 = dir.resolve("n2.sock");
        startDaemon(n1, U1, s1, "node1");
        startDaemon(n2, U2, s2, "node2");

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

    private int ping(final String ns, final String dst)
    {
        return sh(30, "ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "1", dst).code;
    }

    private void startDaemon(final String ns, final String address, final Path sock, final String name)
        throws Exception
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.vrouter.agent.daemon.VrouterdMain",
            "--node-name", name, "--fabric-address", address, "--socket", sock.toString(),
            "--state-dir", dir.resolve(name).toString(), "--introspect-port", "0",
            "--counters", dir.resolve(name + ".counters").toString(),
            "--set", "tables.nexthops=4096", "--set", "tables.fib-entries=65536", "--set", "tables.interfaces=64",
            "--set", "tables.bridge-entries=4096", "--set", "tables.vrfs=16"));
        final File log = dir.resolve(name + ".log").toFile();
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        processes.add(p);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(sock))
        {
            if (!p.isAlive())
            {
                fail("vrouterd " + name + " exited with " + p.exitValue() + ":\n" + Files.readString(log.toPath()));
            }
            if (System.nanoTime() > deadline)
            {
                fail("vrouterd " + name + " did not open its control socket in 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static List<String> jvmFlags() throws IOException
    {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("jvm.options")))
        {
            root = root.getParent();
        }
        if (root == null)
        {
            return List.of();
        }
        for (final String line : Files.readAllLines(root.resolve("jvm.options")))
        {
            if (line.startsWith("vrouter.jvm.flags="))
            {
                return List.of(line.substring("vrouter.jvm.flags=".length()).trim().split("\\s+"));
            }
        }
        return List.of();
    }

    private void cleanup() throws Exception
    {
        for (final Process p : processes)
        {
            p.destroy();
        }
        for (final Process p : processes)
        {
            if (!p.waitFor(10, TimeUnit.SECONDS))
            {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (final String ns : namespaces)
        {
            sh("ip", "netns", "del", ns);
        }
        if (dir != null)
        {
            try (var files = Files.walk(dir))
            {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static void prerequisites()
    {
        final List<String> missing = new ArrayList<>();
        if (Posix.geteuid() != 0)
        {
            missing.add("root");
        }
        for (final String tool : List.of("ip", "ping"))
        {
            if (sh("sh", "-c", "command -v " + tool).code != 0)
            {
                missing.add(tool);
            }
        }
        if (!Files.exists(Path.of("/dev/net/tun")))
        {
            missing.add("/dev/net/tun");
        }
        if (missing.isEmpty())
        {
            return;
        }
        final String msg = "HAND-PROGRAMMED NODES TEST NOT RUN: missing " + missing + " (needs root, iproute2, ping)";
        if (System.getenv("CI") != null)
        {
            fail(msg + " -- .ci/run installs these; CI must run it as root");
        }
        System.err.println("*** " + msg + " ***");
        Assumptions.abort(msg);
    }

    private static void check(final Result r)
    {
        assertEquals(0, r.code, r.out);
    }

    record Result(int code, String out)
    {
    }

    private static Result sh(final String... cmd)
    {
        return sh(30, cmd);
    }

    private static Result sh(final int timeoutSeconds, final String... cmd)
    {
        try
        {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                p.destroyForcibly().waitFor();
                return new Result(-1, String.join(" ", cmd) + ": timed out");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (final IOException e)
        {
            return new Result(-1, String.join(" ", cmd) + ": " + e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
