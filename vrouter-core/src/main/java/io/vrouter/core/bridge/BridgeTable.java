package io.vrouter.core.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The bridge table: (VRF, MAC) to {@link BridgeEntry}.
 * <p>
 * Overview: open addressing with linear probing over an array of immutable entries. One writer
 * (the conductor) inserts, replaces and deletes; readers probe lock-free with acquire loads and
 * stop at an empty slot. A delete leaves a tombstone so probe chains stay intact; when live entries
 * plus tombstones pass three quarters of the slots, the writer rebuilds the array off to the side
 * and publishes it with one volatile store, so a reader sees the old array or the new one.
 * Capacity is fixed at construction (Contrail's default is 256 K entries); an insert into a full
 * table is refused.
 */
public final class BridgeTable
{
    /** Contrail's default number of bridge entries. */
    public static final int DEFAULT_ENTRIES = 256 * 1024;
    /**
     * The vRouter's gateway MAC, {@code 00:00:5e:00:01:00} (the VRRP MAC): pods send routed traffic to
     * it, and every network's VRF maps it to the L2-receive next hop that turns bridging into routing.
     */
    public static final long GATEWAY_MAC = 0x00005e000100L;

    private static final BridgeEntry TOMBSTONE = new BridgeEntry(-1, -1L, -1, -1, 0);

    private final int maxEntries;
    private volatile AtomicReferenceArray<BridgeEntry> slots;
    private int live;
    private int tombstones;

    /**
     * A table for up to {@code maxEntries} entries.
     *
     * @param maxEntries capacity.
     */
    public BridgeTable(final int maxEntries)
    {
        this.maxEntries = maxEntries;
        this.slots = new AtomicReferenceArray<>(slotCount(maxEntries));
    }

    private static int slotCount(final int entries)
    {
        int n = 16;
        while (n < entries * 2)
        {
            n <<= 1;
        }
        return n;
    }

    private static int hash(final int vrf, final long mac)
    {
        long h = (mac ^ ((long)vrf << 48)) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (int)h ^ (int)(h >>> 32);
    }

    /**
     * Finds the entry for (VRF, MAC), any thread, allocation-free.
     *
     * @param vrf VRF id.
     * @param mac MAC as a long.
     * @return the entry or null.
     */
    public BridgeEntry lookup(final int vrf, final long mac)
    {
        final AtomicReferenceArray<BridgeEntry> s = slots;
        final int mask = s.length() - 1;
        int i = hash(vrf, mac) & mask;
        for (int probes = 0; probes <= mask; probes++)
        {
            final BridgeEntry e = s.getAcquire(i);
            if (e == null)
            {
                return null;
            }
            if (e.mac() == mac && e.vrf() == vrf && e != TOMBSTONE)
            {
                return e;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /**
     * Whether another entry fits (writer only).
     *
     * @param vrf VRF id.
     * @param mac MAC.
     * @return true if an insert of this key would succeed.
     */
    public boolean canPut(final int vrf, final long mac)
    {
        return live < maxEntries || lookup(vrf, mac) != null;
    }

    /**
     * Inserts or replaces an entry (writer only).
     *
     * @param entry the entry.
     * @return false if the table is full.
     */
    public boolean put(final BridgeEntry entry)
    {
        if (!canPut(entry.vrf(), entry.mac()))
        {
            return false;
        }
        AtomicReferenceArray<BridgeEntry> s = slots;
        final int mask = s.length() - 1;
        int firstFree = -1;
        int i = hash(entry.vrf(), entry.mac()) & mask;
        for (int probes = 0; probes <= mask; probes++)
        {
            final BridgeEntry e = s.get(i);
            if (e == null)
            {
                if (firstFree < 0)
                {
                    firstFree = i;
                }
                break;
            }
            if (e == TOMBSTONE)
            {
                if (firstFree < 0)
                {
                    firstFree = i;
                }
            }
            else if (e.mac() == entry.mac() && e.vrf() == entry.vrf())
            {
                s.setRelease(i, entry);
                return true;
            }
            i = (i + 1) & mask;
        }
        if (s.get(firstFree) == TOMBSTONE)
        {
            tombstones--;
        }
        s.setRelease(firstFree, entry);
        live++;
        if ((live + tombstones) * 4 > s.length() * 3)
        {
            s = rebuild(s);
        }
        return true;
    }

    /**
     * Deletes an entry (writer only).
     *
     * @param vrf VRF id.
     * @param mac MAC.
     * @return false if there was no such entry.
     */
    public boolean remove(final int vrf, final long mac)
    {
        final AtomicReferenceArray<BridgeEntry> s = slots;
        final int mask = s.length() - 1;
        int i = hash(vrf, mac) & mask;
        for (int probes = 0; probes <= mask; probes++)
        {
            final BridgeEntry e = s.get(i);
            if (e == null)
            {
                return false;
            }
            if (e != TOMBSTONE && e.mac() == mac && e.vrf() == vrf)
            {
                s.setRelease(i, TOMBSTONE);
                live--;
                tombstones++;
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    private AtomicReferenceArray<BridgeEntry> rebuild(final AtomicReferenceArray<BridgeEntry> old)
    {
        final AtomicReferenceArray<BridgeEntry> fresh = new AtomicReferenceArray<>(old.length());
        final int mask = fresh.length() - 1;
        for (int j = 0; j < old.length(); j++)
        {
            final BridgeEntry e = old.get(j);
            if (e != null && e != TOMBSTONE)
            {
                int i = hash(e.vrf(), e.mac()) & mask;
                while (fresh.get(i) != null)
                {
                    i = (i + 1) & mask;
                }
                fresh.set(i, e);
            }
        }
        tombstones = 0;
        slots = fresh;
        return fresh;
    }

    /**
     * Number of live entries.
     *
     * @return the count.
     */
    public int size()
    {
        return live;
    }

    /**
     * A snapshot of the entries, optionally of one VRF (control path; allocates).
     *
     * @param vrf VRF id, or -1 for all.
     * @return the entries.
     */
    public List<BridgeEntry> entries(final int vrf)
    {
        final AtomicReferenceArray<BridgeEntry> s = slots;
        final List<BridgeEntry> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i++)
        {
            final BridgeEntry e = s.getAcquire(i);
            if (e != null && e != TOMBSTONE && (vrf < 0 || e.vrf() == vrf))
            {
                out.add(e);
            }
        }
        return out;
    }
}
