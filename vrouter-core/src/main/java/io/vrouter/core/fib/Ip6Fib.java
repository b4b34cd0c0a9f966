package io.vrouter.core.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * IPv6 forwarding table of one VRF: longest-prefix match from a 128-bit address, given as two longs
 * ({@code hi} = bytes 0-7, {@code lo} = bytes 8-15, big-endian values), to a {@link Fib6Leaf}.
 * <p>
 * Overview. The same mtrie as {@link Ip4Fib} (see the package-private {@code Mtrie} Overview for add/delete,
 * quarantine and memory ordering), with 8-bit plies throughout: small (8-bit root, 1 KiB, up to 16 levels)
 * promoting itself to big (16-bit root, 256 KiB, up to 15 levels) once it holds more than
 * {@code promoteAtPlies} plies. Leaves use the {@link Fib6Leaf} layout (8-bit prefix length, 22-bit value).
 * <p>
 * Random IPv6 prefixes share little beyond the first 16-24 bits, so a lookup in a big table is a chain of
 * dependent cache misses (one per 8 bits). {@link #lookup(long[], long[], int[], int)} walks a batch level by
 * level so that the misses of different keys are in flight together (memory-level parallelism); it is the call
 * forwarders should use on a packet vector.
 * <p>
 * Host bits are masked; the leaf's prefix-length field is set to the route's prefix length.
 */
public final class Ip6Fib
{
    /** Invalid argument. */
    public static final int EINVAL = -22;

    /** Delete found no leaf with that prefix length in the prefix's range. */
    public static final int ENOENT = -2;

    /** The ply pool is at its configured capacity; nothing was changed. */
    public static final int ENOSPC = -28;

    /** Promote to the 16-bit root once the small representation holds this many plies. */
    public static final int DEFAULT_PROMOTE_AT_PLIES = 1024;

    /** Default ply capacity (8-bit plies): 8 M plies = 8 GiB, i.e. bounded by the heap in practice. */
    public static final int DEFAULT_MAX_PLIES = 1 << 23;

    private static final int SMALL_ROOT_BITS = 8;
    private static final int BIG_ROOT_BITS = 16;
    private static final int PLY_BITS = 8;

    private static final VarHandle INTS = Mtrie.INTS;
    private static final VarHandle TRIE;

    static
    {
        try
        {
            TRIE = MethodHandles.lookup().findVarHandle(Ip6Fib.class, "trie", Mtrie.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int promoteAtPlies;
    private final int maxPlies;
    private final long graceNs;
    private final ReaderEpochs epochs;
    @SuppressWarnings("unused")
    private Mtrie trie;
    private Mtrie writerTrie;

    /** An empty table with the default settings. */
    public Ip6Fib()
    {
        this(DEFAULT_PROMOTE_AT_PLIES, DEFAULT_MAX_PLIES, Quarantine.DEFAULT_GRACE_NS);
    }

    /**
     * @param promoteAtPlies promote above this many plies; 0 = start with the 16-bit root,
     *                       {@link Integer#MAX_VALUE} = never.
     * @param maxPlies       ply capacity; an add that needs more returns {@link #ENOSPC}.
     * @param graceNs        how long a freed ply is kept before reuse.
     */
    public Ip6Fib(final int promoteAtPlies, final int maxPlies, final long graceNs)
    {
        this(promoteAtPlies, maxPlies, graceNs, null);
    }

    /**
     * @param promoteAtPlies as {@link #Ip6Fib(int, int, long)}.
     * @param maxPlies       as {@link #Ip6Fib(int, int, long)}.
     * @param graceNs        least time a freed ply is kept before reuse.
     * @param epochs         the forwarding workers' read sections (see {@link ReaderEpochs}); null: time only.
     */
    public Ip6Fib(final int promoteAtPlies, final int maxPlies, final long graceNs, final ReaderEpochs epochs)
    {
        this.epochs = epochs;
        this.promoteAtPlies = promoteAtPlies;
        this.maxPlies = maxPlies;
        this.graceNs = graceNs;
        writerTrie = newTrie(0 == promoteAtPlies ? BIG_ROOT_BITS : SMALL_ROOT_BITS);
        TRIE.setRelease(this, writerTrie);
    }

    /**
     * Longest-prefix match. Any thread; lock-free and allocation-free.
     *
     * @param hi upper 64 bits of the address.
     * @param lo lower 64 bits of the address.
     * @return a terminal leaf; {@link Fib6Leaf#DISCARD} when no route covers the address.
     */
    public int lookup(final long hi, final long lo)
    {
        final Mtrie t = (Mtrie)TRIE.getAcquire(this);
        int pos = t.rootBits;
        int leaf = (int)INTS.getAcquire(t.root, (int)(hi >>> (64 - pos)));
        if (leaf < 0)
        {
            final int[] pool = t.pool();
            do
            {
                final int bits = pos < 64 ? (int)(hi >>> (56 - pos)) & 0xFF : (int)(lo >>> (120 - pos)) & 0xFF;
                leaf = (int)INTS.getAcquire(pool, ((leaf & Mtrie.PLY_MASK) << PLY_BITS) | bits);
                pos += PLY_BITS;
            }
            while (leaf < 0);
        }
        return leaf;
    }

    /**
     * Bulk longest-prefix match, level by level across the batch (memory-level parallelism). Allocation-free.
     *
     * @param his    upper halves of the addresses.
     * @param los    lower halves of the addresses.
     * @param leaves receives one terminal leaf per address.
     * @param count  number of addresses.
     */
    public void lookup(final long[] his, final long[] los, final int[] leaves, final int count)
    {
        final Mtrie t = (Mtrie)TRIE.getOpaque(this);
        final int[] root = t.root;
        int pos = t.rootBits;
        final int rootShift = 64 - pos;
        int pending = 0;
        for (int i = 0; i < count; i++)
        {
            final int leaf = root[(int)(his[i] >>> rootShift)];
            leaves[i] = leaf;
            pending |= leaf;
        }
        // Plain loads + one acquire fence per level = acquire loads (JMM); free on x86 apart from the compiler.
        VarHandle.acquireFence();
        if (pending < 0)
        {
            final int[] pool = t.pool();
            while (pending < 0)
            {
                pending = 0;
                if (pos < 64)
                {
                    final int shift = 56 - pos;
                    for (int i = 0; i < count; i++)
                    {
                        int leaf = leaves[i];
                        if (leaf < 0)
                        {
                            leaf = pool[((leaf & Mtrie.PLY_MASK) << PLY_BITS) | ((int)(his[i] >>> shift) & 0xFF)];
                            leaves[i] = leaf;
                            pending |= leaf;
                        }
                    }
                }
                else
                {
                    final int shift = 120 - pos;
                    for (int i = 0; i < count; i++)
                    {
                        int leaf = leaves[i];
                        if (leaf < 0)
                        {
                            leaf = pool[((leaf & Mtrie.PLY_MASK) << PLY_BITS) | ((int)(los[i] >>> shift) & 0xFF)];
                            leaves[i] = leaf;
                            pending |= leaf;
                        }
                    }
                }
                pos += PLY_BITS;
                VarHandle.acquireFence();
            }
        }
    }

    /**
     * Add or replace a route (Contrail {@code __mtrie_add} semantics). Writer thread only. Whole-or-nothing.
     *
     * @param prefixHi     upper 64 bits of the prefix (host bits ignored).
     * @param prefixLo     lower 64 bits of the prefix.
     * @param prefixLength 0-128.
     * @param leaf         terminal {@link Fib6Leaf}; its prefix-length field is set to {@code prefixLength}.
     * @return 0, {@link #EINVAL} or {@link #ENOSPC}.
     */
    public int add(final long prefixHi, final long prefixLo, final int prefixLength, final int leaf)
    {
        final Mtrie t = writerTrie;
        final int result = t.add(prefixHi, prefixLo, prefixLength, leaf);
        if (0 == result && t.rootBits == SMALL_ROOT_BITS && t.plyCount() > promoteAtPlies)
        {
            promote();
        }
        return result;
    }

    /**
     * Delete by replacement (see {@link Ip4Fib#delete(int, int, int)}). Writer thread only.
     *
     * @param prefixHi        upper 64 bits of the prefix.
     * @param prefixLo        lower 64 bits of the prefix.
     * @param prefixLength    0-128.
     * @param replacementLeaf leaf of the covering route (shorter prefix length) or {@link Fib6Leaf#DISCARD}.
     * @return 0, {@link #ENOENT} or {@link #EINVAL}.
     */
    public int delete(final long prefixHi, final long prefixLo, final int prefixLength, final int replacementLeaf)
    {
        return writerTrie.delete(prefixHi, prefixLo, prefixLength, replacementLeaf);
    }

    /**
     * Dump every route once, in address order (see {@link Ip4Fib#forEachRoute(RouteVisitor)}). Writer thread.
     *
     * @param visitor receives (prefixHi, prefixLo, prefixLength, leaf).
     */
    public void forEachRoute(final Route6Visitor visitor)
    {
        writerTrie.forEachRoute(visitor::onRoute);
    }

    /**
     * @return number of routes added and not deleted (exact unless routes were fully hidden).
     */
    public int routeCount()
    {
        return writerTrie.routeCount();
    }

    /**
     * @return heap bytes held by the table.
     */
    public long memoryBytes()
    {
        return 48 + ((Mtrie)TRIE.getAcquire(this)).memoryBytes();
    }

    /**
     * @return true once the table uses the 16-bit root.
     */
    public boolean isPromoted()
    {
        return ((Mtrie)TRIE.getAcquire(this)).rootBits == BIG_ROOT_BITS;
    }

    /**
     * @return live plies of the current representation.
     */
    public int plyCount()
    {
        return writerTrie.plyCount();
    }

    /**
     * Promote now (normally automatic). Writer thread only.
     */
    public void promote()
    {
        if (writerTrie.rootBits != BIG_ROOT_BITS)
        {
            final Mtrie big = newTrie(BIG_ROOT_BITS);
            writerTrie.copyInto(big);
            writerTrie = big;
            TRIE.setRelease(this, big);
        }
    }

    private Mtrie newTrie(final int rootBits)
    {
        return new Mtrie(rootBits, PLY_BITS, 128, Fib6Leaf.PLEN_SHIFT, Fib6Leaf.PLEN_MASK, maxPlies, graceNs, epochs);
    }
}
