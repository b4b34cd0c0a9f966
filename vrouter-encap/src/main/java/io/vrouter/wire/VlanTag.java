package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * IEEE 802.1Q tag flyweight, wrapped at the TPID (offset 12 of a tagged frame).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        TPID (0x8100)          | PCP |D|       VLAN id         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     encapsulated EtherType    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VlanTag
{
    /**
     * TPID offset.
     */
    public static final int TPID_OFFSET = 0;

    /**
     * Tag control information offset.
     */
    public static final int TCI_OFFSET = 2;

    /**
     * Encapsulated EtherType offset.
     */
    public static final int ETHER_TYPE_OFFSET = 4;

    /**
     * Bytes the tag adds to a frame.
     */
    public static final int LENGTH = 4;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a tag.
     *
     * @param buffer holding the tag.
     * @param offset of the TPID.
     * @return this.
     */
    public VlanTag wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return TPID.
     */
    public int tpid()
    {
        return buffer.getShort(offset + TPID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param tpid TPID.
     * @return this.
     */
    public VlanTag tpid(final int tpid)
    {
        buffer.putShort(offset + TPID_OFFSET, (short)tpid, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return priority code point (3 bits).
     */
    public int pcp()
    {
        return (buffer.getByte(offset + TCI_OFFSET) & 0xFF) >>> 5;
    }

    /**
     * @return drop eligible indicator.
     */
    public boolean dei()
    {
        return 0 != (buffer.getByte(offset + TCI_OFFSET) & 0x10);
    }

    /**
     * @return VLAN id (12 bits).
     */
    public int vlanId()
    {
        return vlanId(buffer, offset);
    }

    /**
     * @param pcp    priority code point (3 bits).
     * @param dei    drop eligible indicator.
     * @param vlanId VLAN id (12 bits).
     * @return this.
     */
    public VlanTag tci(final int pcp, final boolean dei, final int vlanId)
    {
        final int tci = ((pcp & 0x7) << 13) | (dei ? 0x1000 : 0) | (vlanId & 0x0FFF);
        buffer.putShort(offset + TCI_OFFSET, (short)tci, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return encapsulated EtherType.
     */
    public int etherType()
    {
        return buffer.getShort(offset + ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param etherType encapsulated EtherType.
     * @return this.
     */
    public VlanTag etherType(final int etherType)
    {
        buffer.putShort(offset + ETHER_TYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @param buffer holding the tag.
     * @param offset of the TPID.
     * @return VLAN id (12 bits).
     */
    public static int vlanId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TCI_OFFSET, ByteOrder.BIG_ENDIAN) & 0x0FFF;
    }
}
