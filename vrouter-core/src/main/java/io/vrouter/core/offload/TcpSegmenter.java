package io.vrouter.core.offload;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.vrouter.wire.Checksums;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;

/**
 * Segments a TCP super-frame (a GSO frame a pod's kernel handed over with a segment size) in software, as the
 * kernel's {@code tcp_gso_segment} does for a device without TSO. The payload is never copied: for each segment
 * the headers are written into a caller's buffer (everything from a chosen start, for example the outer IPv4
 * header of a tunnel, up to the end of the inner TCP header, with the segment's lengths, IDs, sequence number,
 * flags and checksums), and the segment's payload is a slice of the super-frame ({@link #payloadOffset},
 * {@link #payloadLength}): a caller sends the two as one packet with two {@code iovec}s.
 * <p>
 * Per segment k of n: inner IPv4 total length and ID (the super-frame's + k), header checksum; IPv6 payload
 * length; TCP sequence number (+ k × segment size), FIN and PSH on the last segment only, CWR on the first only,
 * the TCP checksum computed whole (pseudo-header, header, payload slice; the super-frame's partial checksum is
 * ignored). An outer IPv4 header in the copied prefix (a tunnel's) gets the segment's total length, the ID given
 * plus k × a step, its checksum, and an outer UDP header its length (checksum 0).
 * <p>
 * One instance per thread, reused: {@link #begin} reads the super-frame, then {@link #header} for k = 0..n-1.
 * Nothing is allocated.
 */
public final class TcpSegmenter
{
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;
    private static final int UDP = 17;

    private DirectBuffer src;
    private int from;
    private int l3;
    private boolean ipv6;
    private int ipHeader;
    private int tcp;
    private int tcpHeader;
    private int payload;
    private int end;
    private int mss;
    private int segments;
    private int baseSeq;
    private int baseId;
    private int tcpFlags;
    private long addressSum;
    private int outerIp;
    private int outerBaseId;
    private int outerStep;

    /**
     * Reads a super-frame.
     *
     * @param buffer      the buffer holding it.
     * @param start       where the headers copied into every segment start (the frame's start, or its outer
     *                    IPv4 header for a raw socket).
     * @param l3          offset of the inner IPv4 or IPv6 header.
     * @param frameEnd    the frame's end (the packet may end before it).
     * @param isIpv6      whether the inner packet is IPv6.
     * @param segmentSize TCP payload bytes per segment (the GSO size).
     * @param outerIpv4   offset of an outer IPv4 header between {@code start} and {@code l3}, or -1.
     * @param outerIdStep step between consecutive segments' outer IPv4 IDs.
     * @return the number of segments, or -1 when the frame is no TCP super-frame that can be segmented.
     */
    public int begin(final DirectBuffer buffer, final int start, final int l3, final int frameEnd, final boolean isIpv6,
        final int segmentSize, final int outerIpv4, final int outerIdStep)
    {
        if (segmentSize <= 0 || l3 < start || l3 + (isIpv6 ? Ipv6Header.HEADER_LENGTH : 20) > frameEnd)
        {
            return -1;
        }
        if (isIpv6)
        {
            if (Ipv6Header.version(buffer, l3) != 6 || Ipv6Header.nextHeader(buffer, l3) != IpProtocol.TCP)
            {
                return -1;
            }
            ipHeader = Ipv6Header.HEADER_LENGTH;
            end = l3 + Ipv6Header.HEADER_LENGTH + Ipv6Header.payloadLength(buffer, l3);
            addressSum = Checksums.pseudoHeaderSumIpv6(Ipv6Header.srcAddressHi(buffer, l3),
                Ipv6Header.srcAddressLo(buffer, l3), Ipv6Header.dstAddressHi(buffer, l3),
                Ipv6Header.dstAddressLo(buffer, l3), IpProtocol.TCP, 0);
        }
        else
        {
            if ((buffer.getByte(l3) & 0xF0) != 0x40 || Ipv4Header.protocol(buffer, l3) != IpProtocol.TCP
                || Ipv4Header.isFragment(buffer, l3))
            {
                return -1;
            }
            ipHeader = Ipv4Header.headerLength(buffer, l3);
            end = l3 + (buffer.getShort(l3 + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF);
            addressSum = Checksums.pseudoHeaderSumIpv4(buffer.getInt(l3 + 12, ByteOrder.BIG_ENDIAN),
                buffer.getInt(l3 + 16, ByteOrder.BIG_ENDIAN), IpProtocol.TCP, 0);
            baseId = buffer.getShort(l3 + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        tcp = l3 + ipHeader;
        if (ipHeader < 20 || tcp + 20 > frameEnd || end > frameEnd)
        {
            return -1;
        }
        tcpHeader = ((buffer.getByte(tcp + 12) & 0xF0) >>> 4) << 2;
        payload = tcp + tcpHeader;
        if (tcpHeader < 20 || payload > end)
        {
            return -1;
        }
        this.src = buffer;
        this.from = start;
        this.l3 = l3;
        this.ipv6 = isIpv6;
        this.mss = segmentSize;
        this.baseSeq = buffer.getInt(tcp + 4, ByteOrder.BIG_ENDIAN);
        this.tcpFlags = buffer.getByte(tcp + 13) & 0xFF;
        this.outerIp = outerIpv4;
        this.outerStep = outerIdStep;
        this.outerBaseId = outerIpv4 >= 0 ? buffer.getShort(outerIpv4 + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF : 0;
        final int bytes = end - payload;
        segments = bytes == 0 ? 1 : (bytes + segmentSize - 1) / segmentSize;
        return segments;
    }

    /**
     * Bytes of headers each segment carries (from the start given to {@link #begin} to the end of the TCP header).
     *
     * @return bytes.
     */
    public int headerLength()
    {
        return payload - from;
    }

    /**
     * Where segment k's payload starts in the super-frame's buffer.
     *
     * @param k segment index.
     * @return buffer offset.
     */
    public int payloadOffset(final int k)
    {
        return payload + k * mss;
    }

    /**
     * Segment k's payload length.
     *
     * @param k segment index.
     * @return bytes.
     */
    public int payloadLength(final int k)
    {
        return Math.min(mss, end - payload - k * mss);
    }

    /**
     * Writes segment k's headers: {@link #headerLength()} bytes at {@code at}, followed on the wire by the
     * payload slice.
     *
     * @param k   segment index, 0 to n - 1.
     * @param dst where to write (not the super-frame's buffer).
     * @param at  offset in dst.
     * @return the header length.
     */
    public int header(final int k, final MutableDirectBuffer dst, final int at)
    {
        final int headers = payload - from;
        dst.putBytes(at, src, from, headers);
        final int payloadLength = payloadLength(k);
        final int ip = at + (l3 - from);
        final int th = at + (tcp - from);
        final int tcpLength = tcpHeader + payloadLength;
        if (ipv6)
        {
            dst.putShort(ip + 4, (short)tcpLength, ByteOrder.BIG_ENDIAN);
        }
        else
        {
            dst.putShort(ip + 2, (short)(ipHeader + tcpLength), ByteOrder.BIG_ENDIAN);
            dst.putShort(ip + 4, (short)(baseId + k), ByteOrder.BIG_ENDIAN);
            dst.putShort(ip + 10, (short)0);
            dst.putShort(ip + 10, (short)Checksums.checksum(dst, ip, ipHeader), ByteOrder.BIG_ENDIAN);
        }
        dst.putInt(th + 4, baseSeq + k * mss, ByteOrder.BIG_ENDIAN);
        int flags = tcpFlags;
        if (k != segments - 1)
        {
            flags &= ~(TCP_FIN | TCP_PSH);
        }
        if (k != 0)
        {
            flags &= ~TCP_CWR;
        }
        dst.putByte(th + 13, (byte)flags);
        dst.putShort(th + 16, (short)0);
        long sum = addressSum + tcpLength;
        sum = Checksums.sum(dst, th, tcpHeader, sum);
        sum = Checksums.sum(src, payload + k * mss, payloadLength, sum);
        dst.putShort(th + 16, (short)Checksums.finish(sum), ByteOrder.BIG_ENDIAN);
        if (outerIp >= 0)
        {
            final int o = at + (outerIp - from);
            final int outerHeader = (dst.getByte(o) & 0x0F) << 2;
            final int outerLength = headers + payloadLength - (outerIp - from);
            dst.putShort(o + 2, (short)outerLength, ByteOrder.BIG_ENDIAN);
            dst.putShort(o + 4, (short)(outerBaseId + k * outerStep), ByteOrder.BIG_ENDIAN);
            dst.putShort(o + 10, (short)0);
            dst.putShort(o + 10, (short)Checksums.checksum(dst, o, outerHeader), ByteOrder.BIG_ENDIAN);
            if ((dst.getByte(o + 9) & 0xFF) == UDP)
            {
                dst.putShort(o + outerHeader + 4, (short)(outerLength - outerHeader), ByteOrder.BIG_ENDIAN);
                dst.putShort(o + outerHeader + 6, (short)0);
            }
        }
        return headers;
    }

    /**
     * Completes a partial checksum ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}, the kernel's {@code CHECKSUM_PARTIAL}):
     * the field holds the pseudo-header's sum; the one's complement of the sum from {@code csumStart} to the
     * packet's end goes into it, as {@code skb_checksum_help} does (a UDP checksum that comes out 0 is sent as
     * 0xffff).
     *
     * @param buf        the buffer.
     * @param csumStart  where the coverage starts (the transport header).
     * @param csumOffset the field's offset from csumStart (16 for TCP, 6 for UDP).
     * @param end        the packet's end.
     * @return false when the offsets do not fit the packet (nothing written).
     */
    public static boolean completeChecksum(final MutableDirectBuffer buf, final int csumStart, final int csumOffset,
        final int end)
    {
        if (csumStart < 0 || csumOffset < 0 || csumStart + csumOffset + 2 > end || end > buf.capacity())
        {
            return false;
        }
        final int value = Checksums.finish(Checksums.sum(buf, csumStart, end - csumStart, 0));
        buf.putShort(csumStart + csumOffset, (short)(value == 0 && csumOffset == 6 ? 0xFFFF : value),
            ByteOrder.BIG_ENDIAN);
        return true;
    }
}
