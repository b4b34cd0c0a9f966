package io.vrouter.tools.controller;

/**
 * An IPv4 network in CIDR form.
 *
 * @param network the network address (host bits zero).
 * @param length  prefix length, 0..32.
 */
public record Ipv4Cidr(int network, int length)
{
    /**
     * Parses {@code a.b.c.d/len}; host bits must be zero.
     *
     * @param text the CIDR.
     * @return the network.
     * @throws IllegalArgumentException when malformed.
     */
    public static Ipv4Cidr parse(final String text)
    {
        final int slash = text.indexOf('/');
        if (slash < 0)
        {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (a.b.c.d/len)");
        }
        final int length;
        try
        {
            length = Integer.parseInt(text.substring(slash + 1).trim());
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
        }
        if (length < 8 || length > 30)
        {
            throw new IllegalArgumentException("'" + text + "': a network needs a prefix length of 8..30");
        }
        final int address = parseAddress(text.substring(0, slash).trim());
        final int mask = mask(length);
        if ((address & ~mask) != 0)
        {
            throw new IllegalArgumentException("'" + text + "' has host bits set");
        }
        return new Ipv4Cidr(address, length);
    }

    /**
     * Parses a dotted quad.
     *
     * @param text the address.
     * @return the address as an int.
     * @throws IllegalArgumentException when malformed.
     */
    public static int parseAddress(final String text)
    {
        final String[] parts = text.split("\\.", -1);
        if (parts.length != 4)
        {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        int value = 0;
        for (final String p : parts)
        {
            final int octet;
            try
            {
                octet = Integer.parseInt(p);
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            if (octet < 0 || octet > 255 || p.isEmpty() || p.length() > 3)
            {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            value = value << 8 | octet;
        }
        return value;
    }

    /**
     * Formats an address.
     *
     * @param address the address.
     * @return dotted quad.
     */
    public static String format(final int address)
    {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }

    private static int mask(final int length)
    {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /**
     * The broadcast (last) address.
     *
     * @return the address.
     */
    public int last()
    {
        return network | ~mask(length);
    }

    /**
     * Whether an address is inside.
     *
     * @param address the address.
     * @return true when inside.
     */
    public boolean contains(final int address)
    {
        return (address & mask(length)) == network;
    }

    /**
     * Whether two networks share an address.
     *
     * @param other the other network.
     * @return true on overlap.
     */
    public boolean overlaps(final Ipv4Cidr other)
    {
        return contains(other.network) || other.contains(network);
    }

    @Override
    public String toString()
    {
        return format(network) + "/" + length;
    }
}
