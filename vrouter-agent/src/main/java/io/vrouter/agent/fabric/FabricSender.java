package io.vrouter.agent.fabric;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.agent.port.Posix;

/**
 * One worker's batched sender on the fabric: frames the forwarder addressed to the fabric vif (outer
 * Ethernet/IPv4 and tunnel headers already written) are queued as {@code struct mmsghdr} entries and sent with
 * one {@code sendmmsg} by {@link #flush()}. Through the fabric's raw IPv4 socket (the default, see
 * {@link FabricPort#rawFd()}) the single {@code iovec} points at the outer IPv4 header, so the packet leaves
 * with the forwarder's headers: the flow's entropy source port, its IP ID and flags, any tunnel protocol
 * (MPLSoUDP, VXLAN, MPLSoGRE); the kernel fills in the IPv4 checksum and total length, as it does for every raw
 * IPv4 packet, with the values the forwarder wrote. Without the raw socket it points at the UDP payload and
 * the UDP socket sends it to the frame's outer destination address and port (source port 6635). Nothing is
 * allocated per packet.
 */
public final class FabricSender
{
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;
    private static final int SOCKADDR_IN = 16;
    private static final int UDP = 17;

    private final FabricPort port;
    private final int capacity;
    private final MemorySegment msgs;
    private final MemorySegment iovs;
    private final MemorySegment addrs;
    private final MemorySegment errno;
    private int count;
    private long sent;
    private long drops;

    FabricSender(final FabricPort port, final int capacity)
    {
        this.port = port;
        this.capacity = capacity;
        final Arena arena = Arena.ofAuto();
        this.msgs = arena.allocate((long)MMSGHDR * capacity, 8);
        this.iovs = arena.allocate((long)IOVEC * capacity, 8);
        this.addrs = arena.allocate((long)SOCKADDR_IN * capacity, 8);
        this.errno = Posix.newErrnoSegment(arena);
        for (int i = 0; i < capacity; i++)
        {
            final long m = (long)i * MMSGHDR;
            msgs.set(ValueLayout.JAVA_LONG, m, addrs.address() + (long)i * SOCKADDR_IN);
            msgs.set(ValueLayout.JAVA_INT, m + 8, SOCKADDR_IN);
            msgs.set(ValueLayout.JAVA_LONG, m + 16, iovs.address() + (long)i * IOVEC);
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
        if (count == capacity || length < FabricPort.OUTER_LENGTH)
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
        addrs.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), a + 2,
            raw ? (short)0 : buf.getShort(udp + 2, ByteOrder.BIG_ENDIAN));
        addrs.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), a + 4,
            buf.getInt(ip + 16, ByteOrder.BIG_ENDIAN));
        final long v = (long)count * IOVEC;
        iovs.set(ValueLayout.JAVA_LONG, v, buf.addressOffset() + from);
        iovs.set(ValueLayout.JAVA_LONG, v + 8, sendLength);
        count++;
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
     * Frames dropped (socket full, malformed).
     *
     * @return count.
     */
    public long drops()
    {
        return drops;
    }
}
