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
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the node connected to its controller(s): connects, runs a {@link NodeSession}, and after
 * any loss reconnects with exponential back-off (1 s doubling to 30 s, ±10 % jitter), rotating
 * through the configured servers. The listener is told when a session comes up and goes down;
 * while down, sends are dropped (the node re-publishes everything on the next session).
 */
public final class ControllerClient implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ControllerClient.class);
    private static final long FIRST_RETRY_MILLIS = 1000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    private final String nodeName;
    private final List<InetSocketAddress> servers;
    private final int holdSeconds;
    private final SslContext ssl;
    private final ControllerListener listener;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    private volatile NodeSession session;
    private volatile boolean closed;
    private int serverIndex;
    private long retryMillis = FIRST_RETRY_MILLIS;

    /**
     * A client; call {@link #start()} to connect.
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
        if (servers.isEmpty())
        {
            throw new IllegalArgumentException("no controller address");
        }
        this.nodeName = nodeName;
        this.servers = List.copyOf(servers);
        this.holdSeconds = holdSeconds;
        this.ssl = ssl;
        this.listener = listener;
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
        group.execute(this::connect);
    }

    /**
     * The current session when it is up.
     *
     * @return the session, or null.
     */
    public NodeSession session()
    {
        final NodeSession s = session;
        return s != null && s.isOpen() ? s : null;
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

    private void connect()
    {
        if (closed)
        {
            return;
        }
        final InetSocketAddress server = servers.get(serverIndex % servers.size());
        final NodeSession s = new NodeSession(nodeName, new Relay());
        session = s;
        final ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>()
        {
            @Override
            protected void initChannel(final SocketChannel ch)
            {
                if (ssl != null)
                {
                    ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), server.getHostString(), server.getPort()));
                }
                XmppSession.install(ch.pipeline(), holdSeconds, XmppFramer.DEFAULT_MAX_STANZA, s);
            }
        }).connect(server);
        f.addListener(done ->
        {
            if (!done.isSuccess())
            {
                LOG.warn("cannot reach controller {}: {}", server, done.cause().getMessage());
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
        serverIndex++;
        final long jitter = (long)(retryMillis * 0.1 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        final long delay = retryMillis + jitter;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        LOG.info("reconnecting to the controller in {} ms", delay);
        group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close()
    {
        closed = true;
        final NodeSession s = session;
        if (s != null)
        {
            group.execute(() -> s.close("node shutting down"));
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Relay implements ControllerListener
    {
        @Override
        public void onSessionUp()
        {
            retryMillis = FIRST_RETRY_MILLIS;
            listener.onSessionUp();
        }

        @Override
        public void onSessionDown()
        {
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
