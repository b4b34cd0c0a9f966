package io.vrouter.agent.fabric;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.agent.port.Posix;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.offload.TcpSegmenter;

/**
 * One worker's batched sender on the fabric: frames the forwarder addressed to the fabric vif (outer
 * Ethernet/IPv4 and tunnel headers already written) are queued as {@code struct mmsghdr} entries and sent with
 * one {@code sendmmsg} by {@link #flush()}. Through the fabric's raw IPv4 socket (the default, see
 * {@link FabricPort#rawFd()}) the single {@code iovec} points at the outer IPv4 header, so the packet leaves
 * with the forwarder's headers: the flow's entropy source port, its IP ID and flags, any tunnel protocol
 * (MPLSoUDP, VXLAN, MPLSoGRE); the kernel fills in the IPv4 checksum and total length, as it does for every raw
 * IPv4 packet, with the values the forwarder wrote. Without the raw socket it points at the UDP payload and
 * the UDP socket sends it to the frame's outer destination address and port (source port 6635).
 * <p>
 * A super-frame (a pod's GSO frame the forwarder encapsulated once, {@link #queue(PacketBatch, int)}) leaves as
 * its segments, each a datagram of its own with two {@code iovec}s: its headers, written into this sender's
 * header area by {@link TcpSegmenter} (outer IPv4 with the segment's length, consecutive IDs and checksum, UDP
 * length, the same entropy source port; MPLS; inner IP and TCP headers with checksums completed), then its payload
 * straight from the slot, never copied; all of them go in the same {@code sendmmsg} as the batch's other frames. A
 * partial checksum of an ordinary frame is completed before it is queued. Nothing is allocated per packet.
 */
public final class FabricSender
{
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;
    private static final int SOCKADDR_IN = 16;
    private static final int UDP = 17;
    /** Header room per message: outer IPv4, UDP, MPLS, inner IPv4/IPv6 and TCP with options. */
    private static final int HEADER_ROOM = 192;
    /** Network-order layouts for the socket addresses, made once (a layout made per packet is an allocation). */
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt ADDRESS = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final FabricPort port;
    private final int capacity;
    private final MemorySegment msgs;
    private final MemorySegment iovs;
    private final MemorySegment addrs;
    private final MemorySegment errno;
    private final MemorySegment headerMemory;
    private final UnsafeBuffer headers;
    private final TcpSegmenter segmenter = new TcpSegmenter();
    private final int idStride;
    private int count;
    private long sent;
    private long drops;
    private long superFrames;
    private long segments;

    FabricSender(final FabricPort port, final int capacity, final int idStride)
    {
        this.port = port;
        this.capacity = capacity;
        this.idStride = idStride;
        final Arena arena = Arena.ofAuto();
        this.msgs = arena.allocate((long)MMSGHDR * capacity, 8);
        this.iovs = arena.allocate(2L * IOVEC * capacity, 8);
        this.headerMemory = arena.allocate((long)HEADER_ROOM * capacity, 64);
        this.headers = new UnsafeBuffer(headerMemory.address(), HEADER_ROOM * capacity);
        this.addrs = arena.allocate((long)SOCKADDR_IN * capacity, 8);
        this.errno = Posix.newErrnoSegment(arena);
        for (int i = 0; i < capacity; i++)
        {
            final long m = (long)i * MMSGHDR;
            msgs.set(ValueLayout.JAVA_LONG, m, addrs.address() + (long)i * SOCKADDR_IN);
            msgs.set(ValueLayout.JAVA_INT, m + 8, SOCKADDR_IN);
            msgs.set(ValueLayout.JAVA_LONG, m + 16, iovs.address() + 2L * i * IOVEC);
            msgs.set(ValueLayout.JAVA_LONG, m + 24, 1L);
            addrs.set(ValueLayout.JAVA_SHORT, (long)i * SOCKADDR_IN, (short)2);
        }
    }

    /**
     * Queues a frame that carries outer Ethernet, IPv4 and UDP headers.
     *
     * @param buf    slot buffer (must stay untouched until {@link #flush()}).
     * @param offset frame offset.
     * @param length frame length.
     */
    public void queue(final UnsafeBuffer buf, final int offset, final int length)
    {
        final int ip = offset + 14;
        if (count == capacity)
        {
            flush();
        }
        if (length < FabricPort.OUTER_LENGTH)
        {
            drops++;
            return;
        }
        final int ihl = (buf.getByte(ip) & 0x0F) << 2;
        final boolean raw = port.rawFd() >= 0;
        if ((buf.getByte(ip) & 0xF0) != 0x40 || ihl < 20 || (!raw && (buf.getByte(ip + 9) & 0xFF) != UDP))
        {
            // A UDP socket can send only UDP tunnels (MPLSoUDP, VXLAN), not MPLSoGRE.
            drops++;
            return;
        }
        final int udp = ip + ihl;
        final int from = raw ? ip : udp + 8;
        final int sendLength = offset + length - from;
        if (sendLength < 0 || raw && sendLength < ihl)
        {
            drops++;
            return;
        }
        final long a = (long)count * SOCKADDR_IN;
        addrs.set(PORT, a + 2,
            raw ? (short)0 : buf.getShort(udp + 2, ByteOrder.BIG_ENDIAN));
        addrs.set(ADDRESS, a + 4,
            buf.getInt(ip + 16, ByteOrder.BIG_ENDIAN));
        final long v = 2L * count * IOVEC;
        iovs.set(ValueLayout.JAVA_LONG, v, buf.addressOffset() + from);
        iovs.set(ValueLayout.JAVA_LONG, v + 8, sendLength);
        msgs.set(ValueLayout.JAVA_LONG, (long)count * MMSGHDR + 24, 1L);
        count++;
    }

    /**
     * Queues a batch slot's frame (outer headers written by the forwarder): a super-frame as its segments, an
     * ordinary frame with a partial checksum completed first, anything else as {@link #queue(UnsafeBuffer, int,
     * int)} does.
     *
     * @param batch the batch (its slots must stay untouched until {@link #flush()}).
     * @param slot  the slot.
     */
    public void queue(final PacketBatch batch, final int slot)
    {
        final UnsafeBuffer buf = batch.buffer(slot);
        final int offset = batch.offset(slot);
        final int length = batch.length(slot);
        if (!batch.isSuperFrame(slot))
        {
            if ((batch.vnetFlags(slot) & PacketBatch.VNET_F_NEEDS_CSUM) != 0
                && !TcpSegmenter.completeChecksum(buf, batch.csumStart(slot), batch.csumOffset(slot), offset + length))
            {
                drops++;
                return;
            }
            queue(buf, offset, length);
            return;
        }
        final int ip = offset + 14;
        final boolean raw = port.rawFd() >= 0;
        final int ihl = (buf.getByte(ip) & 0x0F) << 2;
        if (length < FabricPort.OUTER_LENGTH || (buf.getByte(ip) & 0xF0) != 0x40 || ihl < 20
            || !raw && (buf.getByte(ip + 9) & 0xFF) != UDP)
        {
            drops++;
            return;
        }
        final int from = raw ? ip : ip + ihl + 8;
        final int n = segmenter.begin(buf, from, batch.l3(slot), offset + length,
            batch.hasFlag(slot, PacketBatch.F_IPV6), batch.gsoSize(slot), raw ? ip : -1, idStride);
        if (n < 0 || segmenter.headerLength() > HEADER_ROOM)
        {
            drops++;
            return;
        }
        final short dport = raw ? 0 : buf.getShort(ip + ihl + 2, ByteOrder.BIG_ENDIAN);
        final int dst = buf.getInt(ip + 16, ByteOrder.BIG_ENDIAN);
        for (int k = 0; k < n; k++)
        {
            if (count == capacity)
            {
                flush();
            }
            final int at = count * HEADER_ROOM;
            final int h = segmenter.header(k, headers, at);
            final long a = (long)count * SOCKADDR_IN;
            addrs.set(PORT, a + 2, dport);
            addrs.set(ADDRESS, a + 4, dst);
            final long v = 2L * count * IOVEC;
            iovs.set(ValueLayout.JAVA_LONG, v, headers.addressOffset() + at);
            iovs.set(ValueLayout.JAVA_LONG, v + 8, h);
            iovs.set(ValueLayout.JAVA_LONG, v + IOVEC, buf.addressOffset() + segmenter.payloadOffset(k));
            iovs.set(ValueLayout.JAVA_LONG, v + IOVEC + 8, segmenter.payloadLength(k));
            msgs.set(ValueLayout.JAVA_LONG, (long)count * MMSGHDR + 24, 2L);
            count++;
        }
        superFrames++;
        segments += n;
    }

    /**
     * Sends everything queued; what the socket does not take (buffer full) is counted as dropped.
     */
    public void flush()
    {
        int done = 0;
        int failed = 0;
        while (done < count)
        {
            final int n = Posix.sendmmsg(errno, port.rawFd() >= 0 ? port.rawFd() : port.fd(),
                msgs.address() + (long)done * MMSGHDR, count - done, Posix.MSG_DONTWAIT);
            if (n > 0)
            {
                done += n;
                continue;
            }
            final int e = n < 0 ? Posix.errno(errno) : Posix.EAGAIN;
            if (e == Posix.EINTR)
            {
                continue;
            }
            if (e == Posix.EAGAIN)
            {
                break;
            }
            // This message failed (e.g. no route to its destination): skip it, send the rest.
            done++;
            failed++;
        }
        sent += done - failed;
        drops += count - done + failed;
        count = 0;
    }

    /**
     * Datagrams sent.
     *
     * @return count.
     */
    public long sent()
    {
        return sent;
    }

    /**
     * Super-frames segmented into tunnel datagrams.
     *
     * @return count.
     */
    public long superFrames()
    {
        return superFrames;
    }

    /**
     * Datagrams those super-frames became.
     *
     * @return count.
     */
    public long segments()
    {
        return segments;
    }

    /**
     * Frames dropped (socket full, malformed).
     *
     * @return count.
     */
    public long drops()
    {
        return drops;
    }
}
