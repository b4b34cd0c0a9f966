package io.vrouter.tools.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * N etcd members ({@code etcd} from Debian's {@code etcd-server}) forming one new cluster, each with its own
 * temporary data directory: on the host's loopback on free ports (the tests' {@code EtcdCluster}), or inside a
 * network namespace on one address and fixed ports (the lab's {@code --ha}: the members run in the controller's
 * namespace on the underlay). Members can be killed, restarted, frozen (SIGSTOP) and thawed; {@link #close()}
 * kills them all and removes their directories, and a JVM shutdown hook does the same when the JVM exits
 * without closing. The members allow transactions of up to {@value #MAX_TXN_OPS} operations ({@code
 * --max-txn-ops}; etcd's default is 128, less than one manifest of 50 pods needs) and requests up to 10 MiB.
 * Each member's output goes to {@code etcd.log} in its directory, printed by {@link #logTail}.
 */
public final class EtcdMembers implements AutoCloseable
{
    /** The {@code --max-txn-ops} the members run with. */
    public static final int MAX_TXN_OPS = 16384;

    private static final Duration READY = Duration.ofSeconds(30);

    private final Path root;
    private final String netns;
    private final List<Member> members = new ArrayList<>();
    private final Thread hook;

    private static final class Member
    {
        final String name;
        final String host;
        final int clientPort;
        final int peerPort;
        final Path dir;
        Process process;

        Member(final String name, final String host, final int clientPort, final int peerPort, final Path dir)
        {
            this.name = name;
            this.host = host;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dir = dir;
        }

        String clientUrl()
        {
            return "http://" + host + ":" + clientPort;
        }

        String peerUrl()
        {
            return "http://" + host + ":" + peerPort;
        }
    }

    private EtcdMembers(final Path root, final String netns)
    {
        this.root = root;
        this.netns = netns;
        this.hook = new Thread(this::killAll, "etcd-cluster-cleanup");
    }

    /**
     * The etcd binary: {@code etcd} on the PATH, or {@code /usr/bin/etcd}.
     *
     * @return its path, or null when there is none.
     */
    public static String binary()
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
        {
            final Path p = Path.of(dir.isEmpty() ? "." : dir, "etcd");
            if (Files.isExecutable(p))
            {
                return p.toString();
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/etcd")) ? "/usr/bin/etcd" : null;
    }

    /**
     * Starts a new cluster of members on the host's loopback, on free ports, and waits until every member reports
     * itself healthy.
     *
     * @param count how many members (1, 3 or 5 make sense).
     * @return the cluster.
     * @throws IOException when etcd is absent or a member does not come up (its log tail in the message).
     */
    public static EtcdMembers start(final int count) throws IOException
    {
        final List<Integer> ports = freePorts(2 * count);
        return start(count, null, "127.0.0.1", ports);
    }

    /**
     * Starts a new cluster of members inside a network namespace, all on one address of it (member {@code i} on
     * client port {@code firstPort + 100 * i} and peer port one above), and waits until every member is healthy.
     * The namespace is new, so the ports are free; its health is asked from inside it ({@code busybox nc}).
     *
     * @param count     how many members.
     * @param netns     the namespace ({@code ip netns} name).
     * @param host      the address the members listen on.
     * @param firstPort member 0's client port.
     * @return the cluster.
     * @throws IOException when etcd is absent or a member does not come up (its log tail in the message).
     */
    public static EtcdMembers startIn(final int count, final String netns, final String host, final int firstPort)
        throws IOException
    {
        final List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            ports.add(firstPort + 100 * i);
            ports.add(firstPort + 100 * i + 1);
        }
        return start(count, netns, host, ports);
    }

    private static EtcdMembers start(final int count, final String netns, final String host,
        final List<Integer> ports) throws IOException
    {
        final String binary = binary();
        if (binary == null)
        {
            throw new IOException("no etcd binary (apt-get install etcd-server)");
        }
        final EtcdMembers cluster = new EtcdMembers(Files.createTempDirectory("vrouter-etcd"), netns);
        Runtime.getRuntime().addShutdownHook(cluster.hook);
        try
        {
            for (int i = 0; i < count; i++)
            {
                final Path dir = Files.createDirectories(cluster.root.resolve("m" + i));
                cluster.members.add(new Member("m" + i, host, ports.get(2 * i), ports.get(2 * i + 1), dir));
            }
            final String token = "vrouter-test-" + UUID.randomUUID();
            final String initial = String.join(",", cluster.members.stream().map(m -> m.name + "=" + m.peerUrl())
                .toList());
            for (final Member m : cluster.members)
            {
                m.process = cluster.launch(binary, m, initial, token);
            }
            for (int i = 0; i < count; i++)
            {
                cluster.awaitHealthy(i);
            }
            return cluster;
        }
        catch (final IOException | RuntimeException e)
        {
            cluster.close();
            throw e;
        }
    }

    private Process launch(final String binary, final Member m, final String initial, final String token)
        throws IOException
    {
        final List<String> cmd = List.of(binary, "--name", m.name, "--data-dir", m.dir.resolve("data").toString(),
            "--listen-client-urls", m.clientUrl(), "--advertise-client-urls", m.clientUrl(),
            "--listen-peer-urls", m.peerUrl(), "--initial-advertise-peer-urls", m.peerUrl(),
            "--initial-cluster", initial, "--initial-cluster-token", token, "--initial-cluster-state", "new",
            "--max-txn-ops", Integer.toString(MAX_TXN_OPS), "--max-request-bytes", Integer.toString(10 << 20),
            "--heartbeat-interval", "100", "--election-timeout", "1000");
        final List<String> command = new ArrayList<>();
        if (netns != null)
        {
            command.addAll(List.of("nsenter", "--net=/var/run/netns/" + netns));
        }
        command.addAll(cmd);
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(m.dir.resolve("etcd.log").toFile())).start();
    }

    private static List<Integer> freePorts(final int n) throws IOException
    {
        final List<ServerSocket> sockets = new ArrayList<>();
        try
        {
            final List<Integer> out = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                final ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                out.add(s.getLocalPort());
            }
            return out;
        }
        finally
        {
            for (final ServerSocket s : sockets)
            {
                s.close();
            }
        }
    }

    /**
     * Waits until a member answers {@code /health} with {@code "health":"true"} (it has a leader).
     *
     * @param i the member.
     * @throws IOException when it does not within 30 s, or its process ended.
     */
    public void awaitHealthy(final int i) throws IOException
    {
        final Member m = members.get(i);
        final long until = System.nanoTime() + READY.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build())
        {
            while (System.nanoTime() - until < 0)
            {
                if (!m.process.isAlive())
                {
                    throw new IOException("etcd member " + m.name + " exited with " + m.process.exitValue() + ":\n" +
                        logTail(i));
                }
                if (healthy(http, m))
                {
                    return;
                }
                Thread.sleep(100);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        throw new IOException("etcd member " + m.name + " not healthy within " + READY.toSeconds() + " s:\n" +
            logTail(i));
    }

    /** Whether a member answers {@code /health} with {@code "health":"true"}: asked from its namespace. */
    private boolean healthy(final HttpClient http, final Member m) throws InterruptedException
    {
        if (netns != null)
        {
            // A plain HTTP/1.0 request through busybox nc (busybox wget is not reliable everywhere).
            final Shell.Result r = Shell.run(List.of("ip", "netns", "exec", netns, "busybox", "sh", "-c",
                "printf 'GET /health HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 2 " + m.host + " " + m.clientPort), 10);
            return r.ok() && r.output().replace(" ", "").contains("\"health\":\"true\"");
        }
        try
        {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(m.clientUrl() + "/health"))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().replace(" ", "").contains("\"health\":\"true\"");
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /**
     * How many members.
     *
     * @return the count.
     */
    public int size()
    {
        return members.size();
    }

    /**
     * The client URLs of every member, in member order.
     *
     * @return {@code http://HOST:PORT} each.
     */
    public List<String> clientUrls()
    {
        return members.stream().map(Member::clientUrl).toList();
    }

    /**
     * One member's client URL.
     *
     * @param i the member.
     * @return {@code http://HOST:PORT}.
     */
    public String clientUrl(final int i)
    {
        return members.get(i).clientUrl();
    }

    /**
     * Kills a member with SIGKILL and waits for it to end.
     *
     * @param i the member.
     * @throws InterruptedException when interrupted.
     */
    public void kill(final int i) throws InterruptedException
    {
        final Process p = members.get(i).process;
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Starts a killed member again from its data directory and waits until it is healthy.
     *
     * @param i the member.
     * @throws IOException when it does not come up.
     */
    public void restart(final int i) throws IOException
    {
        final Member m = members.get(i);
        if (m.process.isAlive())
        {
            throw new IllegalStateException("member " + m.name + " is running");
        }
        final String initial = String.join(",", members.stream().map(x -> x.name + "=" + x.peerUrl()).toList());
        m.process = launch(binary(), m, initial, "ignored-on-restart");
        awaitHealthy(i);
    }

    /**
     * Stops a member with SIGSTOP: connections to it are accepted by the kernel but never answered, as
     * behind a partition that drops packets.
     *
     * @param i the member.
     * @throws IOException when {@code kill} fails.
     */
    public void freeze(final int i) throws IOException
    {
        signal(i, "STOP");
    }

    /**
     * Lets a frozen member run again (SIGCONT).
     *
     * @param i the member.
     * @throws IOException when {@code kill} fails.
     */
    public void thaw(final int i) throws IOException
    {
        signal(i, "CONT");
    }

    private void signal(final int i, final String signal) throws IOException
    {
        try
        {
            final Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(members.get(i).process.pid()))
                .inheritIO().start();
            if (k.waitFor() != 0)
            {
                throw new IOException("kill -" + signal + " failed");
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * The last lines of a member's log.
     *
     * @param i the member.
     * @return up to 40 lines.
     */
    public String logTail(final int i)
    {
        try
        {
            final List<String> lines = Files.readAllLines(members.get(i).dir.resolve("etcd.log"),
                StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (final IOException e)
        {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void killAll()
    {
        for (final Member m : members)
        {
            if (m.process != null)
            {
                // A frozen process ignores nothing but SIGKILL, which is what destroyForcibly sends.
                m.process.destroyForcibly();
                try
                {
                    m.process.waitFor(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public void close()
    {
        killAll();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException e)
        {
            // the JVM is already shutting down: the hook runs anyway
        }
        try (Stream<Path> s = Files.walk(root))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
        catch (final IOException e)
        {
            System.err.println("EtcdMembers: could not remove " + root + ": " + e.getMessage());
        }
    }
}
