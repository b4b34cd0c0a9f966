package io.vrouter.core.nh;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A flat map from a small integer key to a next-hop id. The forwarder keeps three: the incoming
 * MPLS label map (label to NH, Contrail default 5,120 labels), the VXLAN table (VNI to NH,
 * usually a VRF-translate NH) and the mirror table (mirror index to NH, 255 entries).
 * <p>
 * One writer; an int store is atomic, and the release/acquire pair orders it after the next hop
 * it points to was published.
 */
public final class NextHopMap
{
    /** Contrail's default number of MPLS labels. */
    public static final int DEFAULT_LABELS = 5120;
    /** Default number of VNIs served by the VXLAN table. */
    public static final int DEFAULT_VNIS = 1 << 16;
    /** Contrail's number of mirror entries. */
    public static final int DEFAULT_MIRRORS = 255;
    /** Value of an empty slot. */
    public static final int NO_NH = -1;

    private final AtomicIntegerArray nhByKey;

    /**
     * An empty map.
     *
     * @param size number of keys, 0 to size - 1.
     */
    public NextHopMap(final int size)
    {
        this.nhByKey = new AtomicIntegerArray(size);
        for (int i = 0; i < size; i++)
        {
            nhByKey.set(i, NO_NH);
        }
    }

    /**
     * Number of keys.
     *
     * @return the size.
     */
    public int size()
    {
        return nhByKey.length();
    }

    /**
     * The next hop for a key, any thread.
     *
     * @param key label, VNI or mirror index.
     * @return NH id or {@link #NO_NH}.
     */
    public int nhId(final int key)
    {
        if (key < 0 || key >= nhByKey.length())
        {
            return NO_NH;
        }
        return nhByKey.getAcquire(key);
    }

    /**
     * Sets a key (writer only).
     *
     * @param key  key in range.
     * @param nhId next hop, or {@link #NO_NH} to clear.
     */
    public void set(final int key, final int nhId)
    {
        nhByKey.setRelease(key, nhId);
    }
}
