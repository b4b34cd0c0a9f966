package io.vrouter.tools.controller;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.vrouter.agent.net.ConnectionLimiter;
import io.vrouter.xmpp.ControllerSession;
import io.vrouter.xmpp.XmppFramer;
import io.vrouter.xmpp.XmppSession;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The controller's XMPP listener: one {@link ControllerSession} per node connection over mutual TLS,
 * the node's certificate naming the node (its stream's {@code from}); plain TCP, or TLS without
 * client certificates, only when built {@code insecure}.
 * <p>
 * At most {@link #DEFAULT_MAX_CONNECTIONS} connections are open at once, and a connection must have
 * its stream accepted within {@link #DEFAULT_OPEN_DEADLINE_MILLIS} ms (TLS handshake, stream header,
 * identity check); until then it may be evicted by a newer one when the cap is reached
 * ({@link ConnectionLimiter}). After that the hold time is the idle timeout.
 */
public final class ControllerServer implements AutoCloseable
{
    /** Most node connections open at once. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /** How long a connection has to get its stream accepted. */
    public static final long DEFAULT_OPEN_DEADLINE_MILLIS = 10_000;

    private final EventLoopGroup group;
    private final Channel channel;
    private final ConnectionLimiter limiter;

    /**
     * Binds and starts accepting, with the default limits.
     *
     * @param controller  the controller.
     * @param address     where to listen.
     * @param holdSeconds hold time.
     * @param ssl         TLS server context (requiring client certificates unless insecure), or null.
     * @param insecure    whether nodes are admitted without a certificate naming them.
     * @throws InterruptedException when interrupted while binding.
     */
    public ControllerServer(final Controller controller, final InetSocketAddress address, final int holdSeconds,
        final SslContext ssl, final boolean insecure) throws InterruptedException
    {
        this(controller, address, holdSeconds, ssl, insecure,
            new ConnectionLimiter("controller XMPP", DEFAULT_MAX_CONNECTIONS, DEFAULT_OPEN_DEADLINE_MILLIS));
    }

    /**
     * Binds and starts accepting.
     *
     * @param controller  the controller.
     * @param address     where to listen.
     * @param holdSeconds hold time.
     * @param ssl         TLS server context (requiring client certificates unless insecure), or null.
     * @param insecure    whether nodes are admitted without a certificate naming them.
     * @param limiter     the connection cap and the deadline for a stream to be accepted.
     * @throws InterruptedException when interrupted while binding.
     */
    public ControllerServer(final Controller controller, final InetSocketAddress address, final int holdSeconds,
        final SslContext ssl, final boolean insecure, final ConnectionLimiter limiter) throws InterruptedException
    {
        if (!insecure && (ssl == null || !ssl.isServer()))
        {
            throw new IllegalArgumentException("plaintext XMPP needs insecure (--insecure)");
        }
        this.limiter = limiter;
        final boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try
        {
            this.channel = new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        if (!limiter.admit(ch))
                        {
                            return;
                        }
                        ch.pipeline().addLast("guard", new ChannelInboundHandlerAdapter()
                        {
                            @Override
                            public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
                            {
                                if (evt == ControllerSession.STREAM_ACCEPTED)
                                {
                                    limiter.proved(ctx.channel());
                                }
                                ctx.fireUserEventTriggered(evt);
                            }
                        });
                        if (ssl != null)
                        {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        XmppSession.install(ch.pipeline(), holdSeconds, XmppFramer.DEFAULT_MAX_STANZA,
                            new ControllerSession(controller, !insecure));
                    }
                })
                .bind(address).sync().channel();
        }
        catch (final InterruptedException | RuntimeException e)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * The connection guard.
     *
     * @return the limiter.
     */
    public ConnectionLimiter limiter()
    {
        return limiter;
    }

    /**
     * The bound address.
     *
     * @return the address.
     */
    public InetSocketAddress address()
    {
        return (InetSocketAddress)channel.localAddress();
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
