package io.vrouter.core.offload;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.vrouter.wire.Checksums;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;

/**
 * Coalesces consecutive in-order TCP segments of one flow into one super-frame (our own GRO, by the kernel's
 * {@code tcp_gro_receive} rules), for a pod port that takes offloads: the segments' payloads are not copied; the
 * caller writes {@link #header} (the first segment's Ethernet, IP and TCP headers with the super-frame's lengths
 * and a partial checksum) followed by each segment's payload ({@link #payloadAddress}, {@link #payloadLength}) as
 * one packet with a vnet header giving {@link #segmentSize()}.
 * <p>
 * A segment joins the run when it is the same flow (addresses, ports), its sequence number follows the run's
 * end, its acknowledgement number, TCP options, IP TTL and traffic class, DF and header lengths equal the first
 * segment's, its flags are ACK with at most PSH or FIN, its payload is not larger than the first's and the one
 * before it was not smaller, and the whole stays within 64 KB. A segment with PSH or FIN, or shorter than the
 * first, ends the run. Every segment's TCP checksum is verified first (nobody else did: the tunnel's UDP checksum
 * is 0), and a segment that fails does not join (the pod's kernel drops it). IPv4 without IP options, and IPv6
 * with TCP as the next header. One instance per worker, reused; nothing is allocated.
 */
public final class TcpCoalescer
{
    /** Most segments in one super-frame. */
    public static final int MAX_SEGMENTS = 64;
    private static final int MAX_PACKET = 65535;
    private static final int ETH = 14;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_FIN = 0x01;

    private final long[] addresses = new long[MAX_SEGMENTS];
    private final int[] lengths = new int[MAX_SEGMENTS];
    private DirectBuffer first;
    private int frame;
    private boolean ipv6;
    private int ipHeader;
    private int tcpHeader;
    private int mss;
    private int nextSeq;
    private int payloadBytes;
    private int count;
    private int flags;
    private boolean closed;

    /**
     * Starts a run with a frame (Ethernet at {@code offset}).
     *
     * @param buf    its buffer (off-heap: the payload is referred to by address).
     * @param offset the frame's offset.
     * @param length the frame's length.
     * @return false when the frame cannot start a run (not a TCP data segment that may be coalesced).
     */
    public boolean start(final DirectBuffer buf, final int offset, final int length)
    {
        count = 0;
        final int payload = segment(buf, offset, length);
        if (payload < 0)
        {
            return false;
        }
        first = buf;
        frame = offset;
        mss = payload;
        nextSeq = buf.getInt(offset + ETH + ipHeader + 4, ByteOrder.BIG_ENDIAN) + payload;
        payloadBytes = payload;
        flags = buf.getByte(offset + ETH + ipHeader + 13) & 0xFF;
        closed = (flags & (TCP_PSH | TCP_FIN)) != 0;
        remember(buf, offset, payload);
        return true;
    }

    /**
     * Adds the next frame to the run if it may join (the run is unchanged otherwise).
     *
     * @param buf    its buffer.
     * @param offset the frame's offset.
     * @param length the frame's length.
     * @return whether it joined.
     */
    public boolean add(final DirectBuffer buf, final int offset, final int length)
    {
        if (closed || count == 0 || count == MAX_SEGMENTS)
        {
            return false;
        }
        final boolean v6 = ipv6;
        final int ip = ipHeader;
        final int tcp = tcpHeader;
        final int payload = segment(buf, offset, length);
        if (payload < 0 || ipv6 != v6 || ipHeader != ip || tcpHeader != tcp || payload > mss
            || ETH + ip + tcp + payloadBytes + payload - ETH > MAX_PACKET || !sameFlow(buf, offset))
        {
            ipv6 = v6;
            ipHeader = ip;
            tcpHeader = tcp;
            return false;
        }
        final int th = offset + ETH + ip;
        if (buf.getInt(th + 4, ByteOrder.BIG_ENDIAN) != nextSeq)
        {
            return false;
        }
        final int f = buf.getByte(th + 13) & 0xFF;
        nextSeq += payload;
        payloadBytes += payload;
        flags |= f & (TCP_PSH | TCP_FIN);
        closed = (f & (TCP_PSH | TCP_FIN)) != 0 || payload < mss;
        remember(buf, offset, payload);
        return true;
    }

    /**
     * Segments in the run.
     *
     * @return count (0 before a successful {@link #start}).
     */
    public int count()
    {
        return count;
    }

    /**
     * The run's segment size (the first segment's payload): the super-frame's GSO size.
     *
     * @return bytes.
     */
    public int segmentSize()
    {
        return mss;
    }

    /**
     * Whether the run is IPv6.
     *
     * @return true for IPv6.
     */
    public boolean ipv6()
    {
        return ipv6;
    }

    /**
     * Where segment k's payload is.
     *
     * @param k segment index.
     * @return its address.
     */
    public long payloadAddress(final int k)
    {
        return addresses[k];
    }

    /**
     * Segment k's payload length.
     *
     * @param k segment index.
     * @return bytes.
     */
    public int payloadLength(final int k)
    {
        return lengths[k];
    }

    /**
     * Offset of the TCP header from the frame's start (the partial checksum's start).
     *
     * @return bytes.
     */
    public int checksumStart()
    {
        return ETH + ipHeader;
    }

    /**
     * Writes the super-frame's headers: the first segment's Ethernet, IP and TCP headers with the whole run's
     * length (IPv4 header checksum recomputed), PSH and FIN of the run, and the TCP checksum field holding the
     * pseudo-header's sum, to be completed by whoever segments or checks it ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}).
     *
     * @param dst where to write.
     * @param at  offset in dst.
     * @return the headers' length.
     */
    public int header(final MutableDirectBuffer dst, final int at)
    {
        final int headers = ETH + ipHeader + tcpHeader;
        dst.putBytes(at, first, frame, headers);
        final int ip = at + ETH;
        final int th = ip + ipHeader;
        final int tcpLength = tcpHeader + payloadBytes;
        final long pseudo;
        if (ipv6)
        {
            dst.putShort(ip + 4, (short)tcpLength, ByteOrder.BIG_ENDIAN);
            pseudo = Checksums.pseudoHeaderSumIpv6(Ipv6Header.srcAddressHi(dst, ip), Ipv6Header.srcAddressLo(dst, ip),
                Ipv6Header.dstAddressHi(dst, ip), Ipv6Header.dstAddressLo(dst, ip), IpProtocol.TCP, tcpLength);
        }
        else
        {
            dst.putShort(ip + 2, (short)(ipHeader + tcpLength), ByteOrder.BIG_ENDIAN);
            dst.putShort(ip + 10, (short)0);
            dst.putShort(ip + 10, (short)Checksums.checksum(dst, ip, ipHeader), ByteOrder.BIG_ENDIAN);
            pseudo = Checksums.pseudoHeaderSumIpv4(dst.getInt(ip + 12, ByteOrder.BIG_ENDIAN),
                dst.getInt(ip + 16, ByteOrder.BIG_ENDIAN), IpProtocol.TCP, tcpLength);
        }
        dst.putByte(th + 13, (byte)flags);
        dst.putShort(th + 16, (short)Checksums.fold(pseudo), ByteOrder.BIG_ENDIAN);
        return headers;
    }

    private void remember(final DirectBuffer buf, final int offset, final int payload)
    {
        addresses[count] = buf.addressOffset() + offset + ETH + ipHeader + tcpHeader;
        lengths[count] = payload;
        count++;
    }

    /**
     * Reads a frame's IP and TCP header lengths into the fields and checks that it is a TCP segment that may be
     * coalesced, with a valid checksum; its payload length, or -1.
     */
    private int segment(final DirectBuffer buf, final int offset, final int length)
    {
        if (length < ETH + 40)
        {
            return -1;
        }
        final int type = buf.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int ip = offset + ETH;
        final int packet;
        if (type == 0x0800)
        {
            if ((buf.getByte(ip) & 0xFF) != 0x45 || Ipv4Header.protocol(buf, ip) != IpProtocol.TCP
                || Ipv4Header.isFragment(buf, ip))
            {
                return -1;
            }
            ipv6 = false;
            ipHeader = 20;
            packet = buf.getShort(ip + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        else if (type == 0x86dd)
        {
            if (Ipv6Header.version(buf, ip) != 6 || Ipv6Header.nextHeader(buf, ip) != IpProtocol.TCP)
            {
                return -1;
            }
            ipv6 = true;
            ipHeader = Ipv6Header.HEADER_LENGTH;
            packet = Ipv6Header.HEADER_LENGTH + Ipv6Header.payloadLength(buf, ip);
        }
        else
        {
            return -1;
        }
        final int th = ip + ipHeader;
        if (packet > length - ETH || packet < ipHeader + 20)
        {
            return -1;
        }
        tcpHeader = ((buf.getByte(th + 12) & 0xF0) >>> 4) << 2;
        final int payload = packet - ipHeader - tcpHeader;
        final int f = buf.getByte(th + 13) & 0xFF;
        if (tcpHeader < 20 || payload <= 0 || (f & TCP_ACK) == 0 || (f & ~(TCP_ACK | TCP_PSH | TCP_FIN)) != 0)
        {
            return -1;
        }
        final int tcpLength = packet - ipHeader;
        final boolean valid = ipv6
            ? Checksums.isIpv6TransportChecksumValid(buf, ip, th, tcpLength, IpProtocol.TCP)
            : Checksums.isIpv4TransportChecksumValid(buf, th, tcpLength, buf.getInt(ip + 12, ByteOrder.BIG_ENDIAN),
                buf.getInt(ip + 16, ByteOrder.BIG_ENDIAN), IpProtocol.TCP);
        return valid ? payload : -1;
    }

    /** Whether a frame is the run's flow with the same IP and TCP header fields that must match (not lengths). */
    private boolean sameFlow(final DirectBuffer buf, final int offset)
    {
        final int a = frame + ETH;
        final int b = offset + ETH;
        if (ipv6)
        {
            // Version, traffic class, flow label; hop limit; addresses.
            if (first.getInt(a, ByteOrder.BIG_ENDIAN) != buf.getInt(b, ByteOrder.BIG_ENDIAN)
                || first.getByte(a + 7) != buf.getByte(b + 7) || !same(first, a + 8, buf, b + 8, 32))
            {
                return false;
            }
        }
        else if (first.getByte(a + 1) != buf.getByte(b + 1) || first.getByte(a + 8) != buf.getByte(b + 8)
            || (first.getByte(a + 6) & 0x40) != (buf.getByte(b + 6) & 0x40) || !same(first, a + 12, buf, b + 12, 8))
        {
            return false;
        }
        final int ta = a + ipHeader;
        final int tb = b + ipHeader;
        // Ports, acknowledgement number, options; and the Ethernet header.
        return first.getInt(ta) == buf.getInt(tb) && first.getInt(ta + 8) == buf.getInt(tb + 8)
            && same(first, ta + 20, buf, tb + 20, tcpHeader - 20) && same(first, frame, buf, offset, ETH);
    }

    private static boolean same(final DirectBuffer a, final int at, final DirectBuffer b, final int bt, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (a.getByte(at + i) != b.getByte(bt + i))
            {
                return false;
            }
        }
        return true;
    }
}
