package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * MAC addresses as the low 48 bits of a {@code long} (first wire byte is bits 47..40), e.g.
 * {@code de:ad:be:ef:00:01 = 0xDEADBEEF0001L}.
 * <p>
 * {@link #read} and {@link #write} are data-path helpers; {@link #parse} and {@link #format} are for control and
 * test code.
 */
public final class MacAddress
{
    /**
     * Length of a MAC address on the wire.
     */
    public static final int LENGTH = 6;

    /**
     * ff:ff:ff:ff:ff:ff.
     */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    /**
     * 00:00:00:00:00:00.
     */
    public static final long ZERO = 0L;

    /**
     * Mask of the 48 significant bits.
     */
    public static final long MASK = 0xFFFF_FFFF_FFFFL;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MacAddress()
    {
    }

    /**
     * Read 6 bytes in wire order.
     *
     * @param buffer to read from.
     * @param offset of the first byte.
     * @return the MAC address.
     */
    public static long read(final DirectBuffer buffer, final int offset)
    {
        return ((long)(buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF) << 32) |
            (buffer.getInt(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
    }

    /**
     * Write 6 bytes in wire order.
     *
     * @param buffer to write to.
     * @param offset of the first byte.
     * @param mac    address in the low 48 bits.
     */
    public static void write(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        buffer.putShort(offset, (short)(mac >>> 32), ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 2, (int)mac, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Is the group (multicast/broadcast) bit set.
     *
     * @param mac address.
     * @return true for multicast and broadcast addresses.
     */
    public static boolean isMulticast(final long mac)
    {
        return 0 != (mac & 0x0100_0000_0000L);
    }

    /**
     * Is this ff:ff:ff:ff:ff:ff.
     *
     * @param mac address.
     * @return true for the broadcast address.
     */
    public static boolean isBroadcast(final long mac)
    {
        return BROADCAST == (mac & MASK);
    }

    /**
     * Parse "de:ad:be:ef:00:01" (also accepts '-' separators).
     *
     * @param text to parse.
     * @return address in the low 48 bits.
     * @throws IllegalArgumentException if malformed.
     */
    public static long parse(final CharSequence text)
    {
        if (text.length() != 17)
        {
            throw new IllegalArgumentException("invalid MAC address: " + text);
        }

        long mac = 0;
        for (int i = 0; i < LENGTH; i++)
        {
            final int pos = i * 3;
            if (i > 0)
            {
                final char separator = text.charAt(pos - 1);
                if (separator != ':' && separator != '-')
                {
                    throw new IllegalArgumentException("invalid MAC address: " + text);
                }
            }
            final int hi = Character.digit(text.charAt(pos), 16);
            final int lo = Character.digit(text.charAt(pos + 1), 16);
            if (hi < 0 || lo < 0)
            {
                throw new IllegalArgumentException("invalid MAC address: " + text);
            }
            mac = (mac << 8) | (hi << 4) | lo;
        }

        return mac;
    }

    /**
     * Format as lower-case "de:ad:be:ef:00:01".
     *
     * @param mac address in the low 48 bits.
     * @return text form.
     */
    public static String format(final long mac)
    {
        final char[] chars = new char[17];
        for (int i = 0; i < LENGTH; i++)
        {
            final int b = (int)(mac >>> (40 - (i * 8))) & 0xFF;
            final int pos = i * 3;
            chars[pos] = HEX[b >>> 4];
            chars[pos + 1] = HEX[b & 0xF];
            if (i < LENGTH - 1)
            {
                chars[pos + 2] = ':';
            }
        }

        return new String(chars);
    }
}
