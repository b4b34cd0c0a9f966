package io.vrouter.core.fib;

/**
 * The IPv4 mtrie leaf: one {@code int}, read by forwarders with a single load.
 * <pre>
 *   31  30         25  24  23                                   0
 *  +---+-------------+----+--------------------------------------+
 *  | 0 | prefix len  |kind|  value (24 bits)                     |   terminal
 *  +---+-------------+----+--------------------------------------+
 *  | 1 |  ply index (31 bits, internal to the trie)              |   non-terminal, never returned by lookup
 *  +---+---------------------------------------------------------+
 * </pre>
 * kind 0 ("direct"): value is the next-hop id, no label ({@link RouteFlags#NO_LABEL}), label flags 0, no stitched MAC.
 * kind 1 ("entry"): value indexes {@link FibEntries}, which holds (nhId, label, labelFlags, mac).
 * The prefix length is that of the route owning the leaf (0 for the default route and for discard); the
 * writer uses it to decide what an add may overwrite and what a delete must replace.
 * <p>IPv6 leaves need 8 bits of prefix length and use {@link Fib6Leaf}.
 */
public final class FibLeaf
{
    /** Discard: prefix length 0, direct, next hop 0 (NH id 0 is always the discard next hop). */
    public static final int DISCARD = 0;


    /** Largest value a leaf can carry (next-hop id or entry index). */
    public static final int MAX_VALUE = 0xFFFFFF;

    /** Largest IPv4 prefix length. */
    public static final int MAX_PREFIX_LENGTH = 32;

    static final int PLEN_SHIFT = 25;
    static final int PLEN_MASK = 0x3F;
    static final int KIND_ENTRY = 1 << 24;
    static final int VALUE_MASK = 0xFFFFFF;
    static final int NON_TERMINAL = 0x80000000;

    private FibLeaf()
    {
    }

    /**
     * A direct leaf: next hop without label, flags or MAC.
     *
     * @param prefixLength prefix length of the owning route, 0-32.
     * @param nhId         next-hop id, 0 to {@link #MAX_VALUE}.
     * @return the leaf.
     */
    public static int direct(final int prefixLength, final int nhId)
    {
        return (prefixLength << PLEN_SHIFT) | (nhId & VALUE_MASK);
    }

    /**
     * A leaf referring to a {@link FibEntries} index.
     *
     * @param prefixLength prefix length of the owning route, 0-32.
     * @param entryIndex   index returned by {@link FibEntries#intern(int, int, int, long)}.
     * @return the leaf.
     */
    public static int entry(final int prefixLength, final int entryIndex)
    {
        return (prefixLength << PLEN_SHIFT) | KIND_ENTRY | (entryIndex & VALUE_MASK);
    }

    /**
     * The same leaf with another owning prefix length (used for the replacement leaf of a delete).
     *
     * @param leaf         a terminal leaf.
     * @param prefixLength the new prefix length, 0-32.
     * @return the leaf with its prefix length replaced.
     */
    public static int withPrefixLength(final int leaf, final int prefixLength)
    {
        return (leaf & ~(PLEN_MASK << PLEN_SHIFT)) | (prefixLength << PLEN_SHIFT);
    }

    /**
     * Is this a terminal leaf (everything {@code lookup} returns is)?
     *
     * @param leaf the leaf.
     * @return true for a terminal leaf.
     */
    public static boolean isTerminal(final int leaf)
    {
        return leaf >= 0;
    }

    /**
     * Prefix length of the route owning the leaf.
     *
     * @param leaf a terminal leaf.
     * @return 0-32.
     */
    public static int prefixLength(final int leaf)
    {
        return (leaf >>> PLEN_SHIFT) & PLEN_MASK;
    }

    /**
     * Does the leaf refer to a {@link FibEntries} index rather than directly to a next hop?
     *
     * @param leaf a terminal leaf.
     * @return true for kind 1 ("entry").
     */
    public static boolean isEntry(final int leaf)
    {
        return 0 != (leaf & KIND_ENTRY);
    }

    /**
     * The 24-bit value: next-hop id (direct) or entry index (entry).
     *
     * @param leaf a terminal leaf.
     * @return the value.
     */
    public static int value(final int leaf)
    {
        return leaf & VALUE_MASK;
    }

    /**
     * Next-hop id of the leaf.
     *
     * @param leaf    a terminal leaf.
     * @param entries the shared entries table the leaf's index refers to.
     * @return next-hop id.
     */
    public static int nhId(final int leaf, final FibEntries entries)
    {
        return 0 == (leaf & KIND_ENTRY) ? leaf & VALUE_MASK : entries.nhId(leaf & VALUE_MASK);
    }

    /**
     * MPLS label / VNI of the leaf.
     *
     * @param leaf    a terminal leaf.
     * @param entries the shared entries table.
     * @return the 24-bit label, {@link RouteFlags#NO_LABEL} when none.
     */
    public static int label(final int leaf, final FibEntries entries)
    {
        return 0 == (leaf & KIND_ENTRY) ? RouteFlags.NO_LABEL : entries.label(leaf & VALUE_MASK);
    }

    /**
     * Label flags of the leaf (Contrail's L/P/T/F/Ml bits).
     *
     * @param leaf    a terminal leaf.
     * @param entries the shared entries table.
     * @return the 5-bit flags.
     */
    public static int labelFlags(final int leaf, final FibEntries entries)
    {
        return 0 == (leaf & KIND_ENTRY) ? 0 : entries.labelFlags(leaf & VALUE_MASK);
    }

    /**
     * Stitched MAC of the leaf.
     *
     * @param leaf    a terminal leaf.
     * @param entries the shared entries table.
     * @return the MAC in the low 48 bits, 0 when none.
     */
    public static long mac(final int leaf, final FibEntries entries)
    {
        return 0 == (leaf & KIND_ENTRY) ? 0 : entries.mac(leaf & VALUE_MASK);
    }

    /**
     * Human-readable form for logs and test failures (allocates; never on the data path).
     *
     * @param leaf the leaf.
     * @return e.g. {@code "/24 nh 12"} or {@code "/16 entry 3"}.
     */
    public static String toString(final int leaf)
    {
        if (leaf < 0)
        {
            return "ply " + (leaf & ~NON_TERMINAL);
        }
        return "/" + prefixLength(leaf) + (isEntry(leaf) ? " entry " : " nh ") + value(leaf);
    }
}
