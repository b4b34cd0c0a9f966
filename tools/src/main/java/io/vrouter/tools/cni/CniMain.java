package io.vrouter.tools.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vrouter.agent.api.NodeEndpoints;
import io.vrouter.agent.control.ControlClient;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.PodRequest;
import io.vrouter.core.request.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code vrouter-cni}: a CNI plugin (specification 1.0.0; results also in 0.3.0, 0.3.1 and 0.4.0) that
 * gets a pod's interface from the local {@code vrouterd}, as Contrail's {@code contrail-k8s-cni} gets it
 * from its agent: ADD asks the agent to attach the pod's interface (the address, MAC and label the
 * controller gave it) in the runtime's network namespace, waiting while the agent has not got the
 * pod's configuration yet, and prints the result (interfaces, IPs, routes, DNS); DEL asks it to detach
 * (idempotent: nothing attached is success); CHECK compares the agent's view, the namespace's interface
 * and the previous result; VERSION prints the versions supported. Errors are CNI error JSON on stdout
 * with exit status 1.
 * <p>
 * The pod is {@code K8S_POD_NAMESPACE}/{@code K8S_POD_NAME} from {@code CNI_ARGS} (the namespace
 * defaults to the configuration's {@code podNamespace}, else {@code default}). Configuration keys:
 * {@code cniVersion}, {@code name}, {@code type}, {@code socket} (vrouterd's control socket, default
 * {@code /var/run/vrouter/vrouterd.sock}), {@code podNamespace}, {@code timeoutSeconds} (how long ADD
 * waits for the pod's configuration, default 60).
 */
public final class CniMain
{
    /** The specification version this plugin implements. */
    public static final String SPEC_VERSION = "1.0.0";
    /** The versions it can answer in. */
    public static final List<String> SUPPORTED = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RETRY_MILLIS = 250;

    private CniMain()
    {
    }

    /**
     * Entry point: the runtime's environment and configuration (stdin), the result or error on stdout.
     *
     * @param args ignored (CNI passes everything in the environment and on stdin).
     */
    public static void main(final String[] args)
    {
        final PrintStream out = System.out;
        // Nothing but the result may reach stdout: anything else printed goes to stderr.
        System.setOut(System.err);
        final int status = run(System.getenv(), System.in, out);
        out.flush();
        System.exit(status);
    }

    /**
     * Runs one CNI command.
     *
     * @param env   the environment ({@code CNI_COMMAND}, {@code CNI_CONTAINERID}, ...).
     * @param stdin the network configuration.
     * @param out   where the result or the error goes.
     * @return the exit status: 0, or 1 after an error result.
     */
    public static int run(final Map<String, String> env, final InputStream stdin, final PrintStream out)
    {
        String version = SPEC_VERSION;
        try
        {
            final String command = env.getOrDefault("CNI_COMMAND", "");
            if (command.equals("VERSION"))
            {
                print(out, version());
                return 0;
            }
            final JsonNode config = config(stdin);
            version = config.path("cniVersion").asText();
            if (!SUPPORTED.contains(version))
            {
                final String asked = version;
                version = SPEC_VERSION;
                throw new CniError(CniError.INCOMPATIBLE_VERSION, "cniVersion " + asked + " is not supported",
                    "supported: " + SUPPORTED);
            }
            switch (command)
            {
                case "ADD" -> print(out, add(env, config, version));
                case "DEL" -> del(env, config);
                case "CHECK" -> check(env, config, version);
                case "" -> throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND is not set");
                default -> throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND " + command +
                    " is not ADD, DEL, CHECK or VERSION");
            }
            return 0;
        }
        catch (final CniError e)
        {
            final Map<String, Object> error = new LinkedHashMap<>();
            error.put("cniVersion", version);
            error.put("code", e.code());
            error.put("msg", e.getMessage());
            if (!e.details().isEmpty())
            {
                error.put("details", e.details());
            }
            print(out, error);
            return 1;
        }
    }

    private static Map<String, Object> version()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("cniVersion", SPEC_VERSION);
        m.put("supportedVersions", SUPPORTED);
        return m;
    }

    private static JsonNode config(final InputStream stdin) throws CniError
    {
        final JsonNode config;
        try
        {
            config = JSON.readTree(new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (final JsonProcessingException e)
        {
            throw new CniError(CniError.DECODING_FAILURE, "the network configuration is not JSON",
                e.getOriginalMessage());
        }
        catch (final IOException e)
        {
            throw new CniError(CniError.IO_FAILURE, "cannot read the network configuration", e.getMessage());
        }
        if (config == null || !config.isObject())
        {
            throw new CniError(CniError.DECODING_FAILURE, "the network configuration is not a JSON object");
        }
        if (!config.path("cniVersion").isTextual())
        {
            throw new CniError(CniError.INVALID_CONFIG, "the network configuration has no cniVersion");
        }
        for (final String key : List.of("socket", "podNamespace"))
        {
            if (config.has(key) && !config.get(key).isTextual())
            {
                throw new CniError(CniError.INVALID_CONFIG, key + " must be a string");
            }
        }
        if (config.has("timeoutSeconds") && (!config.get("timeoutSeconds").canConvertToInt() ||
            config.get("timeoutSeconds").asInt() < 0 || config.get("timeoutSeconds").asInt() > 3600))
        {
            throw new CniError(CniError.INVALID_CONFIG, "timeoutSeconds must be 0..3600");
        }
        return config;
    }

    // ------------------------------------------------------------------------------------------ commands

    private static Map<String, Object> add(final Map<String, String> env, final JsonNode config, final String version)
        throws CniError
    {
        final String container = required(env, "CNI_CONTAINERID");
        final String netns = required(env, "CNI_NETNS");
        final String ifname = required(env, "CNI_IFNAME");
        if (!netns.startsWith("/"))
        {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_NETNS " + netns + " is not an absolute path");
        }
        final String[] pod = pod(env, config);
        final long deadline = System.nanoTime() +
            TimeUnit.SECONDS.toNanos(config.path("timeoutSeconds").asInt(60));
        final PodRequest request = PodRequest.attach(pod[0], pod[1], container, netns, ifname);
        try (ControlClient client = connect(config))
        {
            while (true)
            {
                final Response r = call(client, request);
                if (r.code() == 0 && !r.objects().isEmpty())
                {
                    return result(r.first(PodRequest.class), version);
                }
                if (r.code() != Errno.EAGAIN || System.nanoTime() - deadline > 0)
                {
                    throw refused(r, pod);
                }
                sleep();
            }
        }
    }

    private static void del(final Map<String, String> env, final JsonNode config) throws CniError
    {
        final String container = required(env, "CNI_CONTAINERID");
        final String[] pod = pod(env, config);
        try (ControlClient client = connect(config))
        {
            final Response r = call(client, PodRequest.named(Op.DELETE, pod[0], pod[1], container));
            if (r.code() < 0)
            {
                throw refused(r, pod);
            }
        }
    }

    private static void check(final Map<String, String> env, final JsonNode config, final String version)
        throws CniError
    {
        if (version.startsWith("0.3."))
        {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "CHECK needs cniVersion 0.4.0 or later");
        }
        final String container = required(env, "CNI_CONTAINERID");
        final String netns = required(env, "CNI_NETNS");
        final String ifname = required(env, "CNI_IFNAME");
        final String[] pod = pod(env, config);
        final PodRequest have;
        try (ControlClient client = connect(config))
        {
            final Response r = call(client, PodRequest.named(Op.GET, pod[0], pod[1], container));
            if (r.code() < 0 || r.objects().isEmpty())
            {
                throw refused(r, pod);
            }
            have = r.first(PodRequest.class);
        }
        final String key = pod[0] + "/" + pod[1];
        if (!have.container().equals(container) || !have.netns().equals(netns) || !have.ifname().equals(ifname))
        {
            throw new CniError(CniError.CHECK_FAILED, "pod " + key + " is not attached to this container's " +
                ifname, "vrouterd has it " + (have.vif() < 0 ? "detached" : "in container " + have.container() +
                " at " + have.netns() + " " + have.ifname()));
        }
        final JsonNode previous = config.path("prevResult").path("ips");
        if (previous.isArray() && !previous.isEmpty() &&
            !previous.get(0).path("address").asText().equals(have.address()))
        {
            throw new CniError(CniError.CHECK_FAILED, "the previous result's address " +
                previous.get(0).path("address").asText() + " is not the pod's " + have.address());
        }
        final String shown = inNamespace(netns, "ip", "-o", "addr", "show", "dev", ifname);
        if (!shown.contains(" " + have.address() + " ") || !macOf(netns, ifname).equalsIgnoreCase(have.mac()))
        {
            throw new CniError(CniError.CHECK_FAILED, ifname + " in " + netns + " does not carry " + have.address() +
                " and " + have.mac(), shown.trim());
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The pod's namespace and name from {@code CNI_ARGS}. */
    private static String[] pod(final Map<String, String> env, final JsonNode config) throws CniError
    {
        final Map<String, String> args = new LinkedHashMap<>();
        for (final String pair : env.getOrDefault("CNI_ARGS", "").split(";"))
        {
            final int eq = pair.indexOf('=');
            if (eq > 0)
            {
                args.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        final String name = args.getOrDefault("K8S_POD_NAME", "");
        if (name.isEmpty())
        {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_ARGS names no pod (K8S_POD_NAME)",
                "CNI_ARGS=" + env.getOrDefault("CNI_ARGS", ""));
        }
        final String namespace = args.getOrDefault("K8S_POD_NAMESPACE",
            config.path("podNamespace").asText("default"));
        return new String[] {namespace.isEmpty() ? "default" : namespace, name};
    }

    private static String required(final Map<String, String> env, final String name) throws CniError
    {
        final String v = env.getOrDefault(name, "");
        if (v.isEmpty())
        {
            throw new CniError(CniError.INVALID_ENVIRONMENT, name + " is not set");
        }
        return v;
    }

    private static ControlClient connect(final JsonNode config) throws CniError
    {
        final Path socket = Path.of(config.path("socket").asText(NodeEndpoints.CONTROL_SOCKET.toString()));
        try
        {
            return ControlClient.connect(socket);
        }
        catch (final RuntimeException e)
        {
            throw new CniError(CniError.TRY_AGAIN_LATER, "vrouterd is not reachable at " + socket,
                String.valueOf(e.getMessage()));
        }
    }

    private static Response call(final ControlClient client, final PodRequest request) throws CniError
    {
        try
        {
            return client.call(List.of(request)).get(0);
        }
        catch (final RuntimeException e)
        {
            throw new CniError(CniError.IO_FAILURE, "vrouterd did not answer", String.valueOf(e.getMessage()));
        }
    }

    private static CniError refused(final Response r, final String[] pod)
    {
        final String key = pod[0] + "/" + pod[1];
        if (r.code() == Errno.EAGAIN)
        {
            return new CniError(CniError.TRY_AGAIN_LATER, "vrouterd has no interface for pod " + key + " yet",
                r.message());
        }
        if (r.code() == Errno.ENOENT)
        {
            return new CniError(CniError.UNKNOWN_CONTAINER, "vrouterd: pod " + key + ": " + r.message());
        }
        return new CniError(CniError.AGENT_REFUSED, "vrouterd refused pod " + key + ": " + r.message(),
            Errno.name(r.code()));
    }

    /** The result, in the configuration's version (0.3.x and 0.4.0 name each IP's version). */
    private static Map<String, Object> result(final PodRequest pod, final String version)
    {
        final Map<String, Object> iface = new LinkedHashMap<>();
        iface.put("name", pod.ifname());
        iface.put("mac", pod.mac());
        iface.put("sandbox", pod.netns());
        final Map<String, Object> ip = new LinkedHashMap<>();
        if (!version.equals("1.0.0"))
        {
            ip.put("version", "4");
        }
        ip.put("address", pod.address());
        ip.put("gateway", pod.gateway());
        ip.put("interface", 0);
        final Map<String, Object> route = new LinkedHashMap<>();
        route.put("dst", "0.0.0.0/0");
        route.put("gw", pod.gateway());
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("cniVersion", version);
        m.put("interfaces", List.of(iface));
        m.put("ips", List.of(ip));
        m.put("routes", List.of(route));
        m.put("dns", pod.dns().isEmpty() ? Map.of() : Map.of("nameservers", List.of(pod.dns())));
        return m;
    }

    private static String macOf(final String netns, final String ifname) throws CniError
    {
        final String link = inNamespace(netns, "ip", "-o", "link", "show", "dev", ifname);
        final int at = link.indexOf("link/ether ");
        return at < 0 ? "" : link.substring(at + 11).split("\\s+")[0];
    }

    private static String inNamespace(final String netns, final String... command) throws CniError
    {
        final List<String> c = new java.util.ArrayList<>(List.of("nsenter", "--net=" + netns));
        c.addAll(List.of(command));
        try
        {
            final Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            p.getOutputStream().close();
            final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
            {
                p.destroyForcibly();
                throw new CniError(CniError.CHECK_FAILED, ifname(command) + " not found in " + netns, output.trim());
            }
            return output;
        }
        catch (final IOException e)
        {
            throw new CniError(CniError.IO_FAILURE, "cannot run " + String.join(" ", c), e.getMessage());
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new CniError(CniError.IO_FAILURE, "interrupted");
        }
    }

    private static String ifname(final String... command)
    {
        return command[command.length - 1];
    }

    private static void print(final PrintStream out, final Object value)
    {
        try
        {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() throws CniError
    {
        try
        {
            Thread.sleep(RETRY_MILLIS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new CniError(CniError.TRY_AGAIN_LATER, "interrupted while waiting for vrouterd");
        }
    }
}
