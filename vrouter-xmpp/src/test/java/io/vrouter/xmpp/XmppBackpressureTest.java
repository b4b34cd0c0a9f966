package io.vrouter.xmpp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A controller sending a large table to a node that does not read: what waits is held as messages
 * in the session's backlog, not as encoded bytes in the channel, and everything arrives in order
 * once the node reads. Real sockets on loopback.
 */
class XmppBackpressureTest
{
    private static final String VRF = "default-domain:k8s-default:vn:vn";
    private static final int MESSAGES = 60;
    private static final int ROUTES = 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private Channel server;
    private Socket node;

    @AfterEach
    void tearDown() throws IOException
    {
        if (node != null)
        {
            node.close();
        }
        if (server != null)
        {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aNodeThatDoesNotReadHoldsMessagesNotBytesAndGetsThemAllInOrder() throws Exception
    {
        final CompletableFuture<ControllerSession> up = new CompletableFuture<>();
        final ControllerSession session = new ControllerSession(new NodeChannelListener()
        {
            @Override
            public void onNodeUp(final String name, final ControllerSession s)
            {
                up.complete(s);
            }

            @Override
            public void onSubscribe(final ControllerSession session, final String instance, final int instanceId)
            {
            }

            @Override
            public void onUnsubscribe(final ControllerSession session, final String instance)
            {
            }

            @Override
            public void onRoute(final ControllerSession session, final String instance, final RouteEntry entry,
                final boolean withdraw)
            {
            }

            @Override
            public void onEndOfRib(final ControllerSession session)
            {
            }

            @Override
            public void onNodeDown(final ControllerSession session)
            {
            }
        });
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    XmppSession.install(ch.pipeline(), 90, XmppFramer.DEFAULT_MAX_STANZA, session);
                }
            }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        node = new Socket();
        node.setReceiveBufferSize(64 * 1024);
        node.connect(server.localAddress());
        node.getOutputStream().write(ContrailXmpp.streamHeader("compute-1", ContrailXmpp.CONTROL_JID, null)
            .getBytes(StandardCharsets.UTF_8));
        up.get(10, TimeUnit.SECONDS);

        int stanzaBytes = 0;
        for (int m = 0; m < MESSAGES; m++)
        {
            final List<RouteEntry> routes = new ArrayList<>(ROUTES);
            for (int r = 0; r < ROUTES; r++)
            {
                final int a = 0x0A000000 + m * ROUTES + r;
                routes.add(new RouteEntry(1, 1, (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." +
                    (a & 255) + "/32", List.of(new RouteNextHop(1, "192.168.1.11", "", 16 + r, List.of("udp"),
                    "default-domain:k8s-default:vn")), 0, 200));
            }
            final ChannelMessage.RouteUpdate u = new ChannelMessage.RouteUpdate(VRF, 1, 1, routes, List.of());
            stanzaBytes = Math.max(stanzaBytes, new RouteItemsStanza("compute-1", u).sizeHint());
            session.sendRoutes(u);
        }
        // The socket's buffers fill; then the channel stops taking stanzas.
        long unwritten = -1;
        int waiting = -1;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            Thread.sleep(100);
            final int nowWaiting = session.backlog();
            final long nowUnwritten = session.unwrittenBytes();
            if (nowWaiting == waiting && nowUnwritten == unwritten && waiting > 0)
            {
                break;
            }
            waiting = nowWaiting;
            unwritten = nowUnwritten;
        }
        assertTrue(waiting > 0, "stanzas wait in the backlog while the node does not read: " + waiting);
        assertTrue(unwritten <= XmppSession.HIGH_WATER_MARK + stanzaBytes,
            "encoded and unwritten: " + unwritten + " bytes, bound " + (XmppSession.HIGH_WATER_MARK + stanzaBytes));

        // The node reads: every message arrives, in order.
        final InputStream in = node.getInputStream();
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final byte[] buffer = new byte[1 << 16];
        final String end = "</message>";
        int messages = 0;
        String carry = "";
        node.setSoTimeout(10_000);
        while (messages < MESSAGES)
        {
            final int n = in.read(buffer);
            if (n < 0)
            {
                break;
            }
            got.write(buffer, 0, n);
            final String text = carry + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
            for (int i = text.indexOf(end); i >= 0; i = text.indexOf(end, i + 1))
            {
                messages++;
            }
            carry = text.substring(Math.max(0, text.length() - end.length() + 1));
        }
        final Matcher items = Pattern.compile("<item id=\"10\\.(\\d+)\\.(\\d+)\\.(\\d+)/32\">")
            .matcher(got.toString(StandardCharsets.UTF_8));
        int expected = 0;
        while (items.find())
        {
            final int index = Integer.parseInt(items.group(1)) << 16 | Integer.parseInt(items.group(2)) << 8 |
                Integer.parseInt(items.group(3));
            assertEquals(expected++, index, "routes in the order they were sent");
        }
        assertEquals(MESSAGES * ROUTES, expected);
        assertEquals(0, session.backlog());
    }
}
