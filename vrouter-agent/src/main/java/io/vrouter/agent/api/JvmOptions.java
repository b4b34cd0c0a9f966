package io.vrouter.agent.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM flags every vrouter JVM needs, from the checkout's {@code jvm.options} ({@code vrouter.jvm.flags=...}, the
 * file {@code bin/common.sh} and the Maven build read): for whatever starts a {@code vrouterd} or a tool in a JVM of
 * its own (the lab, the end-to-end tests).
 */
public final class JvmOptions
{
    /** The file's name, at the checkout's root. */
    public static final String FILE = "jvm.options";

    private static final String KEY = "vrouter.jvm.flags=";

    private JvmOptions()
    {
    }

    /**
     * The flags in a {@code jvm.options} file.
     *
     * @param file the file.
     * @return the flags, empty when the file has no flags line.
     * @throws IOException if it cannot be read.
     */
    public static List<String> read(final Path file) throws IOException
    {
        for (final String line : Files.readAllLines(file))
        {
            if (line.startsWith(KEY))
            {
                return List.of(line.substring(KEY.length()).trim().split("\\s+"));
            }
        }
        return List.of();
    }

    /**
     * The flags of the nearest {@code jvm.options} at or above a directory (a test runs in its module's directory).
     *
     * @param dir where to start.
     * @return the flags, empty when there is no such file.
     * @throws IOException if the file found cannot be read.
     */
    public static List<String> nearest(final Path dir) throws IOException
    {
        Path root = dir.toAbsolutePath();
        while (root != null && !Files.exists(root.resolve(FILE)))
        {
            root = root.getParent();
        }
        return root == null ? List.of() : read(root.resolve(FILE));
    }
}
