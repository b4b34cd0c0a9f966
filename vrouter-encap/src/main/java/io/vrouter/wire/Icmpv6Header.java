package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * ICMPv6 (RFC 4443) flyweight, including Neighbor Discovery (RFC 4861) solicitation/advertisement fields.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code      |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | PTB: MTU | NS: reserved | NA: R|S|O| reserved                 |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +         NS/NA: Target Address (128 bits)                      +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  NS/NA options: Type | Length (8-byte units) | value ...      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Source/target link-layer address options are 8 bytes: type (1 or 2), length 1, MAC.
 */
public final class Icmpv6Header
{
    /**
     * Type offset.
     */
    public static final int TYPE_OFFSET = 0;

    /**
     * Code offset.
     */
    public static final int CODE_OFFSET = 1;

    /**
     * Checksum offset.
     */
    public static final int CHECKSUM_OFFSET = 2;

    /**
     * Packet-too-big MTU offset.
     */
    public static final int MTU_OFFSET = 4;

    /**
     * Neighbor advertisement flags word offset.
     */
    public static final int NA_FLAGS_OFFSET = 4;

    /**
     * Neighbor solicitation/advertisement target address offset.
     */
    public static final int TARGET_ADDRESS_OFFSET = 8;

    /**
     * Offset of the first Neighbor Discovery option in NS/NA.
     */
    public static final int ND_OPTIONS_OFFSET = 24;

    /**
     * Header length of error and echo messages.
     */
    public static final int HEADER_LENGTH = 8;

    /**
     * Destination unreachable.
     */
    public static final int TYPE_DEST_UNREACHABLE = 1;

    /**
     * Packet too big.
     */
    public static final int TYPE_PACKET_TOO_BIG = 2;

    /**
     * Time exceeded.
     */
    public static final int TYPE_TIME_EXCEEDED = 3;

    /**
     * Parameter problem.
     */
    public static final int TYPE_PARAMETER_PROBLEM = 4;

    /**
     * Echo request.
     */
    public static final int TYPE_ECHO_REQUEST = 128;

    /**
     * Echo reply.
     */
    public static final int TYPE_ECHO_REPLY = 129;

    /**
     * Router solicitation.
     */
    public static final int TYPE_ROUTER_SOLICITATION = 133;

    /**
     * Router advertisement.
     */
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;

    /**
     * Neighbor solicitation.
     */
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;

    /**
     * Neighbor advertisement.
     */
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;

    /**
     * NA router flag.
     */
    public static final int NA_FLAG_ROUTER = 0x8000_0000;

    /**
     * NA solicited flag.
     */
    public static final int NA_FLAG_SOLICITED = 0x4000_0000;

    /**
     * NA override flag.
     */
    public static final int NA_FLAG_OVERRIDE = 0x2000_0000;

    /**
     * ND option: source link-layer address.
     */
    public static final int OPTION_SOURCE_LINK_ADDRESS = 1;

    /**
     * ND option: target link-layer address.
     */
    public static final int OPTION_TARGET_LINK_ADDRESS = 2;

    /**
     * Length in bytes of a link-layer address option for Ethernet.
     */
    public static final int LINK_ADDRESS_OPTION_LENGTH = 8;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a message.
     *
     * @param buffer holding the message.
     * @param offset of the first byte.
     * @return this.
     */
    public Icmpv6Header wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return type.
     */
    public int type()
    {
        return type(buffer, offset);
    }

    /**
     * @param type type.
     * @return this.
     */
    public Icmpv6Header type(final int type)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        return this;
    }

    /**
     * @return code.
     */
    public int code()
    {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    /**
     * @param code code.
     * @return this.
     */
    public Icmpv6Header code(final int code)
    {
        buffer.putByte(offset + CODE_OFFSET, (byte)code);
        return this;
    }

    /**
     * @return checksum field.
     */
    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param checksum checksum field.
     * @return this.
     */
    public Icmpv6Header checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return packet-too-big MTU.
     */
    public long mtu()
    {
        return buffer.getInt(offset + MTU_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * @param mtu packet-too-big MTU.
     * @return this.
     */
    public Icmpv6Header mtu(final int mtu)
    {
        buffer.putInt(offset + MTU_OFFSET, mtu, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return NA flags word (R, S, O in the top bits).
     */
    public int naFlags()
    {
        return buffer.getInt(offset + NA_FLAGS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param flags NA flags word, e.g. {@code NA_FLAG_SOLICITED | NA_FLAG_OVERRIDE}.
     * @return this.
     */
    public Icmpv6Header naFlags(final int flags)
    {
        buffer.putInt(offset + NA_FLAGS_OFFSET, flags, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return NS/NA target address, high 64 bits.
     */
    public long targetAddressHi()
    {
        return targetAddressHi(buffer, offset);
    }

    /**
     * @return NS/NA target address, low 64 bits.
     */
    public long targetAddressLo()
    {
        return targetAddressLo(buffer, offset);
    }

    /**
     * @param hi high 64 bits.
     * @param lo low 64 bits.
     * @return this.
     */
    public Icmpv6Header targetAddress(final long hi, final long lo)
    {
        buffer.putLong(offset + TARGET_ADDRESS_OFFSET, hi, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + TARGET_ADDRESS_OFFSET + 8, lo, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * Write an 8-byte link-layer address option.
     *
     * @param optionOffset offset of the option relative to the start of the message.
     * @param optionType   {@link #OPTION_SOURCE_LINK_ADDRESS} or {@link #OPTION_TARGET_LINK_ADDRESS}.
     * @param mac          address.
     * @return this.
     */
    public Icmpv6Header linkAddressOption(final int optionOffset, final int optionType, final long mac)
    {
        buffer.putByte(offset + optionOffset, (byte)optionType);
        buffer.putByte(offset + optionOffset + 1, (byte)1);
        MacAddress.write(buffer, offset + optionOffset + 2, mac);
        return this;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return type.
     */
    public static int type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return NS/NA target address, high 64 bits.
     */
    public static long targetAddressHi(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TARGET_ADDRESS_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return NS/NA target address, low 64 bits.
     */
    public static long targetAddressLo(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TARGET_ADDRESS_OFFSET + 8, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param type ICMPv6 type.
     * @return true for error messages (types below 128).
     */
    public static boolean isError(final int type)
    {
        return type < 128;
    }

    /**
     * Find a Neighbor Discovery option in an NS/NA message. Malformed option lists (zero length, overrun) stop
     * the search.
     *
     * @param buffer        holding the message.
     * @param offset        of the ICMPv6 message.
     * @param messageLength length of the ICMPv6 message.
     * @param optionType    option type to look for.
     * @return absolute offset of the option in the buffer, or -1 if absent or malformed.
     */
    public static int findNdOption(
        final DirectBuffer buffer, final int offset, final int messageLength, final int optionType)
    {
        int index = offset + ND_OPTIONS_OFFSET;
        final int end = offset + messageLength;
        while (end - index >= 2)
        {
            final int type = buffer.getByte(index) & 0xFF;
            final int length = (buffer.getByte(index + 1) & 0xFF) << 3;
            if (0 == length || length > end - index)
            {
                return -1;
            }
            if (type == optionType)
            {
                return index;
            }
            index += length;
        }

        return -1;
    }

    /**
     * Read the MAC from a link-layer address option found with {@link #findNdOption}.
     *
     * @param buffer       holding the message.
     * @param optionOffset absolute offset of the option.
     * @return the MAC address.
     */
    public static long linkAddress(final DirectBuffer buffer, final int optionOffset)
    {
        return MacAddress.read(buffer, optionOffset + 2);
    }
}
