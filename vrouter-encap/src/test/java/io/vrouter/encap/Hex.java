package io.vrouter.encap;

import java.util.HexFormat;

final class Hex
{
    private Hex()
    {
    }

    static byte[] decode(final String text)
    {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }

    static String encode(final byte[] bytes, final int offset, final int length)
    {
        return HexFormat.of().formatHex(bytes, offset, offset + length);
    }
}
