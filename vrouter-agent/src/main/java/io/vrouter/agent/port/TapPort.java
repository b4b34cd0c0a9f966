package io.vrouter.agent.port;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.graph.PacketBatch;

/**
 * A pod port's packet I/O: a TAP device ({@code IFF_TAP | IFF_NO_PI | IFF_VNET_HDR}) whose file
 * descriptor the daemon keeps while the device itself is moved into the pod's namespace as the
 * pod's interface (docs/adr/0004-pod-packet-io.md). The device is persistent ({@code TUNSETPERSIST}):
 * it outlives the daemon, keeping the pod's addresses and routes, and the restarted daemon re-attaches
 * to it ({@link #attach}); a port deleted on purpose is unpersisted first ({@link #unpersist()}).
 * <p>
 * Frames move straight between the kernel and the batch slots: a read lands the 10-byte
 * {@code virtio_net_hdr} in the slot's headroom and the frame at {@link PacketBatch#HEADROOM}; a
 * write puts a zero header just in front of the frame. Offloads are switched off
 * ({@code TUNSETOFFLOAD 0}), so the kernel hands over complete frames with finished checksums and
 * the header stays zero. The descriptor is non-blocking: a read stops at {@code EAGAIN}, a write
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
    /** Longest interface name ({@code IFNAMSIZ - 1}). */
    public static final int MAX_NAME = 15;

    private final String name;
    private final int fd;
    private int vifIndex;
    private volatile boolean closed;
    private long rxPackets;
    private long txPackets;
    private long txDrops;

    /**
     * The TAP queue's file descriptor (a worker polls it while idle).
     *
     * @return the fd.
     */
    public int fd()
    {
        return fd;
    }

    private TapPort(final String name, final int fd, final int vifIndex)
    {
        this.name = name;
        this.fd = fd;
        this.vifIndex = vifIndex;
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
        return new TapPort(name, openDevice(name), -1);
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
                    fd[0] = openDevice(name);
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
        return new TapPort(name, fd[0], -1);
    }

    /**
     * Opens {@code /dev/net/tun} and creates, or attaches to, the named TAP device in the calling
     * thread's namespace; a created device is made persistent ({@code TUNSETPERSIST}), so that it
     * outlives this process and a restarted daemon finds the pod's interface still configured.
     */
    private static int openDevice(final String name) throws PortException
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
            if (Posix.ioctl(errno, fd, TUNSETOFFLOAD, 0L) < 0)
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
            got++;
        }
        rxPackets += got;
        return got;
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
