package io.vrouter.tools.e2e;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.Assumptions;

import io.vrouter.agent.api.JvmOptions;
import io.vrouter.agent.control.ControlClient;
import io.vrouter.agent.port.Posix;
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

/**
 * What the two-node end-to-end tests share, as root: network namespaces for two nodes joined by a veth
 * underlay, a {@code vrouterd} process per node, pods added and the overlay programmed through the control
 * socket only, and the traffic tools run inside the pods. Every namespace and link carries the lab's per-run
 * name prefix; {@link #runAndCleanUp} removes every namespace and process the lab created, also when the test
 * fails, and then checks that nothing with the prefix is left.
 * <p>
 * The overlay {@link #programNode} writes: vif 0 is the fabric (PHYSICAL, VRF 0, the given MTU), the pod
 * network is 10.1.1.0/24 in VRF {@link #VRF} with its gateway {@link #POD_NET_GW} answered by the forwarder,
 * local pod {@code i} is vif {@code 3 + i} behind encap next hop {@code 10 + i} and its MPLS label, remote pods
 * are routed through MPLSoUDP next hop 20 with their labels.
 */
final class TwoNodeLab
{
    /** The pod network's gateway. */
    static final String POD_NET_GW = "10.1.1.1";
    /** The pods' VRF. */
    static final int VRF = 1;

    /** The per-run id in every name. */
    final String id = String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
    /** The first node's namespace. */
    final String n1;
    /** The second node's namespace. */
    final String n2;
    /** The first node's underlay interface. */
    final String u1;
    /** The second node's underlay interface. */
    final String u2;
    /** Where logs, sockets and captures go. */
    final Path dir;
    private final String prefix;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();

    /**
     * A lab; nothing is created but its directory.
     *
     * @param prefix the name prefix (three letters, distinct per test class so that runs never collide).
     * @throws IOException if the directory cannot be created.
     */
    TwoNodeLab(final String prefix) throws IOException
    {
        this.prefix = prefix + id;
        n1 = name("n1");
        n2 = name("n2");
        u1 = name("u1");
        u2 = name("u2");
        dir = Files.createTempDirectory("vrouter-" + prefix + "-" + id);
    }

    /**
     * A name carrying the lab's prefix.
     *
     * @param suffix what follows it.
     * @return the name.
     */
    String name(final String suffix)
    {
        return prefix + suffix;
    }

    /** A test's body. */
    interface Body
    {
        /**
         * Runs it.
         *
         * @throws Exception on failure.
         */
        void run() throws Exception;
    }

    /**
     * Runs a test's body; on failure prints the logs; always stops the processes and deletes the namespaces
     * and the directory, then asserts that no namespace, link or process of the lab is left.
     *
     * @param body the test.
     * @throws Exception what the body threw.
     */
    void runAndCleanUp(final Body body) throws Exception
    {
        try
        {
            body.run();
        }
        catch (final Throwable t)
        {
            dumpLogs();
            throw t;
        }
        finally
        {
            cleanup();
        }
        for (final String ns : sh("ip", "netns", "list").out.split("\\s+"))
        {
            assertTrue(!ns.startsWith(prefix), "namespace " + ns + " left behind");
        }
        assertTrue(!sh("ip", "link").out.contains(prefix), "links left behind");
        for (final Process p : processes)
        {
            assertTrue(!p.isAlive(), "process left behind: " + p.pid());
        }
    }

    // ------------------------------------------------------------------------------------ topology

    /**
     * Adds namespaces (removed by {@link #runAndCleanUp}).
     *
     * @param names their names.
     */
    void addNamespaces(final String... names)
    {
        for (final String ns : names)
        {
            check(sh("ip", "netns", "add", ns));
            namespaces.add(ns);
        }
    }

    /**
     * Joins the two node namespaces with the veth underlay, up, with addresses in a /24 and the given MTU.
     *
     * @param address1 node 1's fabric address.
     * @param address2 node 2's fabric address.
     * @param mtu      the veth's MTU.
     */
    void underlay(final String address1, final String address2, final int mtu)
    {
        check(sh("ip", "link", "add", u1, "netns", n1, "mtu", Integer.toString(mtu), "type", "veth", "peer", "name",
            u2, "netns", n2, "mtu", Integer.toString(mtu)));
        check(sh("ip", "-n", n1, "addr", "add", address1 + "/24", "dev", u1));
        check(sh("ip", "-n", n2, "addr", "add", address2 + "/24", "dev", u2));
        for (final String[] l : new String[][] {{n1, u1}, {n2, u2}})
        {
            check(sh("ip", "-n", l[0], "link", "set", "dev", l[1], "up"));
            check(sh("ip", "-n", l[0], "link", "set", "dev", "lo", "up"));
        }
    }

    /**
     * Starts a {@code vrouterd} in a node namespace and waits for its control socket.
     *
     * @param ns      the node's namespace.
     * @param address its fabric address.
     * @param sock    the control socket's path.
     * @param name    the node's name (also its log's and state directory's).
     * @param workers forwarding workers.
     * @return the process.
     * @throws Exception if it does not come up.
     */
    Process startDaemon(final String ns, final String address, final Path sock, final String name,
        final int workers) throws Exception
    {
        return startDaemon(ns, address, sock, name, workers, new String[0]);
    }

    /**
     * Starts a {@code vrouterd} with settings of its own ({@code --set KEY=VALUE} each) and waits for its socket.
     *
     * @param ns       the node's namespace.
     * @param address  its fabric address.
     * @param sock     the control socket's path.
     * @param name     the node's name.
     * @param workers  forwarding workers.
     * @param settings {@code KEY=VALUE} settings.
     * @return the process.
     * @throws Exception if it does not come up.
     */
    Process startDaemon(final String ns, final String address, final Path sock, final String name,
        final int workers, final String... settings) throws Exception
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, javaBin()));
        cmd.addAll(jvmFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.vrouter.agent.daemon.VrouterdMain",
            "--node-name", name, "--fabric-address", address, "--socket", sock.toString(),
            "--state-dir", dir.resolve(name).toString(), "--introspect-port", "8085",
            "--workers", Integer.toString(workers),
            "--counters", dir.resolve(name + ".counters").toString(),
            "--set", "tables.nexthops=4096", "--set", "tables.fib-entries=65536", "--set", "tables.interfaces=64",
            "--set", "tables.bridge-entries=4096", "--set", "tables.vrfs=16"));
        for (final String setting : settings)
        {
            cmd.addAll(List.of("--set", setting));
        }
        final Path log = dir.resolve(name + ".log");
        final Process p = startProcess(log, log, cmd.toArray(new String[0]));
        waitFor(() ->
        {
            if (!p.isAlive())
            {
                fail("vrouterd " + name + " exited with " + p.exitValue() + ":\n" + Files.readString(dir.resolve(
                    name + ".log")));
            }
            return Files.exists(sock);
        }, 60, "vrouterd " + name + " control socket");
        return p;
    }

    /**
     * Starts a process the lab stops at the end.
     *
     * @param err where its standard error goes (the same path as {@code out}: both into one file).
     * @param out where its standard output goes.
     * @param cmd the command.
     * @return the process.
     * @throws IOException if it cannot start.
     */
    Process startProcess(final Path err, final Path out, final String... cmd) throws IOException
    {
        final ProcessBuilder pb = new ProcessBuilder(cmd);
        if (err.equals(out))
        {
            pb.redirectErrorStream(true).redirectOutput(out.toFile());
        }
        else
        {
            pb.redirectError(err.toFile()).redirectOutput(out.toFile());
        }
        final Process p = pb.start();
        processes.add(p);
        return p;
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
        if (!Boolean.getBoolean("vrouter.e2e.keep"))
        {
            try (var files = Files.walk(dir))
            {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private void dumpLogs()
    {
        try (var files = Files.list(dir))
        {
            for (final Path f : files.filter(x -> x.toString().endsWith(".log")).toList())
            {
                System.err.println("==== " + f + "\n" + Files.readString(f));
            }
        }
        catch (final IOException e)
        {
            System.err.println("cannot list " + dir + ": " + e);
        }
    }

    // ------------------------------------------------------------------------------------ programming

    /**
     * A port (pod) add: one IPv4 address in the pod network's /24, its gateway, the lab's VRF.
     *
     * @param name   the port's name.
     * @param ns     the pod's namespace.
     * @param ifname the interface's name in the pod.
     * @param mac    its MAC.
     * @param ip     its address.
     * @param mtu    its MTU.
     * @param vif    the vif index.
     * @return the request.
     */
    static PortRequest port(final String name, final String ns, final String ifname, final String mac,
        final String ip, final int mtu, final int vif)
    {
        return PortRequest.add(name, ns, ifname, mac, List.of(ip + "/24"), POD_NET_GW, VRF, mtu, vif, 0);
    }

    /**
     * Programs a node's fabric vif and overlay (see the class comment).
     *
     * @param c            the node's control connection.
     * @param fabricIf     the node's underlay interface.
     * @param fabricMtu    the fabric vif's MTU.
     * @param local        the node's fabric address.
     * @param remote       the other node's.
     * @param localPods    the node's pods' addresses (vif 3, 4, ...).
     * @param localMacs    their MACs.
     * @param localLabels  their labels.
     * @param remotePods   the other node's pods' addresses.
     * @param remoteLabels their labels.
     */
    static void programNode(final ControlClient c, final String fabricIf, final int fabricMtu, final String local,
        final String remote, final String[] localPods, final long[] localMacs, final int[] localLabels,
        final String[] remotePods, final int[] remoteLabels)
    {
        final List<SandeshRecord> r = new ArrayList<>();
        r.add(InterfaceRequest.builder().idx(0).type(VifType.PHYSICAL).name(fabricIf).vrf(0).mac(0x02000000fa00L)
            .mtu(fabricMtu).transport(0).build());
        r.add(Requests.nextHop(1, NextHopType.L2_RECEIVE, VRF).flags(NextHopFlags.VALID).build());
        r.add(RouteRequest.builder().family(AddressFamily.BRIDGE).vrfId(VRF).mac(GATEWAY_MAC).nhId(1).build());
        r.add(Requests.nextHop(2, NextHopType.RECEIVE, 0).flags(NextHopFlags.VALID).build());
        r.add(Requests.route4(0, local, 2, -1, 0));
        r.add(Requests.route4(VRF, POD_NET_GW, 2, -1, 0x2));
        for (int i = 0; i < localPods.length; i++)
        {
            final int nhId = 10 + i;
            r.add(Requests.nextHop(nhId, NextHopType.ENCAP, VRF).family(AddressFamily.INET).flags(NextHopFlags.VALID)
                .oif(3 + i).encap(Requests.l2Rewrite(localMacs[i], GATEWAY_MAC)).build());
            r.add(Requests.route4(VRF, localPods[i], nhId, -1, 0x2));
            r.add(MplsRequest.add(localLabels[i], nhId));
        }
        r.add(Requests.nextHop(20, NextHopType.TUNNEL, 0).family(AddressFamily.INET)
            .flags(NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS).oif(0)
            .encap(Requests.l2Rewrite(0x02000000fb00L, 0x02000000fa00L))
            .tunnel(Requests.ipv4LittleEndian(local), Requests.ipv4LittleEndian(remote)).build());
        for (int i = 0; i < remotePods.length; i++)
        {
            r.add(Requests.route4(VRF, remotePods[i], 20, remoteLabels[i], 0x1 | 0x2));
        }
        for (final Response resp : c.call(r))
        {
            assertTrue(resp.code() >= 0, "programming failed: " + resp);
        }
    }

    /**
     * Sends one request and asserts that it succeeded.
     *
     * @param c       the connection.
     * @param request the request.
     */
    static void ok(final ControlClient c, final SandeshRecord request)
    {
        final Response r = c.call(List.of(request)).get(0);
        assertTrue(r.code() >= 0, request.struct() + " failed: " + r);
    }

    /**
     * A vif's counter.
     *
     * @param c       the connection.
     * @param vif     the vif.
     * @param counter which counter.
     * @return its value.
     */
    static long vifCounter(final ControlClient c, final int vif, final ToLongFunction<InterfaceRequest> counter)
    {
        final Response r = c.call(List.of(InterfaceRequest.get(vif))).get(0);
        assertTrue(r.code() >= 0 && r.objects().size() == 1, "vif get " + vif + ": " + r);
        return counter.applyAsLong(r.first(InterfaceRequest.class));
    }

    // ------------------------------------------------------------------------------------ traffic

    /**
     * Three pings that must all be answered.
     *
     * @param ns  the pod it is sent from.
     * @param dst the address.
     */
    static void ping(final String ns, final String dst)
    {
        final Result r = sh(30, "ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "2", dst);
        assertEquals(0, r.code, "ping from " + ns + " to " + dst + ":\n" + r.out);
    }

    /**
     * A TCP transfer of pseudo-random bytes with {@link TcpTool}: asserts that the receiver counted as many bytes
     * as were sent, with the same SHA-256.
     *
     * @param fromNs          the sending pod.
     * @param toNs            the receiving pod.
     * @param to              the receiving pod's address.
     * @param bytes           how many bytes.
     * @param tag             names the transfer's files.
     * @param sendSeconds     how long the sender may take.
     * @param receiverSeconds how long the receiver may take after the sender ended.
     * @return how long the sender took, in nanoseconds.
     * @throws Exception on failure.
     */
    long tcpTransfer(final String fromNs, final String toNs, final String to, final long bytes, final String tag,
        final int sendSeconds, final int receiverSeconds) throws Exception
    {
        final Path out = dir.resolve(tag + ".out");
        final Process recv = startProcess(dir.resolve(tag + ".log"), out, "ip", "netns", "exec", toNs,
            javaBin(), "-cp", System.getProperty("java.class.path"), TcpTool.class.getName(), "recv", "5001");
        waitFor(() -> Files.exists(out) && Files.readString(out).contains("LISTENING"), 20, "TCP receiver");
        final long start = System.nanoTime();
        final Result send = sh(sendSeconds, "ip", "netns", "exec", fromNs, javaBin(), "-cp",
            System.getProperty("java.class.path"), TcpTool.class.getName(), "send", to, "5001",
            Long.toString(bytes), "42");
        final long took = System.nanoTime() - start;
        assertEquals(0, send.code, "sender: " + send.out);
        assertTrue(recv.waitFor(receiverSeconds, TimeUnit.SECONDS), "receiver did not finish");
        final String[] lines = Files.readString(out).strip().split("\n");
        final String sent = send.out.strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals(bytes + " ", sent.substring(0, sent.indexOf(' ') + 1), "sender: " + send.out);
        assertEquals(sent, lines[lines.length - 1].strip(), "received bytes and SHA-256 differ from those sent");
        return took;
    }

    /**
     * A page of a node's introspect (port 8085), read from inside the node's namespace with {@link HttpGet}.
     *
     * @param ns   the node's namespace.
     * @param path the page.
     * @return its body.
     */
    static String introspect(final String ns, final String path)
    {
        final Result r = sh(60, "ip", "netns", "exec", ns, javaBin(), "-cp", System.getProperty("java.class.path"),
            HttpGet.class.getName(), "http://127.0.0.1:8085" + path);
        assertEquals(0, r.code, "introspect " + path + ": " + r.out);
        return r.out;
    }

    /**
     * A counter of a node's {@code /metrics} (its value on the line that starts with the name).
     *
     * @param ns   the node's namespace.
     * @param name the metric's name, e.g. {@code vrouter_io_fabric_tx_drops_total}.
     * @return its value.
     */
    static double metric(final String ns, final String name)
    {
        for (final String line : introspect(ns, "/metrics").split("\n"))
        {
            if (line.startsWith(name + " ") || line.startsWith(name + "{"))
            {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " in node " + ns + "'s /metrics");
    }

    // ------------------------------------------------------------------------------------ processes, shell

    /**
     * The JVM flags the daemons run with (the repository's {@code jvm.options}).
     *
     * @return the flags.
     * @throws IOException if the file cannot be read.
     */
    static List<String> jvmFlags() throws IOException
    {
        return JvmOptions.nearest(Path.of(System.getProperty("user.dir")));
    }

    /**
     * This JVM's {@code java}.
     *
     * @return its path.
     */
    static String javaBin()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Skips the test (fails it in CI, {@code CI} set) unless it runs as root with {@code /dev/net/tun} and the
     * given commands.
     *
     * @param tools the commands the test runs.
     */
    static void prerequisites(final String... tools)
    {
        final boolean ci = System.getenv("CI") != null;
        final List<String> missing = new ArrayList<>();
        if (Posix.geteuid() != 0)
        {
            missing.add("root");
        }
        for (final String tool : tools)
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
        final String msg = "END-TO-END TEST NOT RUN: missing " + missing + " (needs root, /dev/net/tun, "
            + String.join(", ", tools) + ")";
        if (ci)
        {
            fail(msg + " -- .ci/run installs these; CI must run it as root");
        }
        System.err.println("*** " + msg + " ***");
        Assumptions.abort(msg);
    }

    /**
     * Asserts that a command exited with 0.
     *
     * @param r its result.
     */
    static void check(final Result r)
    {
        assertEquals(0, r.code, r.out);
    }

    /**
     * A command's exit code and its output (standard output and error).
     *
     * @param code the exit code (-1: it could not run or timed out).
     * @param out  the output.
     */
    record Result(int code, String out)
    {
    }

    /**
     * Runs a command with a 30 s timeout.
     *
     * @param cmd the command.
     * @return its result.
     */
    static Result sh(final String... cmd)
    {
        return sh(30, cmd);
    }

    /**
     * Runs a command.
     *
     * @param timeoutSeconds after which it is killed.
     * @param cmd            the command.
     * @return its result.
     */
    static Result sh(final int timeoutSeconds, final String... cmd)
    {
        try
        {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            final byte[][] holder = new byte[1][];
            final Thread reader = new Thread(() ->
            {
                try
                {
                    holder[0] = p.getInputStream().readAllBytes();
                }
                catch (final IOException e)
                {
                    holder[0] = e.toString().getBytes(StandardCharsets.UTF_8);
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                p.destroyForcibly().waitFor();
                reader.join(1000);
                return new Result(-1, String.join(" ", cmd) + ": timed out");
            }
            reader.join();
            return new Result(p.exitValue(), new String(holder[0], StandardCharsets.UTF_8));
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

    /** A condition to wait for. */
    interface Condition
    {
        /**
         * Whether it holds.
         *
         * @return true if it does.
         * @throws Exception on failure.
         */
        boolean holds() throws Exception;
    }

    /**
     * Waits, checking every 100 ms.
     *
     * @param c       the condition.
     * @param seconds how long at most.
     * @param what    what is waited for (in the failure).
     * @throws Exception on failure or timeout.
     */
    static void waitFor(final Condition c, final int seconds, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.holds())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
