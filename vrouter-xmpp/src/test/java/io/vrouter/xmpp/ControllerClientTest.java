package io.vrouter.xmpp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Which servers the client's sessions use: with two sessions, one each on the first two servers; a lost one
 * moves to the next server the other session is not using. Plain loopback listeners stand for the
 * controllers (a connection is all that is looked at; no stream is opened).
 */
class ControllerClientTest
{
    private static final ControllerListener IGNORE = new ControllerListener()
    {
        @Override
        public void onSessionUp()
        {
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
    };

    /** A loopback listener recording the connections it accepts. */
    private static final class Listener implements AutoCloseable
    {
        final ServerSocket socket;
        final LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();

        Listener() throws IOException
        {
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            final Thread t = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        accepted.add(socket.accept());
                    }
                }
                catch (final IOException e)
                {
                    // closed
                }
            }, "test-listener");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address()
        {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        Socket next() throws InterruptedException
        {
            return accepted.poll(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
            for (final Socket s : accepted)
            {
                s.close();
            }
        }
    }

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception
    {
        for (final AutoCloseable c : opened.reversed())
        {
            c.close();
        }
    }

    private Listener listener() throws IOException
    {
        final Listener l = new Listener();
        opened.add(l);
        return l;
    }

    @Test
    void twoSessionsUseTheFirstTwoServersAndALostOneMovesToTheServerNobodyUses() throws Exception
    {
        final Listener a = listener();
        final Listener b = listener();
        final Listener c = listener();
        final ControllerClient client = new ControllerClient("node-1", List.of(a.address(), b.address(),
            c.address()), 2, 90, null, index -> IGNORE);
        opened.add(client);
        client.start();
        final Socket toA = a.next();
        assertNotNull(toA, "session 0 connects to the first server");
        assertNotNull(b.next(), "session 1 connects to the second server");
        assertEquals(2, client.sessions());
        assertEquals(a.socket.getLocalPort(), client.status().get(0).port());
        assertEquals(b.socket.getLocalPort(), client.status().get(1).port());

        toA.close();
        a.close();
        assertNotNull(c.next(), "session 0, its server gone, moves to the third (the second is session 1's)");
        assertEquals(c.socket.getLocalPort(), client.status().get(0).port());
        assertEquals(b.socket.getLocalPort(), client.status().get(1).port());
    }

    @Test
    void oneServerGivesOneSession() throws Exception
    {
        final Listener a = listener();
        final ControllerClient client = new ControllerClient("node-1", List.of(a.address()), 2, 90, null,
            index -> IGNORE);
        opened.add(client);
        client.start();
        assertNotNull(a.next());
        assertEquals(1, client.sessions());
        assertEquals(1, client.status().size());
    }

    @Test
    void refusesNoServerOrMoreThanTwoSessions()
    {
        assertThrows(IllegalArgumentException.class, () -> new ControllerClient("n", List.of(), 1, 90, null,
            index -> IGNORE));
        assertThrows(IllegalArgumentException.class, () -> new ControllerClient("n",
            List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)), 3, 90, null, index -> IGNORE));
    }
}
