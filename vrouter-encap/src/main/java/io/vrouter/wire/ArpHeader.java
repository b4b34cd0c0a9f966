package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * ARP for IPv4 over Ethernet (RFC 826) flyweight.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Hardware type (1)         |     Protocol type (0x0800)    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | HW addr len 6 | Proto len 4   |          Operation            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Sender hardware address (6 bytes) ...              |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      ...                      |  Sender protocol address ...  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      ...                      |  Target hardware address ...  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            ...                                                |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Target protocol address                            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpHeader
{
    /**
     * Hardware type offset.
     */
    public static final int HARDWARE_TYPE_OFFSET = 0;

    /**
     * Protocol type offset.
     */
    public static final int PROTOCOL_TYPE_OFFSET = 2;

    /**
     * Hardware address length offset.
     */
    public static final int HARDWARE_LENGTH_OFFSET = 4;

    /**
     * Protocol address length offset.
     */
    public static final int PROTOCOL_LENGTH_OFFSET = 5;

    /**
     * Operation offset.
     */
    public static final int OPERATION_OFFSET = 6;

    /**
     * Sender hardware address offset.
     */
    public static final int SENDER_MAC_OFFSET = 8;

    /**
     * Sender IPv4 address offset.
     */
    public static final int SENDER_IP_OFFSET = 14;

    /**
     * Target hardware address offset.
     */
    public static final int TARGET_MAC_OFFSET = 18;

    /**
     * Target IPv4 address offset.
     */
    public static final int TARGET_IP_OFFSET = 24;

    /**
     * Length of an Ethernet/IPv4 ARP message.
     */
    public static final int LENGTH = 28;

    /**
     * Hardware type Ethernet.
     */
    public static final int HARDWARE_TYPE_ETHERNET = 1;

    /**
     * Operation request.
     */
    public static final int OP_REQUEST = 1;

    /**
     * Operation reply.
     */
    public static final int OP_REPLY = 2;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a message.
     *
     * @param buffer holding the message.
     * @param offset of the first byte.
     * @return this.
     */
    public ArpHeader wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return hardware type.
     */
    public int hardwareType()
    {
        return buffer.getShort(offset + HARDWARE_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @return protocol type.
     */
    public int protocolType()
    {
        return buffer.getShort(offset + PROTOCOL_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @return hardware address length.
     */
    public int hardwareLength()
    {
        return buffer.getByte(offset + HARDWARE_LENGTH_OFFSET) & 0xFF;
    }

    /**
     * @return protocol address length.
     */
    public int protocolLength()
    {
        return buffer.getByte(offset + PROTOCOL_LENGTH_OFFSET) & 0xFF;
    }

    /**
     * Write the fixed Ethernet/IPv4 fields (types and lengths).
     *
     * @return this.
     */
    public ArpHeader ethernetIpv4()
    {
        buffer.putShort(offset + HARDWARE_TYPE_OFFSET, (short)HARDWARE_TYPE_ETHERNET, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + PROTOCOL_TYPE_OFFSET, (short)EtherType.IPV4, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + HARDWARE_LENGTH_OFFSET, (byte)MacAddress.LENGTH);
        buffer.putByte(offset + PROTOCOL_LENGTH_OFFSET, (byte)4);
        return this;
    }

    /**
     * @return true if this is Ethernet/IPv4 ARP (types and lengths match).
     */
    public boolean isEthernetIpv4()
    {
        return isEthernetIpv4(buffer, offset);
    }

    /**
     * @return operation.
     */
    public int operation()
    {
        return operation(buffer, offset);
    }

    /**
     * @param operation {@link #OP_REQUEST} or {@link #OP_REPLY}.
     * @return this.
     */
    public ArpHeader operation(final int operation)
    {
        buffer.putShort(offset + OPERATION_OFFSET, (short)operation, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return sender MAC.
     */
    public long senderMac()
    {
        return MacAddress.read(buffer, offset + SENDER_MAC_OFFSET);
    }

    /**
     * @param mac sender MAC.
     * @return this.
     */
    public ArpHeader senderMac(final long mac)
    {
        MacAddress.write(buffer, offset + SENDER_MAC_OFFSET, mac);
        return this;
    }

    /**
     * @return sender IPv4 address.
     */
    public int senderIp()
    {
        return buffer.getInt(offset + SENDER_IP_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param address sender IPv4 address.
     * @return this.
     */
    public ArpHeader senderIp(final int address)
    {
        buffer.putInt(offset + SENDER_IP_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return target MAC.
     */
    public long targetMac()
    {
        return MacAddress.read(buffer, offset + TARGET_MAC_OFFSET);
    }

    /**
     * @param mac target MAC.
     * @return this.
     */
    public ArpHeader targetMac(final long mac)
    {
        MacAddress.write(buffer, offset + TARGET_MAC_OFFSET, mac);
        return this;
    }

    /**
     * @return target IPv4 address.
     */
    public int targetIp()
    {
        return targetIp(buffer, offset);
    }

    /**
     * @param address target IPv4 address.
     * @return this.
     */
    public ArpHeader targetIp(final int address)
    {
        buffer.putInt(offset + TARGET_IP_OFFSET, address, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return operation.
     */
    public static int operation(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + OPERATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return target IPv4 address.
     */
    public static int targetIp(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + TARGET_IP_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return sender IPv4 address.
     */
    public static int senderIp(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SENDER_IP_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return true if hardware type 1 / length 6 and protocol 0x0800 / length 4.
     */
    public static boolean isEthernetIpv4(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN) == ((HARDWARE_TYPE_ETHERNET << 16) | EtherType.IPV4) &&
            (buffer.getShort(offset + HARDWARE_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) == 0x0604;
    }
}
