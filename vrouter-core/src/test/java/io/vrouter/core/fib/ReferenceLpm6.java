package io.vrouter.core.fib;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Naive IPv6 longest-prefix match: one hash map per prefix length, probed from /128 down. Public for vrouter-bench.
 */
public final class ReferenceLpm6
{
    private record Key(long hi, long lo)
    {
    }

    private final List<Map<Key, Integer>> byLength = new ArrayList<>(129);

    /** An empty table. */
    public ReferenceLpm6()
    {
        for (int i = 0; i <= 128; i++)
        {
            byLength.add(new HashMap<>());
        }
    }

    static long maskHi(final long hi, final int plen)
    {
        return plen >= 64 ? hi : (0 == plen ? 0 : hi & (-1L << (64 - plen)));
    }

    static long maskLo(final long lo, final int plen)
    {
        return plen <= 64 ? 0 : (plen >= 128 ? lo : lo & (-1L << (128 - plen)));
    }

    /**
     * @param hi upper half.
     * @param lo lower half.
     * @return longest match leaf or {@link Fib6Leaf#DISCARD}.
     */
    public int lookup(final long hi, final long lo)
    {
        return covering(hi, lo, 129);
    }

    /**
     * @param hi           prefix upper half.
     * @param lo           prefix lower half.
     * @param prefixLength 0-128.
     * @param leaf         leaf.
     * @return 0 or EINVAL.
     */
    public int add(final long hi, final long lo, final int prefixLength, final int leaf)
    {
        if (prefixLength < 0 || prefixLength > 128)
        {
            return Ip6Fib.EINVAL;
        }
        byLength.get(prefixLength).put(new Key(maskHi(hi, prefixLength), maskLo(lo, prefixLength)),
            Fib6Leaf.withPrefixLength(leaf, prefixLength));
        return 0;
    }

    /**
     * @param hi           prefix upper half.
     * @param lo           prefix lower half.
     * @param prefixLength 0-128.
     * @return 0 or ENOENT.
     */
    public int delete(final long hi, final long lo, final int prefixLength)
    {
        return null == byLength.get(prefixLength).remove(new Key(maskHi(hi, prefixLength), maskLo(lo, prefixLength))) ?
            Ip6Fib.ENOENT : 0;
    }

    /**
     * @param hi           prefix upper half.
     * @param lo           prefix lower half.
     * @param prefixLength length of the route being deleted.
     * @return covering route's leaf (shorter prefixes only) or DISCARD.
     */
    public int covering(final long hi, final long lo, final int prefixLength)
    {
        for (int plen = prefixLength - 1; plen >= 0; plen--)
        {
            final Integer leaf = byLength.get(plen).get(new Key(maskHi(hi, plen), maskLo(lo, plen)));
            if (null != leaf)
            {
                return leaf;
            }
        }
        return Fib6Leaf.DISCARD;
    }

    /**
     * @param hi           prefix upper half.
     * @param lo           prefix lower half.
     * @param prefixLength length.
     * @return leaf or -1.
     */
    public int get(final long hi, final long lo, final int prefixLength)
    {
        final Integer leaf = byLength.get(prefixLength)
            .get(new Key(maskHi(hi, prefixLength), maskLo(lo, prefixLength)));
        return null == leaf ? -1 : leaf;
    }
}
