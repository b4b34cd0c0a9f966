package io.vrouter.tools.lab;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The ahead-of-time cache of {@code vrouterd} (JDK 25's AOT cache, JEP 483 and 514): the classes the daemon
 * loads at start, parsed, verified and linked once by a training run and mapped by every later start, so that
 * a daemon restarted after a crash forwards again sooner (docs/reliability.md, "Restart without the
 * controller"). A cache belongs to one JDK, one set of JVM flags and one class path (its jars' sizes and
 * times), all of which name its file; the JVM refuses a cache that does not match and starts without it.
 *
 * <p>The training run is a real start of the daemon on loopback with an empty state directory, stopped
 * with SIGTERM once it says "started" (the JVM writes the cache as it exits). The cache needs a class path
 * of jar files only: a directory on it (a module built without {@code package}) means no cache.
 *
 * <p>Used by the lab ({@link Lab}) for the daemons it starts (caches named by their inputs) and, through
 * {@link #main(String[])}, by {@code bin/vrouterd} (one cache, {@code target/aot/vrouterd.aot}).
 */
public final class AotCache
{
    /** The daemon's main class. */
    public static final String DAEMON_MAIN = "io.vrouter.agent.daemon.VrouterdMain";

    private static final long TRAINING_START_SECONDS = 120;
    private static final long TRAINING_EXIT_SECONDS = 180;
    private static final int KEPT_OTHERS = 3;

    /**
     * How to launch the daemon.
     *
     * @param classPath the daemon's class path.
     * @param jvmFlags  the JVM flags: the given ones plus {@code -XX:AOTCache=} when a cache is in use.
     * @param cache     the cache in use, or null.
     * @param why       when no cache is used, why not; empty otherwise.
     */
    public record Launch(String classPath, List<String> jvmFlags, Path cache, String why)
    {
        /**
         * Whether the daemon starts from an AOT cache.
         *
         * @return true when a cache is in use.
         */
        public boolean cached()
        {
            return cache != null;
        }
    }

    private AotCache()
    {
    }

    /**
     * The daemon's launch from this JVM's class path: the jars of it, without the class directories of the
     * tools module (the daemon needs none of its classes), and the cache for them in {@code dir}, trained now
     * when there is none.
     *
     * @param dir       where caches are kept (created when absent).
     * @param jvmFlags  the daemon's JVM flags.
     * @param classPath this JVM's class path.
     * @param log       where the training run is announced.
     * @return how to launch the daemon.
     */
    public static Launch daemon(final Path dir, final List<String> jvmFlags, final String classPath,
        final PrintStream log)
    {
        final List<String> entries = new ArrayList<>();
        String directory = null;
        for (final String e : classPath.split(File.pathSeparator))
        {
            if (e.isEmpty())
            {
                continue;
            }
            final Path p = Path.of(e);
            if (Files.isDirectory(p))
            {
                if (isToolsClasses(p))
                {
                    continue;
                }
                if (directory == null)
                {
                    directory = e;
                }
            }
            entries.add(e);
        }
        final String cp = String.join(File.pathSeparator, entries);
        if (directory != null)
        {
            return new Launch(cp, jvmFlags, null, directory + " is a directory on the class path (an AOT cache " +
                "needs the modules' jars: build with mvn package or verify)");
        }
        final Path cache = dir.resolve("vrouterd-" + key(jvmFlags, entries) + ".aot");
        if (!Files.isRegularFile(cache))
        {
            final String failure = train(cache, jvmFlags, cp, log);
            if (failure != null)
            {
                return new Launch(cp, jvmFlags, null, failure);
            }
        }
        final List<String> flags = new ArrayList<>(jvmFlags);
        flags.add("-XX:AOTCache=" + cache);
        return new Launch(cp, List.copyOf(flags), cache, "");
    }

    /**
     * {@code AotCache FILE [JVM-FLAG...]}: trains the daemon's cache for this JVM's class path (jars only) and
     * the given flags into FILE, replacing it; exit 1 with the reason on stderr when it cannot. Used by
     * {@code bin/vrouterd}, which decides when the cache is stale (a jar newer than it, other flags or JDK).
     *
     * @param args the cache file, then the daemon's JVM flags.
     */
    public static void main(final String[] args)
    {
        if (args.length < 1)
        {
            System.err.println("usage: AotCache FILE [JVM-FLAG...]");
            System.exit(2);
        }
        final String failure = train(Path.of(args[0]).toAbsolutePath(), List.of(args).subList(1, args.length),
            System.getProperty("java.class.path"), System.err);
        if (failure != null)
        {
            System.err.println("vrouterd: no AOT cache: " + failure);
            System.exit(1);
        }
    }

    private static boolean isToolsClasses(final Path p)
    {
        final Path n = p.toAbsolutePath().normalize();
        return n.getNameCount() >= 3 && n.getName(n.getNameCount() - 2).toString().equals("target") &&
            n.getName(n.getNameCount() - 3).toString().equals("tools");
    }

    /** The cache's name: the JDK, the flags and every jar's path, size and time. */
    private static String key(final List<String> jvmFlags, final List<String> entries)
    {
        try
        {
            final MessageDigest md = MessageDigest.getInstance("SHA-256");
            final StringBuilder s = new StringBuilder()
                .append(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n')
                .append(String.join(" ", jvmFlags)).append('\n');
            for (final String e : entries)
            {
                final Path p = Path.of(e);
                s.append(e).append(' ');
                if (Files.exists(p))
                {
                    s.append(Files.size(p)).append(' ').append(Files.getLastModifiedTime(p).toMillis());
                }
                s.append('\n');
            }
            return HexFormat.of().formatHex(md.digest(s.toString().getBytes(StandardCharsets.UTF_8)), 0, 8);
        }
        catch (final NoSuchAlgorithmException | IOException e)
        {
            throw new IllegalStateException("cannot name the AOT cache: " + e, e);
        }
    }

    /** Trains the cache into {@code cache} (replacing it); returns null on success, else why it failed. */
    private static String train(final Path cache, final List<String> jvmFlags, final String cp,
        final PrintStream log)
    {
        Path work = null;
        Process p = null;
        try
        {
            Files.createDirectories(cache.getParent());
            work = Files.createTempDirectory(cache.getParent(), "training-");
            final Path out = work.resolve("out.aot");
            final Path daemonLog = work.resolve("vrouterd.log");
            final List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmFlags);
            cmd.add("-XX:AOTCacheOutput=" + out);
            cmd.addAll(List.of("-cp", cp, DAEMON_MAIN, "--node-name", "aot-training",
                "--fabric-address", "127.0.0.1", "--fabric-port", Integer.toString(freeUdpPort()),
                "--socket", work.resolve("s.sock").toString(), "--state-dir", work.resolve("state").toString(),
                "--counters", work.resolve("counters").toString(), "--introspect-port", "0"));
            log.println("vrouterd: training its AOT cache (once per build and JDK; a start and a stop of the " +
                "daemon on loopback, about 10 s) -> " + cache);
            final long t0 = System.nanoTime();
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(daemonLog.toFile()).start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TRAINING_START_SECONDS);
            while (!Files.readString(daemonLog).contains(" started: "))
            {
                if (!p.isAlive() || System.nanoTime() > deadline)
                {
                    return "the training run " + (p.isAlive() ? "did not start in " + TRAINING_START_SECONDS +
                        " s" : "exited (" + p.exitValue() + ")") + ": " + lastLines(daemonLog);
                }
                Thread.sleep(20);
            }
            p.destroy();
            if (!p.waitFor(TRAINING_EXIT_SECONDS, TimeUnit.SECONDS))
            {
                return "the training run did not exit in " + TRAINING_EXIT_SECONDS + " s after SIGTERM";
            }
            if (!Files.isRegularFile(out))
            {
                return "the training run wrote no cache (exit " + p.exitValue() + "): " + lastLines(daemonLog);
            }
            try
            {
                Files.move(out, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException e)
            {
                Files.move(out, cache, StandardCopyOption.REPLACE_EXISTING);
            }
            log.printf("vrouterd: AOT cache trained in %.1f s (%d MB)%n", (System.nanoTime() - t0) / 1e9,
                Files.size(cache) >> 20);
            removeOthers(cache);
            return null;
        }
        catch (final IOException e)
        {
            return "the training run failed: " + e.getMessage();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return "interrupted while training";
        }
        finally
        {
            if (p != null && p.isAlive())
            {
                p.destroyForcibly();
            }
            if (work != null)
            {
                deleteTree(work);
            }
        }
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    private static String lastLines(final Path log) throws IOException
    {
        final List<String> lines = Files.readAllLines(log);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /**
     * Caches of earlier builds are of no further use; the newest few are kept, as two class paths (the tests'
     * and the launchers') may share the directory.
     */
    private static void removeOthers(final Path cache) throws IOException
    {
        final List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(cache.getParent(), "vrouterd-*.aot"))
        {
            for (final Path p : ds)
            {
                if (!p.equals(cache))
                {
                    others.add(p);
                }
            }
        }
        others.sort(Comparator.comparing(AotCache::modified).reversed());
        for (final Path p : others.subList(Math.min(KEPT_OTHERS, others.size()), others.size()))
        {
            Files.deleteIfExists(p);
        }
    }

    private static long modified(final Path p)
    {
        try
        {
            return Files.getLastModifiedTime(p).toMillis();
        }
        catch (final IOException e)
        {
            return 0;
        }
    }

    private static void deleteTree(final Path root)
    {
        try (Stream<Path> s = Files.walk(root))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
        catch (final IOException e)
        {
            // Best effort: a temporary directory under the cache directory, named training-*.
        }
    }
}
