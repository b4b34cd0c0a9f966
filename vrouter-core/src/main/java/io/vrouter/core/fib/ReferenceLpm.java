package io.vrouter.core.fib;

import org.agrona.collections.Int2IntHashMap;

/**
 * Naive, obviously correct IPv4 longest-prefix match: one hash map per prefix length, probed from /32 down to /0.
 * Deletes remove the route (the replacement leaf is what the mtrie needs; here it is implied by the routes left).
 * Public so that vrouter-bench can use it as the baseline.
 */
public final class ReferenceLpm
{
    private static final int MISSING = -1;
    private final Int2IntHashMap[] byLength = new Int2IntHashMap[33];
    private int size;

    /** An empty table. */
    public ReferenceLpm()
    {
        for (int i = 0; i <= 32; i++)
        {
            byLength[i] = new Int2IntHashMap(MISSING);
        }
    }

    /**
     * @param prefixLength 0-32.
     * @return the network mask.
     */
    public static int mask(final int prefixLength)
    {
        return 0 == prefixLength ? 0 : -1 << (32 - prefixLength);
    }

    /**
     * The longest match, probing /32 down to /0.
     *
     * @param address IPv4 address.
     * @return the leaf of the longest prefix holding it, or {@link FibLeaf#DISCARD}.
     */
    public int lookup(final int address)
    {
        for (int plen = 32; plen >= 0; plen--)
        {
            final int leaf = byLength[plen].get(address & mask(plen));
            if (MISSING != leaf)
            {
                return leaf;
            }
        }
        return FibLeaf.DISCARD;
    }

    /**
     * Adds or replaces a route.
     *
     * @param prefix       prefix (host bits ignored).
     * @param prefixLength 0-32.
     * @param leaf         its leaf (non-negative).
     * @return 0, or {@link Ip4Fib#EINVAL} for a bad length or leaf.
     */
    public int add(final int prefix, final int prefixLength, final int leaf)
    {
        if (prefixLength < 0 || prefixLength > 32 || leaf < 0)
        {
            return Ip4Fib.EINVAL;
        }
        if (MISSING == byLength[prefixLength].put(prefix & mask(prefixLength),
            FibLeaf.withPrefixLength(leaf, prefixLength)))
        {
            size++;
        }
        return 0;
    }

    /**
     * Removes a route; what was covered by it now matches the routes left.
     *
     * @param prefix          prefix (host bits ignored).
     * @param prefixLength    0-32.
     * @param replacementLeaf unused: the covering route is implied by the routes left.
     * @return 0, {@link Ip4Fib#EINVAL} for a bad length, {@link Ip4Fib#ENOENT} for no such route.
     */
    public int delete(final int prefix, final int prefixLength, final int replacementLeaf)
    {
        if (prefixLength < 0 || prefixLength > 32)
        {
            return Ip4Fib.EINVAL;
        }
        if (MISSING == byLength[prefixLength].remove(prefix & mask(prefixLength)))
        {
            return Ip4Fib.ENOENT;
        }
        size--;
        return 0;
    }

    /**
     * @param prefix       prefix.
     * @param prefixLength its length.
     * @return the leaf of (prefix, prefixLength) or -1.
     */
    public int get(final int prefix, final int prefixLength)
    {
        return byLength[prefixLength].get(prefix & mask(prefixLength));
    }

    /**
     * The covering route's leaf, as Contrail's agent computes it for a delete (plen-1 down to 0).
     *
     * @param prefix       prefix being deleted.
     * @param prefixLength its length.
     * @return the covering route's leaf or {@link FibLeaf#DISCARD}.
     */
    public int covering(final int prefix, final int prefixLength)
    {
        for (int plen = prefixLength - 1; plen >= 0; plen--)
        {
            final int leaf = byLength[plen].get(prefix & mask(plen));
            if (MISSING != leaf)
            {
                return leaf;
            }
        }
        return FibLeaf.DISCARD;
    }

    /**
     * @return number of routes.
     */
    public int size()
    {
        return size;
    }

    /**
     * Every route (unordered), except a plen-0 route whose leaf is {@link FibLeaf#DISCARD}.
     *
     * @param visitor called once per route.
     */
    public void forEachRoute(final RouteVisitor visitor)
    {
        for (int plen = 0; plen <= 32; plen++)
        {
            final int p = plen;
            byLength[plen].forEach((prefix, leaf) ->
            {
                if (0 != p || FibLeaf.DISCARD != leaf)
                {
                    visitor.onRoute(prefix, p, leaf);
                }
            });
        }
    }
}
