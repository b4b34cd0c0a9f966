package io.vrouter.tools.controller;

import io.vrouter.xmpp.ContrailXmpp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed and hostile input on a real controller socket (loopback TCP, hold time 3 s): each ends
 * with that session closed (at once, or for a truncated stanza when the hold time expires; an
 * unknown instance gets an error answer first) and the controller's state untouched.
 */
class HostileXmppTest
{
    private static final String HEADER = ContrailXmpp.streamHeader("evil-node", ContrailXmpp.CONTROL_JID, null);

    /** Sends bytes and reads until the server closes or 5 s pass; returns what the server sent. */
    private static String exchange(final InetSocketAddress server, final byte[]... parts) throws IOException
    {
        try (Socket s = new Socket())
        {
            s.connect(server, 5000);
            s.setSoTimeout(5000);
            final OutputStream out = s.getOutputStream();
            try
            {
                for (final byte[] p : parts)
                {
                    out.write(p);
                }
                out.flush();
            }
            catch (final IOException e)
            {
                return "CLOSED-ON-WRITE";
            }
            final InputStream in = s.getInputStream();
            final StringBuilder got = new StringBuilder();
            final byte[] buf = new byte[8192];
            try
            {
                int n;
                while ((n = in.read(buf)) >= 0)
                {
                    got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
                return got.append("<<CLOSED>>").toString();
            }
            catch (final SocketTimeoutException e)
            {
                return got.append("<<OPEN>>").toString();
            }
            catch (final IOException e)
            {
                return got.append("<<CLOSED>>").toString();
            }
        }
    }

    private static byte[] b(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hostileInputClosesTheSessionAndLeavesTheControllerAsItWas() throws Exception
    {
        final Controller controller = new Controller(new Cluster(), null);
        controller.apply(Resource.parseAll("kind: Pod\nmetadata: {name: a}\n", "t"), "default");
        final String pods = controller.pods();
        final String nodes = controller.nodes();
        try (ControllerServer server = new ControllerServer(controller, new InetSocketAddress("127.0.0.1", 0), 3,
            null, true))
        {
            final InetSocketAddress at = server.address();
            final List<byte[][]> hostile = List.of(
                new byte[][] {b("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 " +
                    "'&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>]><lolz>&lol2;</lolz>")},
                new byte[][] {b(HEADER + "<iq type='set' id='1'><pubsub><subscribe node='x'>"), b("</iq>")},
                new byte[][] {b(HEADER + "<message><body>&xxe;</body></message>")},
                new byte[][] {b(HEADER + "<iq>" + "<a>".repeat(100))},
                new byte[][] {b(HEADER + "<message><body>"), new byte[5 * 1024 * 1024]},
                new byte[][] {b(HEADER + "<iq type='set' id='2'><pubsub><publish node='1/1/vn/10.0.0.1/32'><item>" +
                    "<entry><nlri><af>1</af><safi>1</safi><address>10.0.0.1/32</address></nlri><next-hops><next-hop>" +
                    "<af>1</af><address>1.1.1.1</address><label>16</label></next-hop></next-hops></entry></item>" +
                    "</publish></pubsub></iq>")},
                new byte[][] {b("GET / HTTP/1.1\r\nHost: x\r\n\r\n")});
            for (final byte[][] input : hostile)
            {
                final String answer = exchange(at, input);
                assertTrue(answer.endsWith("<<CLOSED>>") || answer.equals("CLOSED-ON-WRITE"),
                    "session closed for " + new String(input[0], StandardCharsets.UTF_8) + ": " + answer);
            }
            final String unknown = exchange(at, b(HEADER + "<iq type='set' id='sub1'><pubsub><subscribe node='" +
                "default-domain:nope:nope:nope'><options><instance-id>1</instance-id></options></subscribe>" +
                "</pubsub></iq>"));
            assertTrue(unknown.contains("type=\"error\"") && unknown.contains("unknown routing instance"), unknown);
            assertTrue(!unknown.contains("</stream:stream>") || unknown.indexOf("unknown routing instance") <
                unknown.indexOf("</stream:stream>"), "refused by an answer, not by closing: " + unknown);
        }
        assertEquals(pods, controller.pods(), "no pod changed");
        assertEquals(nodes, controller.nodes(), "no node registered");
        assertTrue(controller.routes("default-domain:k8s-default:k8s-default-pod-network:k8s-default-pod-network")
            .isEmpty(), "no route was accepted");
    }
}
