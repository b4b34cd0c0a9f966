package io.vrouter.bench.archfixture.core.testing;

/**
 * Fixture: a topology builder for tests.
 */
public final class Topology
{
    /**
     * Something to call.
     *
     * @return a number.
     */
    public int vifs()
    {
        return 0;
    }
}
