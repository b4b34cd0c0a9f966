package io.vrouter.agent.controller;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link PodNamespaces} with iproute2 ({@code ip netns add/del}, namespaces under /var/run/netns).
 */
public final class IpNetns implements PodNamespaces
{
    @Override
    public void ensure(final String name)
    {
        if (!Files.exists(Path.of("/var/run/netns", name)))
        {
            run(List.of("ip", "netns", "add", name));
            run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
        }
    }

    @Override
    public void remove(final String name)
    {
        if (Files.exists(Path.of("/var/run/netns", name)))
        {
            run(List.of("ip", "netns", "del", name));
        }
    }

    private static void run(final List<String> command)
    {
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
            {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        }
        catch (final IOException e)
        {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + e.getMessage(), e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }
}
