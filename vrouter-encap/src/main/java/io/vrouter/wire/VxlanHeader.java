package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * VXLAN header (RFC 7348) flyweight.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |R|R|R|R|I|R|R|R|            Reserved                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                VXLAN Network Identifier (VNI) |   Reserved    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VxlanHeader
{
    /**
     * Flags word offset.
     */
    public static final int FLAGS_OFFSET = 0;

    /**
     * VNI word offset (VNI in the top 24 bits).
     */
    public static final int VNI_OFFSET = 4;

    /**
     * Header length.
     */
    public static final int HEADER_LENGTH = 8;

    /**
     * I flag (valid VNI) in the flags word.
     */
    public static final int FLAG_VNI_VALID = 0x0800_0000;

    /**
     * Largest VNI.
     */
    public static final int MAX_VNI = 0xFF_FFFF;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a header.
     *
     * @param buffer holding the header.
     * @param offset of the first byte.
     * @return this.
     */
    public VxlanHeader wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return flags word.
     */
    public int flags()
    {
        return flags(buffer, offset);
    }

    /**
     * @param flags flags word.
     * @return this.
     */
    public VxlanHeader flags(final int flags)
    {
        buffer.putInt(offset + FLAGS_OFFSET, flags, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return VNI (24 bits).
     */
    public int vni()
    {
        return vni(buffer, offset);
    }

    /**
     * @param vni VNI (24 bits); the reserved byte is cleared.
     * @return this.
     */
    public VxlanHeader vni(final int vni)
    {
        buffer.putInt(offset + VNI_OFFSET, vni << 8, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return flags word.
     */
    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + FLAGS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return VNI.
     */
    public static int vni(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + VNI_OFFSET, ByteOrder.BIG_ENDIAN) >>> 8;
    }
}
