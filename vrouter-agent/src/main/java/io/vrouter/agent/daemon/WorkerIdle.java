package io.vrouter.agent.daemon;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import org.agrona.concurrent.IdleStrategy;

import io.vrouter.agent.fabric.FabricPort;
import io.vrouter.agent.port.Posix;
import io.vrouter.agent.port.TapPort;

/**
 * A worker's {@code adaptive} idle strategy: the configured spin, yield and park back-off while the worker has
 * been idle for less than {@value #SLEEP_AFTER_MICROS} µs, then a blocking {@code poll} on its pod ports' TAP
 * descriptors and an eventfd (VPP's adaptive mode, DPDK's interrupt mode). The worker wakes when a pod port has a
 * frame, when the fabric's receive thread puts a datagram on the ring the worker drains, when the conductor
 * changes its ports, and at the latest after {@value #SLEEP_MILLIS} ms (so the conductor's waits for a worker
 * cycle stay bounded). An idle daemon then costs next to nothing, and the first packet after a quiet spell waits
 * for one wake-up, not for a park to run out.
 * <p>
 * No lost wake-up: the worker says it sleeps (a volatile write and a full fence) and then checks the fabric ring;
 * a waker puts its work in place, fences, and signals the eventfd if the worker says it sleeps. TAP descriptors
 * are level-triggered, so a frame that arrived before the {@code poll} returns it at once.
 */
final class WorkerIdle implements IdleStrategy
{
    /** Idle this long, spinning and parking, before blocking. */
    static final long SLEEP_AFTER_MICROS = 1000;
    /** Longest block. */
    static final int SLEEP_MILLIS = 100;

    private static final short POLLIN = 1;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    private final IdleStrategy spin;
    private final ForwardingWorker worker;
    private final FabricPort fabric;
    private final int eventFd;
    private final MemorySegment errno;
    private final MemorySegment counter;
    private final MemorySegment wakeErrno;
    private final MemorySegment one;
    private MemorySegment pollFds;
    private volatile boolean sleeping;
    private long idleSince;

    /**
     * An adaptive idle strategy for a worker.
     *
     * @param spin   the back-off used before blocking.
     * @param worker the worker (its pod ports are polled).
     * @param fabric the fabric port when this worker drains its ring, else null.
     * @throws IllegalStateException when no eventfd can be made.
     */
    WorkerIdle(final IdleStrategy spin, final ForwardingWorker worker, final FabricPort fabric)
    {
        this.spin = spin;
        this.worker = worker;
        this.fabric = fabric;
        // An automatic arena: freed with the strategy, and its segments usable by the threads that call wake().
        final Arena arena = Arena.ofAuto();
        this.errno = Posix.newErrnoSegment(arena);
        this.wakeErrno = Posix.newErrnoSegment(arena);
        this.counter = arena.allocate(8, 8);
        this.one = arena.allocate(8, 8);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        this.eventFd = Posix.eventfd(errno, 0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (eventFd < 0)
        {
            throw new IllegalStateException("eventfd: " + Posix.strerror(Posix.errno(errno)));
        }
        this.pollFds = arena.allocate(8L * 8, 8);
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        final long now = System.nanoTime();
        if (idleSince == 0)
        {
            idleSince = now;
        }
        if (now - idleSince < SLEEP_AFTER_MICROS * 1000)
        {
            spin.idle();
            return;
        }
        sleep();
    }

    @Override
    public void reset()
    {
        idleSince = 0;
        spin.reset();
    }

    @Override
    public String alias()
    {
        return "adaptive";
    }

    /**
     * Wakes the worker if it sleeps (any thread; after the work it is woken for is in place).
     */
    void wake()
    {
        VarHandle.fullFence();
        if (sleeping)
        {
            Posix.write(wakeErrno, eventFd, one.address(), 8);
        }
    }

    /** Closes the eventfd (after the worker's runner has stopped). */
    void close()
    {
        Posix.close(eventFd);
    }

    private void sleep()
    {
        sleeping = true;
        VarHandle.fullFence();
        if (fabric != null && fabric.pending())
        {
            sleeping = false;
            return;
        }
        final TapPort[] ports = worker.rxPorts();
        final int n = 1 + ports.length;
        if (pollFds.byteSize() < 8L * n)
        {
            pollFds = Arena.ofAuto().allocate(8L * Math.max(n, 2 * (pollFds.byteSize() / 8)), 8);
        }
        set(0, eventFd);
        for (int i = 0; i < ports.length; i++)
        {
            set(i + 1, ports[i].fd());
        }
        Posix.poll(errno, pollFds.address(), n, SLEEP_MILLIS);
        sleeping = false;
        // Empties the eventfd's counter (non-blocking: nothing to read is fine). A wake-up that brought no work
        // blocks again at once (idleSince is kept); work resets it.
        Posix.read(errno, eventFd, counter.address(), 8);
    }

    private void set(final int i, final int fd)
    {
        final long at = 8L * i;
        pollFds.set(ValueLayout.JAVA_INT, at, fd);
        pollFds.set(ValueLayout.JAVA_SHORT, at + 4, POLLIN);
        pollFds.set(ValueLayout.JAVA_SHORT, at + 6, (short)0);
    }
}
