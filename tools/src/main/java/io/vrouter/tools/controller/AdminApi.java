package io.vrouter.tools.controller;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vrouter.agent.net.ConnectionLimiter;
import io.vrouter.agent.net.LoopbackHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vrouter.agent.introspect.PrometheusText;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The controller's admin endpoint (HTTP on localhost, plain text), what {@code vrouter-controller
 * apply/delete/get} talk to: {@code POST /apply?namespace=NS} and {@code POST /delete?namespace=NS}
 * with a YAML body, {@code GET /pods}, {@code GET /networks}, {@code GET /nodes},
 * {@code GET /routes?instance=RI}, {@code GET /metrics} (Prometheus text format).
 * Errors answer 400 with the reason; the model is unchanged. A store that cannot commit (etcd unreachable)
 * answers 503 with the reason; nothing changed. A table read while the store cannot be reached is the
 * controller's last known state, marked by a {@code Warning} header.
 * <p>
 * Requests are answered on one thread (never the event loop), in arrival order. Only requests whose
 * {@code Host} is a loopback name are answered ({@link LoopbackHost}: a web page cannot apply
 * manifests through DNS rebinding); at most {@value #MAX_CONNECTIONS} connections, each closed when
 * its next request has not arrived whole within {@value #REQUEST_DEADLINE_MILLIS} ms
 * ({@link ConnectionLimiter}); a body over {@link Resource#MAX_MANIFEST} bytes is refused (413).
 */
public final class AdminApi implements AutoCloseable
{
    /** Most connections open at once. */
    public static final int MAX_CONNECTIONS = 64;
    /** How long a connection may wait for its (next) request to arrive whole. */
    public static final long REQUEST_DEADLINE_MILLIS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    private final Controller controller;
    private final EventLoopGroup group;
    private final ExecutorService executor;
    private final Channel channel;
    private final ConnectionLimiter limiter = new ConnectionLimiter("controller admin API", MAX_CONNECTIONS,
        REQUEST_DEADLINE_MILLIS);

    /**
     * Starts serving.
     *
     * @param controller the controller.
     * @param address    where to listen (localhost).
     * @throws IOException when the address cannot be bound.
     */
    public AdminApi(final Controller controller, final InetSocketAddress address) throws IOException
    {
        this.controller = controller;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.executor = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "controller-admin");
            t.setDaemon(true);
            return t;
        });
        try
        {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        if (limiter.admit(ch))
                        {
                            ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192),
                                new HttpObjectAggregator(Resource.MAX_MANIFEST), new Handler());
                        }
                    }
                })
                .bind(address).syncUninterruptibly().channel();
        }
        catch (final RuntimeException e)
        {
            executor.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("admin API cannot listen on " + address + ": " + e.getMessage(), e);
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

    /** A status, a body and its content type. */
    private record Answer(HttpResponseStatus status, String text, String contentType, String warning)
    {
        Answer(final HttpResponseStatus status, final String text)
        {
            this(status, text, "text/plain; charset=utf-8", null);
        }

        Answer(final HttpResponseStatus status, final String text, final String contentType)
        {
            this(status, text, contentType, null);
        }
    }

    /** A table read after the model caught up with the store; when it could not, answered with a warning. */
    private Answer read(final java.util.function.Supplier<String> table)
    {
        final String stale = controller.sync();
        return new Answer(HttpResponseStatus.OK, table.get(), "text/plain; charset=utf-8", stale == null ? null :
            "the controller's last known state: " + stale);
    }

    private Answer answer(final HttpMethod method, final String uri, final String body)
    {
        final QueryStringDecoder q = new QueryStringDecoder(uri);
        final boolean post = method.equals(HttpMethod.POST);
        switch (q.path())
        {
            case "/apply":
            case "/delete":
                return post ? manifest(q, body, q.path().equals("/apply"))
                    : new Answer(HttpResponseStatus.METHOD_NOT_ALLOWED, "POST a YAML manifest\n");
            case "/pods":
                return read(controller::pods);
            case "/networks":
                return read(controller::networks);
            case "/services":
                return read(controller::services);
            case "/nodes":
                return read(controller::nodes);
            case "/metrics":
                return new Answer(HttpResponseStatus.OK, controller.metrics(), PrometheusText.CONTENT_TYPE);
            case "/routes":
            {
                final String instance = param(q, "instance", null);
                if (instance == null)
                {
                    return new Answer(HttpResponseStatus.BAD_REQUEST, "missing ?instance=\n");
                }
                final StringBuilder out = new StringBuilder();
                controller.routes(instance).forEach((prefix, e) -> out.append(prefix).append(' ')
                    .append(e.nextHops()).append('\n'));
                return new Answer(HttpResponseStatus.OK, out.toString());
            }
            default:
                return new Answer(HttpResponseStatus.NOT_FOUND, "no such page " + q.path() + "\n");
        }
    }

    private Answer manifest(final QueryStringDecoder q, final String yaml, final boolean apply)
    {
        final String namespace = param(q, "namespace", "default");
        try
        {
            final List<Resource> resources = Resource.parseAll(yaml, param(q, "source", "manifest"));
            final List<String> lines = apply ? controller.apply(resources, namespace) :
                controller.delete(resources, namespace);
            return new Answer(HttpResponseStatus.OK, String.join("\n", lines) + (lines.isEmpty() ? "" : "\n"));
        }
        catch (final IllegalArgumentException e)
        {
            return new Answer(HttpResponseStatus.BAD_REQUEST, "error: " + e.getMessage() + "\n");
        }
        catch (final StoreUnavailableException e)
        {
            return new Answer(HttpResponseStatus.SERVICE_UNAVAILABLE, "error: configuration change refused: " +
                e.getMessage() + "\n");
        }
    }

    private static String param(final QueryStringDecoder q, final String name, final String absent)
    {
        final List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() ? absent : v.get(0);
    }

    /** Hands each request to the admin thread. */
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            limiter.proved(ctx.channel());
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            final String host = request.headers().get(HttpHeaderNames.HOST);
            if (!request.decoderResult().isSuccess())
            {
                send(ctx, new Answer(HttpResponseStatus.BAD_REQUEST, "malformed request\n"), false);
                return;
            }
            if (!LoopbackHost.allowed(host, address().getPort()))
            {
                send(ctx, new Answer(HttpResponseStatus.BAD_REQUEST, "Host " + host + " refused: the admin API " +
                    "answers only Host localhost or 127.0.0.1 (with its port)\n"), false);
                return;
            }
            final HttpMethod method = request.method();
            final String uri = request.uri();
            final ByteBuf content = request.content();
            final String body = content.toString(StandardCharsets.UTF_8);
            try
            {
                executor.execute(() ->
                {
                    Answer a;
                    try
                    {
                        a = answer(method, uri, body);
                    }
                    catch (final RuntimeException e)
                    {
                        LOG.warn("admin API: {} {} failed", method, uri, e);
                        a = new Answer(HttpResponseStatus.INTERNAL_SERVER_ERROR, "error: " + e + "\n");
                    }
                    send(ctx, a, keepAlive);
                });
            }
            catch (final RejectedExecutionException e)
            {
                ctx.close();
            }
        }

        private void send(final ChannelHandlerContext ctx, final Answer a, final boolean keepAlive)
        {
            final byte[] bytes = a.text().getBytes(StandardCharsets.UTF_8);
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, a.status(),
                Unpooled.wrappedBuffer(bytes));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
            if (a.warning() != null)
            {
                response.headers().set(HttpHeaderNames.WARNING, "199 vrouter-controller \"" +
                    a.warning().replace('"', '\'') + "\"");
            }
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            if (keepAlive)
            {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response).addListener(f -> limiter.idle(ctx.channel()));
            }
            else
            {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.debug("admin API: connection error: {}", cause.toString());
            ctx.close();
        }
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
        executor.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
