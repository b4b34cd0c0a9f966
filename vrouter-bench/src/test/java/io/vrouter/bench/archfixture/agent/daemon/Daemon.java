package io.vrouter.bench.archfixture.agent.daemon;

import io.vrouter.bench.archfixture.core.testing.Topology;

/**
 * Fixture: an "agent" class, which also builds its state with a test fixture.
 */
public final class Daemon
{
    /**
     * Something to call, which uses a test fixture.
     *
     * @return a number.
     */
    public int workers()
    {
        return 1 + new Topology().vifs();
    }
}
