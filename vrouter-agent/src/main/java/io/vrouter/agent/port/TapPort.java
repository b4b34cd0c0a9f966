package io.vrouter.agent.port;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.offload.TcpCoalescer;
import io.vrouter.core.offload.TcpSegmenter;

/**
 * A pod port's packet I/O: a TAP device ({@code IFF_TAP | IFF_NO_PI | IFF_VNET_HDR}) whose file
 * descriptor the daemon keeps while the device itself is moved into the pod's namespace as the
 * pod's interface (docs/adr/0004-pod-packet-io.md). The device is persistent ({@code TUNSETPERSIST}):
 * it outlives the daemon, keeping the pod's addresses and routes, and the restarted daemon re-attaches
 * to it ({@link #attach}); a port deleted on purpose is unpersisted first ({@link #unpersist()}).
 * <p>
 * Frames move straight between the kernel and the batch slots: a read lands the 10-byte
 * {@code virtio_net_hdr} in the slot's headroom and the frame at {@link PacketBatch#HEADROOM}; a
 * write puts the header just in front of the frame. Without offloads ({@code TUNSETOFFLOAD 0}) the
 * kernel hands over complete frames with finished checksums and the header stays zero. With offloads
 * (daemon key {@code pods.offloads}, docs/adr/0012-pod-offloads.md: {@code TUN_F_CSUM | TUN_F_TSO4 |
 * TUN_F_TSO6 | TUN_F_TSO_ECN}) the pod's TCP hands over super-frames of up to 64 KB with a GSO size and
 * partial checksums; the header's fields go into the slot's offload state ({@link PacketBatch#offload}),
 * and a frame written to the pod carries them back in its header (the pod's kernel finishes the work).
 * A super-frame written to a port without offloads is segmented here ({@link TcpSegmenter}, one
 * {@code writev} per segment, the payload not copied), and a partial checksum completed.
 * The descriptor is non-blocking: a read stops at {@code EAGAIN}, a write
 * that cannot be queued is counted as a TX drop. Nothing is allocated per packet.
 */
public final class TapPort implements AutoCloseable
{
    /** Size of {@code struct virtio_net_hdr}. */
    public static final int VNET_HDR_LEN = 10;
    /** {@code IFF_TAP}. */
    static final int IFF_TAP = 0x0002;
    /** {@code IFF_NO_PI}. */
    static final int IFF_NO_PI = 0x1000;
    /** {@code IFF_VNET_HDR}. */
    static final int IFF_VNET_HDR = 0x4000;
    /** {@code TUNSETIFF}. */
    static final long TUNSETIFF = 0x400454caL;
    /** {@code TUNSETPERSIST}. */
    static final long TUNSETPERSIST = 0x400454cbL;
    /** {@code TUNSETOFFLOAD}. */
    static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code TUNSETVNETHDRSZ}. */
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    /** {@code TUNSETVNETLE}. */
    static final long TUNSETVNETLE = 0x400454dcL;
    /** {@code TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN}: what a port with offloads accepts. */
    static final long TUN_OFFLOADS = 0x01 | 0x02 | 0x04 | 0x08;
    /** Longest interface name ({@code IFNAMSIZ - 1}). */
    public static final int MAX_NAME = 15;

    private final String name;
    private final int fd;
    private final boolean offloads;
    private int vifIndex;
    private volatile boolean closed;
    private long rxPackets;
    private long txPackets;
    private long txDrops;
    private long rxSuperFrames;
    private long txSuperFrames;
    private long txSegmented;
    private long txSegments;
    private long rxBadVnet;
    private long txCoalesced;
    private long txCoalescedSegments;

    /**
     * The TAP queue's file descriptor (a worker polls it while idle).
     *
     * @return the fd.
     */
    public int fd()
    {
        return fd;
    }

    private TapPort(final String name, final int fd, final int vifIndex, final boolean offloads)
    {
        this.name = name;
        this.fd = fd;
        this.vifIndex = vifIndex;
        this.offloads = offloads;
    }

    /**
     * Creates a TAP device in the caller's network namespace and opens it non-blocking.
     *
     * @param name     the device name.
     * @return the port (bound to a vif with {@link #bind(int)} before use).
     * @throws PortException when the device cannot be created (message says why).
     */
    public static TapPort create(final String name) throws PortException
    {
        return create(name, false);
    }

    /**
     * Creates a TAP device in the caller's network namespace and opens it non-blocking, with or without
     * offloads (checksum and TSO: the pod's TCP then hands over super-frames).
     *
     * @param name     the device name.
     * @param offloads whether the device takes offloads.
     * @return the port (bound to a vif with {@link #bind(int)} before use).
     * @throws PortException when the device cannot be created (message says why).
     */
    public static TapPort create(final String name, final boolean offloads) throws PortException
    {
        return new TapPort(name, openDevice(name, offloads), -1, offloads);
    }

    /**
     * Re-attaches to a persistent TAP device that lives in another network namespace (a pod's interface
     * that outlived the daemon that made it): a short-lived thread enters the namespace, opens the
     * device by its name there ({@code TUNSETIFF} attaches to an existing persistent device) and the
     * descriptor works from any thread afterwards. The thread never returns to the pool of threads that
     * run anything else, so a failure to come back from the namespace cannot leak into the daemon.
     *
     * @param name   the device's name inside the namespace (the pod's interface name).
     * @param netns  the namespace file (for example {@code /var/run/netns/NAME}).
     * @return the port (bound to a vif with {@link #bind(int)} before use).
     * @throws PortException when the namespace or the device cannot be opened (message says why).
     */
    public static TapPort attach(final String name, final java.nio.file.Path netns) throws PortException
    {
        return attach(name, netns, false);
    }

    /**
     * Re-attaches to a persistent TAP device in another network namespace (see {@link #attach(String,
     * java.nio.file.Path)}), setting its offloads as this daemon's configuration says.
     *
     * @param name     the device's name inside the namespace.
     * @param netns    the namespace file.
     * @param offloads whether the device takes offloads.
     * @return the port.
     * @throws PortException when the namespace or the device cannot be opened (message says why).
     */
    public static TapPort attach(final String name, final java.nio.file.Path netns, final boolean offloads)
        throws PortException
    {
        final int[] fd = {-1};
        final PortException[] failure = new PortException[1];
        final Thread t = new Thread(() ->
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment errno = Posix.newErrnoSegment(arena);
                final int target = Posix.open(errno, netns.toString(), Posix.O_RDONLY | Posix.O_CLOEXEC);
                if (target < 0)
                {
                    failure[0] = new PortException(io.vrouter.core.request.Errno.ENOENT,
                        "open " + netns + ": " + Posix.strerror(Posix.errno(errno)));
                    return;
                }
                try
                {
                    if (Posix.setns(errno, target, Posix.CLONE_NEWNET) < 0)
                    {
                        failure[0] = new PortException(-Posix.errno(errno),
                            "setns " + netns + ": " + Posix.strerror(Posix.errno(errno)));
                        return;
                    }
                    fd[0] = openDevice(name, offloads);
                }
                catch (final PortException e)
                {
                    failure[0] = e;
                }
                finally
                {
                    Posix.close(target);
                }
            }
        }, "tap-attach-" + name);
        t.setDaemon(true);
        t.start();
        try
        {
            t.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new PortException(io.vrouter.core.request.Errno.EAGAIN, "interrupted attaching " + name);
        }
        if (failure[0] != null)
        {
            throw failure[0];
        }
        return new TapPort(name, fd[0], -1, offloads);
    }

    /**
     * Opens {@code /dev/net/tun} and creates, or attaches to, the named TAP device in the calling
     * thread's namespace; a created device is made persistent ({@code TUNSETPERSIST}), so that it
     * outlives this process and a restarted daemon finds the pod's interface still configured.
     */
    private static int openDevice(final String name, final boolean offloads) throws PortException
    {
        final byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length > MAX_NAME)
        {
            throw new PortException(io.vrouter.core.request.Errno.EINVAL,
                "interface name must have 1 to 15 characters");
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment errno = Posix.newErrnoSegment(arena);
            final int fd = Posix.open(errno, "/dev/net/tun", Posix.O_RDWR | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
            if (fd < 0)
            {
                throw new PortException(io.vrouter.core.request.Errno.ENODEV,
                    "open /dev/net/tun: " + Posix.strerror(Posix.errno(errno)));
            }
            final MemorySegment ifreq = arena.allocate(40);
            MemorySegment.copy(nameBytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
            ifreq.set(ValueLayout.JAVA_SHORT, 16, (short)(IFF_TAP | IFF_NO_PI | IFF_VNET_HDR));
            if (Posix.ioctl(errno, fd, TUNSETIFF, ifreq) < 0)
            {
                final int e = Posix.errno(errno);
                Posix.close(fd);
                throw new PortException(e == 16 ? io.vrouter.core.request.Errno.EEXIST : -e,
                    "TUNSETIFF " + name + ": " + Posix.strerror(e));
            }
            // The header's size said, not assumed (10: struct virtio_net_hdr; no num_buffers, which only
            // mergeable virtio rings use), and its byte order little-endian (the x86/arm64 default, made explicit).
            final MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            value.set(ValueLayout.JAVA_INT, 0, VNET_HDR_LEN);
            if (Posix.ioctl(errno, fd, TUNSETVNETHDRSZ, value) < 0)
            {
                final int e = Posix.errno(errno);
                Posix.close(fd);
                throw new PortException(-e, "TUNSETVNETHDRSZ " + name + ": " + Posix.strerror(e));
            }
            value.set(ValueLayout.JAVA_INT, 0, 1);
            Posix.ioctl(errno, fd, TUNSETVNETLE, value);
            if (Posix.ioctl(errno, fd, TUNSETOFFLOAD, offloads ? TUN_OFFLOADS : 0L) < 0)
            {
                final int e = Posix.errno(errno);
                Posix.close(fd);
                throw new PortException(-e, "TUNSETOFFLOAD " + name + ": " + Posix.strerror(e));
            }
            if (Posix.ioctl(errno, fd, TUNSETPERSIST, 1L) < 0)
            {
                final int e = Posix.errno(errno);
                Posix.close(fd);
                throw new PortException(-e, "TUNSETPERSIST " + name + ": " + Posix.strerror(e));
            }
            return fd;
        }
    }

    /**
     * Clears the device's persistence, so that it disappears when the descriptor is closed (a port
     * deleted on purpose); call before {@link #close()}.
     */
    public void unpersist()
    {
        if (!closed)
        {
            try (Arena arena = Arena.ofConfined())
            {
                Posix.ioctl(Posix.newErrnoSegment(arena), fd, TUNSETPERSIST, 0L);
            }
        }
    }

    /**
     * The device name given at creation (the host-side port name).
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Sets the vif this port's frames arrive on, before the port is published to a worker.
     *
     * @param vif the vif index.
     */
    public void bind(final int vif)
    {
        this.vifIndex = vif;
    }

    /**
     * The vif this port's frames arrive on.
     *
     * @return the vif index.
     */
    public int vifIndex()
    {
        return vifIndex;
    }

    /**
     * Reads frames into the batch until it is full, the device has nothing more or {@code max}
     * frames were read (the owning worker's thread only).
     *
     * @param batch the batch.
     * @param errno the thread's errno capture segment.
     * @param max   most frames to read.
     * @return frames read.
     */
    public int receive(final PacketBatch batch, final MemorySegment errno, final int max)
    {
        if (closed)
        {
            return 0;
        }
        int got = 0;
        final long capacity = batch.maxFrame() + VNET_HDR_LEN;
        while (got < max)
        {
            final int slot = batch.claim();
            if (slot < 0)
            {
                break;
            }
            final UnsafeBuffer buf = batch.buffer(slot);
            final long n = Posix.read(errno, fd, buf.addressOffset() + PacketBatch.HEADROOM - VNET_HDR_LEN, capacity);
            if (n <= 0)
            {
                break;
            }
            if (n <= VNET_HDR_LEN)
            {
                continue;
            }
            batch.commit(slot, vifIndex, (int)n - VNET_HDR_LEN);
            if (offloads && !vnetHeader(batch, slot, buf))
            {
                // A GSO type this port did not ask for: not committed (the slot is claimed again).
                batch.uncommit(slot);
                rxBadVnet++;
                continue;
            }
            got++;
        }
        rxPackets += got;
        return got;
    }

    /**
     * Reads the {@code virtio_net_hdr} in front of a received frame into the slot's offload state: flags,
     * GSO type and size, checksum start (made a buffer offset) and offset. False for a GSO type other than TCP.
     */
    private boolean vnetHeader(final PacketBatch batch, final int slot, final UnsafeBuffer buf)
    {
        final int h = PacketBatch.HEADROOM - VNET_HDR_LEN;
        final int flags = buf.getByte(h) & 0xFF;
        final int type = buf.getByte(h + 1) & 0xFF;
        if (flags == 0 && type == PacketBatch.GSO_NONE)
        {
            return true;
        }
        final int size = buf.getShort(h + 4, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int base = type & ~PacketBatch.GSO_ECN;
        if (base != PacketBatch.GSO_NONE && (base != PacketBatch.GSO_TCPV4 && base != PacketBatch.GSO_TCPV6
            || size == 0))
        {
            return false;
        }
        batch.offload(slot, flags, type, base == PacketBatch.GSO_NONE ? 0 : size,
            PacketBatch.HEADROOM + (buf.getShort(h + 6, ByteOrder.LITTLE_ENDIAN) & 0xFFFF),
            buf.getShort(h + 8, ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
        if (base != PacketBatch.GSO_NONE)
        {
            rxSuperFrames++;
        }
        return true;
    }

    /**
     * Sends one slot's frame to the pod (any worker's thread), with what its offload state asks: to a port with
     * offloads the vnet header carries the GSO size and partial checksum on; to a port without, a super-frame is
     * segmented and a partial checksum completed first.
     *
     * @param batch   the batch.
     * @param slot    the slot.
     * @param errno   the thread's errno capture segment.
     * @param scratch the worker's segmentation scratch.
     * @return whether the kernel took the frame (every segment).
     */
    public boolean send(final PacketBatch batch, final int slot, final MemorySegment errno,
        final SegmentScratch scratch)
    {
        final UnsafeBuffer buf = batch.buffer(slot);
        final int offset = batch.offset(slot);
        final int length = batch.length(slot);
        final int vnet = batch.vnetFlags(slot);
        final boolean superFrame = batch.isSuperFrame(slot);
        if (vnet == 0 && !superFrame || closed || offset < VNET_HDR_LEN)
        {
            return send(buf, offset, length, errno);
        }
        if (offloads)
        {
            final int h = offset - VNET_HDR_LEN;
            final int csumStart = batch.csumStart(slot);
            buf.putByte(h, (byte)(vnet & PacketBatch.VNET_F_NEEDS_CSUM));
            buf.putByte(h + 1, (byte)(superFrame ? batch.gsoType(slot) : PacketBatch.GSO_NONE));
            final int headers = superFrame ? csumStart - offset + (((buf.getByte(csumStart + 12) & 0xF0) >>> 4) << 2)
                : 0;
            buf.putShort(h + 2, (short)headers, ByteOrder.LITTLE_ENDIAN);
            buf.putShort(h + 4, (short)(superFrame ? batch.gsoSize(slot) : 0), ByteOrder.LITTLE_ENDIAN);
            buf.putShort(h + 6, (short)(csumStart - offset), ByteOrder.LITTLE_ENDIAN);
            buf.putShort(h + 8, (short)batch.csumOffset(slot), ByteOrder.LITTLE_ENDIAN);
            if (superFrame)
            {
                txSuperFrames++;
            }
            return written(Posix.write(errno, fd, buf.addressOffset() + h, length + VNET_HDR_LEN));
        }
        if (!superFrame)
        {
            if ((vnet & PacketBatch.VNET_F_NEEDS_CSUM) != 0
                && !TcpSegmenter.completeChecksum(buf, batch.csumStart(slot), batch.csumOffset(slot), offset + length))
            {
                txDrops++;
                return false;
            }
            return send(buf, offset, length, errno);
        }
        return sendSegments(batch, slot, buf, offset, length, errno, scratch);
    }

    /**
     * Writes the run of segments the scratch's coalescer holds ({@link TcpCoalescer}, at least two) to this port
     * (which takes offloads) as one super-frame: a vnet header with the GSO size and a partial checksum, the run's
     * headers, then every segment's payload from its slot, in one {@code writev}.
     *
     * @param errno   the thread's errno capture segment.
     * @param scratch the worker's scratch holding the run.
     * @return whether the kernel took it.
     */
    public boolean sendCoalesced(final MemorySegment errno, final SegmentScratch scratch)
    {
        final TcpCoalescer c = scratch.coalescer;
        final int n = c.count();
        if (closed)
        {
            txDrops += n;
            return false;
        }
        final UnsafeBuffer header = scratch.header;
        final int h = c.header(header, VNET_HDR_LEN);
        header.putByte(0, (byte)PacketBatch.VNET_F_NEEDS_CSUM);
        header.putByte(1, (byte)(c.ipv6() ? PacketBatch.GSO_TCPV6 : PacketBatch.GSO_TCPV4));
        header.putShort(2, (short)h, ByteOrder.LITTLE_ENDIAN);
        header.putShort(4, (short)c.segmentSize(), ByteOrder.LITTLE_ENDIAN);
        header.putShort(6, (short)c.checksumStart(), ByteOrder.LITTLE_ENDIAN);
        header.putShort(8, (short)16, ByteOrder.LITTLE_ENDIAN);
        final MemorySegment iov = scratch.iov;
        iov.set(ValueLayout.JAVA_LONG, 8, VNET_HDR_LEN + h);
        for (int k = 0; k < n; k++)
        {
            iov.set(ValueLayout.JAVA_LONG, 16L * (k + 1), c.payloadAddress(k));
            iov.set(ValueLayout.JAVA_LONG, 16L * (k + 1) + 8, c.payloadLength(k));
        }
        if (!written(Posix.writev(errno, fd, iov.address(), n + 1)))
        {
            return false;
        }
        txCoalesced++;
        txCoalescedSegments += n;
        return true;
    }

    /** Writes a super-frame to a port without offloads as its segments, one {@code writev} each. */
    private boolean sendSegments(final PacketBatch batch, final int slot, final UnsafeBuffer buf, final int offset,
        final int length, final MemorySegment errno, final SegmentScratch scratch)
    {
        final boolean ipv6 = (buf.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) == 0x86dd;
        final TcpSegmenter s = scratch.segmenter;
        final int n = s.begin(buf, offset, offset + 14, offset + length, ipv6, batch.gsoSize(slot), -1, 1);
        if (n < 0 || s.headerLength() + VNET_HDR_LEN > SegmentScratch.HEADER_ROOM)
        {
            txDrops++;
            return false;
        }
        final UnsafeBuffer header = scratch.header;
        header.setMemory(0, VNET_HDR_LEN, (byte)0);
        final MemorySegment iov = scratch.iov;
        boolean all = true;
        for (int k = 0; k < n; k++)
        {
            final int h = s.header(k, header, VNET_HDR_LEN);
            iov.set(ValueLayout.JAVA_LONG, 8, VNET_HDR_LEN + h);
            iov.set(ValueLayout.JAVA_LONG, 16, buf.addressOffset() + s.payloadOffset(k));
            iov.set(ValueLayout.JAVA_LONG, 24, s.payloadLength(k));
            all &= written(Posix.writev(errno, fd, iov.address(), 2));
        }
        txSegmented++;
        txSegments += n;
        return all;
    }

    private boolean written(final long n)
    {
        if (n < 0)
        {
            txDrops++;
            return false;
        }
        txPackets++;
        return true;
    }

    /**
     * Sends one frame to the pod (any worker's thread).
     *
     * @param buf    the slot buffer.
     * @param offset frame offset, at least {@link #VNET_HDR_LEN}.
     * @param length frame length.
     * @param errno  the thread's errno capture segment.
     * @return whether the kernel took the frame.
     */
    public boolean send(final UnsafeBuffer buf, final int offset, final int length, final MemorySegment errno)
    {
        if (closed || offset < VNET_HDR_LEN)
        {
            txDrops++;
            return false;
        }
        buf.setMemory(offset - VNET_HDR_LEN, VNET_HDR_LEN, (byte)0);
        final long n = Posix.write(errno, fd, buf.addressOffset() + offset - VNET_HDR_LEN, length + VNET_HDR_LEN);
        if (n < 0)
        {
            txDrops++;
            return false;
        }
        txPackets++;
        return true;
    }

    /**
     * Frames read (approximate when read from another thread).
     *
     * @return count.
     */
    public long rxPackets()
    {
        return rxPackets;
    }

    /**
     * Frames written (approximate: several workers may write).
     *
     * @return count.
     */
    public long txPackets()
    {
        return txPackets;
    }

    /**
     * Whether the device takes offloads (super-frames, partial checksums).
     *
     * @return true with offloads.
     */
    public boolean offloads()
    {
        return offloads;
    }

    /**
     * Super-frames (GSO frames) read from the pod.
     *
     * @return count.
     */
    public long rxSuperFrames()
    {
        return rxSuperFrames;
    }

    /**
     * Frames read with a vnet header this port cannot handle (a GSO type other than TCP), dropped.
     *
     * @return count.
     */
    public long rxBadVnet()
    {
        return rxBadVnet;
    }

    /**
     * Super-frames written whole to the pod (offloads on).
     *
     * @return count.
     */
    public long txSuperFrames()
    {
        return txSuperFrames;
    }

    /**
     * Super-frames segmented in software on their way to the pod (offloads off).
     *
     * @return count.
     */
    public long txSegmented()
    {
        return txSegmented;
    }

    /**
     * Segments those super-frames became.
     *
     * @return count.
     */
    public long txSegments()
    {
        return txSegments;
    }

    /**
     * Super-frames written to the pod that were coalesced from segments (offloads on).
     *
     * @return count.
     */
    public long txCoalesced()
    {
        return txCoalesced;
    }

    /**
     * Segments those super-frames were made of.
     *
     * @return count.
     */
    public long txCoalescedSegments()
    {
        return txCoalescedSegments;
    }

    /**
     * Frames the kernel refused (queue full, device gone).
     *
     * @return count.
     */
    public long txDrops()
    {
        return txDrops;
    }

    /**
     * Closes the descriptor. The device is persistent and stays, without carrier, wherever it is (a
     * restarted daemon re-attaches with {@link #attach}); {@link #unpersist()} first removes it with the
     * descriptor. Call only once no worker uses the port any more.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            Posix.close(fd);
        }
    }
}
