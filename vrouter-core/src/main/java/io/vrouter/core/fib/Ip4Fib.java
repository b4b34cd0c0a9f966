package io.vrouter.core.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * IPv4 forwarding table of one VRF: longest-prefix match from a 32-bit address to a {@link FibLeaf}.
 * <p>
 * Overview. A multibit trie (Contrail's mtrie, {@code dp-core/vr_ip_mtrie.c}) with two representations:
 * <ul>
 *   <li><b>small</b> (8-8-8-8): a 256-slot root and 256-slot plies, about 1 KiB empty. Most VRFs hold a
 *       handful of routes and stay here; lookups take 1 to 4 loads, all cache resident for small tables.</li>
 *   <li><b>big</b> (24-4-4, DIR-24 style): a 2^24-slot root (64 MiB) and 16-slot plies (one 64-byte cache
 *       line). Nearly every lookup is one load; prefixes longer than /24 take one or two more. With 16-slot plies
 *       a /24 that holds longer prefixes costs 64 bytes (plus 64 per /28 holding /29-/32s) instead of 1 KiB,
 *       which keeps 1 M BGP-like prefixes near 70 MiB (24-8 would need about 115 MiB).</li>
 * </ul>
 * The table starts small and promotes itself once its plies exceed {@code promoteAtPlies} (default
 * {@link #DEFAULT_PROMOTE_AT_PLIES}, i.e. 8 MiB of small plies): the big trie is built off to the side from the
 * small one (leaf by leaf, then uniform plies are collapsed) and published with one release store of the trie
 * reference; readers pick it up at their next lookup. There is no demotion.
 * <p>
 * Leaves, add/delete semantics, the ply quarantine and the memory-ordering argument are described in the
 * package-private {@code Mtrie} Overview. In short: one writer thread calls {@link #add(int, int, int)} and
 * {@link #delete(int, int, int)}; any thread calls {@link #lookup(int)} without locks or allocation; every slot
 * a reader can reach is written with a release store (after the ply it points to was filled) and read with an
 * acquire load (or a plain load followed by an acquire fence), the pool reference likewise, the trie reference
 * with an opaque load of an object whose fields are final, so a reader never sees a torn or half-built entry, on any
 * JMM-conforming platform.
 * <p>
 * Host bits of a prefix are masked (ignored), as Contrail's mtrie ignores them; the leaf's prefix-length field
 * is overwritten with the route's prefix length.
 */
public final class Ip4Fib
{
    /** Invalid argument (prefix length > 32, non-terminal leaf, bad replacement). */
    public static final int EINVAL = -22;

    /** Delete found no leaf with that prefix length in the prefix's range. */
    public static final int ENOENT = -2;

    /** The ply pool is at its configured capacity; nothing was changed. */
    public static final int ENOSPC = -28;

    /** Promote to the big representation once the small one holds this many 1 KiB plies. */
    public static final int DEFAULT_PROMOTE_AT_PLIES = 8192;

    /** Default ply capacity of each representation. */
    public static final int DEFAULT_MAX_PLIES = 1 << 24;

    /** Default quarantine of freed plies before reuse. */
    public static final long DEFAULT_GRACE_NS = Quarantine.DEFAULT_GRACE_NS;

    private static final int SMALL_ROOT_BITS = 8;
    private static final int SMALL_PLY_BITS = 8;
    private static final int BIG_ROOT_BITS = 24;
    private static final int BIG_PLY_BITS = 4;

    private static final VarHandle INTS = Mtrie.INTS;
    private static final VarHandle TRIE;

    static
    {
        try
        {
            TRIE = MethodHandles.lookup().findVarHandle(Ip4Fib.class, "trie", Mtrie.class);
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
    public Ip4Fib()
    {
        this(DEFAULT_PROMOTE_AT_PLIES, DEFAULT_MAX_PLIES, DEFAULT_GRACE_NS);
    }

    /**
     * @param promoteAtPlies promote to 24-4-4 above this many small plies; 0 = start big (64 MiB at once),
     *                       {@link Integer#MAX_VALUE} = never promote.
     * @param maxPlies       ply capacity of each representation; an add that needs more returns {@link #ENOSPC}.
     * @param graceNs        how long a freed ply is kept before reuse.
     */
    public Ip4Fib(final int promoteAtPlies, final int maxPlies, final long graceNs)
    {
        this(promoteAtPlies, maxPlies, graceNs, null);
    }

    /**
     * @param promoteAtPlies as {@link #Ip4Fib(int, int, long)}.
     * @param maxPlies       as {@link #Ip4Fib(int, int, long)}.
     * @param graceNs        least time a freed ply is kept before reuse.
     * @param epochs         the forwarding workers' read sections: a freed ply is also kept until every worker
     *                       has left the batch it may have been in (null: time only).
     */
    public Ip4Fib(final int promoteAtPlies, final int maxPlies, final long graceNs, final ReaderEpochs epochs)
    {
        this.epochs = epochs;
        this.promoteAtPlies = promoteAtPlies;
        this.maxPlies = maxPlies;
        this.graceNs = graceNs;
        writerTrie = 0 == promoteAtPlies ? newBig() : new Mtrie(
            SMALL_ROOT_BITS, SMALL_PLY_BITS, 32, FibLeaf.PLEN_SHIFT, FibLeaf.PLEN_MASK, maxPlies, graceNs, epochs);
        TRIE.setRelease(this, writerTrie);
    }

    /**
     * Longest-prefix match. Any thread; lock-free and allocation-free.
     *
     * @param address IPv4 address as a big-endian value (10.0.0.1 = 0x0A000001).
     * @return a terminal leaf; {@link FibLeaf#DISCARD} when no route covers the address.
     */
    public int lookup(final int address)
    {
        final Mtrie t = (Mtrie)TRIE.getOpaque(this);
        final int leaf = t.root[address >>> t.rootShift];
        // Plain load + acquire fence = acquire load (JMM); on x86 the fence only restrains the compiler.
        VarHandle.acquireFence();
        return leaf >= 0 ? leaf : lookupPlies(t, address, leaf);
    }

    private static int lookupPlies(final Mtrie t, final int address, final int rootLeaf)
    {
        final int[] pool = t.pool();
        final int plyBits = t.plyBits;
        final int mask = t.plySize - 1;
        int shift = t.rootShift;
        int leaf = rootLeaf;
        do
        {
            shift -= plyBits;
            leaf = (int)INTS.getAcquire(pool, ((leaf & Mtrie.PLY_MASK) << plyBits) | ((address >>> shift) & mask));
        }
        while (leaf < 0);
        return leaf;
    }

    /**
     * Bulk longest-prefix match, processed level by level across the batch so that the misses of different
     * keys overlap. Any thread; allocation-free.
     *
     * @param addresses IPv4 addresses.
     * @param leaves    receives one terminal leaf per address.
     * @param count     number of addresses.
     */
    public void lookup(final int[] addresses, final int[] leaves, final int count)
    {
        final Mtrie t = (Mtrie)TRIE.getOpaque(this);
        final int[] root = t.root;
        final int rootShift = t.rootShift;
        int pending = 0;
        for (int i = 0; i < count; i++)
        {
            final int leaf = root[addresses[i] >>> rootShift];
            leaves[i] = leaf;
            pending |= leaf;
        }
        VarHandle.acquireFence();
        if (pending < 0)
        {
            lookupPlies(t, addresses, leaves, count);
        }
    }

    private static void lookupPlies(final Mtrie t, final int[] addresses, final int[] leaves, final int count)
    {
        final int[] pool = t.pool();
        final int plyBits = t.plyBits;
        final int mask = t.plySize - 1;
        int shift = t.rootShift;
        int pending = -1;
        while (pending < 0)
        {
            shift -= plyBits;
            pending = 0;
            for (int i = 0; i < count; i++)
            {
                int leaf = leaves[i];
                if (leaf < 0)
                {
                    leaf = pool[((leaf & Mtrie.PLY_MASK) << plyBits) | ((addresses[i] >>> shift) & mask)];
                    leaves[i] = leaf;
                    pending |= leaf;
                }
            }
            VarHandle.acquireFence();
        }
    }

    /**
     * Add or replace a route (Contrail {@code __mtrie_add}): leaves in the prefix's range whose stored prefix
     * length is {@code <= prefixLength} are overwritten. Writer thread only. Whole-or-nothing.
     *
     * @param prefix       IPv4 prefix (host bits are ignored).
     * @param prefixLength 0-32.
     * @param leaf         terminal leaf; its prefix-length field is set to {@code prefixLength}.
     * @return 0, {@link #EINVAL} or {@link #ENOSPC}.
     */
    public int add(final int prefix, final int prefixLength, final int leaf)
    {
        final Mtrie t = writerTrie;
        final int result = t.add(hi(prefix), 0L, prefixLength, leaf);
        if (0 == result && t.rootBits == SMALL_ROOT_BITS && t.plyCount() > promoteAtPlies)
        {
            promote();
        }
        return result;
    }

    /**
     * Delete a route by replacement (Contrail): every leaf in the prefix's range whose stored prefix length equals
     * {@code prefixLength} becomes {@code replacementLeaf}, which the caller derives from the covering route (or
     * {@link FibLeaf#DISCARD}). Writer thread only.
     *
     * @param prefix          IPv4 prefix (host bits are ignored).
     * @param prefixLength    0-32.
     * @param replacementLeaf terminal leaf of the covering route, with that route's (shorter) prefix length.
     * @return 0, {@link #ENOENT} when no leaf had that prefix length in range, or {@link #EINVAL}.
     */
    public int delete(final int prefix, final int prefixLength, final int replacementLeaf)
    {
        return writerTrie.delete(hi(prefix), 0L, prefixLength, replacementLeaf);
    }

    /**
     * Dump: every route once, in address order, even when more-specific routes split it. A route hidden entirely
     * by more-specific ones has no leaf and is not reported; neither is the implicit plen-0 discard. Writer thread.
     *
     * @param visitor receives (prefix, prefixLength, leaf).
     */
    public void forEachRoute(final RouteVisitor visitor)
    {
        writerTrie.forEachRoute((hi, lo, plen, leaf) -> visitor.onRoute((int)(hi >>> 32), plen, leaf));
    }

    /**
     * @return number of routes added and not deleted (exact unless routes were fully hidden when added/deleted).
     */
    public int routeCount()
    {
        return writerTrie.routeCount();
    }

    /**
     * @return heap bytes held by the table (root, ply pool, quarantine, headers), without garbage from old pools.
     */
    public long memoryBytes()
    {
        return 48 + ((Mtrie)TRIE.getAcquire(this)).memoryBytes();
    }

    /**
     * @return true once the table uses the 24-4-4 representation.
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
            final Mtrie big = newBig();
            writerTrie.copyInto(big);
            writerTrie = big;
            TRIE.setRelease(this, big);
        }
    }

    private Mtrie newBig()
    {
        return new Mtrie(
            BIG_ROOT_BITS, BIG_PLY_BITS, 32, FibLeaf.PLEN_SHIFT, FibLeaf.PLEN_MASK, maxPlies, graceNs, epochs);
    }

    private static long hi(final int address)
    {
        return (address & 0xFFFFFFFFL) << 32;
    }
}
