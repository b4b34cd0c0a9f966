package io.vrouter.wire;

/**
 * IPv4 addresses as {@code int} in network order (1.2.3.4 = 0x01020304), prefix masks and text conversion.
 */
public final class Ipv4Address
{
    /**
     * 255.255.255.255.
     */
    public static final int BROADCAST = 0xFFFF_FFFF;

    /**
     * 0.0.0.0.
     */
    public static final int ANY = 0;

    private Ipv4Address()
    {
    }

    /**
     * Network mask for a prefix length: 0 gives 0, 24 gives 0xFFFFFF00, 32 gives 0xFFFFFFFF.
     *
     * @param prefixLength 0..32.
     * @return the mask.
     */
    public static int prefixMask(final int prefixLength)
    {
        assert prefixLength >= 0 && prefixLength <= 32 : prefixLength;
        return 0 == prefixLength ? 0 : -1 << (32 - prefixLength);
    }

    /**
     * Address with the host bits cleared.
     *
     * @param address      address.
     * @param prefixLength 0..32.
     * @return network address.
     */
    public static int network(final int address, final int prefixLength)
    {
        return address & prefixMask(prefixLength);
    }

    /**
     * Does {@code address} fall inside {@code prefix/prefixLength}.
     *
     * @param address      to test.
     * @param prefix       network address.
     * @param prefixLength 0..32.
     * @return true if covered by the prefix.
     */
    public static boolean isInPrefix(final int address, final int prefix, final int prefixLength)
    {
        final int mask = prefixMask(prefixLength);
        return (address & mask) == (prefix & mask);
    }

    /**
     * Is this a multicast (224.0.0.0/4) address.
     *
     * @param address to test.
     * @return true if multicast.
     */
    public static boolean isMulticast(final int address)
    {
        return (address >>> 28) == 0xE;
    }

    /**
     * Parse dotted-quad text.
     *
     * @param text e.g. "10.1.2.3".
     * @return address as an int.
     * @throws IllegalArgumentException if malformed.
     */
    public static int parse(final CharSequence text)
    {
        int address = 0;
        int octet = -1;
        int dots = 0;
        for (int i = 0, length = text.length(); i < length; i++)
        {
            final char ch = text.charAt(i);
            if (ch == '.')
            {
                if (octet < 0 || ++dots > 3)
                {
                    throw new IllegalArgumentException("invalid IPv4 address: " + text);
                }
                address = (address << 8) | octet;
                octet = -1;
            }
            else if (ch >= '0' && ch <= '9')
            {
                octet = (octet < 0 ? 0 : octet * 10) + (ch - '0');
                if (octet > 255)
                {
                    throw new IllegalArgumentException("invalid IPv4 address: " + text);
                }
            }
            else
            {
                throw new IllegalArgumentException("invalid IPv4 address: " + text);
            }
        }
        if (dots != 3 || octet < 0)
        {
            throw new IllegalArgumentException("invalid IPv4 address: " + text);
        }

        return (address << 8) | octet;
    }

    /**
     * Format as dotted-quad text.
     *
     * @param address as an int.
     * @return e.g. "10.1.2.3".
     */
    public static String format(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF);
    }
}
