package io.vrouter.core.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/*
 * Overview: the multibit trie shared by Ip4Fib and Ip6Fib (package-private; the public classes hold the
 * specialised lookups and the promotion policy).
 *
 * Layout. Keys are 128-bit (hi, lo); IPv4 uses hi = address << 32. Level 0 is the root, an int[] of
 * 2^rootBits slots; levels 1.. are plies of 2^plyBits slots carved out of one int[] pool (ply p occupies
 * pool[p << plyBits .. (p + 1) << plyBits)). Level l ends at bit end(l) = rootBits + l * plyBits. A slot holds
 * a terminal leaf (FibLeaf/Fib6Leaf, bit 31 clear) or a non-terminal leaf (bit 31 set, bits 0-30 = ply index).
 *
 * Invariant: a terminal leaf stored at level l has an owning prefix length <= end(l). Add and delete keep it
 * (a ply is collapsed into its parent slot only when all its slots hold the same terminal leaf whose prefix
 * length fits the parent level). Because of it, a leaf whose prefix length is p belongs to exactly one route:
 * the one whose prefix is the slot's address masked to p bits (forEachRoute relies on that).
 *
 * Add (Contrail __mtrie_add): walk to the first level whose end >= plen; if a slot on the way is terminal, the
 * remaining plies are built off to the side (filled with that slot's leaf, then the new leaves) and published
 * by one release store into the slot. At the target level the 2^(end - plen) slots of the prefix (prefix
 * expansion) are overwritten where the stored plen <= plen, recursing into child plies. The only failure after
 * validation is -ENOSPC, checked before anything is written, so a failed add changes nothing.
 *
 * Delete (Contrail delete-is-replace): every leaf in the prefix's range whose stored plen == plen is replaced by
 * the caller's replacement leaf (the covering route, or discard). Plies that become uniform are collapsed into
 * their parent slot (release store) and freed into a Quarantine; their storage is reused only after the grace
 * period, since readers may still be walking them.
 *
 * Threading. One writer thread calls every mutating method. Readers (any number, any thread) never block:
 *  - every slot store that a reader may observe is a VarHandle setRelease. Readers either load slots with
 *    getAcquire, or (hot paths in Ip4Fib/Ip6Fib) with a plain load followed by VarHandle.acquireFence() before
 *    any dependent load, which the JMM treats as an acquire load. A new ply is filled with plain stores and then
 *    linked by a release store; a reader that sees the link therefore also sees the fill (release/acquire
 *    synchronisation on the same array element), so no reader sees a partially built ply. This is a JMM
 *    argument, not an x86 one: on x86 both are plain MOVs and the fence only restrains the compiler; on ARM they
 *    become LDAR/STLR (or DMB).
 *  - the trie reference (swapped on promotion) is read with getOpaque: Mtrie's layout fields and root are final,
 *    so any reference a reader obtains is safely published (JLS 17.5), and opaque mode forbids the JIT from
 *    hoisting the load out of a forwarder's loop, so readers pick up a promotion at their next lookup.
 *  - the pool array grows by copying into a larger array, published with a release store of the pool field
 *    BEFORE any slot refers to a ply in the new part. Readers load the pool reference (acquire) after they have
 *    read the root slot that led them there, so the pool they use contains every ply reachable from that slot.
 *    An old pool is never written again, so a reader still on it reads a consistent older copy.
 *  - 32-bit int loads and stores are atomic (JLS 17.7), so a leaf is never torn.
 *  - freed plies go to a Quarantine and are reused only when (a) the grace time has passed (default 100 ms) and
 *    (b), when the table was given ReaderEpochs (every forwarder's tables are), every registered worker has left
 *    the batch it may have been in when the ply was unlinked (epoch-based reclamation, Contrail's vr_defer/RCU
 *    idea; the argument is in ReaderEpochs). With (b) a stalled reader blocks reuse instead of reading a
 *    recycled ply. Readers that do not register (tests, tools) get (a) only: Ip4FibConcurrencyTest shows a
 *    reader stalled longer than the grace can then read one wrong but well-formed leaf, never out of bounds.
 *
 * File layout: configuration and state, reader accessors, add, delete, walk (dump and promotion copy), ply
 * allocation.
 */
final class Mtrie
{
    static final int EINVAL = -22;
    static final int ENOENT = -2;
    static final int ENOSPC = -28;
    static final int NON_TERMINAL = 0x80000000;
    static final int PLY_MASK = 0x7FFFFFFF;

    static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle POOL;

    static
    {
        try
        {
            POOL = MethodHandles.lookup().findVarHandle(Mtrie.class, "pool", int[].class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Receives walk output: a terminal leaf covering the 2^(maxLength - granularity) keys from (hi, lo). */
    interface LeafSink
    {
        void onLeaf(long hi, long lo, int granularity, int leaf);
    }

    final int rootBits;
    final int rootShift;
    final int plyBits;
    final int plySize;
    final int maxLength;
    final int levels;
    final int[] root;
    private final int plenShift;
    private final int plenMask;
    private final int maxPlies;
    private final Quarantine quarantine;
    @SuppressWarnings("unused")
    private int[] pool;
    private int plyHigh;
    private int plyCount;
    private int routeCount;
    private boolean existed;
    private int changed;

    Mtrie(
        final int rootBits,
        final int plyBits,
        final int maxLength,
        final int plenShift,
        final int plenMask,
        final int maxPlies,
        final long graceNs,
        final ReaderEpochs epochs)
    {
        if ((maxLength - rootBits) % plyBits != 0 || (64 - rootBits) % plyBits != 0 && maxLength > 64)
        {
            throw new IllegalArgumentException("strides " + rootBits + "/" + plyBits);
        }
        this.rootBits = rootBits;
        this.rootShift = 32 - rootBits;
        this.plyBits = plyBits;
        this.plySize = 1 << plyBits;
        this.maxLength = maxLength;
        this.levels = 1 + (maxLength - rootBits) / plyBits;
        this.plenShift = plenShift;
        this.plenMask = plenMask;
        this.maxPlies = Math.min(maxPlies, (Integer.MAX_VALUE - 64) >> plyBits);
        this.quarantine = new Quarantine(graceNs, epochs);
        this.root = new int[1 << rootBits];
        POOL.setRelease(this, new int[0]);
    }

    // ---------------------------------------------------------------- reader side

    int[] pool()
    {
        return (int[])POOL.getAcquire(this);
    }

    int plyCount()
    {
        return plyCount;
    }

    int routeCount()
    {
        return routeCount;
    }

    long memoryBytes()
    {
        return 96 + 16 + 4L * root.length + 16 + 4L * pool().length + quarantine.memoryBytes();
    }

    // ---------------------------------------------------------------- helpers

    int end(final int level)
    {
        return rootBits + level * plyBits;
    }

    private int start(final int level)
    {
        return 0 == level ? 0 : rootBits + (level - 1) * plyBits;
    }

    private int levelFor(final int plen)
    {
        return plen <= rootBits ? 0 : (plen - rootBits + plyBits - 1) / plyBits;
    }

    private int plen(final int leaf)
    {
        return (leaf >>> plenShift) & plenMask;
    }

    private static int bits(final long hi, final long lo, final int start, final int width)
    {
        final long mask = (1L << width) - 1;
        if (start + width <= 64)
        {
            return (int)((hi >>> (64 - start - width)) & mask);
        }
        return (int)((lo >>> (128 - start - width)) & mask);
    }

    private static long maskHi(final long hi, final int plen)
    {
        return plen >= 64 ? hi : (0 == plen ? 0 : hi & (-1L << (64 - plen)));
    }

    private static long maskLo(final long lo, final int plen)
    {
        return plen <= 64 ? 0 : (plen >= 128 ? lo : lo & (-1L << (128 - plen)));
    }

    // ---------------------------------------------------------------- add

    int add(final long keyHi, final long keyLo, final int plen, final int newLeaf)
    {
        if (plen < 0 || plen > maxLength || newLeaf < 0)
        {
            return EINVAL;
        }
        final long hi = maskHi(keyHi, plen);
        final long lo = maskLo(keyLo, plen);
        final int leaf = (newLeaf & ~(plenMask << plenShift)) | (plen << plenShift);
        final int target = levelFor(plen);
        int[] arr = root;
        int base = 0;
        for (int l = 0; l < target; l++)
        {
            final int idx = base + bits(hi, lo, start(l), 0 == l ? rootBits : plyBits);
            final int slot = arr[idx];
            if (slot >= 0)
            {
                if (!reserve(target - l))
                {
                    return ENOSPC;
                }
                arr = 0 == l ? root : pool();
                final int top = buildChain(hi, lo, l + 1, target, slot, plen, leaf);
                INTS.setRelease(arr, idx, NON_TERMINAL | top);
                routeCount++;
                return 0;
            }
            arr = pool();
            base = (slot & PLY_MASK) << plyBits;
        }
        final int width = 0 == target ? rootBits : plyBits;
        final int count = 1 << (end(target) - plen);
        final int first = base + bits(hi, lo, start(target), width);
        existed = false;
        for (int i = first, last = first + count; i < last; i++)
        {
            addSlot(arr, i, target, plen, leaf);
        }
        if (!existed)
        {
            routeCount++;
        }
        return 0;
    }

    private void addSlot(final int[] arr, final int idx, final int level, final int plen, final int leaf)
    {
        final int slot = arr[idx];
        if (slot >= 0)
        {
            final int stored = plen(slot);
            if (stored <= plen)
            {
                existed |= stored == plen;
                if (slot != leaf)
                {
                    INTS.setRelease(arr, idx, leaf);
                }
            }
        }
        else
        {
            final int[] p = pool();
            final int ply = slot & PLY_MASK;
            final int childBase = ply << plyBits;
            for (int j = 0; j < plySize; j++)
            {
                addSlot(p, childBase + j, level + 1, plen, leaf);
            }
            collapseIfUniform(arr, idx, level, ply);
        }
    }

    private int buildChain(
        final long hi, final long lo, final int from, final int target, final int fill, final int plen, final int leaf)
    {
        final int[] p = pool();
        final int top = allocate();
        int ply = top;
        for (int l = from; ; l++)
        {
            final int base = ply << plyBits;
            Arrays.fill(p, base, base + plySize, fill);
            if (l == target)
            {
                final int first = base + bits(hi, lo, start(l), plyBits);
                Arrays.fill(p, first, first + (1 << (end(l) - plen)), leaf);
                break;
            }
            final int child = allocate();
            p[base + bits(hi, lo, start(l), plyBits)] = NON_TERMINAL | child;
            ply = child;
        }
        return top;
    }

    // ---------------------------------------------------------------- delete

    int delete(final long keyHi, final long keyLo, final int plen, final int replacement)
    {
        if (plen < 0 || plen > maxLength || replacement < 0 || (plen(replacement) >= plen && plen != 0) ||
            (0 == plen && 0 != plen(replacement)))
        {
            return EINVAL;
        }
        final long hi = maskHi(keyHi, plen);
        final long lo = maskLo(keyLo, plen);
        final int target = levelFor(plen);
        final int[] pathIdx = new int[target];
        int[] arr = root;
        int base = 0;
        for (int l = 0; l < target; l++)
        {
            final int idx = base + bits(hi, lo, start(l), 0 == l ? rootBits : plyBits);
            final int slot = arr[idx];
            if (slot >= 0)
            {
                return ENOENT;
            }
            pathIdx[l] = idx;
            arr = pool();
            base = (slot & PLY_MASK) << plyBits;
        }
        final int width = 0 == target ? rootBits : plyBits;
        final int count = 1 << (end(target) - plen);
        final int first = base + bits(hi, lo, start(target), width);
        changed = 0;
        for (int i = first, last = first + count; i < last; i++)
        {
            deleteSlot(arr, i, target, plen, replacement);
        }
        if (0 == changed)
        {
            return ENOENT;
        }
        for (int l = target - 1; l >= 0; l--)
        {
            final int[] parent = 0 == l ? root : pool();
            final int ply = parent[pathIdx[l]] & PLY_MASK;
            if (!collapseIfUniform(parent, pathIdx[l], l, ply))
            {
                break;
            }
        }
        routeCount--;
        return 0;
    }

    private void deleteSlot(final int[] arr, final int idx, final int level, final int plen, final int replacement)
    {
        final int slot = arr[idx];
        if (slot >= 0)
        {
            // slot == replacement only for plen 0 over the implicit discard: not a route, so not a change.
            if (plen(slot) == plen && slot != replacement)
            {
                INTS.setRelease(arr, idx, replacement);
                changed++;
            }
        }
        else
        {
            final int[] p = pool();
            final int ply = slot & PLY_MASK;
            final int childBase = ply << plyBits;
            final int before = changed;
            for (int j = 0; j < plySize; j++)
            {
                deleteSlot(p, childBase + j, level + 1, plen, replacement);
            }
            if (changed != before)
            {
                collapseIfUniform(arr, idx, level, ply);
            }
        }
    }

    /** If ply (child of arr[idx] at level) is uniform and may live at that level, replace the link and free it. */
    private boolean collapseIfUniform(final int[] arr, final int idx, final int level, final int ply)
    {
        final int[] p = pool();
        final int base = ply << plyBits;
        final int v = p[base];
        if (v < 0 || plen(v) > end(level))
        {
            return false;
        }
        for (int j = base + 1, last = base + plySize; j < last; j++)
        {
            if (p[j] != v)
            {
                return false;
            }
        }
        INTS.setRelease(arr, idx, v);
        free(ply, System.nanoTime());
        return true;
    }

    // ---------------------------------------------------------------- walks

    /** Visit every terminal slot in key order. Writer thread (or a quiescent trie). */
    void walk(final LeafSink sink)
    {
        walk(root, 0, 0, 0L, 0L, sink);
    }

    private void walk(
        final int[] arr, final int base, final int level, final long hi, final long lo, final LeafSink sink)
    {
        final int n = 0 == level ? root.length : plySize;
        final int e = end(level);
        final int[] p = pool();
        for (int i = 0; i < n; i++)
        {
            long h = hi;
            long w = lo;
            if (e <= 64)
            {
                h |= (long)i << (64 - e);
            }
            else
            {
                w |= (long)i << (128 - e);
            }
            final int slot = arr[base + i];
            if (slot >= 0)
            {
                sink.onLeaf(h, w, e, slot);
            }
            else
            {
                walk(p, (slot & PLY_MASK) << plyBits, level + 1, h, w, sink);
            }
        }
    }

    /** Routes (prefix, plen, leaf) in key order, each reported once; plen-0 discard is not a route. */
    void forEachRoute(final LeafSink routeSink)
    {
        final long[] stackHi = new long[maxLength + 1];
        final long[] stackLo = new long[maxLength + 1];
        final int[] stackLen = new int[maxLength + 1];
        final int[] depth = new int[1];
        walk((hi, lo, granularity, leaf) ->
        {
            final int plen = plen(leaf);
            final long ph = maskHi(hi, plen);
            final long pl = maskLo(lo, plen);
            int d = depth[0];
            while (d > 0 && (maskHi(hi, stackLen[d - 1]) != stackHi[d - 1] ||
                maskLo(lo, stackLen[d - 1]) != stackLo[d - 1]))
            {
                d--;
            }
            if (d > 0 && stackLen[d - 1] == plen && stackHi[d - 1] == ph && stackLo[d - 1] == pl)
            {
                depth[0] = d;
                return;
            }
            stackHi[d] = ph;
            stackLo[d] = pl;
            stackLen[d] = plen;
            depth[0] = d + 1;
            if (0 != plen || 0 != leaf)
            {
                routeSink.onLeaf(ph, pl, plen, leaf);
            }
        });
    }

    /** Copy every leaf of this trie into an empty, unpublished trie with other strides (promotion). */
    void copyInto(final Mtrie target)
    {
        walk(target::rawSet);
        target.normalizeRoot();
        target.routeCount = routeCount;
    }

    /** Unconditional write of leaf over a granularity-aligned range; only on an unpublished trie. */
    private void rawSet(final long hi, final long lo, final int granularity, final int leaf)
    {
        final int target = levelFor(granularity);
        int[] arr = root;
        int base = 0;
        for (int l = 0; l < target; l++)
        {
            final int idx = base + bits(hi, lo, start(l), 0 == l ? rootBits : plyBits);
            int slot = arr[idx];
            if (slot >= 0)
            {
                if (!reserve(1))
                {
                    throw new IllegalStateException("ply pool full during promotion");
                }
                final int ply = allocate();
                final int[] p = pool();
                Arrays.fill(p, ply << plyBits, (ply + 1) << plyBits, slot);
                slot = NON_TERMINAL | ply;
                (0 == l ? root : p)[idx] = slot;
            }
            arr = pool();
            base = (slot & PLY_MASK) << plyBits;
        }
        final int first = base + bits(hi, lo, start(target), 0 == target ? rootBits : plyBits);
        Arrays.fill(arr, first, first + (1 << (end(target) - granularity)), leaf);
    }

    private void normalizeRoot()
    {
        for (int i = 0; i < root.length; i++)
        {
            final int slot = root[i];
            if (slot < 0)
            {
                final int ply = slot & PLY_MASK;
                normalizeChild(ply, 1);
                collapseInitial(root, i, 0, ply);
            }
        }
    }

    private void normalizeChild(final int ply, final int level)
    {
        final int[] p = pool();
        final int base = ply << plyBits;
        for (int j = 0; j < plySize; j++)
        {
            final int slot = p[base + j];
            if (slot < 0)
            {
                final int child = slot & PLY_MASK;
                normalizeChild(child, level + 1);
                collapseInitial(p, base + j, level, child);
            }
        }
    }

    private void collapseInitial(final int[] arr, final int idx, final int level, final int ply)
    {
        final int[] p = pool();
        final int base = ply << plyBits;
        final int v = p[base];
        if (v < 0 || plen(v) > end(level))
        {
            return;
        }
        for (int j = base + 1, last = base + plySize; j < last; j++)
        {
            if (p[j] != v)
            {
                return;
            }
        }
        arr[idx] = v;
        plyCount--;
        quarantine.add(ply, Long.MIN_VALUE / 4);
    }

    // ---------------------------------------------------------------- ply allocation

    private boolean reserve(final int needed)
    {
        final int fresh = maxPlies - plyHigh;
        if (fresh < needed && quarantine.reusable(System.nanoTime(), needed) + fresh < needed)
        {
            return false;
        }
        final int[] p = pool();
        final int requiredPlies = plyHigh + needed;
        if ((long)requiredPlies << plyBits > p.length)
        {
            final long doubled = Math.max(4L, (p.length >> plyBits) * 2L);
            final long wantedPlies = Math.min(maxPlies, Math.max(requiredPlies, doubled));
            final int[] bigger = Arrays.copyOf(p, (int)(wantedPlies << plyBits));
            POOL.setRelease(this, bigger);
        }
        return true;
    }

    /** Caller has reserved. */
    private int allocate()
    {
        plyCount++;
        if (quarantine.isReusable(System.nanoTime()))
        {
            return quarantine.poll();
        }
        return plyHigh++;
    }

    private void free(final int ply, final long nowNs)
    {
        plyCount--;
        quarantine.add(ply, nowNs);
    }
}
