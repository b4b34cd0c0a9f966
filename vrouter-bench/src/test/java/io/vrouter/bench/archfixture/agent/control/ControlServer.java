package io.vrouter.bench.archfixture.agent.control;

/**
 * Fixture: a server class, named like the real one.
 */
public final class ControlServer
{
    private ControlServer()
    {
    }

    /**
     * The default socket path.
     *
     * @return a path.
     */
    public static String socket()
    {
        return "/run/fixture.sock";
    }
}
