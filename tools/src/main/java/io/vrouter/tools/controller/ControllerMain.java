package io.vrouter.tools.controller;

import io.netty.handler.ssl.SslContext;
import io.vrouter.agent.net.ConnectionLimiter;
import io.vrouter.tools.cli.VersionProvider;
import io.vrouter.xmpp.ContrailXmpp;
import io.vrouter.xmpp.XmppSession;
import io.vrouter.xmpp.XmppTls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bin/vrouter-controller}: {@code serve} runs the reference controller; {@code apply},
 * {@code delete} and {@code get} talk to a running one through its admin endpoint.
 */
@Command(name = "vrouter-controller", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    subcommands = {ControllerMain.Serve.class, ControllerMain.Apply.class, ControllerMain.Delete.class,
        ControllerMain.Get.class},
    description = "The reference controller for vrouter nodes (Kubernetes-style manifests, XMPP to the nodes).")
public final class ControllerMain
{
    /** Default admin endpoint. */
    static final String DEFAULT_API = "127.0.0.1:8082";

    private ControllerMain()
    {
    }

    /**
     * Runs the command line.
     *
     * @param args arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(ControllerMain.class)
            .setParameterExceptionHandler((ex, args1) ->
            {
                System.err.println("vrouter-controller: " + ex.getMessage() + " (see: vrouter-controller --help)");
                return 2;
            })
            .setExecutionExceptionHandler((e, cmd, parsed) ->
            {
                System.err.println("vrouter-controller: " + e.getMessage());
                return 1;
            })
            .execute(args));
    }

    static InetSocketAddress address(final String hostPort)
    {
        final int colon = hostPort.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new CommandLine.ParameterException(new CommandLine(ControllerMain.class),
                "'" + hostPort + "' is not host:port");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * Reads a saved state and its journal ({@link FileClusterStore#load}): strict UTF-8, then
     * {@link Cluster#fromYaml}'s checks.
     *
     * @param file the state file.
     * @return the model.
     * @throws IOException              when it cannot be read.
     * @throws IllegalArgumentException naming the field and reason when it is not a valid state.
     */
    static Cluster loadState(final Path file) throws IOException
    {
        return FileClusterStore.load(file);
    }

    /** {@code serve}. */
    @Command(name = "serve", description = "Run the controller until interrupted.")
    static final class Serve implements Callable<Integer>
    {
        @Option(names = "--listen", defaultValue = "0.0.0.0:" + ContrailXmpp.DEFAULT_PORT,
            description = "XMPP listen address (default ${DEFAULT-VALUE}).")
        String listen;

        @Option(names = "--api", defaultValue = DEFAULT_API, description = "Admin endpoint (default ${DEFAULT-VALUE}).")
        String api;

        @Option(names = "--state", description = "State file (created if absent; commits go to FILE.journal "
            + "beside it): the single-controller mode. With --etcd: the state to seed an etcd that holds no cluster "
            + "yet.")
        Path state;

        @Option(names = "--etcd", split = ",", paramLabel = "URL",
            description = "etcd client URLs (http://HOST:PORT, comma-separated): keep the cluster in etcd, shared " +
                "with the other controllers given the same etcd (docs/controller.md).")
        List<String> etcd;

        @Option(names = "--etcd-timeout", defaultValue = "" + EtcdClusterStore.DEFAULT_TIMEOUT_MILLIS,
            description = "Milliseconds an etcd request may take before etcd counts as unreachable (default " +
                "${DEFAULT-VALUE}).")
        long etcdTimeout;

        @Option(names = "--hold-time", defaultValue = "" + XmppSession.DEFAULT_HOLD_SECONDS,
            description = "XMPP hold time in seconds (default ${DEFAULT-VALUE}).")
        int holdTime;

        @Option(names = "--netns-prefix", defaultValue = "pod-",
            description = "Prefix of pods' network namespace names (default ${DEFAULT-VALUE}).")
        String netnsPrefix;

        @Option(names = "--eor-grace", defaultValue = "30",
            description = "Seconds end-of-RIB may wait for all known nodes after a start (default ${DEFAULT-VALUE}).")
        int eorGrace;

        @Option(names = "--tls-cert", description = "PEM certificate chain: enables TLS.")
        File tlsCert;

        @Option(names = "--tls-key", description = "PEM private key (PKCS#8) for --tls-cert.")
        File tlsKey;

        @Option(names = "--tls-ca", description = "PEM CA bundle: require and verify node certificates (mutual TLS).")
        File tlsCa;

        @Option(names = "--insecure", description = "Admit nodes without a certificate naming them: plain TCP, or " +
            "TLS without --tls-ca. Any client can then claim any node's name; for experiments only.")
        boolean insecure;

        @Option(names = "--max-connections", defaultValue = "" + ControllerServer.DEFAULT_MAX_CONNECTIONS,
            description = "Most XMPP connections open at once (default ${DEFAULT-VALUE}).")
        int maxConnections;

        @Override
        public Integer call() throws Exception
        {
            if (holdTime < 3 || holdTime > 90)
            {
                System.err.println("vrouter-controller: --hold-time must be 3..90 seconds");
                return 2;
            }
            if (maxConnections < 1)
            {
                System.err.println("vrouter-controller: --max-connections must be at least 1");
                return 2;
            }
            if (!insecure && (tlsCert == null || tlsKey == null || tlsCa == null))
            {
                System.err.println("vrouter-controller: nodes must prove their names: give --tls-cert, --tls-key " +
                    "and --tls-ca (mutual TLS), or --insecure to admit any client under any name");
                return 2;
            }
            if (tlsCert != null && tlsKey == null)
            {
                System.err.println("vrouter-controller: --tls-cert needs --tls-key");
                return 2;
            }
            if (insecure)
            {
                System.err.println("vrouter-controller: WARNING: --insecure: nodes are not authenticated; any " +
                    "client that reaches " + listen + " can claim any node's name");
            }
            if (state == null && (etcd == null || etcd.isEmpty()))
            {
                System.err.println("vrouter-controller: give --state FILE (one controller) or --etcd URL[,URL...] " +
                    "(replicated controllers)");
                return 2;
            }
            if (etcdTimeout < 100)
            {
                System.err.println("vrouter-controller: --etcd-timeout must be at least 100 ms");
                return 2;
            }
            final Cluster cluster;
            try
            {
                cluster = state != null && Files.exists(state) ? loadState(state) : new Cluster();
            }
            catch (final IllegalArgumentException | IOException e)
            {
                System.err.println("vrouter-controller: state " + state + ": " + e.getMessage() +
                    " (nothing started; fix or move the file)");
                return 2;
            }
            final ClusterStore store;
            if (etcd != null && !etcd.isEmpty())
            {
                for (final String url : etcd)
                {
                    if (!url.matches("https?://[^/\\s]+:[0-9]{1,5}/?"))
                    {
                        System.err.println("vrouter-controller: --etcd " + url + ": not http://HOST:PORT");
                        return 2;
                    }
                }
                try
                {
                    store = EtcdClusterStore.open(etcd, cluster, etcdTimeout);
                }
                catch (final StoreUnavailableException e)
                {
                    System.err.println("vrouter-controller: " + e.getMessage() + " (nothing started)");
                    return 2;
                }
            }
            else
            {
                try
                {
                    store = new FileClusterStore(cluster, state);
                }
                catch (final StoreUnavailableException e)
                {
                    System.err.println("vrouter-controller: " + e.getMessage() + " (nothing started)");
                    return 2;
                }
            }
            final SslContext ssl = tlsCert == null ? null : XmppTls.server(tlsCert, tlsKey, tlsCa);
            final Controller controller = new Controller(store, TimeUnit.SECONDS.toNanos(eorGrace));
            controller.netnsPrefix(netnsPrefix);
            final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            timer.scheduleAtFixedRate(() -> controller.flushEndOfRib(System.nanoTime()), 1, 1, TimeUnit.SECONDS);
            final CountDownLatch stop = new CountDownLatch(1);
            final ConnectionLimiter limiter = new ConnectionLimiter("controller XMPP", maxConnections,
                ControllerServer.DEFAULT_OPEN_DEADLINE_MILLIS);
            final String transport = ssl == null ? " (plain TCP)" : tlsCa == null ? " (TLS)" : " (mutual TLS)";
            try (ControllerServer xmpp = new ControllerServer(controller, address(listen), holdTime, ssl, insecure,
                limiter);
                AdminApi admin = new AdminApi(controller, address(api)))
            {
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "controller-shutdown"));
                System.out.println("vrouter-controller: XMPP on " + xmpp.address() + transport +
                    ", admin on http://" + admin.address().getHostString() + ":" + admin.address().getPort() +
                    ", " + store.describe());
                stop.await();
            }
            finally
            {
                timer.shutdownNow();
                store.close();
            }
            return 0;
        }
    }

    /** Shared by apply and delete. */
    abstract static class ManifestCommand implements Callable<Integer>
    {
        @Option(names = {"-f", "--filename"}, required = true, description = "Manifest file or directory.")
        List<Path> files;

        @Option(names = {"-n", "--namespace"}, defaultValue = "default",
            description = "Namespace for objects without one.")
        String namespace;

        @Option(names = "--api", defaultValue = DEFAULT_API, description = "Controller admin endpoint.")
        String api;

        abstract String verb();

        @Override
        public Integer call() throws Exception
        {
            final List<Path> manifests = new ArrayList<>();
            for (final Path f : files)
            {
                if (Files.isDirectory(f))
                {
                    try (Stream<Path> s = Files.list(f))
                    {
                        s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                            .forEach(manifests::add);
                    }
                }
                else if (Files.isRegularFile(f))
                {
                    manifests.add(f);
                }
                else
                {
                    System.err.println("vrouter-controller: " + f + ": no such file or directory");
                    return 1;
                }
            }
            int status = 0;
            for (final Path m : manifests)
            {
                final String path = "/" + verb() + "?namespace=" + URLEncoder.encode(namespace,
                    StandardCharsets.UTF_8) +
                    "&source=" + URLEncoder.encode(m.getFileName().toString(), StandardCharsets.UTF_8);
                final HttpResponse<String> r = send(api, HttpRequest.newBuilder(uri(api, path))
                    .POST(HttpRequest.BodyPublishers.ofFile(m)).build());
                (r.statusCode() == 200 ? System.out : System.err).print(r.body());
                status = r.statusCode() == 200 ? status : 1;
            }
            return status;
        }
    }

    /** {@code apply}. */
    @Command(name = "apply", description = "Create or update the objects of manifests.")
    static final class Apply extends ManifestCommand
    {
        @Override
        String verb()
        {
            return "apply";
        }
    }

    /** {@code delete}. */
    @Command(name = "delete", description = "Delete the objects of manifests.")
    static final class Delete extends ManifestCommand
    {
        @Override
        String verb()
        {
            return "delete";
        }
    }

    /** {@code get}. */
    @Command(name = "get", description = "Print pods (get pods -o wide), networks or nodes.")
    static final class Get implements Callable<Integer>
    {
        @Parameters(index = "0", description = "pods, services, networks or nodes")
        String what;

        @Option(names = {"-o", "--output"}, description = "Only 'wide' (the default layout is the wide one).")
        String output;

        @Option(names = "--api", defaultValue = DEFAULT_API, description = "Controller admin endpoint.")
        String api;

        @Override
        public Integer call() throws Exception
        {
            if (!what.equals("pods") && !what.equals("services") && !what.equals("networks") && !what.equals("nodes"))
            {
                System.err.println("vrouter-controller: get pods|services|networks|nodes");
                return 2;
            }
            if (output != null && !output.equals("wide"))
            {
                System.err.println("vrouter-controller: only -o wide is supported");
                return 2;
            }
            final HttpResponse<String> r = send(api, HttpRequest.newBuilder(uri(api, "/" + what)).GET().build());
            r.headers().firstValue("Warning").ifPresent(w -> System.err.println("vrouter-controller: warning: " +
                w.replaceFirst("^199 vrouter-controller ", "")));
            System.out.print(r.body());
            return r.statusCode() == 200 ? 0 : 1;
        }
    }

    static URI uri(final String api, final String path)
    {
        return URI.create("http://" + api + path);
    }

    static HttpResponse<String> send(final String api, final HttpRequest request) throws IOException,
        InterruptedException
    {
        try (HttpClient client = HttpClient.newHttpClient())
        {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (final ConnectException e)
        {
            throw new IOException("the controller is not running (nothing at " + api + ")", e);
        }
    }
}
