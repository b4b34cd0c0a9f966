package io.vrouter.tools.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end of every lab end-to-end test, pass or fail: the test's continuous ping stopped, the logs kept when it
 * failed, the lab closed, and no {@code vrl-} namespace left behind.
 */
final class LabTeardown
{
    private LabTeardown()
    {
    }

    /**
     * Closes the lab after a test.
     *
     * @param lab    the lab.
     * @param passed whether the test got to its end (else the logs are kept).
     * @param ping   the test's continuous ping, or null.
     */
    static void close(final Lab lab, final boolean passed, final Process ping)
    {
        if (ping != null && ping.isAlive())
        {
            ping.destroyForcibly();
        }
        if (!passed)
        {
            lab.keepLogs();
        }
        lab.close();
        final String leftovers = Shell.run("ip", "netns", "list").output();
        assertTrue(leftovers.lines().noneMatch(l -> l.startsWith("vrl-")), "lab namespaces removed: " + leftovers);
    }
}
