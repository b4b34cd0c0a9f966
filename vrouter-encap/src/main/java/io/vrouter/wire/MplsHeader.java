package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * MPLS label stack entry (RFC 3032) flyweight; one entry is 4 bytes, wrap at each entry of the stack.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                Label                  | TC  |S|       TTL     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * TC is the former EXP field; S marks the bottom of the stack. The static helpers work on the 32-bit entry.
 */
public final class MplsHeader
{
    /**
     * Length of one label stack entry.
     */
    public static final int ENTRY_LENGTH = 4;

    /**
     * Largest label value.
     */
    public static final int MAX_LABEL = 0xF_FFFF;

    /**
     * Label that Contrail treats as a null transport label to pop (top label, S=0).
     */
    public static final int NULL_TRANSPORT_LABEL = 0xF_FFFF;

    /**
     * TTL sent when the inner TTL is unknown (Contrail's default).
     */
    public static final int DEFAULT_TTL = 64;

    /**
     * Bottom of stack bit in an entry.
     */
    public static final int BOTTOM_OF_STACK = 0x100;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Wrap an entry.
     *
     * @param buffer holding the entry.
     * @param offset of the entry.
     * @return this.
     */
    public MplsHeader wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return the 32-bit entry.
     */
    public int entry()
    {
        return entry(buffer, offset);
    }

    /**
     * @param entry the 32-bit entry.
     * @return this.
     */
    public MplsHeader entry(final int entry)
    {
        buffer.putInt(offset, entry, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /**
     * @return label (20 bits).
     */
    public int label()
    {
        return label(entry());
    }

    /**
     * @return traffic class (3 bits).
     */
    public int trafficClass()
    {
        return trafficClass(entry());
    }

    /**
     * @return true if bottom of stack.
     */
    public boolean isBottomOfStack()
    {
        return isBottomOfStack(entry());
    }

    /**
     * @return TTL.
     */
    public int ttl()
    {
        return ttl(entry());
    }

    /**
     * Write all fields.
     *
     * @param label         20 bits.
     * @param trafficClass  3 bits.
     * @param bottomOfStack S bit.
     * @param ttl           8 bits.
     * @return this.
     */
    public MplsHeader set(final int label, final int trafficClass, final boolean bottomOfStack, final int ttl)
    {
        return entry(entry(label, trafficClass, bottomOfStack, ttl));
    }

    /**
     * Build an entry: {@code label << 12 | tc << 9 | S << 8 | ttl}.
     *
     * @param label         20 bits.
     * @param trafficClass  3 bits.
     * @param bottomOfStack S bit.
     * @param ttl           8 bits.
     * @return the entry.
     */
    public static int entry(final int label, final int trafficClass, final boolean bottomOfStack, final int ttl)
    {
        return (label << 12) | ((trafficClass & 0x7) << 9) | (bottomOfStack ? BOTTOM_OF_STACK : 0) | (ttl & 0xFF);
    }

    /**
     * Push one bottom-of-stack entry (traffic class 0) in front of a packet: the VPN label of
     * MPLSoUDP and MPLSoGRE.
     *
     * @param buffer      holding the packet with at least 4 bytes of headroom.
     * @param innerOffset offset of the packet the label goes in front of.
     * @param label       label.
     * @param ttl         TTL, 0 for unknown (sent as 64, Contrail's default).
     * @return offset of the entry.
     */
    public static int pushBottomOfStack(
        final MutableDirectBuffer buffer, final int innerOffset, final int label, final int ttl)
    {
        final int offset = innerOffset - ENTRY_LENGTH;
        buffer.putInt(offset, entry(label, 0, true, 0 == ttl ? DEFAULT_TTL : ttl), ByteOrder.BIG_ENDIAN);
        return offset;
    }

    /**
     * @param buffer holding the entry.
     * @param offset of the entry.
     * @return the 32-bit entry.
     */
    public static int entry(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param entry label stack entry.
     * @return label.
     */
    public static int label(final int entry)
    {
        return entry >>> 12;
    }

    /**
     * @param entry label stack entry.
     * @return traffic class.
     */
    public static int trafficClass(final int entry)
    {
        return (entry >>> 9) & 0x7;
    }

    /**
     * @param entry label stack entry.
     * @return true if S is set.
     */
    public static boolean isBottomOfStack(final int entry)
    {
        return 0 != (entry & BOTTOM_OF_STACK);
    }

    /**
     * @param entry label stack entry.
     * @return TTL.
     */
    public static int ttl(final int entry)
    {
        return entry & 0xFF;
    }
}
