package io.vrouter.core.watch;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.Node;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;

/**
 * One worker's packet tracer: marks the batch's packets the {@link PacketWatch} wants traced, watches
 * them through the graph node by node ({@link Graph#run(PacketBatch, int, int, Graph.Observer)}) and
 * writes each one's path: every node
 * it went through, what the node decided (the next node, or sent, dropped with the reason, held), the
 * VRF, next hop and label it set, and the headers whenever the node rewrote the frame. Allocates; used
 * only while a trace is armed.
 */
public final class PacketTracer implements Graph.Observer
{
    private final Graph graph;
    private final ForwardingCounters counters;
    private final int worker;
    private final long[] dropsBefore = new long[DropReason.COUNT];
    private StringBuilder[] texts = new StringBuilder[0];
    private byte[][] frames = new byte[0][];
    private int[] offsets = new int[0];
    private int[] lengths = new int[0];
    private int[] vrfs = new int[0];
    private int[] nhs = new int[0];
    private int[] labels = new int[0];
    private int copiesBefore;
    private int tracedCount;

    /**
     * A worker's tracer.
     *
     * @param graph    the worker's graph (node names).
     * @param counters the worker's counters (drop reasons).
     * @param worker   the worker's index, for the text.
     */
    public PacketTracer(final Graph graph, final ForwardingCounters counters, final int worker)
    {
        this.graph = graph;
        this.counters = counters;
        this.worker = worker;
    }

    /**
     * Marks the packets of a batch the trace wants (slots 0 to count - 1, as they enter the graph).
     *
     * @param watch the watch.
     * @param batch the batch.
     * @param count packets that entered.
     * @return whether any packet is traced.
     */
    public boolean begin(final PacketWatch watch, final PacketBatch batch, final int count)
    {
        grow(batch.slots());
        Arrays.fill(texts, null);
        tracedCount = 0;
        for (int slot = 0; slot < count; slot++)
        {
            final long number = watch.claimTrace(batch.inVif(slot));
            if (number == 0)
            {
                continue;
            }
            tracedCount++;
            final StringBuilder sb = new StringBuilder();
            sb.append("Packet ").append(number).append(": worker ").append(worker).append(", received on vif 0/")
                .append(batch.inVif(slot)).append(", ").append(batch.length(slot)).append(" bytes\n")
                .append("  frame: ").append(FrameText.ethernet(batch.buffer(slot), batch.offset(slot),
                    batch.length(slot))).append('\n');
            texts[slot] = sb;
        }
        return tracedCount > 0;
    }

    /**
     * Hands the traced packets' texts to the watch (after the graph run).
     *
     * @param watch the watch.
     * @param batch the batch.
     */
    public void end(final PacketWatch watch, final PacketBatch batch)
    {
        for (int slot = 0; slot < texts.length; slot++)
        {
            final StringBuilder sb = texts[slot];
            if (sb != null)
            {
                final int out = batch.outVif(slot);
                sb.append("  result: ").append(out == PacketBatch.DROPPED ? "not sent" : "sent on vif 0/" + out)
                    .append('\n');
                watch.record(sb.toString());
                texts[slot] = null;
            }
        }
    }

    private void grow(final int slots)
    {
        if (texts.length < slots)
        {
            texts = new StringBuilder[slots];
            frames = new byte[slots][];
            offsets = new int[slots];
            lengths = new int[slots];
            vrfs = new int[slots];
            nhs = new int[slots];
            labels = new int[slots];
        }
    }

    @Override
    public void before(final Node node, final PacketBatch batch, final int slot)
    {
        if (slot >= texts.length || texts[slot] == null)
        {
            return;
        }
        for (final DropReason r : DropReason.BY_ID)
        {
            dropsBefore[r.ordinal()] = counters.drops(r);
        }
        final UnsafeBuffer b = batch.buffer(slot);
        offsets[slot] = batch.offset(slot);
        lengths[slot] = batch.length(slot);
        final byte[] copy = new byte[Math.max(0, lengths[slot])];
        b.getBytes(offsets[slot], copy);
        frames[slot] = copy;
        vrfs[slot] = batch.vrf(slot);
        nhs[slot] = batch.nh(slot);
        labels[slot] = batch.label(slot);
        copiesBefore = batch.copies();
    }

    @Override
    public void after(final Node node, final PacketBatch batch, final int slot)
    {
        if (slot >= texts.length || texts[slot] == null)
        {
            return;
        }
        final StringBuilder sb = texts[slot];
        sb.append("  ").append(node.name()).append(": ");
        final int next = batch.next(slot);
        if (next != PacketBatch.DONE)
        {
            sb.append("-> ").append(graph.node(next).name());
        }
        else if (batch.outVif(slot) != PacketBatch.DROPPED)
        {
            sb.append("sent on vif 0/").append(batch.outVif(slot));
        }
        else
        {
            DropReason reason = null;
            for (final DropReason r : DropReason.BY_ID)
            {
                if (counters.drops(r) != dropsBefore[r.ordinal()])
                {
                    reason = r;
                    break;
                }
            }
            sb.append(reason == null ? "held (waits for the flow's decision) or ended uncounted"
                : "dropped: " + reason.label() + " (vds_" + reason.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (batch.vrf(slot) != vrfs[slot])
        {
            sb.append(", vrf ").append(batch.vrf(slot));
        }
        if (batch.nh(slot) != nhs[slot])
        {
            sb.append(", nh ").append(batch.nh(slot));
        }
        if (batch.label(slot) != labels[slot])
        {
            sb.append(", label ").append(batch.label(slot));
        }
        if (batch.copies() > copiesBefore)
        {
            sb.append(", ").append(batch.copies() - copiesBefore).append(" mirror copy(ies) made");
        }
        sb.append('\n');
        if (changed(batch, slot))
        {
            sb.append("    rewritten: ").append(FrameText.ethernet(batch.buffer(slot), batch.offset(slot),
                batch.length(slot))).append('\n');
        }
    }

    private boolean changed(final PacketBatch batch, final int slot)
    {
        final int length = batch.length(slot);
        if (batch.offset(slot) != offsets[slot] || length != lengths[slot])
        {
            return true;
        }
        final UnsafeBuffer b = batch.buffer(slot);
        final byte[] before = frames[slot];
        for (int i = 0; i < length; i++)
        {
            if (b.getByte(batch.offset(slot) + i) != before[i])
            {
                return true;
            }
        }
        return false;
    }
}
