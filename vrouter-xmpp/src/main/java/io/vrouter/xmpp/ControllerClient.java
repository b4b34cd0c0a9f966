package io.vrouter.xmpp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Keeps the node connected to its controllers, as Contrail's agent keeps its XMPP servers: up to
 * {@link #MAX_SESSIONS} sessions at once, each to a different server of the configured list. Session
 * {@code i} starts with server {@code i}; after any loss (or a failed connect) it reconnects with
 * exponential back-off (1 s doubling to 30 s, ±10 % jitter) to the next server of the list that the
 * other session is not using, so with three servers a dead one is replaced by the third, and with two
 * each session stays with its own. Each session has its own listener, told when it comes up and goes
 * down; while a session is down, its sends are dropped (the node re-publishes everything on the next one).
 * <p>
 * Everything runs on one event loop: the sessions' events, the reconnect timers and the tasks given to
 * {@link #execute(Runnable)}, so a listener shared by both sessions sees one event at a time.
 */
public final class ControllerClient implements AutoCloseable
{
    /** Sessions kept at once at most (Contrail's agent: two XMPP servers). */
    public static final int MAX_SESSIONS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ControllerClient.class);
    private static final long FIRST_RETRY_MILLIS = 1000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    /**
     * One session's state, for views (Contrail's {@code AgentXmppConnectionStatus}).
     *
     * @param index       the session's index (0 or 1).
     * @param host        the server it is connected or connecting to: its host.
     * @param port        and its port.
     * @param state       {@code Established}, {@code Connecting} or {@code Idle} (waiting to reconnect).
     * @param peerName    the server's name from its stream header, empty before the first session.
     * @param flaps       how many times an established session was lost.
     * @param flapMillis  when the last one was (epoch milliseconds), 0 for never.
     * @param sinceMillis when the state last changed (epoch milliseconds).
     * @param lastEvent   what changed it last.
     */
    public record Status(int index, String host, int port, String state, String peerName, int flaps, long flapMillis,
        long sinceMillis, String lastEvent)
    {
    }

    private final String nodeName;
    private final List<InetSocketAddress> servers;
    private final int holdSeconds;
    private final SslContext ssl;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Slot[] slots;

    private volatile boolean closed;

    /**
     * A client keeping one session (to the first server that answers, in turn); call {@link #start()} to connect.
     *
     * @param nodeName    the node's JID.
     * @param servers     controller addresses, tried in turn.
     * @param holdSeconds hold time.
     * @param ssl         TLS client context, or null for plain TCP.
     * @param listener    where events go.
     */
    public ControllerClient(
        final String nodeName,
        final List<InetSocketAddress> servers,
        final int holdSeconds,
        final SslContext ssl,
        final ControllerListener listener)
    {
        this(nodeName, servers, 1, holdSeconds, ssl, index -> listener);
    }

    /**
     * A client keeping up to {@code sessions} sessions at once (fewer when fewer servers are given); call
     * {@link #start()} to connect.
     *
     * @param nodeName    the node's JID.
     * @param servers     controller addresses.
     * @param sessions    sessions to keep, 1 or 2.
     * @param holdSeconds hold time.
     * @param ssl         TLS client context, or null for plain TCP.
     * @param listeners   session index → where that session's events go (asked once per index, here).
     * @throws IllegalArgumentException when no server is given or {@code sessions} is not 1 or 2.
     */
    public ControllerClient(
        final String nodeName,
        final List<InetSocketAddress> servers,
        final int sessions,
        final int holdSeconds,
        final SslContext ssl,
        final IntFunction<ControllerListener> listeners)
    {
        if (servers.isEmpty())
        {
            throw new IllegalArgumentException("no controller address");
        }
        if (sessions < 1 || sessions > MAX_SESSIONS)
        {
            throw new IllegalArgumentException("sessions: 1 to " + MAX_SESSIONS + ", not " + sessions);
        }
        this.nodeName = nodeName;
        this.servers = List.copyOf(servers);
        this.holdSeconds = holdSeconds;
        this.ssl = ssl;
        this.slots = new Slot[Math.min(sessions, servers.size())];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new Slot(i, listeners.apply(i));
        }
        final boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000)
            .option(ChannelOption.TCP_NODELAY, true);
    }

    /**
     * Starts connecting.
     */
    public void start()
    {
        for (final Slot slot : slots)
        {
            group.execute(slot::connect);
        }
    }

    /**
     * The number of sessions this client keeps.
     *
     * @return 1 or 2.
     */
    public int sessions()
    {
        return slots.length;
    }

    /**
     * The first session that is up.
     *
     * @return the session, or null when none is.
     */
    public NodeSession session()
    {
        for (final Slot slot : slots)
        {
            final NodeSession s = slot.open();
            if (s != null)
            {
                return s;
            }
        }
        return null;
    }

    /**
     * A session when it is up.
     *
     * @param index the session's index.
     * @return the session, or null when it is down (or there is no such index).
     */
    public NodeSession session(final int index)
    {
        return index >= 0 && index < slots.length ? slots[index].open() : null;
    }

    /**
     * Each session's state, by index.
     *
     * @return the states.
     */
    public List<Status> status()
    {
        final List<Status> out = new ArrayList<>(slots.length);
        for (final Slot slot : slots)
        {
            out.add(slot.status);
        }
        return out;
    }

    /**
     * Runs a task on the channel's event loop (where listener callbacks run too).
     *
     * @param task the task.
     */
    public void execute(final Runnable task)
    {
        group.execute(task);
    }

    /** The server a session moves to: the next one after its current one that no other session uses. */
    private int nextServer(final Slot slot)
    {
        for (int step = 1; step <= servers.size(); step++)
        {
            final int candidate = (slot.serverIndex + step) % servers.size();
            boolean taken = false;
            for (final Slot other : slots)
            {
                taken |= other != slot && other.serverIndex == candidate;
            }
            if (!taken)
            {
                return candidate;
            }
        }
        return slot.serverIndex;
    }

    private static String describe(final InetSocketAddress server)
    {
        return server.getHostString() + ":" + server.getPort();
    }

    @Override
    public void close()
    {
        closed = true;
        for (final Slot slot : slots)
        {
            final NodeSession s = slot.session;
            if (s != null)
            {
                group.execute(() -> s.close("node shutting down"));
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One of the sessions kept: its server, its current session and its back-off (event loop only). */
    private final class Slot implements ControllerListener
    {
        private final int index;
        private final ControllerListener listener;
        private int serverIndex;
        private long retryMillis = FIRST_RETRY_MILLIS;
        private volatile NodeSession session;
        private volatile Status status;

        Slot(final int index, final ControllerListener listener)
        {
            this.index = index;
            this.listener = listener;
            this.serverIndex = index;
            this.status = new Status(index, servers.get(index).getHostString(), servers.get(index).getPort(), "Idle",
                "", 0, 0, System.currentTimeMillis(), "none");
        }

        NodeSession open()
        {
            final NodeSession s = session;
            return s != null && s.isOpen() ? s : null;
        }

        private void state(final String state, final String peerName, final boolean flap, final String event)
        {
            final long now = System.currentTimeMillis();
            final Status was = status;
            final InetSocketAddress server = servers.get(serverIndex);
            status = new Status(index, server.getHostString(), server.getPort(), state, peerName,
                was.flaps() + (flap ? 1 : 0), flap ? now : was.flapMillis(), now, event);
        }

        void connect()
        {
            if (closed)
            {
                return;
            }
            final InetSocketAddress server = servers.get(serverIndex);
            final NodeSession s = new NodeSession(nodeName, this);
            session = s;
            state("Connecting", status.peerName(), false, "connect");
            final ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    if (ssl != null)
                    {
                        ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), server.getHostString(),
                            server.getPort()));
                    }
                    XmppSession.install(ch.pipeline(), holdSeconds, XmppFramer.DEFAULT_MAX_STANZA, s);
                }
            }).connect(server);
            f.addListener(done ->
            {
                if (!done.isSuccess())
                {
                    LOG.warn("cannot reach controller {} (session {}): {}", server, index, done.cause().getMessage());
                    state("Idle", status.peerName(), false, "connect failed");
                    scheduleReconnect();
                }
                else
                {
                    final Channel ch = f.channel();
                    ch.closeFuture().addListener(c -> scheduleReconnect());
                }
            });
        }

        private void scheduleReconnect()
        {
            if (closed)
            {
                return;
            }
            serverIndex = nextServer(this);
            final long jitter = (long)(retryMillis * 0.1 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
            final long delay = retryMillis + jitter;
            retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
            LOG.info("session {}: connecting to controller {} in {} ms", index, describe(servers.get(serverIndex)),
                delay);
            group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onSessionUp()
        {
            retryMillis = FIRST_RETRY_MILLIS;
            state("Established", session.peer(), false, "session up");
            listener.onSessionUp();
        }

        @Override
        public void onSessionDown()
        {
            state("Idle", status.peerName(), true, "session down");
            listener.onSessionDown();
        }

        @Override
        public void onRoutes(final ChannelMessage.RouteUpdate update)
        {
            listener.onRoutes(update);
        }

        @Override
        public void onConfig(final ChannelMessage.Config config)
        {
            listener.onConfig(config);
        }

        @Override
        public void onEndOfRib()
        {
            listener.onEndOfRib();
        }
    }
}
