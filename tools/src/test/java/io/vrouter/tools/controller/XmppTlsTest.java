package io.vrouter.tools.controller;

import io.vrouter.xmpp.ChannelMessage;
import io.vrouter.xmpp.ControllerClient;
import io.vrouter.xmpp.ControllerListener;
import io.vrouter.xmpp.XmppTls;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The channel over real TCP on loopback with mutual TLS (throwaway certificates made with openssl):
 * a node with a certificate from the CA gets a session; a node without one does not.
 */
class XmppTlsTest
{
    private static void openssl(final Path dir, final String... args) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(Stream.concat(Stream.of("openssl"), Stream.of(args)).toList())
            .directory(dir.toFile()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + String.join(" ", args) +
            " failed (openssl is required for this test):\n" + out);
    }

    private static void issue(final Path dir, final String name) throws IOException, InterruptedException
    {
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-subj", "/CN=" + name,
            "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:" + name + "\n");
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "1", "-extfile", name + ".ext", "-out", name + ".pem");
        openssl(dir, "pkcs8", "-topk8", "-nocrypt", "-in", name + ".key", "-out", name + ".pk8");
    }

    private static final class Events implements ControllerListener
    {
        final CountDownLatch up = new CountDownLatch(1);

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

    @Test
    void mutualTlsAdmitsANodeWithACertificateAndRefusesOneWithout() throws Exception
    {
        final Path dir = Files.createTempDirectory("xmpp-tls");
        try
        {
            openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-subj", "/CN=lab-ca",
                "-days", "1", "-out", "ca.pem");
            issue(dir, "controller");
            issue(dir, "node-1");
            final File ca = dir.resolve("ca.pem").toFile();
            final Controller controller = new Controller(new Cluster(), null);
            try (ControllerServer server = new ControllerServer(controller, new InetSocketAddress("127.0.0.1", 0), 90,
                XmppTls.server(dir.resolve("controller.pem").toFile(), dir.resolve("controller.pk8").toFile(), ca)))
            {
                final Events good = new Events();
                try (ControllerClient client = new ControllerClient("node-1", List.of(server.address()), 90,
                    XmppTls.client(dir.resolve("node-1.pem").toFile(), dir.resolve("node-1.pk8").toFile(), ca), good))
                {
                    client.start();
                    assertTrue(good.up.await(20, TimeUnit.SECONDS), "session up over mutual TLS");
                    assertTrue(controller.pods().startsWith("NAMESPACE"));
                }
                final Events anonymous = new Events();
                try (ControllerClient client = new ControllerClient("node-2", List.of(server.address()), 90,
                    XmppTls.client(null, null, ca), anonymous))
                {
                    client.start();
                    assertFalse(anonymous.up.await(3, TimeUnit.SECONDS), "no session without a client certificate");
                }
            }
        }
        finally
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
