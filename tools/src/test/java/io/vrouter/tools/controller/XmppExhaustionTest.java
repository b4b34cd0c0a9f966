package io.vrouter.tools.controller;

import io.vrouter.agent.net.ConnectionLimiter;
import io.vrouter.tools.lab.Certificates;
import io.vrouter.xmpp.ChannelMessage;
import io.vrouter.xmpp.ControllerClient;
import io.vrouter.xmpp.ControllerListener;
import io.vrouter.xmpp.XmppTls;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's descriptor-exhaustion probe against the controller's XMPP listener: thousands of idle
 * connections that never finish a TLS handshake, and a real node (its certificate naming it) still
 * gets its session; the idle ones are closed at the cap (oldest first) and at the deadline.
 */
class XmppExhaustionTest
{
    private static final int IDLE_CONNECTIONS = 3000;
    private static final int CAP = 1024;

    @Test
    void thousandsOfIdleConnectionsLeaveARealNodeServed() throws Exception
    {
        final Path dir = Files.createTempDirectory("xmpp-probe");
        final List<Socket> idle = new ArrayList<>();
        try
        {
            final Certificates certs = Certificates.authority(dir);
            certs.issue("controller", "127.0.0.1");
            certs.issue("node-1");
            final Controller controller = new Controller(new Cluster(), null);
            final ConnectionLimiter limiter = new ConnectionLimiter("probe", CAP, 2_000);
            try (ControllerServer server = new ControllerServer(controller, new InetSocketAddress("127.0.0.1", 0), 90,
                XmppTls.server(certs.cert("controller").toFile(), certs.key("controller").toFile(),
                    certs.ca().toFile()), false, limiter))
            {
                for (int i = 0; i < IDLE_CONNECTIONS; i++)
                {
                    final Socket s = new Socket();
                    idle.add(s);
                    s.connect(server.address(), 5000);
                }
                final long capDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (limiter.open() > CAP || limiter.open() < CAP / 2)
                {
                    assertTrue(System.nanoTime() < capDeadline, "open connections: " + limiter.open());
                    Thread.sleep(10);
                }
                assertTrue(limiter.open() <= CAP, "never more than the cap open: " + limiter.open());

                final CountDownLatch up = new CountDownLatch(1);
                try (ControllerClient node = new ControllerClient("node-1", List.of(server.address()), 90,
                    XmppTls.client(certs.cert("node-1").toFile(), certs.key("node-1").toFile(), certs.ca().toFile()),
                    new Up(up)))
                {
                    node.start();
                    assertTrue(up.await(20, TimeUnit.SECONDS), "the real node is served despite " +
                        IDLE_CONNECTIONS + " idle connections");
                    final long expiry = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    while (limiter.open() != 1)
                    {
                        assertTrue(System.nanoTime() < expiry, "idle connections closed at the deadline, the " +
                            "session kept: " + limiter.open() + " open");
                        Thread.sleep(50);
                    }
                    assertTrue(node.session().isOpen(), "the real session outlives the deadline");
                }
            }
        }
        finally
        {
            for (final Socket s : idle)
            {
                s.close();
            }
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private record Up(CountDownLatch up) implements ControllerListener
    {
        @Override
        public void onSessionUp()
        {
            up.countDown();
        }

        @Override
        public void onSessionDown()
        {
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
}
