package io.vrouter.agent.introspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.vrouter.agent.api.RoutePeer;
import io.vrouter.agent.api.XmppPeer;
import io.vrouter.agent.testing.InProcessNode;
import io.vrouter.core.VRouter;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.Requests;
import io.vrouter.core.status.DropReason;

class IntrospectServerTest
{
    VRouter vr;
    InProcessNode node;
    IntrospectServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws IOException
    {
        vr = new VRouter(new VRouterConfig(16, 64, 8, 32, 64, 16, 4, 64, 8, 2048, true, true));
        final Forwarder w = vr.newForwarder();
        w.counters().drop(DropReason.INVALID_NH, 1);
        assertEquals(0, vr.program(InterfaceRequest.builder().idx(1).type(VifType.VIRTUAL).name("tap1").transport(2)
            .vrf(2).build()).code());
        assertEquals(0, vr.program(Requests.route4(2, "10.0.0.0/8", 0, -1, 0)).code());
        node = new InProcessNode(vr);
        server = new IntrospectServer(node, "127.0.0.1", 0);
        server.start();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
        node.close();
    }

    HttpResponse<String> get(final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(final String path) throws Exception
    {
        final HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        return SandeshJson.mapper().readTree(r.body());
    }

    @Test
    void shouldServeTablesAndCountersAsJson() throws Exception
    {
        final JsonNode vrfs = json("/vrfs").get("vrfs");
        assertEquals(2, vrfs.size());
        assertEquals(IntrospectModel.FABRIC_VRF, vrfs.get(0).get("name").asText());
        assertEquals(2, vrfs.get(1).get("ucindex").asInt());
        assertEquals(1, json("/vrfs?name=vrf-2").get("vrfs").size());
        final JsonNode routes = json("/routes?vrf=2").get("routes");
        assertEquals(1, routes.size());
        assertEquals("10.0.0.0", routes.get(0).get("src_ip").asText());
        assertEquals(8, routes.get(0).get("src_plen").asInt());
        assertEquals("discard", routes.get(0).get("path_list").get(0).get("nh").get("type").asText());
        assertEquals("tap1", json("/interfaces").get("interfaces").get(0).get("vifr_name").asText());
        assertTrue(json("/nexthops").get("nexthops").isArray());
        assertTrue(json("/labels").get("labels").isArray());
        final JsonNode counters = json("/counters");
        assertEquals(1, counters.get("workers").asInt());
        assertEquals(1, counters.get("drops").get("Invalid NH").asInt());
        assertEquals(1, counters.get("drops_per_worker").get(0).get("Invalid NH").asInt());
        assertEquals(1, counters.get("interfaces").get(0).get("drops").asInt());
        assertTrue(json("/").get("endpoints").size() > 5);
    }

    @Test
    void shouldListOnePathPerPeerAndEveryControllerSession() throws Exception
    {
        node.attachRouteOrigins(vrf -> Map.of("10.0.0.0/8", List.of(new RoutePeer("192.168.100.1", 100),
            new RoutePeer("192.168.100.1:5270", 100))));
        node.attachXmppPeers(() -> List.of(
            new XmppPeer("192.168.100.1", "Established", "network-control@contrailsystems.com",
                "192.168.100.1:5269", true, 1, 1_000, 2_000, "session up"),
            new XmppPeer("192.168.100.1:5270", "Idle", "", "192.168.100.1:5270", false, 0, 0, 3_000,
                "connect failed")));
        final JsonNode paths = json("/routes?vrf=2").get("routes").get(0).get("path_list");
        assertEquals(2, paths.size(), "one path per control node advertising the route");
        assertEquals("192.168.100.1", paths.get(0).get("peer").asText());
        assertEquals("192.168.100.1:5270", paths.get(1).get("peer").asText());
        assertEquals("discard", paths.get(1).get("nh").get("type").asText(), "every path shows the one next hop");
        final JsonNode peers = json("/xmpp").get("peers");
        assertEquals(2, peers.size());
        assertEquals("Established", peers.get(0).get("state").asText());
        assertEquals("Yes", peers.get(0).get("cfg_controller").asText());
        assertEquals(1, peers.get(0).get("flap_count").asInt());
        assertEquals("1970-01-01T00:00:01Z", peers.get(0).get("flap_time").asText());
        assertEquals("192.168.100.1:5270", peers.get(1).get("controller_ip").asText());
        assertEquals("never", peers.get(1).get("flap_time").asText());
        assertEquals("No", peers.get(1).get("cfg_controller").asText());
    }

    @Test
    void shouldListNoSessionsWithoutAController() throws Exception
    {
        assertEquals(0, json("/xmpp").get("peers").size());
    }

    @Test
    void shouldAnswerErrorsAsJson() throws Exception
    {
        assertEquals(404, get("/nope").statusCode());
        assertEquals(400, get("/routes").statusCode());
        assertEquals(400, get("/routes?vrf=x").statusCode());
        assertEquals(400, get("/routes?vrf=1&family=ipx").statusCode());
        final HttpResponse<String> negative = get("/routes?vrf=-1");
        assertEquals(400, negative.statusCode(), negative.body());
        final HttpResponse<String> tooBig = get("/routes?vrf=100000");
        assertEquals(400, tooBig.statusCode(), "a VRF beyond the table is a bad parameter: " + tooBig.body());
        final HttpResponse<String> flows = get("/flows");
        assertEquals(200, flows.statusCode(), "the flow table answers now that the policy module is in");
        assertTrue(flows.body().contains("\"flows\""), flows.body());
        final HttpResponse<String> post = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/vrfs")).POST(HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    /** A raw request with a chosen Host header (HttpClient will not send another Host). */
    String raw(final String request) throws IOException
    {
        try (Socket s = new Socket("127.0.0.1", server.port()))
        {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldAnswerOnlyLoopbackHostNames() throws Exception
    {
        final String rebinding = raw("GET /vrfs HTTP/1.1\r\nHost: attacker.example:" + server.port() +
            "\r\nConnection: close\r\n\r\n");
        assertTrue(rebinding.startsWith("HTTP/1.1 400"), rebinding);
        assertTrue(rebinding.contains("Host attacker.example"), rebinding);
        assertTrue(raw("GET /vrfs HTTP/1.0\r\n\r\n").startsWith("HTTP/1.1 400"), "no Host, no answer");
        assertTrue(raw("GET /vrfs HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n")
            .startsWith("HTTP/1.1 400"), "another port is another origin");
        for (final String host : List.of("localhost", "127.0.0.1", "localhost:" + server.port(),
            "127.0.0.1:" + server.port(), "[::1]:" + server.port()))
        {
            final String ok = raw("GET /vrfs HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertTrue(ok.startsWith("HTTP/1.1 200"), host + ": " + ok);
        }
    }

    /** Issue 14's probe: thousands of idle connections, and a real client still gets its answer. */
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
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                if (i % 100 == 0)
                {
                    s.getOutputStream().write("GET /vrfs HTTP/1.1\r\nHost: localhost\r\n".getBytes(
                        StandardCharsets.US_ASCII));
                }
            }
            final HttpResponse<String> r = get("/vrfs");
            assertEquals(200, r.statusCode(), r.body());
            int open = 0;
            for (final Socket s : idle)
            {
                s.setSoTimeout(1);
                try
                {
                    open += s.getInputStream().read() < 0 ? 0 : 1;
                }
                catch (final SocketTimeoutException e)
                {
                    open++;
                }
                catch (final IOException e)
                {
                    // reset by the server: closed
                }
            }
            assertTrue(open <= IntrospectServer.MAX_CONNECTIONS, open + " idle connections still open");
        }
        finally
        {
            for (final Socket s : idle)
            {
                s.close();
            }
        }
    }

    @Test
    void shouldRefuseAPortInUse()
    {
        final IntrospectServer second = new IntrospectServer(node, "127.0.0.1", server.port());
        assertThrows(IOException.class, second::start);
    }
}
