package io.vrouter.core.nh.kind;

import java.util.Locale;

/**
 * How Contrail's tools write the values of a next hop: the indent of {@code nh}'s continuation lines,
 * hex bytes, dotted addresses and introspect's MACs. Shared by the kinds' descriptions and the CLI.
 */
public final class NextHopText
{
    /** The indent of every line of an {@code nh} block after the first. */
    public static final String INDENT = "              ";

    private NextHopText()
    {
    }

    /**
     * Bytes as {@code nh} prints encap data: two hex digits each, separated by spaces.
     *
     * @param bytes the bytes, may be null.
     * @return e.g. {@code 02 00 00 00 00 0a}.
     */
    public static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; bytes != null && i < bytes.length; i++)
        {
            if (i > 0)
            {
                sb.append(' ');
            }
            sb.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }

    /**
     * An IPv4 address held as a big-endian int.
     *
     * @param address the address.
     * @return dotted decimal.
     */
    public static String ip(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
            + (address & 0xFF);
    }

    /**
     * The MAC at the start of an L2 rewrite as Contrail's introspect prints MACs: hex without leading
     * zeros, colon separated.
     *
     * @param bytes the rewrite, may be null or shorter than a MAC (then all zeros).
     * @param offset where the MAC starts.
     * @return e.g. {@code 2:0:0:0:0:a}.
     */
    public static String introspectMac(final byte[] bytes, final int offset)
    {
        if (bytes == null || bytes.length < offset + 6)
        {
            return "0:0:0:0:0:0";
        }
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++)
        {
            if (i > 0)
            {
                sb.append(':');
            }
            sb.append(Integer.toHexString(bytes[offset + i] & 0xFF));
        }
        return sb.toString();
    }
}
