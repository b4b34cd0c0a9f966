package io.vrouter.bench.archfixture.core.table;

import io.netty.buffer.ByteBuf;
import io.vrouter.bench.archfixture.agent.daemon.Daemon;
import io.vrouter.bench.archfixture.core.lookup.Lookup;

/**
 * Fixture: a "core" class that calls the "agent" layer (a wrong-way import), reads a netty buffer, and uses a
 * package that uses it back.
 */
public final class Table
{
    private Table()
    {
    }

    /**
     * Every wrong dependency at once.
     *
     * @param daemon a class of the layer above.
     * @param buf    a netty type.
     * @param lookup a class of a package that depends on this one.
     * @return a number.
     */
    public static int size(final Daemon daemon, final ByteBuf buf, final Lookup lookup)
    {
        return daemon.workers() + buf.readableBytes() + lookup.hashCode();
    }
}
