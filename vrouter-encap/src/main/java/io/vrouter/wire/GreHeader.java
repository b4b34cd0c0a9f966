package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * GRE header (RFC 2784, key and sequence from RFC 2890) flyweight.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |C|R|K|S|   Reserved0     | Ver |         Protocol Type         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   Checksum (if C)             |       Reserved1 (if C)        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          Key (if K)                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Sequence Number (if S)                       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * MPLSoGRE (RFC 4023) uses protocol type 0x8847 and, in Contrail, no optional fields.
 */
public final class GreHeader
{
    /**
     * Flags and version word offset.
     */
    public static final int FLAGS_VERSION_OFFSET = 0;

    /**
     * Protocol type offset.
     */
    public static final int PROTOCOL_OFFSET = 2;

    /**
     * Length without optional fields.
     */
    public static final int BASE_LENGTH = 4;

    /**
     * Checksum present.
     */
    public static final int FLAG_CHECKSUM = 0x8000;

    /**
     * Routing present (obsolete).
     */
    public static final int FLAG_ROUTING = 0x4000;

    /**
     * Key present.
     */
    public static final int FLAG_KEY = 0x2000;

    /**
     * Sequence number present.
     */
    public static final int FLAG_SEQUENCE = 0x1000;

    /**
     * Version mask.
     */
    public static final int VERSION_MASK = 0x0007;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a header.
     *
     * @param buffer holding the header.
     * @param offset of the first byte.
     * @return this.
     */
    public GreHeader wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return flags and version word.
     */
    public int flagsAndVersion()
    {
        return flagsAndVersion(buffer, offset);
    }

    /**
     * @param value flags and version word.
     * @return this.
     */
    public GreHeader flagsAndVersion(final int value)
    {
        buffer.putShort(offset + FLAGS_VERSION_OFFSET, (short)value, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return protocol type.
     */
    public int protocol()
    {
        return protocol(buffer, offset);
    }

    /**
     * @param protocol protocol type (an EtherType).
     * @return this.
     */
    public GreHeader protocol(final int protocol)
    {
        buffer.putShort(offset + PROTOCOL_OFFSET, (short)protocol, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return header length including optional fields.
     */
    public int headerLength()
    {
        return headerLength(flagsAndVersion());
    }

    /**
     * @return key if K is set, otherwise 0.
     */
    public long key()
    {
        final int flags = flagsAndVersion();
        if (0 == (flags & FLAG_KEY))
        {
            return 0;
        }
        final int keyOffset = BASE_LENGTH + (0 != (flags & FLAG_CHECKSUM) ? 4 : 0);
        return buffer.getInt(offset + keyOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return flags and version word.
     */
    public static int flagsAndVersion(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FLAGS_VERSION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return protocol type.
     */
    public static int protocol(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + PROTOCOL_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param flagsAndVersion flags and version word.
     * @return header length: 4 plus 4 for each of C, K and S.
     */
    public static int headerLength(final int flagsAndVersion)
    {
        return BASE_LENGTH +
            (0 != (flagsAndVersion & FLAG_CHECKSUM) ? 4 : 0) +
            (0 != (flagsAndVersion & FLAG_KEY) ? 4 : 0) +
            (0 != (flagsAndVersion & FLAG_SEQUENCE) ? 4 : 0);
    }
}
