package io.vrouter.tools.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vrouter.agent.control.ControlClient;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.PodRequest;
import io.vrouter.core.request.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vrouter-cni} called by a container runtime this project did not write: Debian's podman (CNI
 * backend, runc) runs busybox containers from a local rootfs on the lab's node-1, whose vrouterd attaches
 * pods' interfaces for the plugin ({@code pods.cni}); the containers ping a lab pod on node-2 through the
 * overlay. Covers {@code podman run --rm} (ADD, then DEL after the container exits), a detached container
 * checked with CHECK and removed (DEL; a repeated DEL succeeds), a {@code podman pod} (its infra
 * container's ADD and the pod's DEL), and a container whose pod the controller does not know (the
 * plugin's error reaches podman). Needs root, podman, runc, busybox, ping and nsenter (.ci/run installs
 * them); in CI ({@code CI=true}) a missing prerequisite fails the test, elsewhere it is skipped loudly.
 */
class CniRuntimeEndToEndTest
{
    private static final String NETWORK = "vrouter-lab";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean have(final String tool)
    {
        return Shell.run("which", tool).ok();
    }

    @Test
    void podmanContainersGetTheirInterfaceFromVrouterdAndReachALabPodOnTheOtherNode() throws Exception
    {
        final String ciEnv = System.getenv("CI");
        final boolean ci = ciEnv != null && !ciEnv.isEmpty() && !ciEnv.equalsIgnoreCase("false");
        final List<String> missing = new ArrayList<>();
        if (!Shell.run("id", "-u").output().trim().equals("0"))
        {
            missing.add("root");
        }
        for (final String tool : List.of("podman", "runc", "busybox", "ping", "nsenter"))
        {
            if (!have(tool))
            {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty())
        {
            final String why = "CniRuntimeEndToEndTest needs " + missing +
                " (apt-get install podman runc containernetworking-plugins busybox-static iputils-ping util-linux)";
            if (ci)
            {
                throw new AssertionError(why + ": not available in CI");
            }
            System.err.println("SKIPPED LOUDLY: " + why);
            Assumptions.abort(why);
        }
        final Path home = Path.of("..").toAbsolutePath().normalize();
        final Path work = Files.createTempDirectory("vrouter-cni-lab");
        final Path dir = Files.createTempDirectory("vrouter-cni-podman");
        final PrintStream out = System.out;
        final Lab lab = new Lab(home, work, out).cniPods(0);
        final Podman podman = new Podman(dir);
        boolean passed = false;
        try
        {
            lab.up();
            final Path manifest = dir.resolve("pods.yaml");
            Files.writeString(manifest, pod("target", "node-2") + "---\n" + pod("bb1", "node-1") + "---\n" +
                pod("bbpod", "node-1"));
            assertTrue(lab.applyFile(manifest, "default") != null, "the pods are accepted");
            final Lab.Pod target = waitForLabPod(lab, "target");
            final String bb1 = lab.pod("default", "bb1").ip();
            final Path socket = lab.socket(0);
            podman.setUp(home, socket);

            // podman run --rm: ADD, traffic to node-2's pod through the overlay, DEL after the exit.
            final Shell.Result run = podman.run("run", "--rm", "--name", "bb1", "--network", NETWORK, "localhost/bb:1",
                "sh", "-c", "ip addr show dev eth0; ip route; ping -c 3 -W 2 " + target.ip());
            out.println(run.output().indent(4));
            assertTrue(run.ok(), "podman run: " + run.output());
            assertTrue(run.output().contains("inet " + bb1 + "/"), "the container has bb1's address " + bb1);
            assertTrue(run.output().contains("3 packets received"), "the container pings " + target.ip());
            assertEquals(-1, pod(socket, "bb1").vif(), "DEL after the container exited detached it");

            // A detached container: CHECK, then removal (DEL), then repeated DELs.
            final Shell.Result started = podman.run("run", "-d", "--name", "bb1", "--network", NETWORK,
                "localhost/bb:1", "sleep", "600");
            assertTrue(started.ok(), started.output());
            final String id = started.output().trim();
            final String netns = podman.run("inspect", "--format", "{{.NetworkSettings.SandboxKey}}", "bb1").output()
                .trim();
            final PodRequest attached = pod(socket, "bb1");
            assertEquals(id, attached.container(), "attached to the container podman started");
            assertEquals(netns, attached.netns());
            final Map<String, String> env = Map.of("CNI_CONTAINERID", id, "CNI_NETNS", netns, "CNI_IFNAME", "eth0",
                "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=bb1", "CNI_PATH", dir.resolve("plugins").toString());
            final String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"" + NETWORK + "\",\"type\":\"vrouter-cni\"," +
                "\"socket\":\"" + socket + "\",\"prevResult\":{\"ips\":[{\"address\":\"%s\"}]}}";
            final Shell.Result check = plugin(home, "CHECK", env, conf.formatted(attached.address()));
            assertEquals(0, check.exit(), "CHECK of the running container: " + check.output());
            final Shell.Result badCheck = plugin(home, "CHECK", env, conf.formatted("10.1.2.3/12"));
            assertEquals(1, badCheck.exit(), badCheck.output());
            assertEquals(101, JSON.readTree(badCheck.output()).path("code").asInt(), badCheck.output());
            assertTrue(podman.run("rm", "-f", "-t", "0", "bb1").ok());
            assertEquals(-1, pod(socket, "bb1").vif(), "DEL at removal detached it");
            for (int i = 0; i < 2; i++)
            {
                final Shell.Result del = plugin(home, "DEL", env, conf.formatted(""));
                assertEquals(0, del.exit(), "a repeated DEL succeeds: " + del.output());
                assertEquals("", del.output().trim(), "DEL prints nothing");
            }

            // podman pod: the infra container gets the interface (K8S_POD_NAME is the pod), a member pings.
            assertTrue(podman.run("pod", "create", "--name", "bbpod", "--network", NETWORK, "--infra-image",
                "localhost/bb:1", "--infra-command", "/pause").ok());
            final Shell.Result podStart = podman.run("pod", "start", "bbpod");
            assertTrue(podStart.ok(), podStart.output());
            assertTrue(pod(socket, "bbpod").vif() >= 0, "the pod's infra container is attached");
            final Shell.Result member = podman.run("run", "--rm", "--pod", "bbpod", "localhost/bb:1", "ping", "-c",
                "3", "-W", "2", target.ip());
            out.println(member.output().indent(4));
            assertTrue(member.ok() && member.output().contains("3 packets received"), member.output());
            assertTrue(podman.run("pod", "rm", "-f", "-t", "0", "bbpod").ok());
            assertEquals(-1, pod(socket, "bbpod").vif(), "pod rm gave DEL");

            // A container whose pod the controller does not know: the plugin's error reaches podman.
            final Shell.Result unknown = podman.run("run", "--rm", "--name", "nobody", "--network", NETWORK,
                "localhost/bb:1", "true");
            assertTrue(!unknown.ok() && unknown.output().contains("no interface for pod default/nobody"),
                unknown.output());
            passed = true;
        }
        finally
        {
            podman.tearDown();
            if (!passed)
            {
                lab.keepLogs();
            }
            lab.close();
            final String leftovers = Shell.run("ip", "netns", "list").output();
            assertTrue(leftovers.lines().noneMatch(l -> l.startsWith("vrl-") || l.startsWith("netns-")),
                "namespaces removed: " + leftovers);
        }
    }

    private static String pod(final String name, final String node)
    {
        return """
            apiVersion: v1
            kind: Pod
            metadata:
              name: %s
            spec:
              nodeName: %s
              containers:
                - name: busybox
                  image: localhost/bb:1
            """.formatted(name, node);
    }

    private static Lab.Pod waitForLabPod(final Lab lab, final String name) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline)
        {
            for (final Lab.Pod p : lab.pods())
            {
                if (p.name().equals(name) && p.running() && Shell.run("ip", "-n", p.netns(), "-4", "addr", "show",
                    "dev", "eth0").output().contains(p.ip() + "/"))
                {
                    return p;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("pod " + name + " did not come up on node-2");
    }

    private static PodRequest pod(final Path socket, final String name)
    {
        try (ControlClient c = ControlClient.connect(socket))
        {
            final Response r = c.call(List.of(PodRequest.named(Op.GET, "default", name, ""))).get(0);
            assertEquals(0, r.code(), r.message());
            return r.first(PodRequest.class);
        }
    }

    /** Runs the plugin as a runtime does: the command and container in the environment, the config on stdin. */
    private static Shell.Result plugin(final Path home, final String command, final Map<String, String> env,
        final String config) throws IOException, InterruptedException
    {
        final ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/vrouter-cni").toString());
        pb.environment().putAll(env);
        pb.environment().put("CNI_COMMAND", command);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        final Process p = pb.start();
        p.getOutputStream().write(config.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            return new Shell.Result(-1, "timed out: " + output);
        }
        return new Shell.Result(p.exitValue(), output);
    }

    /**
     * Podman with everything of its own under one directory: storage, run root, its configuration (runc,
     * lowered ulimits, the CNI backend with this test's plugin and network directories), a busybox image.
     */
    private static final class Podman
    {
        private final Path dir;
        private boolean started;

        Podman(final Path dir)
        {
            this.dir = dir;
        }

        void setUp(final Path home, final Path socket) throws IOException
        {
            final Path rootfs = Files.createDirectories(dir.resolve("rootfs/bin"));
            Files.copy(Path.of(Shell.run("which", "busybox").output().trim()), rootfs.resolve("busybox"));
            for (final String tool : List.of("sh", "ip", "ping", "sleep", "cat", "true"))
            {
                Files.createSymbolicLink(rootfs.resolve(tool), Path.of("busybox"));
            }
            final Path pause = dir.resolve("rootfs/pause");
            Files.writeString(pause, "#!/bin/sh\nexec sleep 2147483647\n");
            assertTrue(pause.toFile().setExecutable(true));
            Files.createDirectories(dir.resolve("plugins"));
            Files.createSymbolicLink(dir.resolve("plugins/vrouter-cni"), home.resolve("bin/vrouter-cni"));
            Files.createDirectories(dir.resolve("net"));
            Files.writeString(dir.resolve("net/" + NETWORK + ".conflist"), """
                {"cniVersion": "1.0.0", "name": "%s",
                 "plugins": [{"type": "vrouter-cni", "socket": "%s", "timeoutSeconds": 3}]}
                """.formatted(NETWORK, socket));
            Files.writeString(dir.resolve("containers.conf"), """
                [containers]
                default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
                [engine]
                runtime = "runc"
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                [network]
                network_backend = "cni"
                cni_plugin_dirs = ["%s", "/usr/lib/cni"]
                network_config_dir = "%s"
                """.formatted(dir.resolve("plugins"), dir.resolve("net")));
            started = true;
            final Shell.Result image = Shell.run(List.of("sh", "-c", "tar -C " + dir.resolve("rootfs") + " -c . | " +
                String.join(" ", podman()) + " import - localhost/bb:1"), 120);
            assertTrue(image.ok(), "podman import: " + image.output());
        }

        Shell.Result run(final String... args)
        {
            final List<String> c = new ArrayList<>(podman());
            c.addAll(List.of(args));
            return Shell.run(c, 120);
        }

        private List<String> podman()
        {
            return List.of("env", "CONTAINERS_CONF=" + dir.resolve("containers.conf"), "podman", "--root",
                dir.resolve("storage").toString(), "--runroot", dir.resolve("run").toString());
        }

        void tearDown() throws IOException
        {
            if (started)
            {
                run("pod", "rm", "-a", "-f", "-t", "0");
                run("rm", "-a", "-f", "-t", "0");
                run("system", "reset", "-f");
            }
            try (Stream<Path> results = Files.exists(Path.of("/var/lib/cni/results")) ?
                Files.list(Path.of("/var/lib/cni/results")) : Stream.empty())
            {
                results.filter(p -> p.getFileName().toString().startsWith(NETWORK + "-")).forEach(p ->
                    p.toFile().delete());
            }
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
