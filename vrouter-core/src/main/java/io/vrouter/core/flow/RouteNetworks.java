package io.vrouter.core.flow;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The virtual network of each IPv4 route, per VRF: (VRF, prefix, length) to network id, looked up
 * longest prefix first. Contrail's agent takes a flow's destination network from the route the
 * destination matches (the route's {@code <virtual-network>}); this is that map for the forwarding
 * core.
 * <p>
 * One writer (the conductor), lock-free readers (workers): open addressing over primitive atomic
 * arrays; a new entry's value is written before its key (release), an update or removal writes the
 * value only (removal leaves a tombstone, network -1, that a later insert of the same key reuses).
 * Growing copies the live entries into new arrays published with a volatile write. Each VRF keeps a
 * mask of the prefix lengths it has, so a lookup probes only those lengths, longest first. Lookups
 * allocate nothing.
 */
public final class RouteNetworks
{
    /** No network. */
    public static final int NONE = -1;
    /** VRFs addressed. */
    public static final int MAX_VRFS = PolicyTable.MAX_VRFS;

    private static final long PRESENT = 1L << 62;
    private static final int MIN_CAPACITY = 64;

    /** The arrays; replaced whole when growing. */
    private static final class Slots
    {
        final AtomicLongArray keys;
        final AtomicIntegerArray values;
        final int mask;

        Slots(final int capacity)
        {
            keys = new AtomicLongArray(capacity);
            values = new AtomicIntegerArray(capacity);
            mask = capacity - 1;
        }
    }

    private final AtomicLongArray lengths = new AtomicLongArray(MAX_VRFS);
    private volatile Slots slots = new Slots(MIN_CAPACITY);
    private int used;
    private int live;

    /**
     * Entries with a network (not removed).
     *
     * @return count.
     */
    public int size()
    {
        return live;
    }

    /**
     * Sets the network of a prefix (conductor only).
     *
     * @param vrf     VRF 0..65535.
     * @param address prefix address (host order); bits past the length are ignored.
     * @param length  0..32.
     * @param network network id 0..32767, or {@link #NONE} to remove.
     * @return the previous network of exactly this prefix, or {@link #NONE}.
     */
    public int put(final int vrf, final int address, final int length, final int network)
    {
        check(vrf, length);
        final long key = key(vrf, address, length);
        Slots s = slots;
        int i = (int)mix(key) & s.mask;
        while (true)
        {
            final long k = s.keys.get(i);
            if (k == key)
            {
                final int old = s.values.get(i);
                s.values.set(i, network);
                if (old == NONE && network != NONE)
                {
                    live++;
                    lengths.getAndAccumulate(vrf, 1L << length, (a, b) -> a | b);
                }
                else if (old != NONE && network == NONE)
                {
                    live--;
                }
                return old;
            }
            if (k == 0)
            {
                break;
            }
            i = (i + 1) & s.mask;
        }
        if (network == NONE)
        {
            return NONE;
        }
        if ((used + 1) * 4 > (s.mask + 1) * 3)
        {
            s = grow(s);
            i = (int)mix(key) & s.mask;
            while (s.keys.get(i) != 0)
            {
                i = (i + 1) & s.mask;
            }
        }
        s.values.set(i, network);
        s.keys.set(i, key);
        used++;
        live++;
        lengths.getAndAccumulate(vrf, 1L << length, (a, b) -> a | b);
        return NONE;
    }

    /**
     * Removes every prefix of a VRF (conductor only).
     *
     * @param vrf the VRF.
     * @return prefixes removed.
     */
    public int clear(final int vrf)
    {
        check(vrf, 0);
        final Slots s = slots;
        int removed = 0;
        for (int i = 0; i <= s.mask; i++)
        {
            final long k = s.keys.get(i);
            if (k != 0 && vrfOf(k) == vrf && s.values.get(i) != NONE)
            {
                s.values.set(i, NONE);
                removed++;
            }
        }
        live -= removed;
        lengths.set(vrf, 0);
        return removed;
    }

    /**
     * The network of the longest prefix of a VRF holding an address (workers; allocation-free).
     *
     * @param vrf     VRF.
     * @param address IPv4 address (host order).
     * @return network id or {@link #NONE}.
     */
    public int lookup(final int vrf, final int address)
    {
        if (vrf < 0 || vrf >= MAX_VRFS)
        {
            return NONE;
        }
        long m = lengths.get(vrf);
        if (m == 0)
        {
            return NONE;
        }
        final Slots s = slots;
        while (m != 0)
        {
            final int len = 63 - Long.numberOfLeadingZeros(m);
            m &= ~(1L << len);
            final long key = key(vrf, address, len);
            int i = (int)mix(key) & s.mask;
            while (true)
            {
                final long k = s.keys.get(i);
                if (k == key)
                {
                    final int v = s.values.get(i);
                    if (v != NONE)
                    {
                        return v;
                    }
                    break;
                }
                if (k == 0)
                {
                    break;
                }
                i = (i + 1) & s.mask;
            }
        }
        return NONE;
    }

    /**
     * The network of exactly this prefix.
     *
     * @param vrf     VRF.
     * @param address prefix address.
     * @param length  prefix length.
     * @return network id or {@link #NONE}.
     */
    public int get(final int vrf, final int address, final int length)
    {
        if (vrf < 0 || vrf >= MAX_VRFS || length < 0 || length > 32)
        {
            return NONE;
        }
        final long key = key(vrf, address, length);
        final Slots s = slots;
        int i = (int)mix(key) & s.mask;
        while (true)
        {
            final long k = s.keys.get(i);
            if (k == key)
            {
                return s.values.get(i);
            }
            if (k == 0)
            {
                return NONE;
            }
            i = (i + 1) & s.mask;
        }
    }

    private Slots grow(final Slots old)
    {
        int capacity = MIN_CAPACITY;
        while (capacity * 3 < (live + 1) * 8)
        {
            capacity <<= 1;
        }
        final Slots n = new Slots(capacity);
        int u = 0;
        for (int i = 0; i <= old.mask; i++)
        {
            final long k = old.keys.get(i);
            final int v = old.values.get(i);
            if (k != 0 && v != NONE)
            {
                int j = (int)mix(k) & n.mask;
                while (n.keys.get(j) != 0)
                {
                    j = (j + 1) & n.mask;
                }
                n.values.set(j, v);
                n.keys.set(j, k);
                u++;
            }
        }
        used = u;
        slots = n;
        return n;
    }

    private static void check(final int vrf, final int length)
    {
        if (vrf < 0 || vrf >= MAX_VRFS || length < 0 || length > 32)
        {
            throw new IllegalArgumentException("route network: VRF " + vrf + " length " + length + " out of range");
        }
    }

    private static long key(final int vrf, final int address, final int length)
    {
        final int mask = length == 0 ? 0 : -1 << (32 - length);
        return PRESENT | (long)vrf << 38 | (long)length << 32 | (address & mask) & 0xFFFFFFFFL;
    }

    private static int vrfOf(final long key)
    {
        return (int)(key >>> 38) & 0xFFFF;
    }

    private static long mix(final long key)
    {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ h >>> 32;
    }
}
