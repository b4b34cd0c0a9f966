package io.vrouter.agent.introspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.vrouter.agent.testing.InProcessNode;
import io.vrouter.core.VRouter;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.status.CounterSource;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.table.VRouterConfig;

/**
 * {@code /metrics} on the introspect: the Prometheus text format, checked by the Prometheus project's
 * own parser and linter ({@code promtool check metrics}: syntax, HELP and TYPE, naming conventions), and
 * the values read back against the forwarder's counters.
 */
class MetricsTest
{
    @Test
    void shouldServeTheCountersInThePrometheusTextFormat() throws Exception
    {
        final VRouter vr = new VRouter(new VRouterConfig(16, 64, 8, 32, 64, 16, 4, 64, 8, 2048, true, true));
        final Forwarder w = vr.newForwarder();
        assertEquals(0, vr.program(InterfaceRequest.builder().idx(1).type(VifType.VIRTUAL).name("tap\"1")
            .transport(2).vrf(2).build()).code());
        w.counters().drop(DropReason.INVALID_NH, 1);
        w.counters().drop(DropReason.INVALID_NH, 1);
        w.counters().sent(1, 3, 300);
        try (InProcessNode node = new InProcessNode(vr))
        {
            final IntrospectServer server = new IntrospectServer(node, "127.0.0.1", 0);
            server.start();
            try
            {
                final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(PrometheusText.CONTENT_TYPE, r.headers().firstValue("content-type").orElse(""));
                final String text = r.body();
                assertLine(text, "vrouter_drops_total{reason=\"invalid_nh\"} 2");
                assertLine(text, "vrouter_drops_total{reason=\"discard\"} 0");
                assertLine(text, "vrouter_interface_drops_total{vif=\"0/1\",name=\"tap\\\"1\"} 2");
                assertEquals(3, vr.interfaceCounter(1, CounterSource.IF_OPACKETS));
                assertLine(text, "vrouter_interface_transmit_packets_total{vif=\"0/1\",name=\"tap\\\"1\"} 3");
                assertLine(text, "vrouter_interface_transmit_bytes_total{vif=\"0/1\",name=\"tap\\\"1\"} 300");
                assertLine(text, "vrouter_workers 1");
                assertLine(text, "# TYPE vrouter_flow_entries gauge");
                assertLine(text, "# TYPE vrouter_flows_created_total counter");
                for (final String line : text.split("\n"))
                {
                    if (!line.startsWith("#"))
                    {
                        final String name = line.split("[{ ]")[0];
                        assertTrue(text.contains("# HELP " + name + " "), "no HELP for " + name);
                        assertTrue(text.contains("# TYPE " + name + " "), "no TYPE for " + name);
                    }
                }
                promtoolAccepts(text);
            }
            finally
            {
                server.close();
            }
        }
    }

    @Test
    void shouldRefuseNamesAgainstTheConventions()
    {
        final PrometheusText t = new PrometheusText();
        assertThrows(IllegalArgumentException.class, () -> t.counter("vrouter_packets", "x"));
        assertThrows(IllegalArgumentException.class, () -> t.gauge("vrouter_things_total", "x"));
        assertThrows(IllegalArgumentException.class, () -> t.gauge("vrouter-bad", "x"));
        t.gauge("vrouter_ok", "x");
        assertThrows(IllegalArgumentException.class, () -> t.gauge("vrouter_ok", "again"));
        assertThrows(IllegalArgumentException.class, () -> t.sample(1, "bad-label", "v"));
        assertEquals("# HELP vrouter_ok x\n# TYPE vrouter_ok gauge\nvrouter_ok{a=\"q\\\"\\\\\\n\"} 1\n",
            t.sample(1, "a", "q\"\\\n").toString());
    }

    private static void assertLine(final String text, final String line)
    {
        assertTrue(List.of(text.split("\n")).contains(line), "no line <" + line + "> in\n" + text);
    }

    /**
     * Runs {@code promtool check metrics} on the text: it parses it with Prometheus's parser and lints
     * it (HELP present, counters end in _total, base units). Skipped loudly without promtool, failed in CI.
     *
     * @param text the exposition.
     * @throws Exception if promtool cannot be run.
     */
    static void promtoolAccepts(final String text) throws Exception
    {
        final boolean present = new ProcessBuilder("sh", "-c", "command -v promtool").start().waitFor() == 0;
        if (!present)
        {
            final String ciEnv = System.getenv("CI");
            final String why = "promtool (apt-get install prometheus) is missing: the exposition was not checked "
                + "with Prometheus's parser";
            if (ciEnv != null && !ciEnv.isEmpty() && !ciEnv.equalsIgnoreCase("false"))
            {
                throw new AssertionError(why + ": not available in CI");
            }
            System.err.println("SKIPPED LOUDLY: " + why);
            Assumptions.abort(why);
        }
        final Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool hung");
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
        assertEquals("", out.strip(), "promtool lint: " + out);
    }
}
