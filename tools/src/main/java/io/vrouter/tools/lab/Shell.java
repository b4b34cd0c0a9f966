package io.vrouter.tools.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs short commands and captures what they print.
 */
final class Shell
{
    /**
     * What a command did.
     *
     * @param exit   exit status (-1 on time-out).
     * @param output standard output and error, merged.
     */
    record Result(int exit, String output)
    {
        boolean ok()
        {
            return exit == 0;
        }
    }

    private Shell()
    {
    }

    static Result run(final List<String> command, final long timeoutSeconds)
    {
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[][] out = new byte[1][];
            final Thread reader = Thread.ofVirtual().start(() ->
            {
                try
                {
                    out[0] = p.getInputStream().readAllBytes();
                }
                catch (final IOException e)
                {
                    out[0] = e.toString().getBytes(StandardCharsets.UTF_8);
                }
            });
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                reader.join(1000);
                return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            reader.join();
            return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
        }
        catch (final IOException e)
        {
            return new Result(-1, "cannot run " + String.join(" ", command) + ": " + e.getMessage());
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    static Result run(final String... command)
    {
        return run(List.of(command), 30);
    }

    static Result in(final String netns, final String... command)
    {
        final List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        c.addAll(List.of(command));
        return run(c, 60);
    }

    static void must(final String... command)
    {
        final Result r = run(command);
        if (!r.ok())
        {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.output().trim());
        }
    }
}
