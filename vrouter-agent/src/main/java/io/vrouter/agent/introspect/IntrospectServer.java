package io.vrouter.agent.introspect;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
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
import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.net.ConnectionLimiter;
import io.vrouter.agent.net.LoopbackHost;
import io.vrouter.core.request.FlowRequest;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.VxlanRequest;
import io.vrouter.wire.AddressFamily;

/**
 * The introspect: JSON over HTTP (netty codec-http on the epoll transport), by default on
 * 127.0.0.1:8085 like the agent's Sandesh introspect. Read-only; requests are answered on one worker
 * thread (never on the event loop) through {@link IntrospectModel}. Endpoints (docs/introspect.md):
 * {@code /vrfs[?name=]}, {@code /routes?vrf=N[&family=inet|inet6|bridge][&prefix=a/len]},
 * {@code /interfaces}, {@code /nexthops}, {@code /labels}, {@code /vxlan}, {@code /mirrors},
 * {@code /flows}, {@code /counters}, {@code /ports} and {@code /} (the list); {@code /metrics} answers the
 * counters in the Prometheus text format instead of JSON.
 * <p>
 * Only requests whose {@code Host} is {@code localhost}, {@code 127.0.0.1} or {@code [::1]} (with
 * this port or none) are answered, so a web page cannot read it through DNS rebinding; at most
 * {@value #MAX_CONNECTIONS} connections are open, each closed when its next request has not
 * arrived whole within {@value #REQUEST_DEADLINE_MILLIS} ms ({@link ConnectionLimiter}).
 */
public final class IntrospectServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(IntrospectServer.class);
    private static final List<String> ENDPOINTS = List.of("/metrics", "/vrfs", "/routes?vrf=N&family=inet|inet6|bridge",
        "/interfaces", "/nexthops", "/labels", "/vxlan", "/mirrors", "/flows", "/counters", "/ports", "/xmpp");

    /** Most connections open at once. */
    public static final int MAX_CONNECTIONS = 64;
    /** How long a connection may wait for its (next) request to arrive whole. */
    public static final long REQUEST_DEADLINE_MILLIS = 10_000;
    private static final int MAX_REQUEST_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final int MAX_CHUNK = 8192;

    private final NodeService node;
    private final IntrospectModel model;
    private final ConnectionLimiter limiter = new ConnectionLimiter("introspect", MAX_CONNECTIONS,
        REQUEST_DEADLINE_MILLIS);
    private final String host;
    private final int port;
    private EventLoopGroup group;
    private ExecutorService executor;
    private Channel channel;

    /**
     * A server, not yet started.
     *
     * @param node the node.
     * @param host address to bind, normally {@code 127.0.0.1}.
     * @param port TCP port, 0 for any free one.
     */
    public IntrospectServer(final NodeService node, final String host, final int port)
    {
        this.node = node;
        this.model = new IntrospectModel(node);
        this.host = host;
        this.port = port;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException if the address cannot be bound (e.g. in use).
     */
    public synchronized void start() throws IOException
    {
        if (channel != null)
        {
            throw new IllegalStateException("already started");
        }
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        executor = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "vrouter-introspect");
            t.setDaemon(true);
            return t;
        });
        try
        {
            channel = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        if (!limiter.admit(ch))
                        {
                            return;
                        }
                        ch.pipeline().addLast(new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADERS, MAX_CHUNK),
                            new HttpObjectAggregator(64 * 1024), new Handler());
                    }
                })
                .bind(new InetSocketAddress(host, port))
                .syncUninterruptibly()
                .channel();
        }
        catch (final RuntimeException e)
        {
            close();
            throw new IOException("introspect cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        LOG.info("introspect listening on http://{}:{}", host, port());
    }

    /**
     * The bound port (useful when 0 was asked).
     *
     * @return the port.
     */
    public int port()
    {
        final Channel ch = channel;
        return ch == null ? port : ((InetSocketAddress)ch.localAddress()).getPort();
    }

    /**
     * Stops serving.
     */
    @Override
    public synchronized void close()
    {
        if (channel != null)
        {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        if (executor != null)
        {
            executor.shutdownNow();
            executor = null;
        }
        if (group != null)
        {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }

    /**
     * Answers one GET.
     *
     * @param uri the request URI.
     * @return status and JSON body.
     */
    Answer answer(final String uri)
    {
        final QueryStringDecoder q = new QueryStringDecoder(uri);
        try
        {
            switch (q.path())
            {
                case "/":
                    return new Answer(HttpResponseStatus.OK, Map.of("endpoints", ENDPOINTS));
                case "/vrfs":
                    return ok("vrfs", model.vrfs(param(q, "name", "")));
                case "/xmpp":
                    return ok("peers", model.xmppPeers());
                case "/routes":
                {
                    final String vrfText = param(q, "vrf", null);
                    if (vrfText == null)
                    {
                        return error(HttpResponseStatus.BAD_REQUEST, "/routes needs vrf=N");
                    }
                    final int vrf = Integer.parseInt(vrfText);
                    if (vrf < 0)
                    {
                        return error(HttpResponseStatus.BAD_REQUEST, "vrf must be 0 or more, not " + vrf);
                    }
                    final String family = param(q, "family", "inet");
                    final int af;
                    switch (family)
                    {
                        case "inet":
                            af = AddressFamily.INET;
                            break;
                        case "inet6":
                            af = AddressFamily.INET6;
                            break;
                        case "bridge":
                            af = AddressFamily.BRIDGE;
                            break;
                        default:
                            return error(HttpResponseStatus.BAD_REQUEST, "family must be inet, inet6 or bridge");
                    }
                    final Map<String, Object> m = new LinkedHashMap<>();
                    m.put("vrf", vrf);
                    m.put("family", family);
                    m.put("routes", model.routes(vrf, af, param(q, "prefix", null)));
                    return new Answer(HttpResponseStatus.OK, m);
                }
                case "/interfaces":
                    return ok("interfaces", SandeshJson.toMaps(model.dump(InterfaceRequest.dump())));
                case "/nexthops":
                    return ok("nexthops", SandeshJson.toMaps(model.dump(NextHopRequest.dump())));
                case "/labels":
                    return ok("labels", SandeshJson.toMaps(model.dump(MplsRequest.dump())));
                case "/vxlan":
                    return ok("vxlan", SandeshJson.toMaps(model.dump(VxlanRequest.dump())));
                case "/mirrors":
                    return ok("mirrors", SandeshJson.toMaps(model.dump(MirrorRequest.dump())));
                case "/flows":
                    return ok("flows", SandeshJson.toMaps(model.dump(FlowRequest.list(-1))));
                case "/counters":
                    return new Answer(HttpResponseStatus.OK, model.counters());
                case "/metrics":
                    return new Answer(HttpResponseStatus.OK,
                        new Text(PrometheusText.CONTENT_TYPE, model.metrics()));
                case "/ports":
                {
                    final List<Map<String, Object>> ports = new java.util.ArrayList<>();
                    for (final io.vrouter.agent.api.PortSpec p : node.ports())
                    {
                        ports.add(SandeshJson.toMap(io.vrouter.agent.control.PortRequests.toRequest(p)));
                    }
                    return ok("ports", ports);
                }
                default:
                    return error(HttpResponseStatus.NOT_FOUND, "no such page " + q.path() + "; see /");
            }
        }
        catch (final NumberFormatException e)
        {
            return error(HttpResponseStatus.BAD_REQUEST, "not a number: " + e.getMessage());
        }
        catch (final IllegalArgumentException e)
        {
            return error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        catch (final IllegalStateException e)
        {
            return error(HttpResponseStatus.NOT_IMPLEMENTED, e.getMessage());
        }
    }

    private static String param(final QueryStringDecoder q, final String name, final String defaultValue)
    {
        final List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() ? defaultValue : v.get(0);
    }

    private static Answer ok(final String key, final Object value)
    {
        return new Answer(HttpResponseStatus.OK, Map.of(key, value));
    }

    private static Answer error(final HttpResponseStatus status, final String message)
    {
        return new Answer(status, Map.of("error", message));
    }

    /**
     * A status and a JSON value.
     *
     * @param status the HTTP status.
     * @param body   the value.
     */
    record Answer(HttpResponseStatus status, Object body)
    {
    }

    /**
     * A body sent as it is, not as JSON ({@code /metrics}).
     *
     * @param contentType its {@code Content-Type}.
     * @param text        the body.
     */
    record Text(String contentType, String text)
    {
    }

    /** Hands each request to the worker thread. */
    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            limiter.proved(ctx.channel());
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            final String hostHeader = request.headers().get(HttpHeaderNames.HOST);
            if (!LoopbackHost.allowed(hostHeader, port()))
            {
                send(ctx, new Answer(HttpResponseStatus.BAD_REQUEST, Map.of("error", "Host " + hostHeader +
                    " refused: introspect answers only Host localhost or 127.0.0.1 (with its port)")), false);
                return;
            }
            if (request.method() != HttpMethod.GET)
            {
                send(ctx, new Answer(HttpResponseStatus.METHOD_NOT_ALLOWED, Map.of("error", "GET only")), false);
                return;
            }
            final String uri = request.uri();
            try
            {
                executor.execute(() ->
                {
                    Answer a;
                    try
                    {
                        a = answer(uri);
                    }
                    catch (final RuntimeException e)
                    {
                        LOG.warn("introspect: {} failed", uri, e);
                        a = new Answer(HttpResponseStatus.INTERNAL_SERVER_ERROR, Map.of("error", e.toString()));
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
            final boolean text = a.body() instanceof Text;
            final byte[] body = (text ? ((Text)a.body()).text() : SandeshJson.write(a.body()))
                .getBytes(StandardCharsets.UTF_8);
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, a.status(),
                Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE,
                text ? ((Text)a.body()).contentType() : "application/json; charset=utf-8");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
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
            LOG.debug("introspect: connection error: {}", cause.toString());
            ctx.close();
        }
    }
}
