package io.vrouter.bench.archfixture.tools.cli;

import io.vrouter.bench.archfixture.agent.control.ControlServer;

/**
 * Fixture: a CLI class that links against the server for its socket path.
 */
public final class Ctl
{
    private Ctl()
    {
    }

    /**
     * Reads the server's constant.
     *
     * @return the socket path.
     */
    public static String socket()
    {
        return ControlServer.socket();
    }
}
