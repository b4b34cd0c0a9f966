package io.vrouter.tools.controller;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin endpoint: its pages, manifest errors as 400, the loopback {@code Host} check (DNS
 * rebinding) and the descriptor-exhaustion probe.
 */
class AdminApiTest
{
    private Controller controller;
    private AdminApi api;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException
    {
        controller = new Controller(new Cluster(), null);
        api = new AdminApi(controller, new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop()
    {
        api.close();
    }

    private HttpResponse<String> send(final HttpRequest.Builder b) throws Exception
    {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + api.address().getPort() + path);
    }

    private String raw(final String request) throws IOException
    {
        try (Socket s = new Socket("127.0.0.1", api.address().getPort()))
        {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void answersPagesAndRefusesBadManifestsWhole() throws Exception
    {
        final HttpResponse<String> nodes = send(HttpRequest.newBuilder(uri("/nodes")));
        assertEquals(200, nodes.statusCode());
        assertTrue(nodes.body().startsWith("NAME"), nodes.body());
        final HttpResponse<String> applied = send(HttpRequest.newBuilder(uri("/apply?namespace=default"))
            .POST(HttpRequest.BodyPublishers.ofString("kind: Pod\nmetadata: {name: a}\n")));
        assertEquals(200, applied.statusCode(), applied.body());
        assertTrue(controller.pods().contains(" a "), controller.pods());
        final HttpResponse<String> bad = send(HttpRequest.newBuilder(uri("/apply"))
            .POST(HttpRequest.BodyPublishers.ofString("kind: VirtualNetwork\nmetadata: {name: x}\n" +
                "spec: {cidr: 999.0.0.0/99}\n")));
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().startsWith("error: "), bad.body());
        assertEquals(405, send(HttpRequest.newBuilder(uri("/apply"))).statusCode());
        assertEquals(400, send(HttpRequest.newBuilder(uri("/routes"))).statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(uri("/nope"))).statusCode());
        final HttpResponse<String> huge = send(HttpRequest.newBuilder(uri("/apply"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[Resource.MAX_MANIFEST + 1])));
        assertEquals(413, huge.statusCode());
    }

    @Test
    void answersOnlyLoopbackHostNames() throws Exception
    {
        final String rebinding = raw("POST /apply HTTP/1.1\r\nHost: attacker.example:" + api.address().getPort() +
            "\r\nContent-Length: 33\r\nConnection: close\r\n\r\nkind: Pod\nmetadata: {name: evil}\n");
        assertTrue(rebinding.startsWith("HTTP/1.1 400"), rebinding);
        assertTrue(!controller.pods().contains("evil"), "nothing applied");
        assertTrue(raw("GET /nodes HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 400"), "no Host, no answer");
        assertTrue(raw("GET /nodes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .startsWith("HTTP/1.1 200"));
    }

    /** Issue 14's probe: thousands of idle connections, and a client still gets its answer. */
    @Test
    void thousandsOfIdleConnectionsLeaveAClientServed() throws Exception
    {
        final List<Socket> idle = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3000; i++)
            {
                final Socket s = new Socket();
                idle.add(s);
                s.connect(api.address(), 5000);
            }
            final HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/nodes")));
            assertEquals(200, r.statusCode(), r.body());
        }
        finally
        {
            for (final Socket s : idle)
            {
                s.close();
            }
        }
    }
}
