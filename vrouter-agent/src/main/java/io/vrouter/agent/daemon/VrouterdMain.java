package io.vrouter.agent.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import io.vrouter.agent.api.ProjectVersion;
import io.vrouter.agent.port.Posix;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vrouterd}: the node daemon. Reads the YAML config, applies the flags on top, checks the
 * environment, starts the node (fabric port, workers) and the control socket, and runs until SIGTERM
 * or SIGINT, then shuts down in order. Exit codes are those of {@link StartupException}.
 */
@Command(name = "vrouterd", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
    sortOptions = false,
    description = "The vrouter node daemon: pod ports, MPLSoUDP fabric, control socket (docs/vrouterd.md).")
public final class VrouterdMain implements Callable<Integer>
{
    private static final Logger LOG = LoggerFactory.getLogger(VrouterdMain.class);

    @Option(names = {"-c", "--config"}, description = "YAML config file.")
    Path configFile;

    @Option(names = "--node-name", description = "Node name (node.name).")
    String nodeName;

    @Option(names = "--fabric-interface", description = "Fabric interface name (fabric.interface).")
    String fabricInterface;

    @Option(names = "--fabric-address", description = "The node's fabric IPv4 address (fabric.address).")
    String fabricAddress;

    @Option(names = "--fabric-port", description = "MPLSoUDP port (fabric.port, 6635).")
    Integer fabricPort;

    @Option(names = "--fabric-vif", description = "vif index of the fabric interface (fabric.vif, 0).")
    Integer fabricVif;

    @Option(names = "--workers", description = "Forwarding workers (workers.count).")
    Integer workers;

    @Option(names = "--idle", description = "Worker idle strategy: adaptive, busy-spin, backoff, sleeping "
        + "(workers.idle).")
    String idle;

    @Option(names = "--socket", description = "Control socket path (paths.socket).")
    String socket;

    @Option(names = "--state-dir", description = "State directory (paths.state).")
    String stateDir;

    @Option(names = "--counters", description = "Shared-memory counters file (paths.counters).")
    String counters;

    @Option(names = "--introspect-port",
        description = "Introspect HTTP port on localhost, 0 to disable (introspect.port).")
    Integer introspectPort;

    @Option(names = "--controller",
        description = "Controller XMPP address(es), host:port[,host:port...] (controller.servers); with two or " +
            "more, sessions with two at once; none = no controller.")
    String controller;

    @Option(names = "--insecure", description = "Talk to the controller over plain TCP when no controller.tls-ca " +
        "is set (controller.insecure); anyone on the path can then read and forge the node's configuration.")
    boolean insecure;

    @Option(names = "--log-level", description = "trace, debug, info, warn, error (log.level).")
    String logLevel;

    @Option(names = "--set", description = "Any config key, e.g. --set tables.vrfs=64 (repeatable).")
    java.util.List<String> sets = new java.util.ArrayList<>();

    private VrouterdMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        StartupClock.mainEntered();
        // What every start needs and the configuration does not decide runs beside the parsing and the
        // checks, on the second core: the foreign-function handles of Posix (a stub generated for each) and
        // netty's epoll library. A restart forwards again that much sooner (docs/reliability.md).
        Thread.ofPlatform().daemon().name("vrouterd-warm-up").start(VrouterdMain::warmUp);
        final VrouterdMain plain = new VrouterdMain();
        if (PlainOptions.read(plain, args))
        {
            System.exit(plain.call());
        }
        // A usage error is one line, as every other refusal of the daemon.
        final CommandLine cl = new CommandLine(new VrouterdMain())
            .setParameterExceptionHandler((ex, args1) ->
            {
                System.err.println("vrouterd: " + ex.getMessage() + " (see: vrouterd --help)");
                return 2;
            });
        System.exit(cl.execute(args));
    }

    private static void warmUp()
    {
        try
        {
            Class.forName(Posix.class.getName(), true, VrouterdMain.class.getClassLoader());
            io.netty.channel.epoll.Epoll.isAvailable();
        }
        catch (final ClassNotFoundException | LinkageError e)
        {
            // The start itself meets the same failure where it can report it.
        }
    }

    @Override
    public Integer call()
    {
        try
        {
            StartupClock.mark("arguments");
            final DaemonConfig cfg = configure();
            StartupClock.mark("configuration");
            return run(cfg);
        }
        catch (final StartupException e)
        {
            System.err.println("vrouterd: " + e.getMessage());
            return e.exitCode();
        }
        catch (final RuntimeException e)
        {
            System.err.println("vrouterd: internal error: " + e);
            e.printStackTrace();
            return StartupException.EXIT_INTERNAL;
        }
    }

    /** One check of the configuration; its refusal is collected with the others'. */
    @FunctionalInterface
    private interface Check
    {
        void run() throws StartupException;
    }

    private static void check(final java.util.List<String> problems, final Check c)
    {
        try
        {
            c.run();
        }
        catch (final StartupException e)
        {
            problems.add(e.getMessage());
        }
    }

    /**
     * The configuration from the file, the flags and {@code --set}, every value checked before anything starts:
     * all the problems are reported at once, in one line.
     */
    private DaemonConfig configure() throws StartupException
    {
        final DaemonConfig cfg = configFile == null ? new DaemonConfig() : DaemonConfig.load(configFile);
        final java.util.List<String> problems = new java.util.ArrayList<>();
        check(problems, () -> set(cfg, "node.name", nodeName));
        check(problems, () -> set(cfg, "fabric.interface", fabricInterface));
        check(problems, () -> set(cfg, "fabric.address", fabricAddress));
        check(problems, () -> set(cfg, "fabric.port", fabricPort));
        check(problems, () -> set(cfg, "fabric.vif", fabricVif));
        check(problems, () -> set(cfg, "workers.count", workers));
        check(problems, () -> set(cfg, "workers.idle", idle));
        check(problems, () -> set(cfg, "paths.socket", socket));
        check(problems, () -> set(cfg, "paths.state", stateDir));
        check(problems, () -> set(cfg, "paths.counters", counters));
        check(problems, () -> set(cfg, "introspect.port", introspectPort));
        check(problems, () -> set(cfg, "log.level", logLevel));
        check(problems, () -> set(cfg, "controller.servers", controller));
        if (insecure)
        {
            check(problems, () -> set(cfg, "controller.insecure", Boolean.TRUE));
        }
        for (final String s : sets)
        {
            final int eq = s.indexOf('=');
            if (eq <= 0)
            {
                problems.add("--set " + s + ": expected KEY=VALUE");
                continue;
            }
            check(problems, () -> cfg.set(s.substring(0, eq).trim(), s.substring(eq + 1).trim(), "--set"));
        }
        final String level = cfg.string("log.level").toLowerCase(java.util.Locale.ROOT);
        if (!java.util.List.of("trace", "debug", "info", "warn", "error").contains(level))
        {
            problems.add("log.level must be trace, debug, info, warn or error, got '" + level + "'");
        }
        final String address = cfg.string("fabric.address");
        if (!address.isEmpty() && !Node.isIpv4(address))
        {
            problems.add("fabric.address must be an IPv4 address, got '" + address + "'");
        }
        check(problems, cfg::vrouterConfig);
        problems.addAll(Daemon.controllerProblems(cfg));
        if (!problems.isEmpty())
        {
            throw new StartupException(StartupException.EXIT_CONFIG, String.join("; ", problems));
        }
        final org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger lb)
        {
            lb.setLevel(Level.toLevel(level));
        }
        return cfg;
    }

    private static void set(final DaemonConfig cfg, final String key, final Object value) throws StartupException
    {
        if (value != null)
        {
            cfg.set(key, value, "flag for " + key);
        }
    }

    private static int run(final DaemonConfig cfg) throws StartupException
    {
        if (Posix.geteuid() != 0)
        {
            throw new StartupException(StartupException.EXIT_NOT_ROOT,
                "must run as root (it creates network devices and a root-only control socket)");
        }
        final Path socketPath = Path.of(cfg.string("paths.socket"));
        prepareSocketPath(socketPath);
        final Path state = Path.of(cfg.string("paths.state"));
        try
        {
            Files.createDirectories(state);
        }
        catch (final IOException e)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "cannot create state dir " + state + ": " + e);
        }
        final Node node = new Node(cfg);
        StartupClock.mark("tables");
        final Daemon daemon = new Daemon(node, cfg, socketPath);
        daemon.start();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            LOG.info("signal received, shutting down");
            daemon.close();
            stopped.countDown();
        }, "shutdown"));
        LOG.info("vrouterd {} ready: control socket {}", cfg.string("node.name"), socketPath);
        try
        {
            stopped.await();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Refuses a socket path a live daemon answers on; removes a stale socket file left by a dead one.
     *
     * @param socketPath the control socket path.
     * @throws StartupException when a daemon is listening there or the directory cannot be created.
     */
    static void prepareSocketPath(final Path socketPath) throws StartupException
    {
        if (Files.exists(socketPath))
        {
            boolean live;
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX))
            {
                ch.connect(UnixDomainSocketAddress.of(socketPath));
                live = true;
            }
            catch (final IOException e)
            {
                live = false;
            }
            if (live)
            {
                throw new StartupException(StartupException.EXIT_SOCKET,
                    "control socket " + socketPath + " is in use by a running daemon");
            }
            try
            {
                Files.delete(socketPath);
                LOG.info("removed stale control socket {}", socketPath);
            }
            catch (final IOException e)
            {
                throw new StartupException(StartupException.EXIT_SOCKET,
                    "cannot remove stale control socket " + socketPath + ": " + e);
            }
        }
        try
        {
            final Path parent = socketPath.toAbsolutePath().getParent();
            if (parent != null)
            {
                Files.createDirectories(parent);
            }
        }
        catch (final IOException e)
        {
            throw new StartupException(StartupException.EXIT_SOCKET,
                "cannot create the control socket directory for " + socketPath + ": " + e);
        }
    }
}
