package io.vrouter.agent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vrouter.agent.api.XmppPeer;
import io.vrouter.agent.control.ControlServer;
import io.vrouter.agent.controller.IpNetns;
import io.vrouter.agent.controller.NodeAgent;
import io.vrouter.agent.introspect.IntrospectServer;
import io.vrouter.xmpp.ControllerClient;
import io.vrouter.xmpp.XmppTls;
import io.netty.handler.ssl.SslContext;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Response;

/**
 * The pieces of a running daemon in start and stop order: the node (fabric port, workers), then the
 * control socket and the introspect HTTP server; stopped in reverse, the socket file removed last.
 */
public final class Daemon implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final Node node;
    private final DaemonConfig config;
    private final Path socketPath;
    private ControlServer control;
    private ControllerClient controller;
    private IntrospectServer introspect;
    private boolean closed;

    /**
     * A daemon (not started).
     *
     * @param node       the node.
     * @param config     settings.
     * @param socketPath control socket path.
     */
    public Daemon(final Node node, final DaemonConfig config, final Path socketPath)
    {
        this.node = node;
        this.config = config;
        this.socketPath = socketPath;
    }

    /**
     * Starts the node and the front ends; on failure everything started is stopped again.
     *
     * @throws StartupException what failed.
     */
    public void start() throws StartupException
    {
        try
        {
            node.start();
            control = new ControlServer(node, socketPath);
            try
            {
                control.start();
            }
            catch (final IOException e)
            {
                throw new StartupException(StartupException.EXIT_SOCKET, "control socket: " + e.getMessage());
            }
            final int port = config.integer("introspect.port");
            if (port > 0)
            {
                introspect = new IntrospectServer(node, config.string("introspect.host"), port);
                try
                {
                    introspect.start();
                }
                catch (final IOException e)
                {
                    introspect = null;
                    throw new StartupException(StartupException.EXIT_INTROSPECT, e.getMessage());
                }
            }
            startController();
        }
        catch (final StartupException | RuntimeException e)
        {
            close();
            throw e;
        }
    }

    /**
     * With {@code controller.servers} set: the node agent programs the base state and the controller
     * session starts (it connects, and reconnects, in the background).
     */
    private void startController() throws StartupException
    {
        final String servers = config.string("controller.servers").trim();
        if (servers.isEmpty())
        {
            LOG.info("no controller configured: programming through the control socket only");
            return;
        }
        final List<InetSocketAddress> addresses = new ArrayList<>();
        for (final String server : servers.split(","))
        {
            final int colon = server.lastIndexOf(':');
            try
            {
                addresses.add(new InetSocketAddress(server.substring(0, colon).trim(),
                    Integer.parseInt(server.substring(colon + 1).trim())));
            }
            catch (final RuntimeException e)
            {
                throw new StartupException(StartupException.EXIT_CONFIG,
                    "controller.servers: '" + server + "' is not host:port");
            }
        }
        if (config.string("controller.tls-ca").isEmpty())
        {
            if (!config.bool("controller.insecure"))
            {
                throw new StartupException(StartupException.EXIT_CONFIG, "controller.servers is set without " +
                    "controller.tls-ca: give controller.tls-cert, controller.tls-key and controller.tls-ca (mutual " +
                    "TLS), or --insecure (controller.insecure) for plain TCP");
            }
            LOG.warn("controller.insecure: the controller channel is plain TCP; anyone on the path can read and " +
                "forge this node's configuration and routes");
        }
        final SslContext ssl;
        try
        {
            ssl = config.string("controller.tls-ca").isEmpty() ? null : XmppTls.client(
                file(config.string("controller.tls-cert")), file(config.string("controller.tls-key")),
                new File(config.string("controller.tls-ca")));
        }
        catch (final IOException e)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "controller TLS: " + e.getMessage());
        }
        final ControllerClient[] client = new ControllerClient[1];
        final NodeAgent agent = new NodeAgent(node, config.string("fabric.address"), config.string("fabric.interface"),
            config.integer("fabric.vif"), config.integer("controller.first-nh"), config.integer("pods.mtu"),
            new IpNetns(), index -> client[0].session(index))
            .enforcePolicy(config.bool("controller.enforce-policy"))
            .cniPods(config.bool("pods.cni"))
            .fabricMtu(fabricMtu(config.string("fabric.interface"), config.vrouterConfig().maxFrame()));
        try
        {
            agent.start();
        }
        catch (final IllegalStateException e)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "programming the node's base state: " +
                e.getMessage());
        }
        // Two sessions at once when two or more controllers are given, as Contrail's agent keeps two XMPP servers.
        client[0] = new ControllerClient(config.string("node.name"), addresses,
            Math.min(NodeAgent.MAX_SESSIONS, addresses.size()), config.integer("controller.hold-time"), ssl,
            agent::session);
        controller = client[0];
        node.attachRouteOrigins(vrf -> onAgent(client[0], () -> agent.routePeers(vrf), Map.of(), 2));
        node.attachXmppPeers(() -> client[0].status().stream().map(s -> new XmppPeer(
            NodeAgent.controlNodeName(s.host(), s.port()), s.state(), s.peerName(), s.host() + ":" + s.port(),
            s.state().equals("Established"), s.flaps(), s.flapMillis(), s.sinceMillis(), s.lastEvent())).toList());
        node.attachPods(r -> onAgent(client[0], () -> agent.pod(r),
            new Response(Errno.EAGAIN, "the node agent did not answer in time", List.of()), 60));
        controller.start();
        LOG.info("controller sessions: {} at once, to {}{}", controller.sessions(), servers,
            ssl == null ? "" : " over TLS");
    }

    /**
     * Asks the agent something on its event loop (where its state lives): where a VRF's routes came from
     * (the introspect's peers), a CNI plugin's pod request.
     */
    private static <T> T onAgent(final ControllerClient client, final Supplier<T> question, final T otherwise,
        final int seconds)
    {
        final CompletableFuture<T> answer = new CompletableFuture<>();
        client.execute(() ->
        {
            try
            {
                answer.complete(question.get());
            }
            catch (final RuntimeException e)
            {
                answer.completeExceptionally(e);
            }
        });
        try
        {
            return answer.get(seconds, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return otherwise;
        }
        catch (final ExecutionException | TimeoutException e)
        {
            LOG.warn("the node agent did not answer: {}", e.toString());
            return otherwise;
        }
    }

    /**
     * What is wrong with the controller settings, checked before anything starts: each server is host:port, a
     * controller needs controller.tls-ca (with controller.tls-cert and controller.tls-key) or controller.insecure,
     * and the TLS files are readable.
     *
     * @param config the configuration.
     * @return the problems, empty when none.
     */
    static List<String> controllerProblems(final DaemonConfig config)
    {
        final List<String> problems = new ArrayList<>();
        final String servers = config.string("controller.servers").trim();
        if (servers.isEmpty())
        {
            return problems;
        }
        for (final String server : servers.split(","))
        {
            final int colon = server.lastIndexOf(':');
            int port = -1;
            try
            {
                port = colon <= 0 ? -1 : Integer.parseInt(server.substring(colon + 1).trim());
            }
            catch (final NumberFormatException e)
            {
                port = -1;
            }
            if (port < 1 || port > 65535)
            {
                problems.add("controller.servers: '" + server + "' is not host:port");
            }
        }
        if (config.string("controller.tls-ca").isEmpty())
        {
            if (!config.bool("controller.insecure"))
            {
                problems.add("controller.servers is set without controller.tls-ca: give controller.tls-cert, "
                    + "controller.tls-key and controller.tls-ca (mutual TLS), or --insecure (controller.insecure) "
                    + "for plain TCP");
            }
            return problems;
        }
        for (final String key : List.of("controller.tls-ca", "controller.tls-cert", "controller.tls-key"))
        {
            final String path = config.string(key);
            if (!path.isEmpty() && !Files.isReadable(Path.of(path)))
            {
                problems.add(key + ": cannot read " + path);
            }
        }
        return problems;
    }

    private static File file(final String path)
    {
        return path.isEmpty() ? null : new File(path);
    }

    /**
     * The fabric interface's MTU as the kernel has it (the underlay's: a 9,000-byte underlay carries 8,968-byte
     * overlay packets), no more than the largest frame the forwarder takes; 1,500 when the interface cannot be
     * read (said in the log).
     */
    static int fabricMtu(final String name, final int maxFrame)
    {
        try
        {
            final NetworkInterface nic = NetworkInterface.getByName(name);
            if (nic != null)
            {
                final int mtu = nic.getMTU();
                if (mtu >= 68)
                {
                    return Math.min(mtu, Math.min(65535, maxFrame - 14));
                }
            }
            LOG.warn("fabric.interface {}: no such interface here; programming it with MTU 1500", name);
        }
        catch (final SocketException e)
        {
            LOG.warn("fabric.interface {}: MTU not readable ({}); programming it with MTU 1500", name,
                e.getMessage());
        }
        return 1500;
    }

    /**
     * The node.
     *
     * @return it.
     */
    public Node node()
    {
        return node;
    }

    /**
     * Orderly stop: front ends, workers, ports, fabric, socket file.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (controller != null)
        {
            controller.close();
        }
        if (introspect != null)
        {
            introspect.close();
        }
        if (control != null)
        {
            control.close();
        }
        node.close();
        try
        {
            Files.deleteIfExists(socketPath);
        }
        catch (final IOException e)
        {
            LOG.warn("cannot remove {}: {}", socketPath, e.toString());
        }
    }
}
