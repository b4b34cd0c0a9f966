package io.vrouter.core.fib;

/**
 * The IPv6 mtrie leaf: same idea as {@link FibLeaf}, but the prefix length needs 8 bits (0-128), so the
 * value loses two bits.
 * <pre>
 *   31  30              23  22  21                             0
 *  +---+-----------------+----+--------------------------------+
 *  | 0 | prefix len (8)  |kind|  value (22 bits)               |   terminal
 *  +---+-----------------+----+--------------------------------+
 *  | 1 |  ply index (31 bits, internal to the trie)            |   non-terminal, never returned by lookup
 *  +---+-------------------------------------------------------+
 * </pre>
 * Next-hop ids and {@link FibEntries} indices used by IPv6 routes must therefore be below 2^22
 * ({@link #MAX_VALUE}); {@link FibEntries} is sized so that all of its indices fit. {@link #DISCARD} is 0, as
 * in IPv4, so a forwarder can test for discard the same way in both families.
 */
public final class Fib6Leaf
{
    /** Discard: prefix length 0, direct, next hop 0. */
    public static final int DISCARD = 0;

    /** Largest value an IPv6 leaf can carry (next-hop id or entry index). */
    public static final int MAX_VALUE = 0x3FFFFF;

    /** Largest IPv6 prefix length. */
    public static final int MAX_PREFIX_LENGTH = 128;

    static final int PLEN_SHIFT = 23;
    static final int PLEN_MASK = 0xFF;
    static final int KIND_ENTRY = 1 << 22;
    static final int VALUE_MASK = 0x3FFFFF;

    private Fib6Leaf()
    {
    }

    /**
     * A direct leaf: next hop without label, flags or MAC.
     *
     * @param prefixLength prefix length of the owning route, 0-128.
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
     * @param prefixLength prefix length of the owning route, 0-128.
     * @param entryIndex   index returned by {@link FibEntries#intern(int, int, int, long)}.
     * @return the leaf.
     */
    public static int entry(final int prefixLength, final int entryIndex)
    {
        return (prefixLength << PLEN_SHIFT) | KIND_ENTRY | (entryIndex & VALUE_MASK);
    }

    /**
     * The same leaf with another owning prefix length.
     *
     * @param leaf         a terminal leaf.
     * @param prefixLength the new prefix length, 0-128.
     * @return the leaf with its prefix length replaced.
     */
    public static int withPrefixLength(final int leaf, final int prefixLength)
    {
        return (leaf & ~(PLEN_MASK << PLEN_SHIFT)) | (prefixLength << PLEN_SHIFT);
    }

    /**
     * Prefix length of the route owning the leaf.
     *
     * @param leaf a terminal leaf.
     * @return 0-128.
     */
    public static int prefixLength(final int leaf)
    {
        return (leaf >>> PLEN_SHIFT) & PLEN_MASK;
    }

    /**
     * Does the leaf refer to a {@link FibEntries} index?
     *
     * @param leaf a terminal leaf.
     * @return true for kind 1 ("entry").
     */
    public static boolean isEntry(final int leaf)
    {
        return 0 != (leaf & KIND_ENTRY);
    }

    /**
     * The 22-bit value: next-hop id (direct) or entry index (entry).
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
     * @param entries the shared entries table.
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
     * @return the 24-bit label, {@link FibLeaf#NO_LABEL} when none.
     */
    public static int label(final int leaf, final FibEntries entries)
    {
        return 0 == (leaf & KIND_ENTRY) ? RouteFlags.NO_LABEL : entries.label(leaf & VALUE_MASK);
    }

    /**
     * Label flags of the leaf.
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
     * Human-readable form for logs and test failures (allocates).
     *
     * @param leaf the leaf.
     * @return e.g. {@code "/48 nh 12"}.
     */
    public static String toString(final int leaf)
    {
        if (leaf < 0)
        {
            return "ply " + (leaf & 0x7FFFFFFF);
        }
        return "/" + prefixLength(leaf) + (isEntry(leaf) ? " entry " : " nh ") + value(leaf);
    }
}
