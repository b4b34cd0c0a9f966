package io.vrouter.agent.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code -V/--version} of the daemon and every tool: the project version Maven wrote into
 * {@code io/vrouter/agent/version.properties}, and the JVM that runs it.
 */
public final class ProjectVersion implements IVersionProvider
{
    /**
     * The project version.
     *
     * @return e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown} when the resource is missing.
     */
    public static String version()
    {
        try (InputStream in = ProjectVersion.class.getResourceAsStream("/io/vrouter/agent/version.properties"))
        {
            if (in == null)
            {
                return "unknown";
            }
            final Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        }
        catch (final IOException e)
        {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion()
    {
        return new String[] {"vrouter " + version() + " (Java " + Runtime.version() + ")"};
    }
}
