package io.vrouter.tools.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.vrouter.agent.api.JvmOptions;
import io.vrouter.tools.controller.Cluster;
import io.vrouter.tools.controller.FileClusterStore;

/**
 * The lab: a controller and two nodes on one machine, each in its own network namespace joined by a
 * bridge (the underlay), one {@code vrouterd} per node, and the seed article's Kubernetes setups
 * applied in order, with real pings between pod namespaces checked against what the article says.
 * <p>
 * Overview: everything the lab creates is named {@code vrl-*} (namespaces, including the pods',
 * whose prefix the lab gives the controller), so {@link #close()} and a later run can remove it all.
 * Every step prints what it does; every reachability check is recorded with its expectation and
 * the final matrix decides the exit status.
 */
public final class Lab implements AutoCloseable
{
    static final String CTL = "vrl-ctl";
    static final String POD_PREFIX = "vrl-pod-";
    static final String[] NODES = {"node-1", "node-2"};
    static final String[] NODE_NS = {"vrl-node1", "vrl-node2"};
    static final String[] NODE_IP = {"192.168.100.11", "192.168.100.12"};
    static final String CTL_IP = "192.168.100.1";
    /** A host on the fabric whose routes send fabric-forwarded pods' addresses to their node (the underlay's). */
    static final String FABRIC_HOST = "vrl-fabric-host";
    static final String FABRIC_HOST_IP = "192.168.100.50";
    /** A host on the fabric only: no route to any pod, it answers whatever reaches it by its source. */
    static final String FABRIC_ONLY = "vrl-fabric-only";
    static final String FABRIC_ONLY_IP = "192.168.100.60";
    private static final int FABRIC_ONLY_PORT = 9000;
    private static final String RED_VRF_NAME = "default-domain:k8s-default:RED:RED";
    private static final String BLUE_VRF_NAME =
        "default-domain:k8s-default:k8s-blue-pod-network:k8s-blue-pod-network";

    /**
     * One reachability expectation and what was seen.
     *
     * @param step     the article's step.
     * @param from     source pod.
     * @param to       destination pod.
     * @param expected whether it should answer.
     * @param seen     whether it answered.
     */
    public record Check(String step, String from, String to, boolean expected, boolean seen)
    {
        String word(final boolean value)
        {
            if (step.endsWith("addresses") || step.contains("ist ") || step.startsWith("ha state")
                || step.endsWith("service address")
                || step.endsWith("capture")
                || step.endsWith("scaled") && to.endsWith("backend removed"))
            {
                return value ? "yes" : "no";
            }
            return value ? "reachable" : "unreachable";
        }
    }

    /**
     * A pod as {@code get pods -o wide} shows it.
     *
     * @param namespace namespace.
     * @param name      name.
     * @param ip        address.
     * @param node      node.
     * @param running   status Running.
     */
    public record Pod(String namespace, String name, String ip, String node, boolean running)
    {
        String netns()
        {
            return POD_PREFIX + namespace + "-" + name;
        }
    }

    private final Path home;
    private final Path work;
    private final PrintStream out;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> named = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Set<Integer> cniNodes = new HashSet<>();
    private AotCache.Launch daemonLaunch;
    private volatile boolean keepLogs;
    private boolean secondController;
    private boolean ha;
    private EtcdMembers etcd;
    private final Map<Integer, List<Integer>> etcdOf = new HashMap<>();
    private Certificates certs;

    /**
     * A lab (nothing started yet).
     *
     * @param home the checkout (for examples/ and jvm.options).
     * @param work a directory for logs, sockets and state.
     * @param out  where progress goes.
     */
    public Lab(final Path home, final Path work, final PrintStream out)
    {
        this.home = home;
        this.work = work;
        this.out = out;
    }

    /**
     * Makes a node's pods' interfaces a container runtime's, attached by the CNI plugin
     * ({@code vrouterd --set pods.cni=true}); call before {@link #up()}. Pods placed there come up
     * only when a runtime runs them with {@code vrouter-cni}.
     *
     * @param node node index.
     * @return this.
     */
    public Lab cniPods(final int node)
    {
        cniNodes.add(node);
        return this;
    }

    /**
     * Gives the nodes a second controller to keep a session with ({@code vrouterd --controller
     * 192.168.100.1:5269,192.168.100.1:5270}, two sessions at once); call before {@link #up()}. The second
     * controller itself starts with {@link #startSecondController()}, from a copy of the first one's state.
     *
     * @return this.
     */
    public Lab secondController()
    {
        secondController = true;
        return this;
    }

    /**
     * The replicated control plane ({@code vrouter-lab --ha}): three etcd members in the controller's namespace on
     * the underlay ({@value #CTL_IP} ports 2379, 2479 and 2579; peers one above), two controllers serving the
     * cluster from them ({@code serve --etcd}, XMPP on ports 5269 and 5270, admin on 127.0.0.1:8082 and 8083) and
     * both nodes keeping a session with each. Call before {@link #up()}; needs the {@code etcd} binary.
     *
     * @return this.
     */
    public Lab ha()
    {
        ha = true;
        secondController = true;
        return this;
    }

    /**
     * With {@link #ha()}: the etcd members a controller is given (by default all three), e.g. only one, so that
     * freezing it cuts that controller off from etcd while the other keeps a quorum. Call before {@link #up()}.
     *
     * @param which   the controller (1 or 2).
     * @param members member indexes (0 to 2).
     * @return this.
     */
    public Lab controllerEtcd(final int which, final Integer... members)
    {
        etcdOf.put(which, List.of(members));
        return this;
    }

    /**
     * The etcd members of {@link #ha()} (to kill, restart, freeze or thaw one), null before {@link #up()} or
     * without it.
     *
     * @return the members.
     */
    public EtcdMembers etcd()
    {
        return etcd;
    }

    /**
     * Whether the lab runs the replicated control plane ({@link #ha()}).
     *
     * @return true with {@code --ha}.
     */
    public boolean isHa()
    {
        return ha;
    }

    /**
     * A node's control socket (what {@code vrouter-cni} and {@code vrouterctl --socket} talk to).
     *
     * @param node node index.
     * @return the path.
     */
    public Path socket(final int node)
    {
        return work.resolve(NODES[node] + ".sock");
    }

    /**
     * Applies a manifest file (all of it or nothing) and prints it as a lab step does.
     *
     * @param manifest the file.
     * @param namespace its default namespace.
     * @return what the controller answered, or null when it refused (recorded as a failure).
     */
    public String applyFile(final Path manifest, final String namespace)
    {
        final Shell.Result r = controller("apply", "-f", manifest.toString(), "-n", namespace);
        say("$ vrouter-controller apply -f " + manifest.getFileName() + " -n " + namespace);
        out.print(r.output().indent(4));
        if (!r.ok())
        {
            failures.add("apply " + manifest + ": " + r.output().trim());
            return null;
        }
        return r.output();
    }

    /**
     * Removes what an earlier lab left behind (namespaces {@code vrl-*}).
     */
    public static void removeLeftovers()
    {
        final Shell.Result list = Shell.run("ip", "netns", "list");
        for (final String line : list.output().split("\n"))
        {
            final String name = line.split(" ")[0].trim();
            if (name.startsWith("vrl-"))
            {
                Shell.run("ip", "netns", "del", name);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ bring-up

    /**
     * Creates the underlay, starts the controller and both nodes and waits until the nodes are Ready.
     *
     * @throws IOException when a process cannot be started.
     */
    public void up() throws IOException
    {
        if (!Shell.run("id", "-u").output().trim().equals("0"))
        {
            throw new IllegalStateException("the lab needs root (network namespaces, TAP devices)");
        }
        removeLeftovers();
        Files.createDirectories(work);
        say("underlay: namespaces " + CTL + " (controller, bridge br0 " + CTL_IP + "), " + String.join(", ", NODE_NS));
        Shell.must("ip", "netns", "add", CTL);
        Shell.must("ip", "-n", CTL, "link", "set", "lo", "up");
        Shell.must("ip", "-n", CTL, "link", "add", "br0", "type", "bridge");
        Shell.must("ip", "-n", CTL, "addr", "add", CTL_IP + "/24", "dev", "br0");
        Shell.must("ip", "-n", CTL, "link", "set", "br0", "up");
        for (int i = 0; i < NODES.length; i++)
        {
            final String ns = NODE_NS[i];
            Shell.must("ip", "netns", "add", ns);
            Shell.must("ip", "-n", ns, "link", "set", "lo", "up");
            Shell.must("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "n" + (i + 1) + "-br",
                "netns", CTL);
            Shell.must("ip", "-n", ns, "addr", "add", NODE_IP[i] + "/24", "dev", "eth0");
            Shell.must("ip", "-n", ns, "link", "set", "eth0", "up");
            Shell.must("ip", "-n", CTL, "link", "set", "n" + (i + 1) + "-br", "master", "br0", "up");
            // The node's kernel routes between its host port (vhost0) and the underlay: fabric forwarding and
            // SNAT (ADR 0008). Set in the lab's namespace only; it goes with it.
            Shell.must("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        }
        say("underlay hosts: " + FABRIC_HOST + " (" + FABRIC_HOST_IP + ", routes fabric-forwarded pods to their node),"
            + " " + FABRIC_ONLY + " (" + FABRIC_ONLY_IP + ", no route to any pod)");
        final String[][] hosts = {{FABRIC_HOST, FABRIC_HOST_IP, "fh-br"}, {FABRIC_ONLY, FABRIC_ONLY_IP, "fo-br"}};
        for (final String[] h : hosts)
        {
            Shell.must("ip", "netns", "add", h[0]);
            Shell.must("ip", "-n", h[0], "link", "set", "lo", "up");
            Shell.must("ip", "-n", h[0], "link", "add", "eth0", "type", "veth", "peer", "name", h[2], "netns", CTL);
            Shell.must("ip", "-n", h[0], "addr", "add", h[1] + "/24", "dev", "eth0");
            Shell.must("ip", "-n", h[0], "link", "set", "eth0", "up");
            Shell.must("ip", "-n", CTL, "link", "set", h[2], "master", "br0", "up");
        }
        say("certificates: a throwaway CA, the controller (" + CTL_IP + ") and " + String.join(", ", NODES) +
            " (mutual TLS, each node's certificate naming it)");
        certs = Certificates.authority(work.resolve("pki"));
        certs.issue("controller", CTL_IP);
        for (final String node : NODES)
        {
            certs.issue(node);
        }
        daemonLaunch = AotCache.daemon(home.resolve("target/aot"), labJvmFlags(),
            System.getProperty("java.class.path"), out);
        say(daemonLaunch.cached() ? "vrouterd starts from its AOT cache " + daemonLaunch.cache() :
            "vrouterd starts without an AOT cache: " + daemonLaunch.why());
        if (ha)
        {
            if (EtcdMembers.binary() == null)
            {
                throw new IllegalStateException("--ha needs etcd (apt-get install etcd-server)");
            }
            say("etcd: three members in " + CTL + " on " + CTL_IP + ":2379, :2479, :2579 (peers :2380, :2480, :2580)");
            etcd = EtcdMembers.startIn(3, CTL, CTL_IP, 2379);
        }
        startController();
        if (ha)
        {
            startController(2);
        }
        for (int i = 0; i < NODES.length; i++)
        {
            say("node " + NODES[i] + ": vrouterd in " + NODE_NS[i] + " (fabric " + NODE_IP[i] + ")");
            startNode(i);
        }
        waitForNodesReady();
        if (ha)
        {
            waitForNodesReady(2);
        }
        out.print(controller("get", "nodes").output());
    }

    private void startController() throws IOException
    {
        startController(1);
    }

    /** Starts controller 1 (the lab's) or 2 (the second, {@link #secondController()}) and waits for its API. */
    private void startController(final int which) throws IOException
    {
        final String name = controllerName(which);
        final List<String> store = new ArrayList<>();
        if (ha)
        {
            final List<String> urls = new ArrayList<>();
            for (final int m : etcdOf.getOrDefault(which, List.of(0, 1, 2)))
            {
                urls.add(etcd.clientUrl(m));
            }
            store.addAll(List.of("--etcd", String.join(",", urls)));
        }
        else
        {
            store.addAll(List.of("--state", work.resolve(name + "-state.yaml").toString()));
        }
        say(name + ": vrouter-controller serve in " + CTL + " (XMPP over mutual TLS " + CTL_IP + ":"
            + (5268 + which) + (ha ? "; " + String.join(" ", store) : "") + ")");
        final List<String> args = new ArrayList<>(List.of("serve", "--listen", CTL_IP + ":" + (5268 + which),
            "--api", controllerApi(which)));
        args.addAll(store);
        args.addAll(List.of("--netns-prefix", POD_PREFIX, "--eor-grace", "10", "--tls-cert",
            certs.cert("controller").toString(), "--tls-key", certs.key("controller").toString(), "--tls-ca",
            certs.ca().toString()));
        start(name, CTL, "io.vrouter.tools.controller.ControllerMain", args.toArray(new String[0]));
        waitFor(name + "'s admin endpoint", 60, () -> controller(which, "get", "nodes").ok());
    }

    private static String controllerName(final int which)
    {
        return which == 1 ? "controller" : "controller-" + which;
    }

    private static String controllerApi(final int which)
    {
        return "127.0.0.1:" + (8081 + which);
    }

    private void waitForNodesReady()
    {
        waitForNodesReady(1);
    }

    private void waitForNodesReady(final int which)
    {
        waitFor("both nodes Ready on " + controllerName(which), 90, () ->
        {
            final String nodes = controller(which, "get", "nodes").output();
            return Stream.of(NODES).allMatch(n -> nodes.lines().anyMatch(l -> l.startsWith(n + " ") &&
                l.contains("Ready") && !l.contains("NotReady")));
        });
    }

    /**
     * Starts the second controller ({@link #secondController()}) from a copy of the first one's state file,
     * so that both serve the same configuration, and waits until both nodes are Ready on it (each node's
     * second session reconnects with back-off, so this can take up to half a minute).
     *
     * @throws IOException when the state cannot be copied or the controller started.
     */
    public void startSecondController() throws IOException
    {
        if (!secondController)
        {
            throw new IllegalStateException("the nodes were not given a second controller (secondController())");
        }
        final Path state = work.resolve("controller-state.yaml");
        final Path copy = work.resolve(controllerName(2) + "-state.yaml");
        Files.copy(state, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(FileClusterStore.journalOf(state)))
        {
            Files.copy(FileClusterStore.journalOf(state), FileClusterStore.journalOf(copy),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        startController(2);
        waitForNodesReady(2);
    }

    /**
     * Kills a controller with SIGKILL (1: the lab's, 2: the second) and waits until it is gone.
     *
     * @param which the controller.
     * @throws InterruptedException when interrupted.
     */
    public void killController(final int which) throws InterruptedException
    {
        say("kill -9 " + controllerName(which));
        final Process p = named.remove(controllerName(which));
        processes.remove(p);
        Shell.run("kill", "-9", Long.toString(p.pid()));
        if (!p.waitFor(10, TimeUnit.SECONDS))
        {
            throw new IllegalStateException(controllerName(which) + " did not die after SIGKILL");
        }
    }

    /**
     * Starts a controller again from its state file (1: the lab's, 2: the second) and waits until both
     * nodes are Ready on it.
     *
     * @param which the controller.
     * @throws IOException when it cannot be started.
     */
    public void startControllerAgain(final int which) throws IOException
    {
        startController(which);
        waitForNodesReady(which);
    }

    /**
     * Stops the controller and starts it again from its state file; waits until both nodes are back.
     *
     * @throws IOException when it cannot be started.
     */
    public void restartController() throws IOException
    {
        say("restarting the controller");
        stop("controller");
        startController();
        waitForNodesReady();
    }

    /**
     * Stops a node's daemon and starts it again; waits until its pods' interfaces are back.
     *
     * @param i node index.
     * @throws IOException when it cannot be started.
     */
    public void restartNode(final int i) throws IOException
    {
        say("restarting " + NODES[i] + "'s vrouterd");
        stop(NODES[i]);
        Files.deleteIfExists(work.resolve(NODES[i] + ".sock"));
        startNode(i);
        waitForNodesReady();
        waitForPods();
    }

    /**
     * Stops the controller (the nodes go headless and keep forwarding).
     */
    public void stopController()
    {
        say("stopping the controller");
        stop("controller");
    }

    /**
     * Starts the controller again from its state file; waits until both nodes are Ready.
     *
     * @throws IOException when it cannot be started.
     */
    public void startControllerAgain() throws IOException
    {
        startController();
        waitForNodesReady();
    }

    /**
     * Kills a node's daemon with SIGKILL (no shutdown hook runs) and waits until it is gone; its control
     * socket file, left behind, is removed so that {@link #startNode(int)} waits for the new one.
     *
     * @param i node index.
     * @throws InterruptedException when interrupted.
     * @throws IOException when the socket file cannot be removed.
     */
    public void killNode(final int i) throws InterruptedException, IOException
    {
        say("kill -9 " + NODES[i] + "'s vrouterd");
        final Process p = named.remove(NODES[i]);
        processes.remove(p);
        Shell.run("kill", "-9", Long.toString(p.pid()));
        if (!p.waitFor(10, TimeUnit.SECONDS))
        {
            throw new IllegalStateException(NODES[i] + "'s vrouterd did not die after SIGKILL");
        }
        Files.deleteIfExists(work.resolve(NODES[i] + ".sock"));
    }

    /**
     * A process's log file in the work directory (the node's name, or {@code controller}).
     *
     * @param name the process name.
     * @return the path.
     */
    public Path log(final String name)
    {
        return work.resolve(name + ".log");
    }

    /**
     * The name of a node.
     *
     * @param i node index.
     * @return the name.
     */
    public static String nodeName(final int i)
    {
        return NODES[i];
    }

    private void stop(final String name)
    {
        final Process p = named.remove(name);
        processes.remove(p);
        p.destroy();
        try
        {
            if (!p.waitFor(20, TimeUnit.SECONDS))
            {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every pod the controller lists is Running with its address on eth0 in its namespace.
     */
    public void waitForPods()
    {
        waitFor("every pod Running with its interface up", 120, () -> pods().stream().allMatch(p -> p.running() &&
            Shell.run("ip", "-n", p.netns(), "-4", "addr", "show", "dev", "eth0").output().contains(p.ip() + "/")));
    }

    /**
     * Starts a ping that runs in the background: {@code count} echo requests every 200 ms.
     *
     * @param from  source pod.
     * @param to    destination pod.
     * @param count how many.
     * @return the process; {@link #pingLoss(Process)} reads its result.
     * @throws IOException when it cannot be started.
     */
    public Process backgroundPing(final Pod from, final Pod to, final int count) throws IOException
    {
        final Process p = new ProcessBuilder("ip", "netns", "exec", from.netns(), "ping", "-i", "0.2", "-c",
            Integer.toString(count), "-W", "1", to.ip()).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    /**
     * Starts a ping that runs until {@link #stopPing(Process, Path)}, its output (a line per reply) in a file.
     *
     * @param from     source pod.
     * @param to       destination pod.
     * @param interval seconds between echo requests ({@code ping -i}, e.g. {@code 0.05}).
     * @param log      where its output goes.
     * @return the process.
     * @throws IOException when it cannot be started.
     */
    public Process continuousPing(final Pod from, final Pod to, final String interval, final Path log)
        throws IOException
    {
        final Process p = new ProcessBuilder("ip", "netns", "exec", from.netns(), "ping", "-i", interval, "-W", "1",
            to.ip()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /**
     * Stops a {@link #continuousPing} (SIGINT, after which ping prints its summary) and counts the requests
     * that got no reply: every sequence number up to the last one answered without a reply, and any
     * requests after it but the one that may have been in flight when the ping was stopped.
     *
     * @param ping the process.
     * @param log  its output.
     * @return requests and lost replies.
     * @throws IOException when its output cannot be read.
     * @throws InterruptedException when interrupted.
     */
    public int[] stopPing(final Process ping, final Path log) throws IOException, InterruptedException
    {
        Shell.run("kill", "-INT", Long.toString(ping.pid()));
        ping.waitFor(10, TimeUnit.SECONDS);
        processes.remove(ping);
        final String output = Files.readString(log);
        final java.util.regex.Matcher summary = java.util.regex.Pattern
            .compile("(\\d+) packets transmitted, (\\d+) (packets )?received").matcher(output);
        if (!summary.find())
        {
            throw new IllegalStateException("no ping summary in " + log + ": " + output);
        }
        final int sent = Integer.parseInt(summary.group(1));
        final java.util.BitSet answered = new java.util.BitSet();
        final java.util.regex.Matcher reply = java.util.regex.Pattern.compile("icmp_seq=(\\d+) ").matcher(output);
        while (reply.find())
        {
            answered.set(Integer.parseInt(reply.group(1)));
        }
        final int last = answered.length() - 1;
        int lost = 0;
        for (int seq = 1; seq <= last; seq++)
        {
            lost += answered.get(seq) ? 0 : 1;
        }
        lost += Math.max(0, sent - 1 - last);
        say("ping: " + summary.group(0) + "; " + lost + " lost before the last request");
        return new int[] {sent, lost};
    }

    /**
     * The peers a node's introspect lists for a route ({@code ist vr route --json}): one per control node
     * that advertises it.
     *
     * @param node   node index.
     * @param vrf    the VRF's name.
     * @param prefix {@code address/len}.
     * @return the peers, in the introspect's order; empty when the route is not there.
     * @throws IOException when the answer is not JSON.
     */
    public List<String> routePeers(final int node, final String vrf, final String prefix) throws IOException
    {
        final Shell.Result r = ctl(NODE_NS[node], "--json", "ist", "vr", "route", "-v", vrfIndex(node, vrf), "-p",
            prefix);
        final List<String> out = new ArrayList<>();
        for (final JsonNode route : new ObjectMapper().readTree(r.output()).path("routes"))
        {
            for (final JsonNode path : route.path("path_list"))
            {
                out.add(path.path("peer").asText());
            }
        }
        return out;
    }

    /**
     * A VRF's index on a node, by name ({@code ist vr vrf}).
     *
     * @param node node index.
     * @param name the VRF's name.
     * @return the index, or -1 when the node has no such VRF.
     */
    public int vrfId(final int node, final String name)
    {
        final String index = vrfs(node).get(name);
        return index == null ? -1 : Integer.parseInt(index);
    }

    /**
     * A node's controller sessions as its introspect lists them ({@code ist vr xmpp --json}): {@code
     * controller_ip state flap_count} per session.
     *
     * @param node node index.
     * @return one line per session.
     * @throws IOException when the answer is not JSON.
     */
    public List<String> xmppSessions(final int node) throws IOException
    {
        final Shell.Result r = ctl(NODE_NS[node], "--json", "ist", "vr", "xmpp");
        final List<String> out = new ArrayList<>();
        for (final JsonNode peer : new ObjectMapper().readTree(r.output()).path("peers"))
        {
            out.add(peer.path("controller_ip").asText() + " " + peer.path("state").asText() + " "
                + peer.path("flap_count").asText());
        }
        return out;
    }

    /**
     * Waits for a background ping and returns how many replies were lost.
     *
     * @param ping the process.
     * @return lost replies, or -1 when the summary is missing.
     * @throws IOException when its output cannot be read.
     * @throws InterruptedException when interrupted.
     */
    public int pingLoss(final Process ping) throws IOException, InterruptedException
    {
        final String output = new String(ping.getInputStream().readAllBytes());
        ping.waitFor();
        processes.remove(ping);
        final java.util.regex.Matcher m = java.util.regex.Pattern
            .compile("(\\d+) packets transmitted, (\\d+) (packets )?received").matcher(output);
        if (!m.find())
        {
            out.println(output);
            return -1;
        }
        say("ping: " + m.group(0));
        return Integer.parseInt(m.group(1)) - Integer.parseInt(m.group(2));
    }

    /**
     * A pod by namespace and name prefix.
     *
     * @param namespace namespace.
     * @param prefix    name or the start of it.
     * @return the pod.
     */
    public Pod pod(final String namespace, final String prefix)
    {
        return pods().stream().filter(p -> p.namespace().equals(namespace) && p.name().startsWith(prefix))
            .findFirst().orElseThrow(() -> new IllegalStateException("no pod " + namespace + "/" + prefix + "*"));
    }

    /**
     * Whether a pod answers a ping from another (a few tries).
     *
     * @param from source.
     * @param to   destination.
     * @return true when it answers.
     */
    public boolean reachable(final Pod from, final Pod to)
    {
        for (int i = 0; i < 10; i++)
        {
            if (pingOnce(from, to))
            {
                return true;
            }
            sleep(500);
        }
        return false;
    }

    /**
     * A node's shared-memory counters file: its own, in the work directory (the default path is one per
     * machine, and two nodes writing it would show one node's counters as the other's).
     *
     * @param i node index.
     * @return the path.
     */
    public Path counters(final int i)
    {
        return work.resolve(NODES[i] + ".counters");
    }

    /**
     * Starts a node's daemon (again, for a node restart).
     *
     * @param i node index.
     * @throws IOException when it cannot be started.
     */
    public void startNode(final int i) throws IOException
    {
        final Path socket = work.resolve(NODES[i] + ".sock");
        start(NODES[i], NODE_NS[i], "io.vrouter.agent.daemon.VrouterdMain", "--node-name", NODES[i],
            "--fabric-interface", "eth0", "--fabric-address", NODE_IP[i], "--socket", socket.toString(),
            "--state-dir", work.resolve(NODES[i]).toString(), "--counters", counters(i).toString(),
            "--controller", CTL_IP + ":5269" + (secondController ? "," + CTL_IP + ":5270" : ""),
            "--set", "controller.tls-cert=" + certs.cert(NODES[i]),
            "--set", "controller.tls-key=" + certs.key(NODES[i]), "--set", "controller.tls-ca=" + certs.ca(),
            "--set", "pods.cni=" + cniNodes.contains(i), "--set", "fabric.vhost=vhost0");
        waitFor(NODES[i] + "'s control socket", 90, () -> Files.exists(socket));
    }

    // ------------------------------------------------------------------------------------------ the article

    /**
     * Runs the article's steps in order, printing as it goes.
     *
     * @return the number of failed expectations.
     * @throws IOException when a manifest cannot be read.
     */
    public int runScenario() throws IOException
    {
        step("1. namespaces, deployments, custom networks and pods");
        apply("ns-non-isolated.yaml", "default");
        apply("ns-isolated.yaml", "default");
        for (final String ns : List.of("default", "ns-non-isolated", "ns-isolated"))
        {
            apply("deployment-ubuntu-pod-1.yaml", ns);
        }
        apply("pod-isolated-peer.yaml", "ns-isolated");
        apply("nad-blue.yaml", "default");
        apply("vn-red.yaml", "default");
        apply("pod-ubuntuapp-red.yaml", "default");
        apply("pod-ubuntuapp2-blue.yaml", "default");
        waitForPods();
        out.print(controller("get", "pods", "-o", "wide").output());
        final Map<String, Pod> pods = new LinkedHashMap<>();
        for (final Pod p : pods())
        {
            pods.put(p.namespace() + "/" + (p.name().startsWith("ubuntu-pod-1-") ? "ubuntu-pod-1" : p.name()), p);
        }
        expectAddress(pods, "default/ubuntu-pod-1", "10.47.255.252");
        expectAddress(pods, "ns-non-isolated/ubuntu-pod-1", "10.47.255.251");
        expectAddress(pods, "ns-isolated/ubuntu-pod-1", "10.47.255.250");
        expectAddress(pods, "default/ubuntuapp", "100.0.0.3");
        expectAddress(pods, "default/ubuntuapp2", "2.0.0.252");
        final Pod def = pods.get("default/ubuntu-pod-1");
        final Pod nonIsolated = pods.get("ns-non-isolated/ubuntu-pod-1");
        final Pod isolated = pods.get("ns-isolated/ubuntu-pod-1");
        final Pod isolatedPeer = pods.get("ns-isolated/ubuntu-isolated-peer");
        final Pod red = pods.get("default/ubuntuapp");
        final Pod blue = pods.get("default/ubuntuapp2");

        step("2. non-isolated namespaces share the default pod network");
        ping("2 non-isolated", def, nonIsolated, true);
        ping("2 non-isolated", nonIsolated, def, true);

        step("3. an isolated namespace cannot be reached from the others; inside it, pods talk");
        ping("3 isolated", isolated, isolatedPeer, true);
        ping("3 isolated", isolatedPeer, isolated, true);
        ping("3 isolated", def, isolated, false);
        ping("3 isolated", nonIsolated, isolated, false);

        step("4. custom networks: RED and blue cannot talk without a policy");
        ping("4 custom", red, blue, false);
        final int redNode = nodeIndex(red);
        show("ist vr vrf on " + red.node(), NODE_NS[redNode], "ist", "vr", "vrf");

        step("5. a network policy between RED and blue leaks the routes: reachable");
        apply("policy-red-blue.yaml", "default");
        ping("5 policy", red, blue, true);
        ping("5 policy", blue, red, true);
        final String redVrf = vrfIndex(redNode, RED_VRF_NAME);
        final String routes = show("ist vr route -v " + redVrf + " on " + red.node(), NODE_NS[redNode],
            "ist", "vr", "route", "-v", redVrf);
        record("5 ist vr route", "RED (VRF " + redVrf + ") on " + red.node() + " holds",
            "2.0.0.252/32 via MPLSoUDP", true,
            routes.contains("2.0.0.252/32") && routes.contains("MPLSoUDP"));
        record("5 ist vr route", "2.0.0.252/32 in RED on " + red.node() + " names its peer",
            "the controller [" + CTL_IP + "]", true, peerOf(routes, "2.0.0.252/32").equals(CTL_IP));
        record("5 ist vr route", "RED's own pod 100.0.0.3/32 on " + red.node() + " names its peer",
            "[LocalVmPort]", true, peerOf(routes, "100.0.0.3/32").equals("LocalVmPort"));
        final String blueVrf = vrfIndex(redNode, BLUE_VRF_NAME);
        if (ha)
        {
            killFirstReplica();
        }

        step("6. the policy deleted: the route is withdrawn and the ping fails again");
        delete("policy-red-blue.yaml", "default");
        waitFor("2.0.0.252/32 gone from RED on " + red.node(), 30, () ->
            !ctl(NODE_NS[redNode], "ist", "vr", "route", "-v", redVrf).output().contains("2.0.0.252/32"));
        show("ist vr route -v " + redVrf + " on " + red.node(), NODE_NS[redNode], "ist", "vr", "route", "-v", redVrf);
        ping("6 policy deleted", red, blue, false);
        show("ist vr vrf on " + red.node(), NODE_NS[redNode], "ist", "vr", "vrf");
        final Map<String, String> vrfs = vrfs(redNode);
        record("6 ist vr vrf", "blue's VRF " + blueVrf + " (left with the policy) listed on " + red.node(),
            "k8s-blue-pod-network or VRF " + blueVrf, false,
            vrfs.containsKey(BLUE_VRF_NAME) || vrfs.containsValue(blueVrf));

        step("7. a logical router attaching RED and blue routes between them: reachable");
        apply("logical-router-red-blue.yaml", "default");
        ping("7 logical router", red, blue, true);
        ping("7 logical router", blue, red, true);
        final String joined = show("ist vr route -v " + redVrf + " on " + red.node(), NODE_NS[redNode],
            "ist", "vr", "route", "-v", redVrf);
        record("7 ist vr route", "RED (VRF " + redVrf + ") on " + red.node() + " holds",
            "2.0.0.252/32 via MPLSoUDP", true, joined.contains("2.0.0.252/32") && joined.contains("MPLSoUDP"));

        step("8. RED and blue detached from the logical router: unreachable again");
        delete("logical-router-red-blue.yaml", "default");
        waitFor("2.0.0.252/32 gone from RED on " + red.node(), 30, () ->
            !ctl(NODE_NS[redNode], "ist", "vr", "route", "-v", redVrf).output().contains("2.0.0.252/32"));
        show("ist vr route -v " + redVrf + " on " + red.node(), NODE_NS[redNode], "ist", "vr", "route", "-v", redVrf);
        ping("8 detached", red, blue, false);
        ping("8 detached", blue, red, false);

        services(def, nonIsolated);
        fabric(blue, def);
        if (ha)
        {
            firstReplicaBack(def, nonIsolated);
        }
        return matrix();
    }

    /**
     * Step 9: a ClusterIP service in front of three echo pods (each answers TCP 8080 with its own name):
     * 30 connections to the ClusterIP's port 80 from a pod on another node than most backends reach all
     * three; after the deployment is scaled to two, 30 new connections never reach the removed backend.
     */
    private void services(final Pod def, final Pod nonIsolated) throws IOException
    {
        step("9. a ClusterIP service: ECMP over three backends with port translation (80 -> 8080)");
        apply("deployment-echo.yaml", "default");
        apply("service-echo.yaml", "default");
        waitForPods();
        final List<Pod> backends = pods().stream().filter(p -> p.namespace().equals("default")
            && p.name().startsWith("echo-")).toList();
        final String services = controller("get", "services").output();
        say("$ vrouter-controller get services");
        out.print(services.indent(4));
        final String vip = services.lines().filter(l -> l.startsWith("default ") && l.contains(" echo "))
            .map(l -> l.trim().split("\\s+")[2]).findFirst().orElse("");
        record("9 service address", "service/echo has a ClusterIP", "in 10.96.0.0/12", true,
            vip.matches("[0-9.]+") && io.vrouter.tools.controller.Ipv4Cidr.parse("10.96.0.0/12")
                .contains(io.vrouter.tools.controller.Ipv4Cidr.parseAddress(vip)));
        for (final Pod b : backends)
        {
            // Answers its name, then echoes what the client sends until the client closes its side.
            final Process server = new ProcessBuilder("ip", "netns", "exec", b.netns(), "busybox", "nc", "-ll", "-p",
                "8080", "-e", "/bin/sh", "-c", "echo " + b.name() + "; exec cat").redirectErrorStream(true).start();
            processes.add(server);
        }
        // The client: a non-isolated pod on the node with fewer backends (the others are behind the tunnel).
        final long onFirst = backends.stream().filter(b -> b.node().equals(NODES[0])).count();
        final String clientNode = onFirst * 2 > backends.size() ? NODES[1] : NODES[0];
        final Pod client = def.node().equals(clientNode) ? def : nonIsolated;
        final int clientNodeIndex = nodeIndex(client);
        final String podVrf = vrfIndex(clientNodeIndex, "default-domain:k8s-default:k8s-default-pod-network:"
            + "k8s-default-pod-network");
        final String route = show("ist vr route -v " + podVrf + " on " + client.node() + " (the ClusterIP's route)",
            NODE_NS[clientNodeIndex], "ist", "vr", "route", "-v", podVrf);
        record("9 ist vr route", "the ClusterIP " + vip + " in the pod VRF on " + client.node(), "a route", true,
            route.contains(vip + "/32"));
        waitFor("the ClusterIP answering from " + label(client), 30, () -> !connect(client, vip).isEmpty());
        final Map<String, Integer> counts = connections(client, vip, 30, backends);
        for (final Pod b : backends)
        {
            record("9 service", "30 connections from " + label(client) + " to " + vip + ":80",
                b.name() + " on " + b.node(), true, counts.getOrDefault(b.name(), 0) > 0);
        }

        step("10. a backend removed (the deployment scaled to 2): new connections avoid it, an open one stays");
        // A connection opened before the change, to a backend that stays (the deployment removes its last pod).
        Process open = null;
        java.io.BufferedReader openReader = null;
        for (int i = 0; i < 20 && open == null; i++)
        {
            final Process p = new ProcessBuilder("ip", "netns", "exec", client.netns(), "busybox", "nc", vip, "80")
                .redirectErrorStream(true).start();
            processes.add(p);
            final java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            final String first = readLine(r, 5);
            if (first != null && backends.size() == 3 && !first.equals(backends.get(2).name()))
            {
                open = p;
                openReader = r;
                say("a connection kept open from " + label(client) + " to " + vip + ":80, answered by " + first);
            }
            else
            {
                p.destroy();
            }
        }
        record("10 scaled", "a connection opened before the scale-down", "a backend that stays", true,
            open != null);
        final Path scaled = work.resolve("deployment-echo-2.yaml");
        Files.writeString(scaled, Files.readString(home.resolve("examples/seed/deployment-echo.yaml"))
            .replace("replicas: 3", "replicas: 2"));
        applyFile(scaled, "default");
        final List<Pod> left = pods().stream().filter(p -> p.namespace().equals("default")
            && p.name().startsWith("echo-")).toList();
        final Pod removed = backends.stream().filter(b -> left.stream().noneMatch(l -> l.name().equals(b.name())))
            .findFirst().orElse(null);
        record("10 scaled", "deployment/echo scaled to 2", "one backend removed", true, removed != null);
        waitFor("the service's endpoints without the removed backend", 30, () -> removed == null
            || !controller("get", "services").output().contains(removed.ip() + ",")
            && !controller("get", "services").output().contains("," + removed.ip()));
        sleep(1000);
        final Map<String, Integer> after = connections(client, vip, 30, left);
        if (removed != null)
        {
            record("10 scaled", "30 new connections to " + vip + ":80", removed.name() + " (removed)", false,
                after.getOrDefault(removed.name(), 0) > 0);
        }
        for (final Pod b : left)
        {
            record("10 scaled", "30 new connections to " + vip + ":80", b.name() + " on " + b.node(), true,
                after.getOrDefault(b.name(), 0) > 0);
        }
        if (open != null)
        {
            open.getOutputStream().write("still-here\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            open.getOutputStream().flush();
            final String echoed = readLine(openReader, 5);
            say("the connection opened before the scale-down, sent 'still-here', got back: " + echoed);
            record("10 scaled", "the connection opened before the scale-down", "still answered by its backend",
                true, "still-here".equals(echoed));
            open.destroy();
        }
    }

    /**
     * {@code --ha}, after step 5: the first controller replica is killed with SIGKILL; both nodes keep their
     * session with the second, which serves every later step (applies, deletes, routes).
     */
    private void killFirstReplica()
    {
        step("ha. kill -9 " + controllerName(1) + " (" + CTL_IP + ":5269) mid-run: steps 6 to 11 run with "
            + controllerName(2) + " (" + CTL_IP + ":5270) alone");
        for (int i = 0; i < NODES.length; i++)
        {
            show("ist vr xmpp on " + NODES[i] + " (before)", NODE_NS[i], "ist", "vr", "xmpp");
        }
        try
        {
            killController(1);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        for (int i = 0; i < NODES.length; i++)
        {
            final int node = i;
            waitFor(NODES[i] + "'s session with " + controllerName(1) + " down", 30, () ->
                !sessions(node).get(0).contains(" Established "));
            show("ist vr xmpp on " + NODES[i] + " (after)", NODE_NS[i], "ist", "vr", "xmpp");
            final List<String> now = sessions(i);
            record("ha ist vr xmpp", NODES[i] + "'s session with " + CTL_IP + ":5269", "Established", false,
                now.get(0).contains(" Established "));
            record("ha ist vr xmpp", NODES[i] + "'s session with " + CTL_IP + ":5270", "Established", true,
                now.size() > 1 && now.get(1).contains(" Established "));
        }
    }

    /**
     * {@code --ha}, after step 11: the killed replica starts again, reads the cluster back from etcd (with
     * everything applied while it was down), and both nodes reconnect to it.
     */
    private void firstReplicaBack(final Pod from, final Pod to) throws IOException
    {
        step("ha. " + controllerName(1) + " started again: the cluster from etcd, both nodes back on it");
        startControllerAgain(1);
        for (int i = 0; i < NODES.length; i++)
        {
            final int node = i;
            waitFor(NODES[i] + "'s session with " + controllerName(1) + " up", 60, () ->
                sessions(node).get(0).contains(" Established "));
            show("ist vr xmpp on " + NODES[i], NODE_NS[i], "ist", "vr", "xmpp");
            final List<String> now = sessions(i);
            record("ha ist vr xmpp", NODES[i] + "'s sessions with " + CTL_IP + ":5269 and :5270", "both Established",
                true, now.size() == 2 && now.stream().allMatch(l -> l.contains(" Established ")));
        }
        final String first = controller(1, "get", "pods", "-o", "wide").output();
        final String second = controller(2, "get", "pods", "-o", "wide").output();
        say("$ vrouter-controller get pods -o wide --api " + controllerApi(1));
        out.print(first.indent(4));
        record("ha state", controllerName(1) + "'s pods (applied while it was down)", "the same as "
            + controllerName(2) + "'s", true, first.equals(second) && first.contains("echo-"));
        ping("ha restarted", from, to, true);
        ping("ha restarted", to, from, true);
    }

    private List<String> sessions(final int node)
    {
        try
        {
            final List<String> s = xmppSessions(node);
            return s.isEmpty() ? List.of("") : s;
        }
        catch (final IOException e)
        {
            return List.of("");
        }
    }

    /** A line from a reader, or null when none comes within the time. */
    private static String readLine(final java.io.BufferedReader reader, final int seconds)
    {
        final java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture
            .supplyAsync(() ->
            {
                try
                {
                    return reader.readLine();
                }
                catch (final IOException e)
                {
                    return null;
                }
            });
        try
        {
            return line.get(seconds, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e)
        {
            return null;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Opens connections one after another and counts the answers by backend name (printed). */
    private Map<String, Integer> connections(final Pod client, final String vip, final int count,
        final List<Pod> backends)
    {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        backends.forEach(b -> counts.put(b.name(), 0));
        int silent = 0;
        for (int i = 0; i < count; i++)
        {
            final String answer = connect(client, vip);
            if (answer.isEmpty())
            {
                silent++;
            }
            else
            {
                counts.merge(answer, 1, Integer::sum);
            }
        }
        say("$ " + count + " x (ip netns exec " + client.netns() + " busybox nc -w 2 " + vip + " 80): answers by"
            + " backend");
        counts.forEach((name, n) -> out.printf("    %-40s %3d%n", name, n));
        if (silent > 0)
        {
            out.printf("    %-40s %3d%n", "(no answer)", silent);
        }
        return counts;
    }

    private static String connect(final Pod client, final String vip)
    {
        if (!vip.matches("[0-9.]+"))
        {
            return "";
        }
        final Shell.Result r = Shell.run(List.of("ip", "netns", "exec", client.netns(), "busybox", "sh", "-c",
            "busybox nc -w 2 " + vip + " 80 </dev/null"), 10);
        return r.ok() ? r.output().trim() : "";
    }

    /**
     * Step 11: blue has ip_fabric_forwarding and ip_fabric_snat. A host on the underlay reaches the blue pod by its
     * own address (ping and TCP; the capture on the host shows the pod's address, no tunnel); the blue pod reaches
     * a fabric-only host, which sees the node's fabric address and a port of the node's SNAT range as the source
     * (capture), and the answer comes back to the pod; a pod of a network without SNAT does not reach it.
     */
    private void fabric(final Pod blue, final Pod plain) throws IOException
    {
        step("11. fabric forwarding and SNAT (blue: ip_fabric_forwarding and ip_fabric_snat \"true\")");
        final int node = nodeIndex(blue);
        say("$ ip -n " + FABRIC_HOST + " route add " + blue.ip() + "/32 via " + NODE_IP[node]
            + "   (the underlay's route to a fabric-forwarded pod: via its node)");
        Shell.must("ip", "-n", FABRIC_HOST, "route", "replace", blue.ip() + "/32", "via", NODE_IP[node]);
        waitFor(blue.ip() + "/32 in the fabric VRF on " + blue.node(), 30, () ->
            ctl(NODE_NS[node], "ist", "vr", "route", "-v", "0").output().contains(blue.ip() + "/32"));
        final String routes = show("ist vr route -v 0 on " + blue.node() + " (the fabric VRF)", NODE_NS[node],
            "ist", "vr", "route", "-v", "0");
        record("11 ist vr route", "the fabric VRF 0 on " + blue.node() + " holds", blue.ip() + "/32 via its tap",
            true, routes.contains(blue.ip() + "/32"));
        boolean pinged = pingFrom(FABRIC_HOST, blue.ip());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!pinged && System.nanoTime() < deadline)
        {
            sleep(500);
            pinged = pingFrom(FABRIC_HOST, blue.ip());
        }
        record("11 fabric forwarding", "fabric host " + FABRIC_HOST_IP, label(blue), true, pinged);

        final Process server = new ProcessBuilder("ip", "netns", "exec", blue.netns(), "busybox", "nc", "-ll", "-p",
            "8081", "-e", "/bin/sh", "-c", "echo blue-pod").redirectErrorStream(true).start();
        processes.add(server);
        final Capture seenByHost = capture(FABRIC_HOST, "tcp and src host " + blue.ip() + " and src port 8081");
        final String answer = retry(() -> Shell.run(List.of("ip", "netns", "exec", FABRIC_HOST, "busybox", "sh", "-c",
            "busybox nc -w 2 " + blue.ip() + " 8081 </dev/null"), 10).output().trim(), "blue-pod");
        say("$ ip netns exec " + FABRIC_HOST + " busybox nc " + blue.ip() + " 8081   -> '" + answer + "'");
        record("11 fabric forwarding", "fabric host " + FABRIC_HOST_IP + " tcp", label(blue) + ":8081", true,
            answer.equals("blue-pod"));
        final String hostLine = seenByHost.firstLine();
        say("capture on " + FABRIC_HOST + ": " + hostLine);
        record("11 fabric forwarding capture", "the host sees the answer from", blue.ip() + ".8081 itself (no tunnel)",
            true, hostLine.contains(" IP " + blue.ip() + ".8081 > " + FABRIC_HOST_IP + "."));

        final Process listener = new ProcessBuilder("ip", "netns", "exec", FABRIC_ONLY, "busybox", "nc", "-ll", "-p",
            Integer.toString(FABRIC_ONLY_PORT), "-e", "/bin/sh", "-c", "echo fabric-only-host")
            .redirectErrorStream(true).start();
        processes.add(listener);
        final Capture seenByOnly = capture(FABRIC_ONLY, "tcp dst port " + FABRIC_ONLY_PORT
            + " and tcp[tcpflags] & tcp-syn != 0");
        final String reply = retry(() -> Shell.run(List.of("ip", "netns", "exec", blue.netns(), "busybox", "sh", "-c",
            "busybox nc -w 2 " + FABRIC_ONLY_IP + " " + FABRIC_ONLY_PORT + " </dev/null"), 10).output().trim(),
            "fabric-only-host");
        say("$ ip netns exec " + blue.netns() + " busybox nc " + FABRIC_ONLY_IP + " " + FABRIC_ONLY_PORT + "   -> '"
            + reply + "'");
        record("11 fabric SNAT", label(blue), "fabric-only host " + FABRIC_ONLY_IP + ":" + FABRIC_ONLY_PORT, true,
            reply.equals("fabric-only-host"));
        final String syn = seenByOnly.firstLine();
        say("capture on " + FABRIC_ONLY + ": " + syn);
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile(" IP ([0-9.]+)\\.([0-9]+) > "
            + java.util.regex.Pattern.quote(FABRIC_ONLY_IP + "." + FABRIC_ONLY_PORT)).matcher(syn);
        final boolean translated = m.find() && m.group(1).equals(NODE_IP[node])
            && Integer.parseInt(m.group(2)) >= Cluster.SNAT_POOL_LOW
            && Integer.parseInt(m.group(2)) <= Cluster.SNAT_POOL_HIGH;
        record("11 fabric SNAT capture", "the fabric-only host sees the source", NODE_IP[node] + ":"
            + Cluster.SNAT_POOL_LOW + "-" + Cluster.SNAT_POOL_HIGH
            + " (" + blue.node() + ")", true, translated);
        final String none = Shell.run(List.of("ip", "netns", "exec", plain.netns(), "busybox", "sh", "-c",
            "busybox nc -w 2 " + FABRIC_ONLY_IP + " " + FABRIC_ONLY_PORT + " </dev/null"), 10).output().trim();
        record("11 fabric SNAT", label(plain) + " (no SNAT)", "fabric-only host " + FABRIC_ONLY_IP + ":"
            + FABRIC_ONLY_PORT, false, none.equals("fabric-only-host"));
        fabricSnatPing(blue, node);
    }

    /**
     * Step 11, ICMP: the blue pod pings the fabric-only host through fabric SNAT (the host sees the node's address
     * and an echo identifier of the node's range; the replies, steered to vhost0 by the node's kernel, reach the
     * pod), and the node itself still pings the fabric-only host and the controller while the steering is in
     * place (its replies are written back to its kernel by the forwarder).
     */
    private void fabricSnatPing(final Pod blue, final int node) throws IOException
    {
        final Capture echo = capture(FABRIC_ONLY, "icmp[icmptype] == icmp-echo");
        final boolean answered = fabricOnlyPinged(blue);
        say("$ ip netns exec " + blue.netns() + " ping -c 2 " + FABRIC_ONLY_IP + "   -> "
            + (answered ? "answered" : "no answer"));
        record("11 fabric SNAT ping", label(blue), "fabric-only host " + FABRIC_ONLY_IP, true, answered);
        final String line = echo.firstLine();
        say("capture on " + FABRIC_ONLY + ": " + line);
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile(" IP ([0-9.]+) > "
            + java.util.regex.Pattern.quote(FABRIC_ONLY_IP) + ": ICMP echo request, id ([0-9]+)").matcher(line);
        record("11 fabric SNAT ping capture", "the fabric-only host sees the echo from", NODE_IP[node] + " id "
            + Cluster.SNAT_POOL_LOW + "-" + Cluster.SNAT_POOL_HIGH + " (" + blue.node() + ")", true,
            m.find() && m.group(1).equals(NODE_IP[node]) && Integer.parseInt(m.group(2)) >= Cluster.SNAT_POOL_LOW
                && Integer.parseInt(m.group(2)) <= Cluster.SNAT_POOL_HIGH);
        final String rules = Shell.run(List.of("ip", "-n", NODE_NS[node], "rule", "show"), 10).output();
        say("$ ip -n " + NODE_NS[node] + " rule show\n" + rules.stripTrailing());
        final boolean steered = rules.contains("iif eth0") && rules.contains("ipproto icmp");
        record("11 fabric SNAT node ping", blue.node() + " (ICMP steered: " + steered + ")", "fabric-only host "
            + FABRIC_ONLY_IP, true, steered && pingFrom(NODE_NS[node], FABRIC_ONLY_IP));
        record("11 fabric SNAT node ping", blue.node() + " (ICMP steered: " + steered + ")", "controller " + CTL_IP,
            true, steered && pingFrom(NODE_NS[node], CTL_IP));
    }

    /**
     * Whether a pod's node pings an underlay address from its own namespace (retried for up to 20 s).
     *
     * @param p  the pod, whose node's namespace pings.
     * @param ip the address.
     * @return answered.
     */
    public boolean nodePings(final Pod p, final String ip)
    {
        final String ns = NODE_NS[nodeIndex(p)];
        return !retry(() -> pingFrom(ns, ip) ? "yes" : "", "yes").isEmpty();
    }

    /**
     * Whether a pod pings the fabric-only host through fabric SNAT, retried for up to 20 s.
     *
     * @param p the pod (of a network with fabric SNAT).
     * @return answered.
     */
    public boolean fabricOnlyPinged(final Pod p)
    {
        return !retry(() -> pingFrom(p.netns(), FABRIC_ONLY_IP) ? "yes" : "", "yes").isEmpty();
    }

    /**
     * Whether the fabric host (which has the underlay's route to the pod, set by step 11) pings a
     * fabric-forwarded pod, retried for up to 20 s.
     *
     * @param p the pod.
     * @return answered.
     */
    public boolean fabricHostReaches(final Pod p)
    {
        return !retry(() -> pingFrom(FABRIC_HOST, p.ip()) ? "yes" : "", "yes").isEmpty();
    }

    /**
     * What the fabric-only host's listener (started by step 11) answers a pod's TCP connection through fabric
     * SNAT, retried for up to 20 s.
     *
     * @param p the pod.
     * @return the answer ({@code fabric-only-host}), or what was seen instead.
     */
    public String fabricOnlyAnswer(final Pod p)
    {
        return retry(() -> Shell.run(List.of("ip", "netns", "exec", p.netns(), "busybox", "sh", "-c",
            "busybox nc -w 2 " + FABRIC_ONLY_IP + " " + FABRIC_ONLY_PORT + " </dev/null"), 10).output().trim(),
            "fabric-only-host");
    }

    private static boolean pingFrom(final String netns, final String ip)
    {
        return Shell.run(List.of("ip", "netns", "exec", netns, "ping", "-c", "2", "-i", "0.2", "-W", "1", ip), 10)
            .ok();
    }

    private static String retry(final java.util.function.Supplier<String> attempt, final String want)
    {
        String got = attempt.get();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!got.equals(want) && System.nanoTime() < deadline)
        {
            sleep(500);
            got = attempt.get();
        }
        return got;
    }

    /** A tcpdump in a namespace, started before the traffic it is to see; its first matching line. */
    private static final class Capture
    {
        private final Process process;

        Capture(final Process process)
        {
            this.process = process;
        }

        String firstLine()
        {
            try
            {
                if (!process.waitFor(10, TimeUnit.SECONDS))
                {
                    process.destroy();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
                final String text = new String(process.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
                return text.lines().filter(l -> l.contains(" IP ")).findFirst().orElse("(nothing captured)");
            }
            catch (final IOException e)
            {
                return "(capture failed: " + e.getMessage() + ")";
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return "(interrupted)";
            }
        }
    }

    private Capture capture(final String netns, final String filter) throws IOException
    {
        say("$ ip netns exec " + netns + " tcpdump -n -l -c 1 -i eth0 '" + filter + "'");
        final Process p = new ProcessBuilder("ip", "netns", "exec", netns, "tcpdump", "-n", "-l", "-c", "1", "-i",
            "eth0", filter).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        sleep(1000);
        return new Capture(p);
    }

    // ------------------------------------------------------------------------------------------ checks

    private void expectAddress(final Map<String, Pod> pods, final String key, final String ip)
    {
        final Pod p = pods.get(key);
        record("1 addresses", key + " has", ip, true, p != null && p.ip().equals(ip));
    }

    /**
     * Pings from one pod's namespace to another pod. An expected answer is retried for a while
     * (routes propagate); an expected silence is checked after the expected answers of the step.
     */
    private void ping(final String step, final Pod from, final Pod to, final boolean expected)
    {
        boolean seen = pingOnce(from, to);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (expected && !seen && System.nanoTime() < deadline)
        {
            sleep(500);
            seen = pingOnce(from, to);
        }
        record(step, label(from), label(to), expected, seen);
    }

    private static boolean pingOnce(final Pod from, final Pod to)
    {
        return Shell.run(List.of("ip", "netns", "exec", from.netns(), "ping", "-c", "2", "-i", "0.2", "-W", "1",
            to.ip()), 10).ok();
    }

    private void record(final String step, final String from, final String to, final boolean expected,
        final boolean seen)
    {
        final Check c = new Check(step, from, to, expected, seen);
        checks.add(c);
        out.printf("    %-46s -> %-46s expected %-11s seen %-11s %s%n", from, to, c.word(expected), c.word(seen),
            expected == seen ? "ok" : "FAIL");
        if (expected != seen)
        {
            failures.add(step + ": " + from + " -> " + to);
        }
    }

    private int matrix()
    {
        step("reachability matrix (expected vs seen)");
        out.printf("%-18s %-46s %-46s %-11s %-11s %s%n", "STEP", "FROM", "TO", "EXPECTED", "SEEN", "RESULT");
        for (final Check c : checks)
        {
            out.printf("%-18s %-46s %-46s %-11s %-11s %s%n", c.step(), c.from(), c.to(), c.word(c.expected()),
                c.word(c.seen()), c.expected() == c.seen() ? "ok" : "FAIL");
        }
        out.println(failures.isEmpty() ? "lab: all " + checks.size() + " expectations met" :
            "lab: " + failures.size() + " of " + checks.size() + " expectations FAILED: " + failures);
        return failures.size();
    }

    /**
     * The checks made so far.
     *
     * @return the checks.
     */
    public List<Check> checks()
    {
        return List.copyOf(checks);
    }

    private static String label(final Pod p)
    {
        return p.namespace() + "/" + p.name().replaceAll("-[a-z0-9]{9}-[a-z0-9]{5}$", "") + " (" + p.ip() + ")";
    }

    // ------------------------------------------------------------------------------------------ helpers

    /**
     * The pods as the controller lists them.
     *
     * @return pods.
     */
    public List<Pod> pods()
    {
        final List<Pod> pods = new ArrayList<>();
        final List<String> lines = controller("get", "pods", "-o", "wide").output().lines().toList();
        for (final String line : lines.subList(Math.min(1, lines.size()), lines.size()))
        {
            final String[] f = line.trim().split("\\s+");
            if (f.length == 6)
            {
                pods.add(new Pod(f[0], f[1], f[4], f[5], f[3].equals("Running")));
            }
        }
        return pods;
    }

    private int nodeIndex(final Pod p)
    {
        return p.node().equals(NODES[0]) ? 0 : 1;
    }

    private String vrfIndex(final int node, final String name)
    {
        final String index = vrfs(node).get(name);
        if (index == null)
        {
            failures.add("no VRF named " + name + " on " + NODES[node]);
            return "-1";
        }
        return index;
    }

    /** A node's VRFs, name → index, from {@code ist vr vrf} in JSON (the table wraps long names). */
    private Map<String, String> vrfs(final int node)
    {
        final Map<String, String> out = new LinkedHashMap<>();
        final Shell.Result r = ctl(NODE_NS[node], "--json", "ist", "vr", "vrf");
        if (!r.ok())
        {
            failures.add("ist vr vrf on " + NODES[node] + ": " + r.output().trim());
            return out;
        }
        try
        {
            for (final JsonNode v : new ObjectMapper().readTree(r.output()).path("vrfs"))
            {
                out.put(v.path("name").asText(), v.path("ucindex").asText());
            }
        }
        catch (final IOException e)
        {
            failures.add("ist vr vrf on " + NODES[node] + " is not JSON: " + e.getMessage());
        }
        return out;
    }

    /** The peer of a route in {@code ist vr route} output: the bracketed word on the line after the prefix. */
    private static String peerOf(final String routes, final String prefix)
    {
        final List<String> lines = routes.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++)
        {
            if (lines.get(i).trim().equals(prefix))
            {
                final String path = lines.get(i + 1).trim();
                return path.startsWith("[") && path.indexOf(']') > 0 ? path.substring(1, path.indexOf(']')) : "";
            }
        }
        return "";
    }

    private String show(final String title, final String netns, final String... args)
    {
        say("$ " + title);
        final String text = ctl(netns, args).output();
        out.print(text.indent(4));
        return text;
    }

    private void apply(final String manifest, final String namespace)
    {
        manifest("apply", manifest, namespace);
    }

    private void delete(final String manifest, final String namespace)
    {
        manifest("delete", manifest, namespace);
    }

    private void manifest(final String verb, final String manifest, final String namespace)
    {
        final Shell.Result r = controller(verb, "-f", home.resolve("examples/seed").resolve(manifest).toString(),
            "-n", namespace);
        say("$ vrouter-controller " + verb + " -f examples/seed/" + manifest + " -n " + namespace);
        out.print(r.output().indent(4));
        if (!r.ok())
        {
            failures.add(verb + " " + manifest + ": " + r.output().trim());
        }
    }

    private Shell.Result controller(final String... args)
    {
        if (ha && !named.containsKey(controllerName(1)) && named.containsKey(controllerName(2)))
        {
            // The first controller is down: the other replica serves the same cluster.
            return controller(2, args);
        }
        return Shell.in(CTL, java("io.vrouter.tools.controller.ControllerMain", args));
    }

    /**
     * Runs {@code vrouter-controller ARGS --api} against one controller (1 or 2), in the controller's namespace.
     *
     * @param which the controller.
     * @param args  the command line.
     * @return what it printed and its exit status.
     */
    Shell.Result controller(final int which, final String... args)
    {
        final List<String> withApi = new ArrayList<>(List.of(args));
        withApi.addAll(List.of("--api", controllerApi(which)));
        return Shell.in(CTL, java("io.vrouter.tools.controller.ControllerMain", withApi.toArray(new String[0])));
    }

    private Shell.Result ctl(final String netns, final String... args)
    {
        return Shell.in(netns, java("io.vrouter.tools.cli.VrouterCtl", args));
    }

    /**
     * How the lab starts its daemons: class path, JVM flags and the AOT cache (or why there is none).
     *
     * @return the daemons' launch, null before {@link #up()}.
     */
    public AotCache.Launch daemonLaunch()
    {
        return daemonLaunch;
    }

    private List<String> labJvmFlags()
    {
        final List<String> flags = new ArrayList<>(jvmFlags());
        flags.add("-XX:TieredStopAtLevel=1");
        return flags;
    }

    private String[] java(final String main, final String... args)
    {
        final boolean daemon = AotCache.DAEMON_MAIN.equals(main) && daemonLaunch != null;
        final List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(daemon ? daemonLaunch.jvmFlags() : labJvmFlags());
        c.add("-cp");
        c.add(daemon ? daemonLaunch.classPath() : System.getProperty("java.class.path"));
        c.add(main);
        c.addAll(List.of(args));
        return c.toArray(new String[0]);
    }

    private List<String> jvmFlags()
    {
        try
        {
            return JvmOptions.read(home.resolve(JvmOptions.FILE));
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot read " + home.resolve(JvmOptions.FILE), e);
        }
    }

    private void start(final String name, final String netns, final String main, final String... args)
        throws IOException
    {
        // nsenter --net, not ip netns exec: the daemon must stay in the host's mount namespace so
        // that the pod namespaces it creates (ip netns add) are visible to everyone, as on a real node.
        final List<String> c = new ArrayList<>(List.of("nsenter", "--net=/var/run/netns/" + netns));
        c.addAll(List.of(java(main, args)));
        final Path log = work.resolve(name + ".log");
        final Process p = new ProcessBuilder(c).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(p);
        named.put(name, p);
    }

    private void waitFor(final String what, final int seconds, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            for (final Map.Entry<String, Process> p : named.entrySet())
            {
                if (!p.getValue().isAlive())
                {
                    throw new IllegalStateException(p.getKey() + " exited (" + p.getValue().exitValue() +
                        ") while waiting for " + what + "; logs in " + work);
                }
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what +
                    "; logs in " + work);
            }
            sleep(500);
        }
    }

    private void step(final String title)
    {
        out.println();
        out.println("== " + title);
    }

    private void say(final String text)
    {
        out.println("  " + text);
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * How to reach everything while the lab is kept running.
     */
    public void printAccess()
    {
        step("the lab keeps running (--keep); to look around:");
        for (final Pod p : pods())
        {
            out.println("  pod " + p.namespace() + "/" + p.name() + " (" + p.ip() + " on " + p.node() +
                "): ip netns exec " + p.netns() + " bash");
        }
        for (int i = 0; i < NODES.length; i++)
        {
            out.println("  node " + NODES[i] + ": ip netns exec " + NODE_NS[i] + " bin/vrouterctl --socket " +
                work.resolve(NODES[i] + ".sock") + " vif --list   (also rt, nh, mpls, flow, ist vr vrf, trace, "
                + "vifdump; dropstats --counters " + counters(i) + "; metrics: ip netns exec " + NODE_NS[i]
                + " curl 127.0.0.1:8085/metrics)");
        }
        out.println("  controller: ip netns exec " + CTL + " bin/vrouter-controller get pods -o wide");
        out.println("  logs: " + work + "; stop with: kill " + ProcessHandle.current().pid() +
            " (or Ctrl-C), which tears the lab down");
    }

    /**
     * Keeps the work directory (logs, state) at {@link #close()}, e.g. after a failure.
     */
    public void keepLogs()
    {
        keepLogs = true;
    }

    /**
     * Stops every process and removes every namespace the lab made, and its work directory unless
     * {@link #keepLogs()} was called.
     */
    @Override
    public void close()
    {
        for (final Process p : processes)
        {
            p.destroy();
        }
        for (final Process p : processes)
        {
            try
            {
                if (!p.waitFor(15, TimeUnit.SECONDS))
                {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (etcd != null)
        {
            etcd.close();
        }
        removeLeftovers();
        if (keepLogs)
        {
            out.println("lab: logs kept in " + work);
        }
        else if (Files.exists(work))
        {
            try (Stream<Path> files = Files.walk(work))
            {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            catch (final IOException e)
            {
                out.println("lab: cannot remove " + work + ": " + e.getMessage());
            }
        }
    }
}
