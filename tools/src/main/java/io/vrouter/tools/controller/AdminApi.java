package io.vrouter.tools.controller;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.vrouter.agent.introspect.PrometheusText;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The controller's admin endpoint (HTTP on localhost, plain text), what {@code vrouter-controller
 * apply/delete/get} talk to: {@code POST /apply?namespace=NS} and {@code POST /delete?namespace=NS}
 * with a YAML body, {@code GET /pods}, {@code GET /networks}, {@code GET /routes?instance=RI},
 * {@code GET /metrics} (Prometheus text format).
 * Errors answer 400 with the reason; the model is unchanged.
 */
public final class AdminApi implements AutoCloseable
{
    private final HttpServer server;

    /**
     * Starts serving.
     *
     * @param controller the controller.
     * @param address    where to listen (localhost).
     * @throws IOException when the address cannot be bound.
     */
    public AdminApi(final Controller controller, final InetSocketAddress address) throws IOException
    {
        server = HttpServer.create(address, 16);
        server.createContext("/apply", ex -> manifest(ex, controller, true));
        server.createContext("/delete", ex -> manifest(ex, controller, false));
        server.createContext("/pods", ex -> reply(ex, 200, controller.pods()));
        server.createContext("/networks", ex -> reply(ex, 200, controller.networks()));
        server.createContext("/nodes", ex -> reply(ex, 200, controller.nodes()));
        server.createContext("/metrics", ex -> reply(ex, 200, controller.metrics(), PrometheusText.CONTENT_TYPE));
        server.createContext("/routes", ex ->
        {
            final String instance = query(ex).get("instance");
            if (instance == null)
            {
                reply(ex, 400, "missing ?instance=\n");
                return;
            }
            final StringBuilder out = new StringBuilder();
            controller.routes(instance).forEach((prefix, e) -> out.append(prefix).append(' ')
                .append(e.nextHops()).append('\n'));
            reply(ex, 200, out.toString());
        });
        server.start();
    }

    /**
     * The bound address.
     *
     * @return the address.
     */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    private static void manifest(final HttpExchange ex, final Controller controller, final boolean apply)
        throws IOException
    {
        if (!ex.getRequestMethod().equals("POST"))
        {
            reply(ex, 405, "POST a YAML manifest\n");
            return;
        }
        final String yaml;
        try (InputStream in = ex.getRequestBody())
        {
            final byte[] body = in.readNBytes(Resource.MAX_MANIFEST + 1);
            if (body.length > Resource.MAX_MANIFEST)
            {
                reply(ex, 413, "manifest larger than " + Resource.MAX_MANIFEST + " bytes\n");
                return;
            }
            yaml = new String(body, StandardCharsets.UTF_8);
        }
        final String namespace = query(ex).getOrDefault("namespace", "default");
        try
        {
            final List<Resource> resources = Resource.parseAll(yaml, query(ex).getOrDefault("source", "manifest"));
            final List<String> lines = apply ? controller.apply(resources, namespace) :
                controller.delete(resources, namespace);
            reply(ex, 200, String.join("\n", lines) + (lines.isEmpty() ? "" : "\n"));
        }
        catch (final IllegalArgumentException e)
        {
            reply(ex, 400, "error: " + e.getMessage() + "\n");
        }
    }

    private static Map<String, String> query(final HttpExchange ex)
    {
        final Map<String, String> out = new HashMap<>();
        final String q = ex.getRequestURI().getRawQuery();
        if (q != null)
        {
            for (final String kv : q.split("&"))
            {
                final int eq = kv.indexOf('=');
                if (eq > 0)
                {
                    out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void reply(final HttpExchange ex, final int status, final String text) throws IOException
    {
        reply(ex, status, text, "text/plain; charset=utf-8");
    }

    private static void reply(final HttpExchange ex, final int status, final String text, final String contentType)
        throws IOException
    {
        final byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody())
        {
            out.write(body);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
