package io.vrouter.tools.controller;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
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
import io.vrouter.xmpp.ControllerSession;
import io.vrouter.xmpp.XmppFramer;
import io.vrouter.xmpp.XmppSession;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The controller's XMPP listener: one {@link ControllerSession} per node connection, optionally
 * over TLS (mutual when the context requires client certificates).
 */
public final class ControllerServer implements AutoCloseable
{
    private final EventLoopGroup group;
    private final Channel channel;

    /**
     * Binds and starts accepting.
     *
     * @param controller  the controller.
     * @param address     where to listen.
     * @param holdSeconds hold time.
     * @param ssl         TLS server context, or null for plain TCP.
     * @throws InterruptedException when interrupted while binding.
     */
    public ControllerServer(
        final Controller controller, final InetSocketAddress address, final int holdSeconds, final SslContext ssl)
        throws InterruptedException
    {
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
                        if (ssl != null)
                        {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        XmppSession.install(ch.pipeline(), holdSeconds, XmppFramer.DEFAULT_MAX_STANZA,
                            new ControllerSession(controller));
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
