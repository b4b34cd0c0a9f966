package io.vrouter.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vrouter.agent.api.JvmOptions;
import io.vrouter.agent.port.Posix;

/**
 * {@code vrouterd} as a process: every startup problem gives a clear message and its own exit code,
 * a stale socket file is replaced, SIGTERM stops the daemon and removes the socket.
 */
class VrouterdStartupTest
{
    @TempDir
    Path dir;

    private String classPath = System.getProperty("java.class.path");

    static List<String> jvmFlags() throws Exception
    {
        return JvmOptions.nearest(Path.of(System.getProperty("user.dir")));
    }

    /** Copies the class path where an unprivileged user can read it (the Maven repository is root's). */
    private String worldReadableClassPath() throws Exception
    {
        final Path cp = dir.resolve("cp");
        Files.createDirectories(cp);
        final List<String> entries = new ArrayList<>();
        int i = 0;
        for (final String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        {
            final Path src = Path.of(e);
            final Path dst = cp.resolve(i++ + "-" + src.getFileName());
            if (Files.isDirectory(src))
            {
                try (var files = Files.walk(src))
                {
                    for (final Path f : files.toList())
                    {
                        final Path t = dst.resolve(src.relativize(f).toString());
                        if (Files.isDirectory(f))
                        {
                            Files.createDirectories(t);
                        }
                        else
                        {
                            Files.copy(f, t);
                        }
                    }
                }
            }
            else if (Files.exists(src))
            {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        try (var files = Files.walk(dir))
        {
            for (final Path f : files.toList())
            {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(
                    Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    record Run(int code, String out)
    {
    }

    private List<String> command(final String... args) throws Exception
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags());
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(VrouterdMain.class.getName());
        cmd.addAll(List.of("--introspect-port", "0", "--state-dir", dir.resolve("state").toString(),
            "--counters", dir.resolve("counters-" + cmd.hashCode() + "-" + System.nanoTime()).toString(),
            "--set", "tables.nexthops=1024", "--set", "tables.fib-entries=4096", "--set", "tables.interfaces=16"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Run run(final List<String> cmd) throws Exception
    {
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new AssertionError("vrouterd did not exit: " + cmd);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitWithConfigErrorOnUnknownKey() throws Exception
    {
        final Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "fabric:\n  address: 127.0.0.1\nwrokers:\n  count: 2\n");
        final Run r = run(command("-c", cfg.toString()));
        assertEquals(StartupException.EXIT_CONFIG, r.code(), r.out());
        assertTrue(r.out().contains("unknown key 'wrokers.count'"), r.out());
    }

    @Test
    void shouldExitWithUsageErrorOnBadFlag() throws Exception
    {
        final Run r = run(command("--workers", "x", "--fabric-address", "127.0.0.1"));
        assertEquals(2, r.code(), r.out());
    }

    @Test
    void shouldReportEveryConfigurationProblemAtOnceInOneLineBeforeStartingAnything() throws Exception
    {
        final Path sock = dir.resolve("never.sock");
        final Path state = dir.resolve("state");
        final Run r = run(command("--fabric-address", "1.2.3", "--controller", "nohost", "--log-level", "loud",
            "--set", "workers.count=99", "--set", "bad", "--socket", sock.toString()));
        assertEquals(StartupException.EXIT_CONFIG, r.code(), r.out());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        for (final String problem : List.of("fabric.address must be an IPv4 address, got '1.2.3'",
            "log.level must be trace, debug, info, warn or error, got 'loud'", "workers.count must be 1..64, got 99",
            "--set bad: expected KEY=VALUE", "controller.servers: 'nohost' is not host:port",
            "controller.servers is set without controller.tls-ca"))
        {
            assertTrue(r.out().contains(problem), problem + " in " + r.out());
        }
        assertTrue(!Files.exists(sock) && !Files.exists(state), "nothing was made before the refusal");
    }

    @Test
    void shouldRefuseAnUnknownFlagInOneLine() throws Exception
    {
        final Run r = run(command("--fabric-address", "127.0.0.1", "--bogus"));
        assertEquals(2, r.code(), r.out());
        assertEquals("vrouterd: Unknown option: '--bogus' (see: vrouterd --help)", r.out().strip());
    }

    @Test
    void shouldRefuseToRunAsNonRoot() throws Exception
    {
        if (Posix.geteuid() == 0)
        {
            classPath = worldReadableClassPath();
        }
        final List<String> cmd = command("--fabric-address", "127.0.0.1", "--socket", dir.resolve("s").toString());
        if (Posix.geteuid() == 0)
        {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "setpriv (util-linux) missing: cannot drop root to test the non-root refusal");
            cmd.addAll(0, List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        final Run r = run(cmd);
        assertEquals(StartupException.EXIT_NOT_ROOT, r.code(), r.out());
        assertTrue(r.out().contains("must run as root"), r.out());
    }

    @Test
    void shouldExitWhenTheFabricAddressIsNotLocalThenReplaceAStaleSocketAndRefuseALiveOne() throws Exception
    {
        Assumptions.assumeTrue(Posix.geteuid() == 0, "*** SKIPPED: needs root (binds the fabric port) ***");
        final Path sock = dir.resolve("ctl.sock");
        final Run notLocal = run(command("--fabric-address", "192.0.2.77", "--socket", sock.toString()));
        assertEquals(StartupException.EXIT_FABRIC, notLocal.code(), notLocal.out());
        assertTrue(notLocal.out().contains("cannot bind the fabric port 192.0.2.77:6635"), notLocal.out());

        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            stale.bind(UnixDomainSocketAddress.of(sock));
        }
        assertTrue(Files.exists(sock), "stale socket file");
        final int port = 20000 + (int)(ProcessHandle.current().pid() % 20000);
        final Process first = new ProcessBuilder(command("--fabric-address", "127.0.0.1", "--fabric-port",
            Integer.toString(port), "--socket", sock.toString())).redirectErrorStream(true)
            .redirectOutput(dir.resolve("first.log").toFile()).start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(dir.resolve("first.log")).contains("ready") && System.nanoTime() < deadline
                && first.isAlive())
            {
                Thread.sleep(100);
            }
            assertTrue(first.isAlive(), Files.readString(dir.resolve("first.log")));
            assertTrue(Files.readString(dir.resolve("first.log")).contains("removed stale control socket"));

            final Run second = run(command("--fabric-address", "127.0.0.1", "--fabric-port",
                Integer.toString(port + 1), "--socket", sock.toString(), "--set",
                "paths.state=" + dir.resolve("second-state")));
            assertEquals(StartupException.EXIT_SOCKET, second.code(), second.out());
            assertTrue(second.out().contains("in use by a running daemon"), second.out());

            final Run sameState = run(command("--fabric-address", "127.0.0.1", "--fabric-port",
                Integer.toString(port + 2), "--socket", dir.resolve("other.sock").toString()));
            assertEquals(StartupException.EXIT_CONFIG, sameState.code(), sameState.out());
            assertTrue(sameState.out().contains("in use by another running daemon"),
                "a live daemon's flows.tbl is not taken over: " + sameState.out());

            final Run samePort = run(command("--fabric-address", "127.0.0.1", "--fabric-port",
                Integer.toString(port), "--socket", dir.resolve("other.sock").toString(), "--set",
                "paths.state=" + dir.resolve("other-state")));
            assertEquals(StartupException.EXIT_FABRIC, samePort.code(), samePort.out());
        }
        finally
        {
            first.destroy();
            assertTrue(first.waitFor(20, TimeUnit.SECONDS), "vrouterd did not stop on SIGTERM");
            if (first.isAlive())
            {
                first.destroyForcibly();
            }
        }
        assertTrue(!Files.exists(sock), "socket file left after SIGTERM");
        assertTrue(Files.readString(dir.resolve("first.log")).contains("stopped"),
            Files.readString(dir.resolve("first.log")));
    }
}
