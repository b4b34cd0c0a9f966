package io.vrouter.agent.fabric;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.agent.port.Posix;

/**
 * One worker's batched sender on the fabric socket: frames the forwarder addressed to the fabric
 * vif (outer Ethernet/IPv4/UDP already written) are queued as {@code struct mmsghdr} entries whose
 * single {@code iovec} points at the UDP payload inside the batch slot, and sent with one
 * {@code sendmmsg} by {@link #flush()}. The outer destination address and port come from the
 * frame's own headers. Nothing is allocated per packet.
 */
public final class FabricSender
{
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;
    private static final int SOCKADDR_IN = 16;

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
        final int udp = ip + ihl;
        final int payload = udp + 8;
        final int payloadLength = offset + length - payload;
        if (payloadLength < 0)
        {
            drops++;
            return;
        }
        final long a = (long)count * SOCKADDR_IN;
        addrs.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), a + 2,
            buf.getShort(udp + 2, ByteOrder.BIG_ENDIAN));
        addrs.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), a + 4,
            buf.getInt(ip + 16, ByteOrder.BIG_ENDIAN));
        final long v = (long)count * IOVEC;
        iovs.set(ValueLayout.JAVA_LONG, v, buf.addressOffset() + payload);
        iovs.set(ValueLayout.JAVA_LONG, v + 8, payloadLength);
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
            final int n = Posix.sendmmsg(errno, port.fd(), msgs.address() + (long)done * MMSGHDR, count - done,
                Posix.MSG_DONTWAIT);
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
