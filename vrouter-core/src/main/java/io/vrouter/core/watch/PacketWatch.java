package io.vrouter.core.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

/**
 * What a forwarder's workers are asked to watch: a packet trace (the next N packets, optionally only
 * those received on one interface) and a capture (one interface's received and sent frames, up to a
 * count, to a {@link FrameSink}). Shared by the workers; armed and read from the control thread.
 * <p>
 * The packet path pays one volatile read per batch ({@link #active()}); only when it is true does a
 * worker take its watched path (the graph run node by node with a {@link PacketTracer}, frames copied
 * to the sink). Everything else here is synchronized and may allocate.
 */
public final class PacketWatch
{
    /** Traced packets kept (the oldest go first). */
    public static final int MAX_TRACED = 1000;
    /** Most packets one {@code trace add} may ask for. */
    public static final int MAX_TRACE_COUNT = MAX_TRACED;

    private volatile boolean active;
    private int traceRemaining;
    private int traceVif = -1;
    private long traceSequence;
    private final ArrayDeque<String> traced = new ArrayDeque<>();
    private FrameSink sink;
    private int captureVif = -1;
    private long captureRemaining;
    private long captured;

    /**
     * Whether a trace or a capture is armed (the packet path's one check per batch).
     *
     * @return true when a worker should take its watched path.
     */
    public boolean active()
    {
        return active;
    }

    private void updateActive()
    {
        active = traceRemaining > 0 || sink != null;
    }

    /**
     * Arms a trace of the next packets.
     *
     * @param count how many packets, 1 to {@link #MAX_TRACE_COUNT}.
     * @param vif   only packets received on this interface, or -1 for any.
     */
    public synchronized void armTrace(final int count, final int vif)
    {
        if (count < 1 || count > MAX_TRACE_COUNT)
        {
            throw new IllegalArgumentException("count " + count + " not in 1.." + MAX_TRACE_COUNT);
        }
        traceRemaining = count;
        traceVif = vif;
        updateActive();
    }

    /** Disarms the trace and forgets the traced packets. */
    public synchronized void clearTrace()
    {
        traceRemaining = 0;
        traceVif = -1;
        traced.clear();
        traceSequence = 0;
        updateActive();
    }

    /**
     * Packets the armed trace still waits for.
     *
     * @return the count, 0 when disarmed.
     */
    public synchronized int traceRemaining()
    {
        return traceRemaining;
    }

    /**
     * The interface the trace is limited to.
     *
     * @return the vif, or -1 for any.
     */
    public synchronized int traceVif()
    {
        return traceVif;
    }

    /**
     * The traced packets, oldest first.
     *
     * @return one text per packet.
     */
    public synchronized List<String> traced()
    {
        return new ArrayList<>(traced);
    }

    /**
     * Takes a packet received on an interface for the trace, if the trace wants it (workers).
     *
     * @param vif the interface the packet arrived on.
     * @return the packet's number in the trace (from 1), or 0 when it is not traced.
     */
    public synchronized long claimTrace(final int vif)
    {
        if (traceRemaining == 0 || (traceVif >= 0 && vif != traceVif))
        {
            return 0;
        }
        traceRemaining--;
        updateActive();
        return ++traceSequence;
    }

    /**
     * Keeps a traced packet's text (workers).
     *
     * @param text the packet's path through the graph.
     */
    public synchronized void record(final String text)
    {
        if (traced.size() == MAX_TRACED)
        {
            traced.removeFirst();
        }
        traced.addLast(text);
    }

    /**
     * Starts a capture of an interface.
     *
     * @param vif   the interface.
     * @param count frames to capture (received and sent together), at least 1.
     * @param to    where the frames go.
     * @throws IllegalStateException when a capture is already running.
     */
    public synchronized void startCapture(final int vif, final long count, final FrameSink to)
    {
        if (sink != null)
        {
            throw new IllegalStateException("a capture of vif 0/" + captureVif + " is running");
        }
        if (count < 1)
        {
            throw new IllegalArgumentException("count " + count + " is not positive");
        }
        sink = to;
        captureVif = vif;
        captureRemaining = count;
        captured = 0;
        updateActive();
    }

    /**
     * Stops the running capture, if any.
     *
     * @return the frames it captured.
     */
    public synchronized long stopCapture()
    {
        final FrameSink s = sink;
        sink = null;
        updateActive();
        if (s != null)
        {
            s.finished();
        }
        return captured;
    }

    /**
     * Whether a capture is running.
     *
     * @return true while it is.
     */
    public synchronized boolean capturing()
    {
        return sink != null;
    }

    /**
     * The interface being captured.
     *
     * @return the vif, or -1 when no capture runs.
     */
    public synchronized int captureVif()
    {
        return sink == null ? -1 : captureVif;
    }

    /**
     * Frames captured by the running (or the last) capture.
     *
     * @return the count.
     */
    public synchronized long captured()
    {
        return captured;
    }

    /**
     * Hands a frame to the capture if it is of the captured interface (workers); the capture ends
     * when its count is reached.
     *
     * @param vif    the interface the frame was received on or sent out of.
     * @param sent   whether it was sent.
     * @param buffer its buffer.
     * @param offset its offset.
     * @param length its length.
     */
    public synchronized void frame(final int vif, final boolean sent, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (sink == null || vif != captureVif)
        {
            return;
        }
        sink.frame(vif, sent, buffer, offset, length);
        captured++;
        if (--captureRemaining == 0)
        {
            stopCapture();
        }
    }
}
