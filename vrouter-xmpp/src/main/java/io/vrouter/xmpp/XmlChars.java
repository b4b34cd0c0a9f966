package io.vrouter.xmpp;

/**
 * What XML 1.0 allows in a document's bytes, checked before anything is parsed: well-formed UTF-8
 * (no overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequence) and no control
 * character other than tab, line feed and carriage return (NUL included), as the XML 1.0
 * {@code Char} production says. A stream that breaks either is not XML, so the session is closed.
 */
public final class XmlChars
{
    private XmlChars()
    {
    }

    /**
     * Checks bytes.
     *
     * @param b      the bytes.
     * @param offset first byte.
     * @param length how many.
     * @return null when they are allowed, else why not (with the offset).
     */
    public static String check(final byte[] b, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int c = b[i] & 0xFF;
            if (c < 0x80)
            {
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                {
                    return "control character 0x" + Integer.toHexString(c) + " at byte " + (i - offset) +
                        " (not allowed in XML)";
                }
                i++;
                continue;
            }
            final int n;
            final int min;
            int cp;
            if (c >= 0xC2 && c <= 0xDF)
            {
                n = 1;
                min = 0x80;
                cp = c & 0x1F;
            }
            else if (c >= 0xE0 && c <= 0xEF)
            {
                n = 2;
                min = 0x800;
                cp = c & 0x0F;
            }
            else if (c >= 0xF0 && c <= 0xF4)
            {
                n = 3;
                min = 0x10000;
                cp = c & 0x07;
            }
            else
            {
                return invalid(i - offset);
            }
            if (i + n >= end)
            {
                return invalid(i - offset);
            }
            for (int k = 1; k <= n; k++)
            {
                final int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80)
                {
                    return invalid(i - offset);
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
            {
                return invalid(i - offset);
            }
            i += n + 1;
        }
        return null;
    }

    /**
     * Checks text already decoded (XML 1.0 {@code Char} for each character; unpaired surrogates refused).
     *
     * @param s the text.
     * @return null when allowed, else why not.
     */
    public static String check(final CharSequence s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            {
                return "control character 0x" + Integer.toHexString(c) + " at character " + i +
                    " (not allowed in XML)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                i++;
            }
            else if (Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF)
            {
                return "invalid character U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) +
                    " at character " + i;
            }
        }
        return null;
    }

    private static String invalid(final int at)
    {
        return "invalid UTF-8 at byte " + at;
    }
}
