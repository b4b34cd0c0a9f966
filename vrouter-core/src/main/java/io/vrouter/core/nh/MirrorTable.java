package io.vrouter.core.nh;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The mirror table (Contrail's {@code vr_mirrors}, 255 entries, programmed by {@code vr_mirror_req}): mirror
 * index to next hop, {@code mirr_flags} and {@code mirr_vni}.
 * <p>
 * Each entry is one packed 64-bit word (bits 0-31 NH id, -1 = unset; bits 32-39 flags; bits 40-63 VNI), so a
 * forwarding thread reads an entry whole with one acquire load and never sees a next hop paired with another
 * entry's flags. One writer (the conductor); the release store orders the entry after the next hop it points
 * to was published.
 */
public final class MirrorTable
{
    /** Contrail's number of mirror entries ({@code VR_MAX_MIRROR_INDICES}). */
    public static final int DEFAULT_SIZE = 255;
    /** Value of an unset entry's next hop. */
    public static final int NO_NH = -1;
    /** {@code mirr_flags} 0x1: dynamic, the copy carries the pcap header and metadata. */
    public static final int FLAG_DYNAMIC = 0x1;
    /** {@code mirr_flags} 0x4: hardware-assisted (NIC) mirroring. */
    public static final int FLAG_HW_ASSISTED = 0x4;
    /** Largest VNI. */
    public static final int MAX_VNI = (1 << 24) - 1;

    private static final long UNSET = 0xFFFFFFFFL;

    private final AtomicLongArray entries;

    /**
     * An empty table.
     *
     * @param size number of indices, 0 to size - 1.
     */
    public MirrorTable(final int size)
    {
        this.entries = new AtomicLongArray(size);
        for (int i = 0; i < size; i++)
        {
            entries.set(i, UNSET);
        }
    }

    /**
     * Number of indices.
     *
     * @return the size.
     */
    public int size()
    {
        return entries.length();
    }

    /**
     * The packed entry for an index, any thread; decode with {@link #nhId(long)}, {@link #flags(long)},
     * {@link #vni(long)}.
     *
     * @param index mirror index (out of range reads as unset).
     * @return the packed entry.
     */
    public long entry(final int index)
    {
        if (index < 0 || index >= entries.length())
        {
            return UNSET;
        }
        return entries.getAcquire(index);
    }

    /**
     * The next hop of an index, any thread.
     *
     * @param index mirror index.
     * @return NH id or {@link #NO_NH}.
     */
    public int nhId(final int index)
    {
        return nhId(entry(index));
    }

    /**
     * @param entry packed entry.
     * @return its NH id or {@link #NO_NH}.
     */
    public static int nhId(final long entry)
    {
        return (int)entry;
    }

    /**
     * @param entry packed entry.
     * @return its {@code mirr_flags}.
     */
    public static int flags(final long entry)
    {
        return (int)(entry >>> 32) & 0xFF;
    }

    /**
     * @param entry packed entry.
     * @return its {@code mirr_vni}.
     */
    public static int vni(final long entry)
    {
        return (int)(entry >>> 40) & MAX_VNI;
    }

    /**
     * Sets an index (writer only; the caller validated the values).
     *
     * @param index mirror index in range.
     * @param nhId  next hop.
     * @param flags {@code mirr_flags} (8 bits).
     * @param vni   {@code mirr_vni} (24 bits).
     */
    public void set(final int index, final int nhId, final int flags, final int vni)
    {
        entries.setRelease(index, (nhId & 0xFFFFFFFFL) | ((long)(flags & 0xFF) << 32) | ((long)(vni & MAX_VNI) << 40));
    }

    /**
     * Clears an index (writer only).
     *
     * @param index mirror index in range.
     */
    public void clear(final int index)
    {
        entries.setRelease(index, UNSET);
    }
}
