package io.vrouter.bench.archfixture.xmpp;

import io.vrouter.bench.archfixture.core.lookup.Lookup;

/**
 * Fixture: a channel class that uses the forwarder.
 */
public final class Channel
{
    private Channel()
    {
    }

    /**
     * Uses the "core" layer.
     *
     * @param lookup a "core" class.
     * @return a number.
     */
    public static int routes(final Lookup lookup)
    {
        return lookup.size();
    }
}
