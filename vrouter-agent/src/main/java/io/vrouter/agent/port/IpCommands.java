package io.vrouter.agent.port;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vrouter.core.request.Errno;

/**
 * Namespace and link configuration through iproute2 ({@code ip}), run with {@link ProcessBuilder};
 * a failing command becomes a {@link PortException} carrying the command and what it printed.
 * A namespace is a name under {@code /var/run/netns} ({@code ip -n NAME}) or an absolute path
 * ({@code nsenter --net=PATH ip}).
 */
public final class IpCommands
{
    private static final long TIMEOUT_SECONDS = 10;

    private IpCommands()
    {
    }

    /**
     * Runs {@code ip ARGS} in the daemon's namespace.
     *
     * @param args arguments after {@code ip}.
     * @throws PortException when it fails.
     */
    public static void ip(final String... args) throws PortException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(Arrays.asList(args));
        run(cmd);
    }

    /**
     * Runs {@code ip ARGS} in the daemon's namespace and returns what it printed.
     *
     * @param args arguments after {@code ip}.
     * @return its output.
     * @throws PortException when it fails.
     */
    public static String ipOutput(final String... args) throws PortException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    /**
     * Runs {@code ip ARGS} inside a namespace.
     *
     * @param netns the namespace name or path.
     * @param args  arguments after {@code ip}.
     * @throws PortException when it fails.
     */
    public static void ipIn(final String netns, final String... args) throws PortException
    {
        final List<String> cmd = new ArrayList<>();
        if (netns.startsWith("/"))
        {
            cmd.add("nsenter");
            cmd.add("--net=" + netns);
            cmd.add("ip");
        }
        else
        {
            cmd.add("ip");
            cmd.add("-n");
            cmd.add(netns);
        }
        cmd.addAll(Arrays.asList(args));
        run(cmd);
    }

    /**
     * Runs a command and waits for it.
     *
     * @param cmd the command line.
     * @return what it printed (standard output and error).
     * @throws PortException when it cannot start, times out or exits non-zero.
     */
    public static String run(final List<String> cmd) throws PortException
    {
        final Process p;
        try
        {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        }
        catch (final IOException e)
        {
            throw new PortException(Errno.ENOENT, String.join(" ", cmd) + ": " + e.getMessage());
        }
        try
        {
            p.getOutputStream().close();
            final byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                throw new PortException(Errno.EBUSY, String.join(" ", cmd) + ": timed out");
            }
            if (p.exitValue() != 0)
            {
                throw new PortException(Errno.EINVAL,
                    String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new PortException(Errno.EINVAL, String.join(" ", cmd) + ": " + e.getMessage());
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new PortException(Errno.EBUSY, String.join(" ", cmd) + ": interrupted");
        }
    }
}
