package io.vrouter.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Contrail's {@code struct vr_pcap} (include/vr_packet.h): the libpcap per-record header that a dynamic
 * mirror (mirror flag D) puts in front of the metadata and the mirrored frame.
 * <pre>
 *   0  pcap_ts_sec    u32  capture time, seconds
 *   4  pcap_ts_usec   u32  capture time, microseconds
 *   8  pcap_incl_len  u32  bytes of the frame captured
 *  12  pcap_orig_len  u32  bytes of the frame on the wire
 * </pre>
 * Contrail writes all four fields in network byte order (it applies {@code htonl} to each), unlike a pcap file
 * whose record headers are in the writer's order. Both lengths are the mirrored frame's length, without the
 * metadata that follows this header. Static accessors only, allocation-free.
 */
public final class PcapRecordHeader
{
    /**
     * Header length.
     */
    public static final int HEADER_LENGTH = 16;

    /**
     * Offset of the seconds.
     */
    public static final int TS_SEC_OFFSET = 0;

    /**
     * Offset of the microseconds.
     */
    public static final int TS_USEC_OFFSET = 4;

    /**
     * Offset of the captured length.
     */
    public static final int INCL_LEN_OFFSET = 8;

    /**
     * Offset of the original length.
     */
    public static final int ORIG_LEN_OFFSET = 12;

    private PcapRecordHeader()
    {
    }

    /**
     * Write a record header as Contrail does.
     *
     * @param buffer      destination.
     * @param offset      first byte.
     * @param epochMicros capture time, microseconds since the epoch.
     * @param frameLength the mirrored frame's length (both lengths).
     */
    public static void write(
        final MutableDirectBuffer buffer, final int offset, final long epochMicros, final int frameLength)
    {
        buffer.putInt(offset + TS_SEC_OFFSET, (int)(epochMicros / 1_000_000L), ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + TS_USEC_OFFSET, (int)(epochMicros % 1_000_000L), ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + INCL_LEN_OFFSET, frameLength, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + ORIG_LEN_OFFSET, frameLength, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset first byte.
     * @return seconds.
     */
    public static long seconds(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + TS_SEC_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFFFFFFL;
    }

    /**
     * @param buffer holding the header.
     * @param offset first byte.
     * @return microseconds.
     */
    public static long micros(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + TS_USEC_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFFFFFFL;
    }

    /**
     * @param buffer holding the header.
     * @param offset first byte.
     * @return captured length.
     */
    public static int includedLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + INCL_LEN_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset first byte.
     * @return original length.
     */
    public static int originalLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + ORIG_LEN_OFFSET, ByteOrder.BIG_ENDIAN);
    }
}
