package io.vrouter.tools.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.vrouter.agent.api.NodeEndpoints;
import io.vrouter.agent.introspect.SandeshJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vrouterctl ist vr vrf [name]}, {@code vrouterctl ist vr route -v N} and {@code vrouterctl ist vr
 * xmpp}: like
 * contrail-introspect-cli, fetch from the daemon's introspect over HTTP and print its layouts
 * ({@link IstFormat}).
 */
@Command(name = "ist", mixinStandardHelpOptions = true,
    description = "Introspect queries (ist vr vrf, ist vr route -v N, ist vr xmpp).", subcommands = Ist.Vr.class)
public final class Ist
{
    @Option(names = "--host", scope = ScopeType.INHERIT, defaultValue = NodeEndpoints.INTROSPECT_HOST,
        description = "introspect host (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", scope = ScopeType.INHERIT, defaultValue = "" + NodeEndpoints.INTROSPECT_PORT,
        description = "introspect port (default: ${DEFAULT-VALUE})")
    int port;

    @Spec
    CommandSpec spec;

    /** The global {@code --json} (before or after any of the {@code ist} words). */
    boolean json()
    {
        return ((VrouterCtl)spec.root().userObject()).json;
    }

    JsonNode get(final String path)
    {
        final URI uri = URI.create("http://" + host + ":" + port + path);
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try
        {
            final HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
            final JsonNode body = SandeshJson.mapper().readTree(r.body());
            if (r.statusCode() != 200)
            {
                throw new VrouterCtl.CliException("introspect " + uri + " answered " + r.statusCode() + ": "
                    + body.path("error").asText(r.body()));
            }
            return body;
        }
        catch (final IOException e)
        {
            throw new VrouterCtl.CliException("vrouterd introspect is not reachable at http://" + host + ":" + port
                + " (is vrouterd running?): " + e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new VrouterCtl.CliException("interrupted");
        }
    }

    /** {@code ist vr}. */
    @Command(name = "vr", mixinStandardHelpOptions = true, description = "vRouter agent pages.",
        subcommands = {Vrf.class, Route.class, Xmpp.class})
    static final class Vr
    {
        @ParentCommand
        Ist ist;
    }

    /** {@code ist vr vrf [name]}. */
    @Command(name = "vrf", mixinStandardHelpOptions = true, description = "VRFs (name, ucindex, ... vn).")
    static final class Vrf implements Callable<Integer>
    {
        @ParentCommand
        Vr vr;

        @Parameters(arity = "0..1", paramLabel = "NAME", description = "only VRFs whose name contains this")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            final String q = name == null ? "" : "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
            final JsonNode body = vr.ist.get("/vrfs" + q);
            spec.commandLine().getOut().print(vr.ist.json() ? SandeshJson.write(body)
                : IstFormat.vrfTable(body.path("vrfs")));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code ist vr xmpp}. */
    @Command(name = "xmpp", mixinStandardHelpOptions = true,
        description = "Controller sessions (controller_ip, state, peer_name, ... flap_time).")
    static final class Xmpp implements Callable<Integer>
    {
        @ParentCommand
        Vr vr;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            final JsonNode body = vr.ist.get("/xmpp");
            spec.commandLine().getOut().print(vr.ist.json() ? SandeshJson.write(body)
                : IstFormat.xmppTable(body.path("peers")));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code ist vr route -v N [-f family] [-p prefix/len]}. */
    @Command(name = "route", mixinStandardHelpOptions = true, description = "Routes of a VRF.")
    static final class Route implements Callable<Integer>
    {
        @ParentCommand
        Vr vr;

        @Option(names = {"-v", "--vrf"}, required = true, paramLabel = "N", description = "VRF index")
        int vrf;

        @Option(names = {"-f", "--family"}, defaultValue = "inet", description = "inet, inet6 or bridge")
        String family;

        @Option(names = {"-p", "--prefix"}, paramLabel = "PREFIX/LEN", description = "only this prefix")
        String prefix;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            String q = "/routes?vrf=" + vrf + "&family=" + URLEncoder.encode(family, StandardCharsets.UTF_8);
            if (prefix != null)
            {
                q += "&prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8);
            }
            final JsonNode body = vr.ist.get(q);
            if (body.path("routes").isEmpty())
            {
                knownVrf();
            }
            spec.commandLine().getOut().print(vr.ist.json() ? SandeshJson.write(body)
                : IstFormat.routes(body.path("routes")));
            spec.commandLine().getOut().flush();
            return 0;
        }

        /** Refuses a VRF the introspect does not list (an empty answer would look like an empty VRF). */
        private void knownVrf()
        {
            final StringBuilder known = new StringBuilder();
            for (final JsonNode v : vr.ist.get("/vrfs").path("vrfs"))
            {
                if (v.path("ucindex").asInt(-1) == vrf)
                {
                    return;
                }
                known.append(known.isEmpty() ? "" : ", ").append(v.path("ucindex").asText());
            }
            throw new VrouterCtl.CliException("no VRF " + vrf + " (the introspect lists VRFs " + known + ")");
        }
    }
}
