package io.vrouter.tools.lab;

import org.junit.jupiter.api.Assumptions;

/**
 * What the lab's end-to-end tests need on the machine: root and some commands. Missing, the test is
 * skipped loudly, or fails in CI ({@code CI=true}), where everything must be there.
 */
final class LabPrerequisites
{
    private LabPrerequisites()
    {
    }

    /**
     * Skips (or, in CI, fails) the calling test unless it runs as root and every command is on the path.
     *
     * @param test     the test's name, for the message.
     * @param commands the commands it runs ({@code ping}, {@code nsenter}, ...).
     */
    static void require(final String test, final String... commands)
    {
        boolean ready = Shell.run("id", "-u").output().trim().equals("0");
        for (final String c : commands)
        {
            ready &= Shell.run("which", c).ok();
        }
        if (ready)
        {
            return;
        }
        final String why = test + " needs root and " + String.join(", ", commands);
        if (inCi())
        {
            throw new AssertionError(why + ": not available in CI");
        }
        System.err.println("SKIPPED LOUDLY: " + why);
        Assumptions.abort(why);
    }

    /**
     * Whether the tests run in CI ({@code CI} set and not {@code false}), where nothing may be skipped.
     *
     * @return true in CI.
     */
    static boolean inCi()
    {
        final String ci = System.getenv("CI");
        return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
    }
}
