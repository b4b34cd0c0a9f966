package io.vrouter.core.fib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The FIBs of all VRFs: per VRF an {@link Ip4Fib} and an {@link Ip6Fib}, each created on its first route, and the
 * {@link FibEntries} table their entry leaves share.
 * <p>
 * Threading: one writer (the conductor) calls the {@code add*}/{@code delete*} methods and the entries table;
 * forwarders call {@code lookup*} from any thread. A table is created, then published into the per-VRF slot with
 * a release store; lookups load the slot with an acquire load and return {@link FibLeaf#DISCARD} for a VRF without
 * a table. Cost of an unused VRF: two null references (8 bytes); of a VRF with one route per family: about 2.3 KiB.
 */
public final class VrfFibs
{
    /** Default number of VRFs. */
    public static final int DEFAULT_MAX_VRFS = 4096;

    /** Largest supported number of VRFs (16-bit VRF id). */
    public static final int MAX_VRFS = 65536;

    /** Returned for a VRF id outside {@code [0, maxVrfs)}. */
    public static final int EINVAL = -22;

    /** Returned by a delete in a VRF without a table for that family. */
    public static final int ENOENT = -2;

    private static final VarHandle V4 = MethodHandles.arrayElementVarHandle(Ip4Fib[].class);
    private static final VarHandle V6 = MethodHandles.arrayElementVarHandle(Ip6Fib[].class);

    private final Ip4Fib[] ip4;
    private final Ip6Fib[] ip6;
    private final FibEntries entries;
    private final ReaderEpochs epochs;

    /** {@link #DEFAULT_MAX_VRFS} VRFs and a default {@link FibEntries}. */
    public VrfFibs()
    {
        this(DEFAULT_MAX_VRFS, new FibEntries());
    }

    /**
     * @param maxVrfs number of VRF ids, 1 to {@link #MAX_VRFS}.
     * @param entries the entries table shared by all VRFs' entry leaves.
     */
    public VrfFibs(final int maxVrfs, final FibEntries entries)
    {
        this(maxVrfs, entries, null);
    }

    /**
     * @param maxVrfs number of VRF ids, 1 to {@link #MAX_VRFS}.
     * @param entries the entries table shared by all VRFs' entry leaves.
     * @param epochs  the forwarding workers' read sections, given to every table created (null: time only).
     */
    public VrfFibs(final int maxVrfs, final FibEntries entries, final ReaderEpochs epochs)
    {
        this.epochs = epochs;
        if (maxVrfs < 1 || maxVrfs > MAX_VRFS)
        {
            throw new IllegalArgumentException("maxVrfs " + maxVrfs);
        }
        this.ip4 = new Ip4Fib[maxVrfs];
        this.ip6 = new Ip6Fib[maxVrfs];
        this.entries = entries;
    }

    /**
     * @return the read sections of the forwarding workers, or null when reclamation is time-based only.
     */
    public ReaderEpochs readerEpochs()
    {
        return epochs;
    }

    /**
     * @return the shared entries table (for {@link FibLeaf#nhId(int, FibEntries)} and friends).
     */
    public FibEntries entries()
    {
        return entries;
    }

    /**
     * @return number of VRF ids.
     */
    public int maxVrfs()
    {
        return ip4.length;
    }

    /**
     * IPv4 lookup in a VRF. Any thread.
     *
     * @param vrfId   VRF id; must be in range (checked by the caller at ingress).
     * @param address IPv4 address.
     * @return terminal leaf, {@link FibLeaf#DISCARD} when the VRF has no IPv4 table or no covering route.
     */
    public int lookup4(final int vrfId, final int address)
    {
        final Ip4Fib fib = (Ip4Fib)V4.getAcquire(ip4, vrfId);
        return null == fib ? FibLeaf.DISCARD : fib.lookup(address);
    }

    /**
     * IPv6 lookup in a VRF. Any thread.
     *
     * @param vrfId VRF id.
     * @param hi    upper 64 bits of the address.
     * @param lo    lower 64 bits of the address.
     * @return terminal leaf, {@link Fib6Leaf#DISCARD} when none.
     */
    public int lookup6(final int vrfId, final long hi, final long lo)
    {
        final Ip6Fib fib = (Ip6Fib)V6.getAcquire(ip6, vrfId);
        return null == fib ? Fib6Leaf.DISCARD : fib.lookup(hi, lo);
    }

    /**
     * @param vrfId VRF id.
     * @return the VRF's IPv4 table or null if it has none yet. Any thread (for bulk lookups).
     */
    public Ip4Fib ip4(final int vrfId)
    {
        return (Ip4Fib)V4.getAcquire(ip4, vrfId);
    }

    /**
     * @param vrfId VRF id.
     * @return the VRF's IPv6 table or null if it has none yet. Any thread.
     */
    public Ip6Fib ip6(final int vrfId)
    {
        return (Ip6Fib)V6.getAcquire(ip6, vrfId);
    }

    /**
     * Add an IPv4 route, creating the VRF's table if needed. Writer thread.
     *
     * @param vrfId        VRF id.
     * @param prefix       IPv4 prefix.
     * @param prefixLength 0-32.
     * @param leaf         terminal leaf.
     * @return 0 or a negative errno ({@link #EINVAL}, {@link Ip4Fib#ENOSPC}).
     */
    public int add4(final int vrfId, final int prefix, final int prefixLength, final int leaf)
    {
        if (vrfId < 0 || vrfId >= ip4.length)
        {
            return EINVAL;
        }
        return createIp4(vrfId).add(prefix, prefixLength, leaf);
    }

    /**
     * Delete an IPv4 route by replacement. Writer thread.
     *
     * @param vrfId           VRF id.
     * @param prefix          IPv4 prefix.
     * @param prefixLength    0-32.
     * @param replacementLeaf covering route's leaf or {@link FibLeaf#DISCARD}.
     * @return 0 or a negative errno.
     */
    public int delete4(final int vrfId, final int prefix, final int prefixLength, final int replacementLeaf)
    {
        if (vrfId < 0 || vrfId >= ip4.length)
        {
            return EINVAL;
        }
        final Ip4Fib fib = ip4[vrfId];
        return null == fib ? ENOENT : fib.delete(prefix, prefixLength, replacementLeaf);
    }

    /**
     * Add an IPv6 route, creating the VRF's table if needed. Writer thread.
     *
     * @param vrfId        VRF id.
     * @param prefixHi     upper 64 bits of the prefix.
     * @param prefixLo     lower 64 bits of the prefix.
     * @param prefixLength 0-128.
     * @param leaf         terminal {@link Fib6Leaf}.
     * @return 0 or a negative errno.
     */
    public int add6(final int vrfId, final long prefixHi, final long prefixLo, final int prefixLength, final int leaf)
    {
        if (vrfId < 0 || vrfId >= ip6.length)
        {
            return EINVAL;
        }
        return createIp6(vrfId).add(prefixHi, prefixLo, prefixLength, leaf);
    }

    /**
     * Delete an IPv6 route by replacement. Writer thread.
     *
     * @param vrfId           VRF id.
     * @param prefixHi        upper 64 bits of the prefix.
     * @param prefixLo        lower 64 bits of the prefix.
     * @param prefixLength    0-128.
     * @param replacementLeaf covering route's leaf or {@link Fib6Leaf#DISCARD}.
     * @return 0 or a negative errno.
     */
    public int delete6(
        final int vrfId, final long prefixHi, final long prefixLo, final int prefixLength, final int replacementLeaf)
    {
        if (vrfId < 0 || vrfId >= ip6.length)
        {
            return EINVAL;
        }
        final Ip6Fib fib = ip6[vrfId];
        return null == fib ? ENOENT : fib.delete(prefixHi, prefixLo, prefixLength, replacementLeaf);
    }

    /**
     * The VRF's IPv4 table, created and published if absent. Writer thread.
     *
     * @param vrfId VRF id in range.
     * @return the table.
     */
    public Ip4Fib createIp4(final int vrfId)
    {
        Ip4Fib fib = ip4[vrfId];
        if (null == fib)
        {
            fib = new Ip4Fib(Ip4Fib.DEFAULT_PROMOTE_AT_PLIES, Ip4Fib.DEFAULT_MAX_PLIES, Ip4Fib.DEFAULT_GRACE_NS,
                epochs);
            V4.setRelease(ip4, vrfId, fib);
        }
        return fib;
    }

    /**
     * The VRF's IPv6 table, created and published if absent. Writer thread.
     *
     * @param vrfId VRF id in range.
     * @return the table.
     */
    public Ip6Fib createIp6(final int vrfId)
    {
        Ip6Fib fib = ip6[vrfId];
        if (null == fib)
        {
            fib = new Ip6Fib(Ip6Fib.DEFAULT_PROMOTE_AT_PLIES, Ip6Fib.DEFAULT_MAX_PLIES, Ip4Fib.DEFAULT_GRACE_NS,
                epochs);
            V6.setRelease(ip6, vrfId, fib);
        }
        return fib;
    }

    /**
     * @return heap bytes of the VRF arrays and every table (not the shared entries table).
     */
    public long memoryBytes()
    {
        long total = 32 + 2 * (16 + 4L * ip4.length);
        for (int i = 0; i < ip4.length; i++)
        {
            final Ip4Fib f4 = ip4[i];
            final Ip6Fib f6 = ip6[i];
            total += null == f4 ? 0 : f4.memoryBytes();
            total += null == f6 ? 0 : f6.memoryBytes();
        }
        return total;
    }
}
