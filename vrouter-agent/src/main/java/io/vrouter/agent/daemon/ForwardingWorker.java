package io.vrouter.agent.daemon;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.agrona.concurrent.Agent;

import io.vrouter.agent.fabric.FabricPort;
import io.vrouter.agent.fabric.FabricSender;
import io.vrouter.agent.port.Posix;
import io.vrouter.agent.port.SegmentScratch;
import io.vrouter.agent.port.TapPort;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.offload.TcpCoalescer;

/**
 * One forwarding worker, an Agrona {@link Agent}: each duty cycle reads a batch from the pod ports
 * it owns (and, on the worker that owns it, from the fabric ring), runs the forwarder over it and
 * sends every result: to the fabric with one {@code sendmmsg}, to pod ports with one write each. With pod
 * offloads ({@code pods.offloads}) its batch's input slots hold 64 KB super-frames, and a super-frame leaves as
 * one write to a pod port with offloads, or as its segments to the fabric and to ports without.
 * <p>
 * The worker owns its RX ports; any worker may transmit on any port (the port table is indexed by
 * vif). Port lists are replaced whole by the conductor and published through a volatile field;
 * {@link #cycles()} lets the conductor wait until no worker can still hold a removed port.
 */
final class ForwardingWorker implements Agent
{
    private final int index;
    private final Forwarder forwarder;
    private final PacketBatch batch;
    private final AtomicReferenceArray<TapPort> portsByVif;
    private final FabricPort fabric;
    private final boolean fabricOwner;
    private final FabricSender sender;
    private final int fabricVif;
    private final MemorySegment errno;
    private final SegmentScratch scratch = new SegmentScratch();
    private volatile TapPort[] rxPorts = new TapPort[0];
    private volatile Runnable wakeup;
    private volatile long cycles;
    private int rotate;
    private long txNoPort;

    ForwardingWorker(
        final int index,
        final Forwarder forwarder,
        final AtomicReferenceArray<TapPort> portsByVif,
        final FabricPort fabric,
        final boolean fabricOwner,
        final boolean offloads,
        final int workers)
    {
        this.index = index;
        this.forwarder = forwarder;
        this.batch = offloads ? forwarder.newSuperFrameBatch() : forwarder.newBatch();
        this.portsByVif = portsByVif;
        this.fabric = fabric;
        this.fabricOwner = fabricOwner;
        // With offloads a batch's super-frames become many datagrams: room for 16 per slot before a vector is sent.
        this.sender = fabric == null ? null
            : fabric.newSender(offloads ? batch.slots() * 16 : batch.capacity(), workers);
        this.fabricVif = fabric == null ? -1 : fabric.fabricVif();
        this.errno = Posix.newErrnoSegment(Arena.ofAuto());
    }

    @Override
    public int doWork()
    {
        batch.clear();
        if (fabricOwner)
        {
            fabric.drain(batch);
        }
        final TapPort[] ports = rxPorts;
        final int n = ports.length;
        for (int k = 0; k < n && batch.count() < batch.capacity(); k++)
        {
            ports[(rotate + k) % n].receive(batch, errno, batch.capacity());
        }
        rotate = n == 0 ? 0 : (rotate + 1) % n;
        final int count = batch.count();
        if (count > 0)
        {
            forwarder.process(batch);
            transmit(batch.outputCount());
        }
        cycles = cycles + 1;
        return count;
    }

    /** Sends every output slot: the forwarded packets and the copies behind them (mirrors, released holds). */
    private void transmit(final int count)
    {
        boolean toFabric = false;
        for (int i = 0; i < count; i++)
        {
            final int out = batch.outVif(i);
            if (out == PacketBatch.DROPPED)
            {
                continue;
            }
            if (out == fabricVif)
            {
                sender.queue(batch, i);
                toFabric = true;
                continue;
            }
            final TapPort port = out >= 0 && out < portsByVif.length() ? portsByVif.get(out) : null;
            if (port == null)
            {
                txNoPort++;
                continue;
            }
            if (port.offloads() && batch.vnetFlags(i) == 0 && !batch.isSuperFrame(i))
            {
                final int last = coalesce(i, count, out);
                if (last > i)
                {
                    port.sendCoalesced(errno, scratch);
                    i = last;
                    continue;
                }
            }
            port.send(batch, i, errno, scratch);
        }
        if (toFabric)
        {
            sender.flush();
        }
    }

    /**
     * Our own GRO: from slot {@code first} on, the run of consecutive output slots to the same pod port (dropped
     * slots skipped) whose TCP segments coalesce into one super-frame; the last slot of the run (the scratch's
     * coalescer holds it), or {@code first} when there is no run of two.
     */
    private int coalesce(final int first, final int count, final int out)
    {
        final TcpCoalescer c = scratch.coalescer();
        if (!c.start(batch.buffer(first), batch.offset(first), batch.length(first)))
        {
            return first;
        }
        int last = first;
        for (int j = first + 1; j < count; j++)
        {
            final int o = batch.outVif(j);
            if (o == PacketBatch.DROPPED)
            {
                continue;
            }
            if (o != out || batch.vnetFlags(j) != 0 || batch.isSuperFrame(j)
                || !c.add(batch.buffer(j), batch.offset(j), batch.length(j)))
            {
                break;
            }
            last = j;
        }
        return last;
    }

    @Override
    public String roleName()
    {
        return "vrouter-worker-" + index;
    }

    /**
     * Replaces the ports this worker reads (conductor).
     *
     * @param ports the new list.
     */
    void rxPorts(final TapPort[] ports)
    {
        rxPorts = ports;
        final Runnable w = wakeup;
        if (w != null)
        {
            w.run();
        }
    }

    /**
     * Sets what wakes this worker when it sleeps idle ({@link WorkerIdle}); run after its ports change.
     *
     * @param w the wake-up.
     */
    void wakeup(final Runnable w)
    {
        wakeup = w;
    }

    /**
     * The ports this worker reads.
     *
     * @return the current list.
     */
    TapPort[] rxPorts()
    {
        return rxPorts;
    }

    /**
     * Duty cycles completed.
     *
     * @return count.
     */
    long cycles()
    {
        return cycles;
    }

    /**
     * Frames routed to a vif that has no port behind it.
     *
     * @return count.
     */
    long txNoPort()
    {
        return txNoPort;
    }

    /**
     * The fabric sender, or null without a fabric.
     *
     * @return the sender.
     */
    FabricSender sender()
    {
        return sender;
    }

    /**
     * The worker's forwarder.
     *
     * @return it.
     */
    Forwarder forwarder()
    {
        return forwarder;
    }
}
