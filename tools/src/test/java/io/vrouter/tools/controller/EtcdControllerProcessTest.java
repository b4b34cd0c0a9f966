package io.vrouter.tools.controller;

import io.vrouter.tools.testing.EtcdCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vrouter-controller serve --etcd URL,URL,URL} as real processes (two replicas, each its own XMPP and
 * admin port) on three etcd members started by the test: {@code apply} through the command line on one, seen
 * by {@code get} on the other; one replica killed with SIGKILL and an etcd member killed, the other replica
 * still serving; the killed replica restarted reads everything back from etcd.
 */
class EtcdControllerProcessTest
{
    private static final Pattern ADMIN = Pattern.compile("admin on http://127\\.0\\.0\\.1:(\\d+), etcd ");

    @BeforeAll
    static void etcdPresent()
    {
        EtcdCluster.assumeAvailable("EtcdControllerProcessTest");
    }

    /** A {@code vrouter-controller serve} process and its admin endpoint. */
    private record Serve(Process process, String api, List<String> output) implements AutoCloseable
    {
        static Serve start(final List<String> etcd) throws IOException, InterruptedException
        {
            final List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (final String line : Files.readAllLines(Path.of("..", "jvm.options")))
            {
                if (line.startsWith("vrouter.jvm.flags="))
                {
                    cmd.addAll(List.of(line.substring("vrouter.jvm.flags=".length()).trim().split("\\s+")));
                }
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ControllerMain.class.getName(), "serve",
                "--etcd", String.join(",", etcd), "--insecure", "--listen", "127.0.0.1:0", "--api", "127.0.0.1:0"));
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
            final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            final Thread reader = new Thread(() ->
            {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = r.readLine()) != null)
                    {
                        output.add(line);
                        lines.add(line);
                    }
                }
                catch (final IOException e)
                {
                    output.add("(output ended: " + e + ")");
                }
            }, "serve-output");
            reader.setDaemon(true);
            reader.start();
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() - until < 0)
            {
                final String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null)
                {
                    final Matcher m = ADMIN.matcher(line);
                    if (m.find())
                    {
                        return new Serve(p, "127.0.0.1:" + m.group(1), output);
                    }
                }
                else if (!p.isAlive())
                {
                    break;
                }
            }
            p.destroyForcibly();
            throw new IOException("vrouter-controller serve did not start:\n" + String.join("\n", output));
        }

        void kill()
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close()
        {
            kill();
        }
    }

    private static String pods(final Serve s) throws Exception
    {
        final HttpResponse<String> r = ControllerMain.send(s.api(), HttpRequest.newBuilder(ControllerMain.uri(s.api(),
            "/pods")).GET().build());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static int apply(final Serve s, final Path manifest)
    {
        return new CommandLine(ControllerMain.class).execute("apply", "-f", manifest.toString(), "--api", s.api());
    }

    private static Path pod(final Path dir, final String name) throws IOException
    {
        return Files.writeString(dir.resolve(name + ".yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
            "\nspec:\n  containers:\n    - name: c\n      image: busybox\n");
    }

    @Test
    void twoServeProcessesShareTheClusterAndOneSurvivesTheOthersKillAndAnEtcdMembersKill() throws Exception
    {
        final Path dir = Files.createTempDirectory("vrouter-etcd-serve");
        try (EtcdCluster etcd = EtcdCluster.start(3);
            Serve one = Serve.start(etcd.clientUrls());
            Serve two = Serve.start(etcd.clientUrls()))
        {
            assertEquals(0, apply(one, pod(dir, "first")));
            final String seen = pods(two);
            assertTrue(seen.contains("first"), seen);

            one.kill();
            etcd.kill(0);
            assertEquals(0, apply(two, pod(dir, "second")), "the surviving replica serves: " +
                String.join("\n", two.output()));
            assertTrue(pods(two).contains("second"));

            try (Serve again = Serve.start(List.of(etcd.clientUrl(1), etcd.clientUrl(2))))
            {
                final String restarted = pods(again);
                assertTrue(restarted.contains("first") && restarted.contains("second"), restarted);
                assertEquals(0, apply(again, pod(dir, "third")));
                assertTrue(pods(two).contains("third"));
            }
            assertNotNull(two.api());
        }
        finally
        {
            try (var s = Files.list(dir))
            {
                for (final Path p : s.toList())
                {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
