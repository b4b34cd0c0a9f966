package io.vrouter.tools.controller;

import io.vrouter.tools.lab.Certificates;
import io.vrouter.xmpp.ChannelMessage;
import io.vrouter.xmpp.ContrailXmpp;
import io.vrouter.xmpp.ControllerClient;
import io.vrouter.xmpp.ControllerListener;
import io.vrouter.xmpp.ControllerSession;
import io.vrouter.xmpp.NodeSession;
import io.vrouter.xmpp.XmppTls;
import io.vrouter.xmpp.testing.XmppPipe;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The channel over real TCP on loopback with mutual TLS (throwaway certificates made with openssl,
 * which this test requires): a node with a certificate naming it gets a session; a node without a
 * certificate, a node whose certificate names another node, and a plaintext stream claiming a node's
 * name are refused, and the real node's session is untouched.
 */
class XmppTlsTest
{
    private static Path dir;
    private static Certificates certs;

    @BeforeAll
    static void issue() throws IOException
    {
        dir = Files.createTempDirectory("xmpp-tls");
        certs = Certificates.authority(dir);
        certs.issue("controller", "127.0.0.1");
        certs.issue("node-1");
        certs.issue("node-2");
    }

    @AfterAll
    static void remove() throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private static SslContext node(final String name) throws IOException
    {
        return XmppTls.client(certs.cert(name).toFile(), certs.key(name).toFile(), certs.ca().toFile());
    }

    private static ControllerServer server(final Controller controller) throws Exception
    {
        return new ControllerServer(controller, new InetSocketAddress("127.0.0.1", 0), 90,
            XmppTls.server(certs.cert("controller").toFile(), certs.key("controller").toFile(), certs.ca().toFile()),
            false);
    }

    /** A node that sends end-of-RIB once up, so that the controller registers it (Ready). */
    private static final class Events implements ControllerListener
    {
        final CountDownLatch up = new CountDownLatch(1);
        final AtomicInteger down = new AtomicInteger();
        final AtomicReference<ControllerClient> client = new AtomicReference<>();

        @Override
        public void onSessionUp()
        {
            up.countDown();
            final ControllerClient c = client.get();
            if (c != null)
            {
                c.session().endOfRib();
            }
        }

        @Override
        public void onSessionDown()
        {
            down.incrementAndGet();
        }

        @Override
        public void onRoutes(final ChannelMessage.RouteUpdate update)
        {
        }

        @Override
        public void onConfig(final ChannelMessage.Config config)
        {
        }

        @Override
        public void onEndOfRib()
        {
        }
    }

    private static ControllerClient connect(final String name, final InetSocketAddress at, final SslContext ssl,
        final Events events)
    {
        final ControllerClient c = new ControllerClient(name, List.of(at), 90, ssl, events);
        events.client.set(c);
        return c;
    }

    private static boolean ready(final Controller controller, final String node)
    {
        return controller.nodes().lines().anyMatch(l -> l.startsWith(node + " ") && l.trim().endsWith(" Ready"));
    }

    private static void awaitReady(final Controller controller, final String node) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ready(controller, node))
        {
            assertTrue(System.nanoTime() < deadline, node + " not Ready: " + controller.nodes());
            Thread.sleep(20);
        }
    }

    @Test
    void mutualTlsAdmitsANodeWithACertificateAndRefusesOneWithout() throws Exception
    {
        final Controller controller = new Controller(new Cluster(), null);
        try (ControllerServer server = server(controller))
        {
            final Events good = new Events();
            try (ControllerClient client = connect("node-1", server.address(), node("node-1"), good))
            {
                client.start();
                assertTrue(good.up.await(20, TimeUnit.SECONDS), "session up over mutual TLS");
                awaitReady(controller, "node-1");
            }
            final Events anonymous = new Events();
            try (ControllerClient client = connect("node-2", server.address(),
                XmppTls.client(null, null, certs.ca().toFile()), anonymous))
            {
                client.start();
                assertFalse(anonymous.up.await(3, TimeUnit.SECONDS), "no session without a client certificate");
            }
        }
    }

    @Test
    void anotherNodesCertificateCannotClaimANodesName() throws Exception
    {
        final Controller controller = new Controller(new Cluster(), null);
        try (ControllerServer server = server(controller))
        {
            final Events real = new Events();
            try (ControllerClient client = connect("node-1", server.address(), node("node-1"), real))
            {
                client.start();
                assertTrue(real.up.await(20, TimeUnit.SECONDS), "the real node-1 is up");
                awaitReady(controller, "node-1");

                final Events impostor = new Events();
                try (ControllerClient evil = connect("node-1", server.address(), node("node-2"), impostor))
                {
                    evil.start();
                    assertFalse(impostor.up.await(3, TimeUnit.SECONDS),
                        "node-2's certificate cannot open a stream as node-1");
                }
                final Events renamed = new Events();
                try (ControllerClient evil = connect("evilnode", server.address(), node("node-2"), renamed))
                {
                    evil.start();
                    assertFalse(renamed.up.await(3, TimeUnit.SECONDS), "nor as a new name");
                }
                assertEquals(0, real.down.get(), "the real session was not replaced");
                assertTrue(client.session().isOpen());
                assertTrue(ready(controller, "node-1"), controller.nodes());
                assertFalse(controller.nodes().contains("evilnode"), controller.nodes());
            }
        }
    }

    @Test
    void plaintextImpersonationIsRefused() throws Exception
    {
        final Controller controller = new Controller(new Cluster(), null);
        try (ControllerServer server = server(controller))
        {
            final Events real = new Events();
            try (ControllerClient client = connect("node-1", server.address(), node("node-1"), real))
            {
                client.start();
                assertTrue(real.up.await(20, TimeUnit.SECONDS));
                awaitReady(controller, "node-1");
                try (Socket s = new Socket())
                {
                    s.connect(server.address(), 5000);
                    s.setSoTimeout(5000);
                    s.getOutputStream().write(("<?xml version='1.0'?><stream:stream from='node-1' to='" +
                        ContrailXmpp.CONTROL_JID + "' version='1.0' xmlns='jabber:client' " +
                        "xmlns:stream='http://etherx.jabber.org/streams'>").getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                    final String answer = readAll(s.getInputStream());
                    assertFalse(answer.contains("stream:stream"), "no stream for plaintext: " + answer);
                }
                assertEquals(0, real.down.get(), "the real session was not replaced");
                assertTrue(ready(controller, "node-1"), controller.nodes());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new ControllerServer(controller,
            new InetSocketAddress("127.0.0.1", 0), 90, null, false), "plain TCP only when insecure");
    }

    @Test
    void aSessionThatRequiresACertificateRefusesAPlainStream()
    {
        final Controller controller = new Controller(new Cluster(), null);
        final Events events = new Events();
        final ControllerSession session = new ControllerSession(controller, true);
        try (XmppPipe pipe = new XmppPipe(new NodeSession("node-1", events), session))
        {
            pipe.pump();
            pipe.pump();
            assertNull(session.node(), "stream refused before the controller hears of it");
            assertFalse(pipe.second().isActive());
            assertEquals(1, events.up.getCount(), "the node never saw the controller's stream header");
            assertFalse(controller.nodes().contains("node-1"));
        }
    }

    private static String readAll(final InputStream in)
    {
        final StringBuilder out = new StringBuilder();
        final byte[] buf = new byte[4096];
        try
        {
            int n;
            while ((n = in.read(buf)) > 0)
            {
                out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        }
        catch (final IOException e)
        {
            out.append("[").append(e.getClass().getSimpleName()).append("]");
        }
        return out.toString();
    }
}
