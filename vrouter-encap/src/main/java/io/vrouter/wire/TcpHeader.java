package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * TCP header (RFC 9293) flyweight with an MSS option finder and an incremental-checksum MSS rewrite.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Sequence Number                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Acknowledgment Number                      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Data |       |C|E|U|A|P|R|S|F|                               |
 *  | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *  |       |       |R|E|G|K|H|T|N|N|                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           Checksum            |         Urgent Pointer        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Options (kind 0 EOL, 1 NOP, 2 MSS len 4 value 16 bits, ...)  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TcpHeader
{
    /**
     * Source port offset.
     */
    public static final int SRC_PORT_OFFSET = 0;

    /**
     * Destination port offset.
     */
    public static final int DST_PORT_OFFSET = 2;

    /**
     * Sequence number offset.
     */
    public static final int SEQUENCE_OFFSET = 4;

    /**
     * Acknowledgment number offset.
     */
    public static final int ACK_OFFSET = 8;

    /**
     * Data offset (high nibble, 32-bit words) offset.
     */
    public static final int DATA_OFFSET_OFFSET = 12;

    /**
     * Flags byte offset.
     */
    public static final int FLAGS_OFFSET = 13;

    /**
     * Window offset.
     */
    public static final int WINDOW_OFFSET = 14;

    /**
     * Checksum offset.
     */
    public static final int CHECKSUM_OFFSET = 16;

    /**
     * Urgent pointer offset.
     */
    public static final int URGENT_OFFSET = 18;

    /**
     * Header length without options.
     */
    public static final int MIN_LENGTH = 20;

    /**
     * FIN flag.
     */
    public static final int FLAG_FIN = 0x01;

    /**
     * SYN flag.
     */
    public static final int FLAG_SYN = 0x02;

    /**
     * RST flag.
     */
    public static final int FLAG_RST = 0x04;

    /**
     * PSH flag.
     */
    public static final int FLAG_PSH = 0x08;

    /**
     * ACK flag.
     */
    public static final int FLAG_ACK = 0x10;

    /**
     * URG flag.
     */
    public static final int FLAG_URG = 0x20;

    /**
     * ECE flag.
     */
    public static final int FLAG_ECE = 0x40;

    /**
     * CWR flag.
     */
    public static final int FLAG_CWR = 0x80;

    /**
     * Option kind: end of option list.
     */
    public static final int OPTION_EOL = 0;

    /**
     * Option kind: no-operation.
     */
    public static final int OPTION_NOP = 1;

    /**
     * Option kind: maximum segment size.
     */
    public static final int OPTION_MSS = 2;

    /**
     * Length of the MSS option.
     */
    public static final int OPTION_MSS_LENGTH = 4;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap a header.
     *
     * @param buffer holding the header.
     * @param offset of the first byte.
     * @return this.
     */
    public TcpHeader wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return source port.
     */
    public int srcPort()
    {
        return srcPort(buffer, offset);
    }

    /**
     * @param port source port.
     * @return this.
     */
    public TcpHeader srcPort(final int port)
    {
        buffer.putShort(offset + SRC_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return destination port.
     */
    public int dstPort()
    {
        return dstPort(buffer, offset);
    }

    /**
     * @param port destination port.
     * @return this.
     */
    public TcpHeader dstPort(final int port)
    {
        buffer.putShort(offset + DST_PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return sequence number (unsigned).
     */
    public long sequence()
    {
        return buffer.getInt(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * @param sequence sequence number.
     * @return this.
     */
    public TcpHeader sequence(final long sequence)
    {
        buffer.putInt(offset + SEQUENCE_OFFSET, (int)sequence, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return acknowledgment number (unsigned).
     */
    public long ack()
    {
        return buffer.getInt(offset + ACK_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * @param ack acknowledgment number.
     * @return this.
     */
    public TcpHeader ack(final long ack)
    {
        buffer.putInt(offset + ACK_OFFSET, (int)ack, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return header length in bytes (data offset * 4).
     */
    public int headerLength()
    {
        return headerLength(buffer, offset);
    }

    /**
     * @param headerLength header length in bytes, multiple of 4 (reserved bits cleared).
     * @return this.
     */
    public TcpHeader headerLength(final int headerLength)
    {
        buffer.putByte(offset + DATA_OFFSET_OFFSET, (byte)((headerLength >>> 2) << 4));
        return this;
    }

    /**
     * @return flags byte.
     */
    public int flags()
    {
        return flags(buffer, offset);
    }

    /**
     * @param flags flags byte.
     * @return this.
     */
    public TcpHeader flags(final int flags)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        return this;
    }

    /**
     * @return window.
     */
    public int window()
    {
        return buffer.getShort(offset + WINDOW_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param window window.
     * @return this.
     */
    public TcpHeader window(final int window)
    {
        buffer.putShort(offset + WINDOW_OFFSET, (short)window, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return checksum field.
     */
    public int checksum()
    {
        return checksum(buffer, offset);
    }

    /**
     * @param checksum checksum field.
     * @return this.
     */
    public TcpHeader checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return urgent pointer.
     */
    public int urgentPointer()
    {
        return buffer.getShort(offset + URGENT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return source port.
     */
    public static int srcPort(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + SRC_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return destination port.
     */
    public static int dstPort(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + DST_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return header length in bytes.
     */
    public static int headerLength(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + DATA_OFFSET_OFFSET) & 0xF0) >>> 2;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return flags byte.
     */
    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return checksum field.
     */
    public static int checksum(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * Find the MSS option. The option walk is bounded by both the data offset and {@code segmentLength} and stops
     * at EOL or at any malformed option (length &lt; 2 or overrun).
     *
     * @param buffer        holding the segment.
     * @param offset        of the TCP header.
     * @param segmentLength bytes of the segment available in the buffer (header + payload).
     * @return absolute offset of the option's kind byte (the 16-bit value is at +2), or -1 if absent.
     */
    public static int findMssOption(final DirectBuffer buffer, final int offset, final int segmentLength)
    {
        final int headerLength = headerLength(buffer, offset);
        if (headerLength < MIN_LENGTH || headerLength > segmentLength)
        {
            return -1;
        }

        int index = offset + MIN_LENGTH;
        final int end = offset + headerLength;
        while (index < end)
        {
            final int kind = buffer.getByte(index) & 0xFF;
            if (OPTION_EOL == kind)
            {
                return -1;
            }
            if (OPTION_NOP == kind)
            {
                index++;
                continue;
            }
            if (end - index < 2)
            {
                return -1;
            }
            final int length = buffer.getByte(index + 1) & 0xFF;
            if (length < 2 || length > end - index)
            {
                return -1;
            }
            if (OPTION_MSS == kind)
            {
                return OPTION_MSS_LENGTH == length ? index : -1;
            }
            index += length;
        }

        return -1;
    }

    /**
     * Read the MSS value of an option found by {@link #findMssOption}.
     *
     * @param buffer       holding the segment.
     * @param optionOffset absolute offset of the MSS option.
     * @return MSS.
     */
    public static int mss(final DirectBuffer buffer, final int optionOffset)
    {
        return buffer.getShort(optionOffset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * Rewrite the MSS value of an option found by {@link #findMssOption} and patch the TCP checksum incrementally.
     * The value is at an even offset from the header start when the option is word aligned; an odd alignment is
     * handled by adjusting the two 16-bit words it straddles.
     *
     * @param buffer       holding the segment.
     * @param offset       of the TCP header.
     * @param optionOffset absolute offset of the MSS option.
     * @param mss          new MSS.
     */
    public static void rewriteMss(
        final MutableDirectBuffer buffer, final int offset, final int optionOffset, final int mss)
    {
        final int valueOffset = optionOffset + 2;
        int checksum = checksum(buffer, offset);
        if (0 == ((valueOffset - offset) & 1))
        {
            final int old = buffer.getShort(valueOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            buffer.putShort(valueOffset, (short)mss, ByteOrder.BIG_ENDIAN);
            checksum = Checksums.adjust16(checksum, old, mss);
        }
        else
        {
            final int wordOffset = valueOffset - 1;
            final int old = buffer.getInt(wordOffset, ByteOrder.BIG_ENDIAN);
            buffer.putShort(valueOffset, (short)mss, ByteOrder.BIG_ENDIAN);
            checksum = Checksums.adjust32(checksum, old, buffer.getInt(wordOffset, ByteOrder.BIG_ENDIAN));
        }
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
    }
}
