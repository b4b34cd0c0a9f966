package io.vrouter.tools.testing;

import org.junit.jupiter.api.Assumptions;

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
 * Test support: N etcd members ({@code etcd} from Debian's {@code etcd-server}) on loopback, each on free
 * client and peer ports with its own temporary data directory, forming one new cluster. For the replicated
 * controller's tests and any end-to-end test that needs etcd:
 * <pre>
 * EtcdCluster.assumeAvailable("MyTest");            // skips loudly without etcd; fails under CI
 * try (EtcdCluster etcd = EtcdCluster.start(3))
 * {
 *     ... controllers given etcd.clientUrls() ...
 *     etcd.kill(0);      // SIGKILL a member (it stays down until restart(0))
 *     etcd.restart(0);   // the same member again, from its data directory
 *     etcd.freeze(2);    // SIGSTOP: its ports still accept connections but nothing is answered
 *     etcd.thaw(2);      // SIGCONT
 * }                      // every member killed and its directory removed, also when the test failed
 * </pre>
 * A JVM shutdown hook kills members a test left running when the JVM exits without closing. The members
 * allow transactions of up to {@value #MAX_TXN_OPS} operations ({@code --max-txn-ops}; etcd's default is
 * 128, less than one manifest of 50 pods needs) and requests up to 10 MiB. Each member's output goes to
 * {@code etcd.log} in its directory, printed by {@link #logTail} for a failing test.
 */
public final class EtcdCluster implements AutoCloseable
{
    /** The {@code --max-txn-ops} the members run with. */
    public static final int MAX_TXN_OPS = 16384;

    private static final Duration READY = Duration.ofSeconds(30);

    private final Path root;
    private final List<Member> members = new ArrayList<>();
    private final Thread hook;

    private static final class Member
    {
        final String name;
        final int clientPort;
        final int peerPort;
        final Path dir;
        Process process;

        Member(final String name, final int clientPort, final int peerPort, final Path dir)
        {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dir = dir;
        }

        String clientUrl()
        {
            return "http://127.0.0.1:" + clientPort;
        }

        String peerUrl()
        {
            return "http://127.0.0.1:" + peerPort;
        }
    }

    private EtcdCluster(final Path root)
    {
        this.root = root;
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
     * Skips the calling test, saying why on stderr, when there is no etcd binary; under CI (the {@code CI}
     * variable set and not false) fails it instead, since CI installs {@code etcd-server}.
     *
     * @param test the test's name, for the message.
     */
    public static void assumeAvailable(final String test)
    {
        if (binary() != null)
        {
            return;
        }
        final String why = test + " needs etcd (Debian package etcd-server: apt-get install etcd-server); none on " +
            "the PATH";
        final String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false"))
        {
            throw new AssertionError(why + ": not available in CI");
        }
        System.err.println("SKIPPED LOUDLY: " + why);
        Assumptions.abort(why);
    }

    /**
     * Starts a new cluster of members and waits until every member reports itself healthy.
     *
     * @param count how many members (1, 3 or 5 make sense).
     * @return the cluster.
     * @throws IOException when etcd is absent or a member does not come up (its log tail in the message).
     */
    public static EtcdCluster start(final int count) throws IOException
    {
        final String binary = binary();
        if (binary == null)
        {
            throw new IOException("no etcd binary (apt-get install etcd-server)");
        }
        final EtcdCluster cluster = new EtcdCluster(Files.createTempDirectory("vrouter-etcd"));
        Runtime.getRuntime().addShutdownHook(cluster.hook);
        try
        {
            final List<Integer> ports = freePorts(2 * count);
            for (int i = 0; i < count; i++)
            {
                final Path dir = Files.createDirectories(cluster.root.resolve("m" + i));
                cluster.members.add(new Member("m" + i, ports.get(2 * i), ports.get(2 * i + 1), dir));
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
        return new ProcessBuilder(cmd).redirectErrorStream(true)
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
                try
                {
                    final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(m.clientUrl() +
                        "/health")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().replace(" ", "").contains("\"health\":\"true\""))
                    {
                        return;
                    }
                }
                catch (final IOException e)
                {
                    // not listening yet
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

    /**
     * The client URLs of every member, in member order.
     *
     * @return {@code http://127.0.0.1:PORT} each.
     */
    public List<String> clientUrls()
    {
        return members.stream().map(Member::clientUrl).toList();
    }

    /**
     * One member's client URL.
     *
     * @param i the member.
     * @return {@code http://127.0.0.1:PORT}.
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
            System.err.println("EtcdCluster: could not remove " + root + ": " + e.getMessage());
        }
    }
}
