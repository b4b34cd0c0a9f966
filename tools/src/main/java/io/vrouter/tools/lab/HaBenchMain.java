package io.vrouter.tools.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.vrouter.agent.control.ControlClient;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.tools.cli.VersionProvider;
import io.vrouter.wire.AddressFamily;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/vrouter-bench-ha}: the control plane measured end to end on the lab (issue 17), in the single-file
 * mode (one controller) and the replicated one ({@code --ha}: three etcd members, two controllers, both nodes
 * on both), each on a fresh lab:
 * <ol>
 * <li><b>apply to remote FIB</b>: a manifest of one ClusterIP service (selecting a pod on one node) is posted to
 * a controller's admin API (alternately to each replica with {@code --ha}), and the time until the route to its
 * ClusterIP is in the other node's FIB (the backend's node publishes it, the controller reflects it) is taken,
 * {@code --applies} times: median, p99, max;</li>
 * <li><b>routes into two FIBs</b>: {@code --routes} such services applied in manifests of {@code --batch}, and
 * the time from the first post until both nodes' FIBs hold every route: total and routes per second.</li>
 * </ol>
 * The FIBs are read through each node's control socket ({@code rt --dump} of the pod network's VRF). A post is
 * {@code curl} with the manifest in the controller's namespace (its admin endpoint listens on its loopback),
 * so each time includes starting that process (a few milliseconds). Needs root, like the lab.
 */
@Command(name = "vrouter-bench-ha", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Control plane benchmark on the lab: apply-to-remote-FIB latency and routes into two FIBs, "
        + "single-file mode and replicated controllers on etcd.")
public final class HaBenchMain implements Callable<Integer>
{
    private static final String POD_VRF =
        "default-domain:k8s-default:k8s-default-pod-network:k8s-default-pod-network";

    @Option(names = "--routes", defaultValue = "100000", description = "Routes (services) pushed into both FIBs "
        + "(default ${DEFAULT-VALUE}).")
    int routes;

    @Option(names = "--batch", defaultValue = "1000", description = "Services per manifest for --routes "
        + "(default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--applies", defaultValue = "1000", description = "Applies timed to the remote FIB "
        + "(default ${DEFAULT-VALUE}).")
    int applies;

    @Option(names = "--mode", defaultValue = "both", description = "file, ha or both (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--home", defaultValue = "${sys:vrouter.home:-.}", description = "The checkout.")
    Path home;

    private final PrintStream out = System.out;

    /** One mode's results. */
    private record Result(String mode, long[] latencies, int routes, long routesNanos)
    {
    }

    /**
     * Runs the benchmark.
     *
     * @param args arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new HaBenchMain())
            .setParameterExceptionHandler((ex, args1) ->
            {
                System.err.println("vrouter-bench-ha: " + ex.getMessage() + " (see: vrouter-bench-ha --help)");
                return 2;
            })
            .execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (!List.of("file", "ha", "both").contains(mode) || routes < 0 || batch < 1 || applies < 0)
        {
            System.err.println("vrouter-bench-ha: --mode file|ha|both, --routes >= 0, --batch >= 1, --applies >= 0");
            return 2;
        }
        final List<Result> results = new ArrayList<>();
        for (final String m : mode.equals("both") ? List.of("file", "ha") : List.of(mode))
        {
            results.add(run(m.equals("ha")));
        }
        out.println();
        out.println("== results (" + applies + " applies; " + routes + " routes in manifests of " + batch + ")");
        out.printf("%-6s %12s %12s %12s %14s %14s%n", "MODE", "APPLY p50", "APPLY p99", "APPLY max", "ROUTES TIME",
            "ROUTES/S");
        for (final Result r : results)
        {
            final long[] l = r.latencies();
            out.printf("%-6s %12s %12s %12s %14s %14s%n", r.mode(), millis(percentile(l, 50)),
                millis(percentile(l, 99)), millis(l.length == 0 ? -1 : l[l.length - 1]),
                r.routes() == 0 ? "-" : String.format("%.2f s", r.routesNanos() / 1e9),
                r.routes() == 0 ? "-" : String.format("%.0f", r.routes() / (r.routesNanos() / 1e9)));
        }
        return 0;
    }

    private Result run(final boolean ha) throws Exception
    {
        final String name = ha ? "ha" : "file";
        out.println();
        out.println("== " + name + ": " + (ha ? "three etcd members, two controllers (serve --etcd), both nodes on "
            + "both" : "one controller (serve --state)"));
        final Path work = Files.createTempDirectory("vrouter-bench-ha");
        final Lab lab = new Lab(home.toAbsolutePath(), work, out);
        if (ha)
        {
            lab.ha();
        }
        final Thread teardown = new Thread(lab::close, "bench-teardown");
        Runtime.getRuntime().addShutdownHook(teardown);
        try
        {
            lab.up();
            // The backend (default/ubuntu-pod-1) on one node and a pod of the same network on the other, so
            // that both nodes have the pod network's VRF (placement alternates between the nodes).
            if (lab.applyFile(home.resolve("examples/seed/ns-non-isolated.yaml"), "default") == null
                || lab.applyFile(home.resolve("examples/seed/deployment-ubuntu-pod-1.yaml"), "default") == null
                || lab.applyFile(home.resolve("examples/seed/deployment-ubuntu-pod-1.yaml"), "ns-non-isolated") == null)
            {
                throw new IllegalStateException("the pods could not be applied");
            }
            lab.waitForPods();
            final Lab.Pod backend = lab.pod("default", "ubuntu-pod-1");
            final Lab.Pod other = lab.pod("ns-non-isolated", "ubuntu-pod-1");
            if (backend.node().equals(other.node()))
            {
                throw new IllegalStateException("both pods on " + backend.node() + ": " + backend + " " + other);
            }
            final int local = backend.node().equals(Lab.nodeName(0)) ? 0 : 1;
            final int remote = 1 - local;
            final int[] vrf = {lab.vrfId(0, POD_VRF), lab.vrfId(1, POD_VRF)};
            if (vrf[0] < 0 || vrf[1] < 0)
            {
                throw new IllegalStateException("the pod network's VRF is missing on a node: " + Arrays.toString(vrf));
            }
            out.println("  backend " + backend.ip() + " on " + backend.node() + "; remote node " + Lab.nodeName(remote)
                + " (pod network VRF " + vrf[remote] + ")");

            final long[] latencies = new long[applies];
            try (ControlClient remoteFib = ControlClient.connect(lab.socket(remote)))
            {
                for (int i = 0; i < applies; i++)
                {
                    final Path manifest = services(work, "lat-" + i, 1);
                    final int before = count(remoteFib, vrf[remote]);
                    final long t0 = System.nanoTime();
                    post(lab, ha ? 1 + i % 2 : 1, manifest);
                    final long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
                    while (count(remoteFib, vrf[remote]) <= before)
                    {
                        if (System.nanoTime() - deadline > 0)
                        {
                            throw new IllegalStateException("apply " + i + ": no new route on " + Lab.nodeName(remote)
                                + " within 30 s");
                        }
                        Thread.sleep(1);
                    }
                    latencies[i] = System.nanoTime() - t0;
                    Files.delete(manifest);
                    if ((i + 1) % 100 == 0 || i + 1 == applies)
                    {
                        out.printf("  %d applies, last %s%n", i + 1, millis(latencies[i]));
                    }
                }
            }
            Arrays.sort(latencies);

            long routesNanos = 0;
            if (routes > 0)
            {
                final int[] base = new int[2];
                // A connection per reading: the control socket closes a connection that stays idle for 30 s
                // (issue 14's limits), and posting 100,000 routes takes minutes.
                base[0] = countAt(lab, 0, vrf[0]);
                base[1] = countAt(lab, 1, vrf[1]);
                final List<Path> manifests = new ArrayList<>();
                for (int done = 0, n = 0; done < routes; done += batch, n++)
                {
                    manifests.add(services(work, "fib-" + n, Math.min(batch, routes - done)));
                }
                final long t0 = System.nanoTime();
                for (int n = 0; n < manifests.size(); n++)
                {
                    post(lab, ha ? 1 + n % 2 : 1, manifests.get(n));
                }
                final long posted = System.nanoTime() - t0;
                out.printf("  %d routes posted in %d manifests in %.2f s; waiting for both FIBs%n", routes,
                    manifests.size(), posted / 1e9);
                final long deadline = t0 + TimeUnit.MINUTES.toNanos(30);
                for (int n = 0; n < 2; n++)
                {
                    int seen = countAt(lab, n, vrf[n]);
                    while (seen < base[n] + routes)
                    {
                        if (System.nanoTime() - deadline > 0)
                        {
                            throw new IllegalStateException(Lab.nodeName(n) + "'s FIB holds " + (seen - base[n])
                                + " of " + routes + " routes after 30 minutes");
                        }
                        Thread.sleep(200);
                        seen = countAt(lab, n, vrf[n]);
                    }
                }
                routesNanos = System.nanoTime() - t0;
                out.printf("  both FIBs hold the %d routes after %.2f s (%d and %d routes in the VRF)%n", routes,
                    routesNanos / 1e9, countAt(lab, 0, vrf[0]), countAt(lab, 1, vrf[1]));
            }
            return new Result(name, latencies, routes, routesNanos);
        }
        catch (final RuntimeException | IOException e)
        {
            lab.keepLogs();
            throw e;
        }
        finally
        {
            Runtime.getRuntime().removeShutdownHook(teardown);
            lab.close();
        }
    }

    /** A manifest of {@code count} ClusterIP services selecting the lab's {@code ubuntu-pod-1}. */
    private static Path services(final Path work, final String name, final int count) throws IOException
    {
        final StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            yaml.append("apiVersion: v1\nkind: Service\nmetadata:\n  name: bench-").append(name).append('-').append(i)
                .append("\n  namespace: default\nspec:\n  selector:\n    app: ubuntu-pod-1\n  ports:\n"
                    + "    - protocol: TCP\n      port: 80\n      targetPort: 8080\n---\n");
        }
        return Files.writeString(work.resolve("bench-" + name + ".yaml"), yaml);
    }

    /** Posts a manifest to a controller's admin endpoint (in the controller's namespace) and checks the answer. */
    private static void post(final Lab lab, final int controller, final Path manifest)
    {
        final Shell.Result r = Shell.run(List.of("ip", "netns", "exec", Lab.CTL, "curl", "-s", "-S", "--max-time", "60",
            "-H", "Content-Type: application/yaml", "--data-binary", "@" + manifest, "-w", "\n%{http_code}",
            "http://127.0.0.1:" + (8081 + controller) + "/apply?namespace=default"), 120);
        if (!r.ok() || !r.output().trim().endsWith("\n200"))
        {
            throw new IllegalStateException("apply " + manifest.getFileName() + " on controller " + controller
                + " refused: " + r.output().trim());
        }
    }

    /** The routes of a VRF in a node's FIB ({@code rt --dump VRF}). */
    private static int countAt(final Lab lab, final int node, final int vrf) throws IOException
    {
        try (ControlClient c = ControlClient.connect(lab.socket(node)))
        {
            return count(c, vrf);
        }
    }

    private static int count(final ControlClient fib, final int vrf)
    {
        final Response r = fib.call(List.of(RouteRequest.dump(AddressFamily.INET, vrf))).get(0);
        if (r.code() < 0)
        {
            throw new IllegalStateException("rt --dump " + vrf + " refused: " + r.code() + " " + r.message());
        }
        return r.objects(RouteRequest.class).size();
    }

    private static long percentile(final long[] sorted, final int p)
    {
        if (sorted.length == 0)
        {
            return -1;
        }
        final int rank = (int)Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String millis(final long nanos)
    {
        return nanos < 0 ? "-" : String.format("%.1f ms", nanos / 1e6);
    }
}
