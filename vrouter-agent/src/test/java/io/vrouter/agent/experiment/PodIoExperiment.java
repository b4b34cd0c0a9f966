package io.vrouter.agent.experiment;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.agent.port.IpCommands;
import io.vrouter.agent.port.Posix;
import io.vrouter.agent.port.TapPort;
import io.vrouter.core.graph.PacketBatch;

/**
 * Receives a pod's 64-byte UDP flood into {@link PacketBatch} slots with one of two methods and
 * reports frames/s and the reader's CPU per frame:
 * <ul>
 * <li>{@code tap}: a TAP device (vnet header, offloads off) moved into the pod, read with
 *     {@link TapPort#receive} (one {@code read} per frame);</li>
 * <li>{@code packet}: a veth pair, the pod end in the pod, an {@code AF_PACKET} socket with a
 *     {@code TPACKET_V2} RX ring on the host end (frames copied from the ring into the batch).</li>
 * </ul>
 * Run inside a node namespace: {@code PodIoExperiment tap|packet POD_NETNS SECONDS}. The reader idles
 * with the daemon's backoff strategy when there is nothing to read.
 */
public final class PodIoExperiment
{
    private static final Linker LINKER = Linker.nativeLinker();

    private PodIoExperiment()
    {
    }

    // The experiment measures libc packet I/O, so it calls libc; it runs with native access allowed
    // (--enable-native-access in jvm.options).
    @SuppressWarnings("restricted")
    private static MethodHandle fn(final String name, final FunctionDescriptor d)
    {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d);
    }

    /**
     * Entry point.
     *
     * @param args method, pod namespace, seconds.
     * @throws Throwable on failure.
     */
    public static void main(final String[] args) throws Throwable
    {
        final String method = args[0];
        final String pod = args[1];
        final double seconds = Double.parseDouble(args[2]);
        final PacketBatch batch = new PacketBatch(64, 2048);
        final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1000, 200_000);
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        final Reader reader = "tap".equals(method) ? tap(pod) : packet(pod);
        final Process sender = new ProcessBuilder(List.of("ip", "netns", "exec", pod,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            System.getProperty("java.class.path"), UdpFlood.class.getName(), "10.9.0.1", "9",
            Double.toString(seconds))).redirectErrorStream(true).start();
        long received = 0;
        long first = 0;
        long cpu0 = 0;
        long last = 0;
        long cpuLast = 0;
        final long stop = System.nanoTime() + (long)((seconds + 3) * 1e9);
        while (System.nanoTime() < stop && (sender.isAlive() || first == 0 || System.nanoTime() - last < 200_000_000L))
        {
            batch.clear();
            final int n = reader.read(batch);
            if (n > 0)
            {
                if (first == 0)
                {
                    first = System.nanoTime();
                    cpu0 = mx.getCurrentThreadCpuTime();
                }
                received += n;
                last = System.nanoTime();
                cpuLast = mx.getCurrentThreadCpuTime();
            }
            idle.idle(n);
        }
        final String out = new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        sender.waitFor();
        final double secs = (last - first) / 1e9;
        System.out.printf("%s: received %d frames in %.2f s = %.0f frames/s; reader CPU %.0f ns/frame; sender %s%n",
            method, received, secs, received / secs, (cpuLast - cpu0) / (double)received, out);
        reader.close();
    }

    interface Reader extends AutoCloseable
    {
        int read(PacketBatch batch);

        @Override
        void close();
    }

    private static void podAddress(final String pod, final String dev) throws Exception
    {
        IpCommands.ipIn(pod, "link", "set", "dev", dev, "address", "02:00:00:00:09:02", "up");
        IpCommands.ipIn(pod, "addr", "add", "10.9.0.2/24", "dev", dev);
        IpCommands.ipIn(pod, "neigh", "replace", "10.9.0.1", "lladdr", "02:00:00:00:09:01", "dev", dev);
    }

    private static Reader tap(final String pod) throws Exception
    {
        final TapPort tap = TapPort.create("vrxtap");
        tap.bind(1);
        IpCommands.ip("link", "set", "dev", "vrxtap", "netns", pod);
        podAddress(pod, "vrxtap");
        final MemorySegment errno = Posix.newErrnoSegment(Arena.ofAuto());
        return new Reader()
        {
            @Override
            public int read(final PacketBatch batch)
            {
                return tap.receive(batch, errno, batch.capacity());
            }

            @Override
            public void close()
            {
                tap.close();
            }
        };
    }

    private static Reader packet(final String pod) throws Throwable
    {
        IpCommands.ip("link", "add", "vrxh", "type", "veth", "peer", "name", "vrxp", "netns", pod);
        IpCommands.ip("link", "set", "dev", "vrxh", "up");
        podAddress(pod, "vrxp");
        final Arena arena = Arena.ofAuto();
        final MethodHandle socket = fn("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        final MethodHandle setsockopt = fn("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT));
        final MethodHandle mmap = fn("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG));
        final MethodHandle bind = fn("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        final MethodHandle ifIndex = fn("if_nametoindex", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS));
        final int fd = (int)socket.invokeExact(17, 3 | 0x800, (int)Short.reverseBytes((short)0x0003) & 0xFFFF);
        if (fd < 0)
        {
            throw new IllegalStateException("socket(AF_PACKET) failed");
        }
        final MemorySegment version = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
        check((int)setsockopt.invokeExact(fd, 263, 10, version, 4), "PACKET_VERSION");
        final int frameSize = 2048;
        final int frames = 4096;
        final MemorySegment req = arena.allocate(16);
        req.set(ValueLayout.JAVA_INT, 0, 4096 * 4);
        req.set(ValueLayout.JAVA_INT, 4, frames * frameSize / (4096 * 4));
        req.set(ValueLayout.JAVA_INT, 8, frameSize);
        req.set(ValueLayout.JAVA_INT, 12, frames);
        check((int)setsockopt.invokeExact(fd, 263, 5, req, 16), "PACKET_RX_RING");
        final long size = (long)frames * frameSize;
        // The size is the one mmap has just mapped: the RX ring the kernel fills.
        @SuppressWarnings("restricted")
        final MemorySegment ring = ((MemorySegment)mmap.invokeExact(MemorySegment.NULL, size, 3, 1, fd, 0L))
            .reinterpret(size);
        final MemorySegment sll = arena.allocate(20);
        sll.set(ValueLayout.JAVA_SHORT, 0, (short)17);
        sll.set(ValueLayout.JAVA_SHORT, 2, Short.reverseBytes((short)0x0003));
        sll.set(ValueLayout.JAVA_INT, 4, (int)ifIndex.invokeExact(arena.allocateFrom("vrxh")));
        check((int)bind.invokeExact(fd, sll, 20), "bind");
        final UnsafeBuffer ringBuf = new UnsafeBuffer(ring.address(), (int)size);
        return new Reader()
        {
            private int next;

            @Override
            public int read(final PacketBatch batch)
            {
                int got = 0;
                while (true)
                {
                    final int hdr = next * frameSize;
                    if ((ringBuf.getIntVolatile(hdr) & 1) == 0)
                    {
                        break;
                    }
                    final int slot = batch.claim();
                    if (slot < 0)
                    {
                        break;
                    }
                    final int snap = ringBuf.getInt(hdr + 8);
                    final int mac = ringBuf.getShort(hdr + 12) & 0xFFFF;
                    batch.buffer(slot).putBytes(PacketBatch.HEADROOM, ringBuf, hdr + mac, Math.min(snap, 2048));
                    batch.commit(slot, 1, Math.min(snap, 2048));
                    ringBuf.putIntOrdered(hdr, 0);
                    next = (next + 1) % frames;
                    got++;
                }
                return got;
            }

            @Override
            public void close()
            {
                Posix.close(fd);
                try
                {
                    IpCommands.ip("link", "del", "vrxh");
                }
                catch (final Exception e)
                {
                    System.err.println("cannot delete vrxh: " + e.getMessage());
                }
            }
        };
    }

    private static void check(final int rc, final String what)
    {
        if (rc < 0)
        {
            throw new IllegalStateException(what + " failed");
        }
    }

}
