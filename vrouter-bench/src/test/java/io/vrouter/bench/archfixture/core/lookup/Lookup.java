package io.vrouter.bench.archfixture.core.lookup;

import io.vrouter.bench.archfixture.core.table.Table;

/**
 * Fixture: uses {@link Table}, whose package uses this one.
 */
public final class Lookup
{
    /**
     * The other side of the cycle.
     *
     * @return a number.
     */
    public int size()
    {
        return Table.size(null, null, this);
    }
}
