package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Ethernet II header flyweight, with optional single IEEE 802.1Q tag.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Destination MAC address (6 bytes)             |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |                   Source MAC address (6 bytes)                |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   EtherType or TPID 0x8100    | 802.1Q only: PCP|D|  VLAN id  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | 802.1Q only: inner EtherType  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * See {@link VlanTag} for the tag fields.
 */
public final class EthernetHeader
{
    /**
     * Destination MAC offset.
     */
    public static final int DST_MAC_OFFSET = 0;

    /**
     * Source MAC offset.
     */
    public static final int SRC_MAC_OFFSET = 6;

    /**
     * EtherType (or TPID when tagged) offset.
     */
    public static final int ETHER_TYPE_OFFSET = 12;

    /**
     * Length of an untagged header.
     */
    public static final int HEADER_LENGTH = 14;

    /**
     * Offset of the 802.1Q tag control information when tagged.
     */
    public static final int VLAN_TCI_OFFSET = 14;

    /**
     * Offset of the inner EtherType when tagged.
     */
    public static final int VLAN_ETHER_TYPE_OFFSET = 16;

    /**
     * Length of a header carrying one 802.1Q tag.
     */
    public static final int VLAN_HEADER_LENGTH = 18;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a header.
     *
     * @param buffer holding the header.
     * @param offset of the first byte.
     * @return this.
     */
    public EthernetHeader wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return the wrapped buffer.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the header in the buffer.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return destination MAC.
     */
    public long dstMac()
    {
        return MacAddress.read(buffer, offset + DST_MAC_OFFSET);
    }

    /**
     * @param mac destination MAC.
     * @return this.
     */
    public EthernetHeader dstMac(final long mac)
    {
        MacAddress.write(buffer, offset + DST_MAC_OFFSET, mac);
        return this;
    }

    /**
     * @return source MAC.
     */
    public long srcMac()
    {
        return MacAddress.read(buffer, offset + SRC_MAC_OFFSET);
    }

    /**
     * @param mac source MAC.
     * @return this.
     */
    public EthernetHeader srcMac(final long mac)
    {
        MacAddress.write(buffer, offset + SRC_MAC_OFFSET, mac);
        return this;
    }

    /**
     * @return EtherType at offset 12 (the TPID if tagged).
     */
    public int etherType()
    {
        return buffer.getShort(offset + ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param etherType EtherType at offset 12.
     * @return this.
     */
    public EthernetHeader etherType(final int etherType)
    {
        buffer.putShort(offset + ETHER_TYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return true if the frame carries an 802.1Q tag.
     */
    public boolean isVlanTagged()
    {
        return EtherType.VLAN == etherType();
    }

    /**
     * @return VLAN id (12 bits) when tagged, otherwise -1.
     */
    public int vlanId()
    {
        return isVlanTagged() ? buffer.getShort(offset + VLAN_TCI_OFFSET, ByteOrder.BIG_ENDIAN) & 0x0FFF : -1;
    }

    /**
     * @return EtherType of the payload, skipping one 802.1Q tag.
     */
    public int payloadEtherType()
    {
        return payloadEtherType(buffer, offset);
    }

    /**
     * @return header length: 14, or 18 when tagged.
     */
    public int headerLength()
    {
        return isVlanTagged() ? VLAN_HEADER_LENGTH : HEADER_LENGTH;
    }

    /**
     * Write dst MAC, src MAC and EtherType.
     *
     * @param dstMac    destination.
     * @param srcMac    source.
     * @param etherType EtherType.
     * @return this.
     */
    public EthernetHeader set(final long dstMac, final long srcMac, final int etherType)
    {
        return dstMac(dstMac).srcMac(srcMac).etherType(etherType);
    }

    /**
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @return destination MAC.
     */
    public static long dstMac(final DirectBuffer buffer, final int offset)
    {
        return MacAddress.read(buffer, offset + DST_MAC_OFFSET);
    }

    /**
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @return source MAC.
     */
    public static long srcMac(final DirectBuffer buffer, final int offset)
    {
        return MacAddress.read(buffer, offset + SRC_MAC_OFFSET);
    }

    /**
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @return EtherType at offset 12.
     */
    public static int etherType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the frame (at least 18 bytes if tagged).
     * @param offset of the frame.
     * @return EtherType of the payload, skipping one 802.1Q tag.
     */
    public static int payloadEtherType(final DirectBuffer buffer, final int offset)
    {
        final int type = etherType(buffer, offset);
        return EtherType.VLAN == type ?
            buffer.getShort(offset + VLAN_ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF : type;
    }

    /**
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @return offset of the L3 header: offset + 14, or offset + 18 with one 802.1Q tag.
     */
    public static int payloadOffset(final DirectBuffer buffer, final int offset)
    {
        return offset + (EtherType.VLAN == etherType(buffer, offset) ? VLAN_HEADER_LENGTH : HEADER_LENGTH);
    }
}
