package io.vrouter.core.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;

/**
 * Shared table of (nhId, label, labelFlags, stitched MAC) tuples that leaves of kind "entry" refer to by index.
 * <p>
 * Overview: most routes need only a next-hop id and use direct leaves ({@link FibLeaf#direct(int, int)}); routes
 * with a label, label flags or a stitched MAC intern their tuple here and carry the index. Identical tuples share
 * one index; the index is reference counted by the writer (one reference per route using it: call
 * {@link #intern(int, int, int, long)} when adding a route and {@link #release(int)} when the route is deleted or
 * replaced). An index whose count drops to 0 is quarantined ({@link Quarantine}) before reuse, because a reader
 * may have loaded a leaf carrying it just before the route changed.
 * <p>
 * Threading: one writer (the conductor) calls {@code intern}/{@code release}; any thread calls the readers
 * {@link #nhId(int)}, {@link #label(int)}, {@link #labelFlags(int)}, {@link #mac(int)}. Readers see primitive
 * arrays held by an immutable holder; the writer fills a slot with plain stores before the slot's index can
 * appear in any leaf, and leaves are published with release stores and read with acquire loads by the tries, so a
 * reader that got an index from a lookup sees the slot's contents (release/acquire chain). Growing copies the
 * arrays into a new holder published with a release store; the old holder is never written again, so a reader
 * still using it reads a consistent older copy.
 */
public final class FibEntries
{
    /** Default capacity: every index fits the 22-bit value of an IPv6 leaf. */
    public static final int DEFAULT_CAPACITY = Fib6Leaf.MAX_VALUE + 1;

    /** Returned by {@link #intern(int, int, int, long)} when the table is full. */
    public static final int ENOSPC = -28;

    /** Returned by {@link #intern(int, int, int, long)} for an out-of-range field. */
    public static final int EINVAL = -22;

    private static final VarHandle SLOTS;

    static
    {
        try
        {
            SLOTS = MethodHandles.lookup().findVarHandle(FibEntries.class, "slots", Slots.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final class Slots
    {
        final int[] nhId;
        final int[] label;
        final byte[] labelFlags;
        final long[] mac;

        Slots(final int capacity)
        {
            nhId = new int[capacity];
            label = new int[capacity];
            labelFlags = new byte[capacity];
            mac = new long[capacity];
        }
    }

    private record Key(int nhId, int label, int labelFlags, long mac)
    {
    }

    private final int capacity;
    private final Quarantine quarantine;
    private final HashMap<Key, Integer> indexByKey = new HashMap<>();
    private Key[] keyByIndex;
    private int[] refCount;
    private int highWater;
    @SuppressWarnings("unused")
    private Slots slots;

    /** A table with {@link #DEFAULT_CAPACITY} and the default quarantine. */
    public FibEntries()
    {
        this(DEFAULT_CAPACITY, Quarantine.DEFAULT_GRACE_NS);
    }

    /**
     * @param capacity maximum number of distinct tuples, at most {@link #DEFAULT_CAPACITY}.
     * @param graceNs  how long a freed index stays unused.
     */
    public FibEntries(final int capacity, final long graceNs)
    {
        this(capacity, graceNs, null);
    }

    /**
     * @param capacity maximum number of distinct tuples, at most {@link #DEFAULT_CAPACITY}.
     * @param graceNs  least time a freed index stays unused.
     * @param epochs   the forwarding workers' read sections (see {@link ReaderEpochs}); null: time only.
     */
    public FibEntries(final int capacity, final long graceNs, final ReaderEpochs epochs)
    {
        if (capacity < 1 || capacity > DEFAULT_CAPACITY)
        {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.quarantine = new Quarantine(graceNs, epochs);
        final int initial = Math.min(capacity, 16);
        keyByIndex = new Key[initial];
        refCount = new int[initial];
        SLOTS.setRelease(this, new Slots(initial));
    }

    /**
     * Find or create the index of a tuple and take one reference to it. Writer thread only.
     *
     * @param nhId       next-hop id (0 to 2^24-1).
     * @param label      24-bit label, {@link FibLeaf#NO_LABEL} for none.
     * @param labelFlags 5-bit label flags.
     * @param mac        stitched MAC in the low 48 bits, 0 for none.
     * @return the index (>= 0), {@link #EINVAL} or {@link #ENOSPC}.
     */
    public int intern(final int nhId, final int label, final int labelFlags, final long mac)
    {
        if ((nhId & ~FibLeaf.VALUE_MASK) != 0 || (label & ~0xFFFFFF) != 0 || (labelFlags & ~0x1F) != 0 ||
            (mac >>> 48) != 0)
        {
            return EINVAL;
        }
        final Key key = new Key(nhId, label, labelFlags, mac);
        final Integer existing = indexByKey.get(key);
        if (null != existing)
        {
            refCount[existing]++;
            return existing;
        }
        final int index;
        if (quarantine.isReusable(System.nanoTime()))
        {
            index = quarantine.poll();
        }
        else if (highWater < capacity)
        {
            if (highWater == refCount.length)
            {
                grow(Math.min(capacity, highWater * 2));
            }
            index = highWater++;
        }
        else
        {
            return ENOSPC;
        }
        final Slots s = (Slots)SLOTS.getAcquire(this);
        s.nhId[index] = nhId;
        s.label[index] = label;
        s.labelFlags[index] = (byte)labelFlags;
        s.mac[index] = mac;
        // Publishes the slot: any leaf carrying the index is stored after this (release), by the tries.
        VarHandle.releaseFence();
        keyByIndex[index] = key;
        refCount[index] = 1;
        indexByKey.put(key, index);
        return index;
    }

    /**
     * Take one more reference to an index already held.
     *
     * @param index an index with a non-zero reference count.
     */
    public void retain(final int index)
    {
        if (refCount[index] <= 0)
        {
            throw new IllegalStateException("retain of free entry " + index);
        }
        refCount[index]++;
    }

    /**
     * Drop one reference; at zero the index is quarantined, then reused. Writer thread only.
     *
     * @param index an index returned by {@link #intern(int, int, int, long)}.
     */
    public void release(final int index)
    {
        if (refCount[index] <= 0)
        {
            throw new IllegalStateException("release of free entry " + index);
        }
        if (0 == --refCount[index])
        {
            indexByKey.remove(keyByIndex[index]);
            keyByIndex[index] = null;
            quarantine.add(index, System.nanoTime());
        }
    }

    /**
     * IPv4 leaf for a route: a direct leaf when there is no label, no flags and no MAC, else an entry leaf
     * (taking a reference). Writer thread only.
     *
     * @param prefixLength prefix length of the route, 0-32.
     * @param nhId         next-hop id.
     * @param label        label or {@link FibLeaf#NO_LABEL}.
     * @param labelFlags   label flags.
     * @param mac          stitched MAC or 0.
     * @return the leaf (>= 0) or a negative error from {@link #intern(int, int, int, long)}.
     */
    public int leaf4(final int prefixLength, final int nhId, final int label, final int labelFlags, final long mac)
    {
        if (RouteFlags.NO_LABEL == label && 0 == labelFlags && 0 == mac && (nhId & ~FibLeaf.VALUE_MASK) == 0)
        {
            return FibLeaf.direct(prefixLength, nhId);
        }
        final int index = intern(nhId, label, labelFlags, mac);
        return index < 0 ? index : FibLeaf.entry(prefixLength, index);
    }

    /**
     * IPv6 leaf for a route, as {@link #leaf4(int, int, int, int, long)}.
     *
     * @param prefixLength prefix length of the route, 0-128.
     * @param nhId         next-hop id.
     * @param label        label or {@link FibLeaf#NO_LABEL}.
     * @param labelFlags   label flags.
     * @param mac          stitched MAC or 0.
     * @return the leaf (>= 0) or a negative error.
     */
    public int leaf6(final int prefixLength, final int nhId, final int label, final int labelFlags, final long mac)
    {
        if (RouteFlags.NO_LABEL == label && 0 == labelFlags && 0 == mac && (nhId & ~Fib6Leaf.VALUE_MASK) == 0)
        {
            return Fib6Leaf.direct(prefixLength, nhId);
        }
        final int index = intern(nhId, label, labelFlags, mac);
        return index < 0 ? index : Fib6Leaf.entry(prefixLength, index);
    }

    /**
     * Release the reference held by an IPv4 leaf if it is an entry leaf.
     *
     * @param leaf a leaf from {@link #leaf4(int, int, int, int, long)}.
     */
    public void releaseLeaf4(final int leaf)
    {
        if (FibLeaf.isEntry(leaf))
        {
            release(FibLeaf.value(leaf));
        }
    }

    /**
     * Release the reference held by an IPv6 leaf if it is an entry leaf.
     *
     * @param leaf a leaf from {@link #leaf6(int, int, int, int, long)}.
     */
    public void releaseLeaf6(final int leaf)
    {
        if (Fib6Leaf.isEntry(leaf))
        {
            release(Fib6Leaf.value(leaf));
        }
    }

    /**
     * Resolves IPv4 leaves (a lookup's results) to their next-hop ids and labels, in place: an entry leaf
     * to its entry's next hop and, with {@link RouteFlags#LABEL_VALID}, its label; a next-hop leaf to its
     * next hop without a label. One read of the entry tables for the whole run; any thread.
     *
     * @param leaves leaves in, next-hop ids out.
     * @param labels labels out ({@link RouteFlags#NO_LABEL} when none).
     * @param count  number of leaves.
     */
    public void resolve(final int[] leaves, final int[] labels, final int count)
    {
        final Slots s = (Slots)SLOTS.getAcquire(this);
        for (int k = 0; k < count; k++)
        {
            final int leaf = leaves[k];
            final int value = FibLeaf.value(leaf);
            if (FibLeaf.isEntry(leaf))
            {
                leaves[k] = s.nhId[value];
                labels[k] = (s.labelFlags[value] & RouteFlags.LABEL_VALID) != 0 ? s.label[value] : RouteFlags.NO_LABEL;
            }
            else
            {
                leaves[k] = value;
                labels[k] = RouteFlags.NO_LABEL;
            }
        }
    }

    /**
     * @param index an entry index.
     * @return its next-hop id; any thread.
     */
    public int nhId(final int index)
    {
        return ((Slots)SLOTS.getAcquire(this)).nhId[index];
    }

    /**
     * @param index an entry index.
     * @return its label ({@link FibLeaf#NO_LABEL} when none); any thread.
     */
    public int label(final int index)
    {
        return ((Slots)SLOTS.getAcquire(this)).label[index];
    }

    /**
     * @param index an entry index.
     * @return its label flags; any thread.
     */
    public int labelFlags(final int index)
    {
        return ((Slots)SLOTS.getAcquire(this)).labelFlags[index];
    }

    /**
     * @param index an entry index.
     * @return its stitched MAC (0 when none); any thread.
     */
    public long mac(final int index)
    {
        return ((Slots)SLOTS.getAcquire(this)).mac[index];
    }

    /**
     * @param index an entry index.
     * @return its reference count (0 when free); writer thread.
     */
    public int refCount(final int index)
    {
        return index < refCount.length ? refCount[index] : 0;
    }

    /**
     * @return number of live (referenced) tuples; writer thread.
     */
    public int size()
    {
        return indexByKey.size();
    }

    /**
     * @return approximate heap footprint (arrays, map, quarantine).
     */
    public long memoryBytes()
    {
        final int n = refCount.length;
        return 64 + (long)n * (4 + 4 + 1 + 8 + 4 + 4) + indexByKey.size() * 80L + quarantine.memoryBytes();
    }

    private void grow(final int newCapacity)
    {
        final Slots old = (Slots)SLOTS.getAcquire(this);
        final Slots s = new Slots(newCapacity);
        System.arraycopy(old.nhId, 0, s.nhId, 0, highWater);
        System.arraycopy(old.label, 0, s.label, 0, highWater);
        System.arraycopy(old.labelFlags, 0, s.labelFlags, 0, highWater);
        System.arraycopy(old.mac, 0, s.mac, 0, highWater);
        SLOTS.setRelease(this, s);
        keyByIndex = java.util.Arrays.copyOf(keyByIndex, newCapacity);
        refCount = java.util.Arrays.copyOf(refCount, newCapacity);
    }
}
