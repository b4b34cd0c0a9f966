package io.vrouter.core.forward;

import java.util.function.LongSupplier;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.fib.Fib6Leaf;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.ReaderEpochs;
import io.vrouter.core.fib.VrfFibs;
import io.vrouter.core.flow.FlowKey;
import io.vrouter.core.flow.FlowStage;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.nh.kind.NextHopKinds;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;
import io.vrouter.core.table.Tables;
import io.vrouter.core.watch.PacketTracer;
import io.vrouter.core.watch.PacketWatch;
import io.vrouter.wire.AddressFamily;

/**
 * One forwarding worker's packet pipeline: pod (virtual) interfaces and the fabric, L2 and L3, as
 * tf-vrouter's dp-core does it (reference §2.1–2.3), built as a graph of batch-processing nodes (VPP's
 * graph; {@code docs/architecture.md}, "The forwarding graph").
 * <p>
 * Overview. {@link #process(PacketBatch)} sends every slot of a batch into the graph's
 * {@code ethernet-input} node and runs the graph until every slot is sent, dropped or held. The graph's
 * fixed nodes live in this package (Ethernet, ARP and ND input, bridge lookup, IPv4/IPv6 input
 * and lookup, flow, fabric input, tunnel decapsulation, MPLS and VXLAN input, nowhere-to-go); the output
 * nodes of the next-hop kinds (interface, tunnels, composite, VRF translation, receive, resolve,
 * L2 receive, discard) come from {@link NextHopKinds}. A next hop names its own node when it is programmed,
 * so the lookup nodes read one int instead of switching on the next hop's type. Every drop is counted under
 * a named {@link DropReason}, in total and on the ingress interface.
 * <p>
 * Threading: one instance per worker thread. Tables are read lock-free (a batch runs inside one FIB reader
 * epoch); counters, the graph's queues and the batch's per-slot state belong to this worker. Nothing is
 * allocated per packet: per-packet state lives in the batch's slots, and results are written back into
 * them (the frame moves within its own buffer: encapsulation steps back into the headroom).
 */
public final class Forwarder
{
    /** Ethernet header length. */
    public static final int ETH_HLEN = Datapath.ETH_HLEN;
    /** Largest number of next-hop indirections (VRF translate, composite) a packet may take. */
    public static final int MAX_NH_DEPTH = Datapath.MAX_NH_DEPTH;
    /** Overlay overhead used for the TCP MSS clamp on L3 tunnels (reference §2.6). */
    public static final int L3_OVERLAY_OVERHEAD = Datapath.L3_OVERLAY_OVERHEAD;

    private final Tables tables;
    private final ForwardingCounters counters;
    private final FlowStage flows;
    private final Graph graph;
    private final Datapath dp;
    private final ReaderEpochs readerEpochs;
    private final int readerSlot;
    private final int workerIndex;
    private PacketWatch watch = new PacketWatch();
    private PacketTracer tracer;

    /**
     * A worker's forwarder.
     *
     * @param tables      the tables to read.
     * @param counters    this worker's counters.
     * @param flowHook    policy decision for flow-requiring packets.
     * @param workerIndex this worker's index (outer IPv4 IDs are interleaved across workers).
     * @param workers     number of workers.
     */
    public Forwarder(
        final Tables tables,
        final ForwardingCounters counters,
        final FlowHook flowHook,
        final int workerIndex,
        final int workers)
    {
        this(tables, counters, flowHook, null, workerIndex, workers);
    }

    /**
     * A worker's forwarder with a flow stage: packets that need a flow are decided by the flow
     * table and the compiled policy, in line (the hook is used only when {@code flows} is null).
     *
     * @param tables      the tables to read.
     * @param counters    this worker's counters.
     * @param flowHook    policy decision when there is no flow stage.
     * @param flows       this worker's flow stage, or null.
     * @param workerIndex this worker's index (outer IPv4 IDs are interleaved across workers).
     * @param workers     number of workers.
     */
    public Forwarder(
        final Tables tables,
        final ForwardingCounters counters,
        final FlowHook flowHook,
        final FlowStage flows,
        final int workerIndex,
        final int workers)
    {
        this.tables = tables;
        this.counters = counters;
        this.flows = flows;
        this.workerIndex = workerIndex;
        final int batchSize = tables.config().batchSize();
        this.graph = new Graph(NextHopKinds.NODE_COUNT, batchSize + batchSize);
        this.dp = new Datapath(tables, counters, flows, graph, workerIndex, workers);
        graph.add(new FabricInputNode(dp));
        graph.add(new TunnelDecapNode(dp));
        graph.add(new MplsInputNode(dp));
        graph.add(new VxlanInputNode(dp));
        graph.add(new EthernetInputNode(dp));
        graph.add(new ArpInputNode(dp));
        graph.add(new NdInputNode(dp));
        graph.add(new BridgeLookupNode(dp));
        graph.add(new IpInputNode(dp));
        graph.add(new FlowNode(dp, flowHook));
        graph.add(new Ip4LookupNode(dp, batchSize + batchSize));
        graph.add(new Ip6LookupNode(dp, batchSize + batchSize));
        graph.add(new NowhereNode(dp));
        NextHopKinds.addNodes(graph, dp);
        graph.checkComplete();
        graph.leakHandler((b, slot) -> dp.drop(b, slot, DropReason.PKT_LOOP));
        if (flows != null)
        {
            flows.reverseKeyNh(this::reverseKeyNh);
        }
        this.readerEpochs = tables.fibs().readerEpochs();
        this.readerSlot = readerEpochs == null ? -1 : readerEpochs.register();
    }

    /**
     * A batch sized by the configuration, for this worker's ports.
     *
     * @return a new batch.
     */
    public PacketBatch newBatch()
    {
        return new PacketBatch(tables.config().batchSize(), tables.config().maxFrame());
    }

    /**
     * A batch sized by the configuration whose input slots hold super-frames ({@link PacketBatch#SUPER_FRAME}),
     * for a worker whose pod ports have offloads on; the spare slots keep the configured largest frame.
     *
     * @return a new batch.
     */
    public PacketBatch newSuperFrameBatch()
    {
        final int size = tables.config().batchSize();
        return new PacketBatch(size, tables.config().maxFrame(), size, PacketBatch.SUPER_FRAME);
    }

    /**
     * This worker's counters.
     *
     * @return the counters.
     */
    public ForwardingCounters counters()
    {
        return counters;
    }

    /**
     * This worker's graph (names and order of its nodes, for diagnostics and tests).
     *
     * @return the graph.
     */
    public Graph graph()
    {
        return graph;
    }

    /**
     * A one-line summary of non-zero drop counters (diagnostics; allocates).
     *
     * @return e.g. {@code "Invalid NH=3, Discards=1"} or {@code "none"}.
     */
    public String dropSummary()
    {
        final StringBuilder sb = new StringBuilder();
        for (final DropReason r : DropReason.BY_ID)
        {
            final long n = counters.drops(r);
            if (n != 0)
            {
                sb.append(sb.length() == 0 ? "" : ", ").append(r.label()).append('=').append(n);
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /**
     * Sets the clock that stamps the pcap header of dynamic mirror copies (tests; the default reads the
     * system clock, microseconds since the epoch). Must not allocate.
     *
     * @param epochMicros microseconds since the epoch.
     */
    public void mirrorClock(final LongSupplier epochMicros)
    {
        dp.mirrorClock(epochMicros);
    }

    /**
     * Forwards every packet of a batch; each slot ends with an output interface or
     * {@link PacketBatch#DROPPED}. Packets held on a flow the slow path has since decided are re-injected
     * into spare slots first and forwarded with the batch.
     *
     * @param batch the batch; its capacity must not exceed this forwarder's configured batch size.
     */
    public void process(final PacketBatch batch)
    {
        batch.resetCopies();
        final int n = batch.count();
        final int released = flows == null || flows.heldCount() == 0 ? 0 : releaseHeld(batch);
        if (readerEpochs != null)
        {
            readerEpochs.enter(readerSlot);
        }
        if (flows != null)
        {
            flows.beginBatch();
        }
        graph.ensureCapacity(batch.slots());
        try
        {
            if (watch.active())
            {
                processWatched(batch, n, released);
            }
            else
            {
                graph.run(batch, NodeIds.ETHERNET_INPUT, n + released);
            }
            countSent(batch);
        }
        finally
        {
            if (flows != null)
            {
                flows.endBatch();
            }
            if (readerEpochs != null)
            {
                readerEpochs.exit(readerSlot);
            }
        }
    }

    /**
     * Shares a watch (trace and capture) with the other workers of a forwarder; set before the worker
     * runs. Until then the forwarder has a watch of its own that nothing arms.
     *
     * @param shared the forwarder's watch.
     */
    public void watch(final PacketWatch shared)
    {
        this.watch = shared;
    }

    /**
     * The batch's path while a trace or a capture is armed: the interface's received frames to the
     * capture, the graph run node by node for traced packets, the sent frames to the capture.
     */
    private void processWatched(final PacketBatch batch, final int n, final int released)
    {
        final PacketWatch w = watch;
        final int captureVif = w.captureVif();
        if (captureVif >= 0)
        {
            for (int slot = 0; slot < n; slot++)
            {
                if (batch.inVif(slot) == captureVif)
                {
                    w.frame(captureVif, false, batch.buffer(slot), batch.offset(slot), batch.length(slot));
                }
            }
        }
        final boolean tracing = w.traceRemaining() > 0;
        if (tracing && tracer == null)
        {
            tracer = new PacketTracer(graph, counters, workerIndex);
        }
        final boolean traced = tracing && tracer.begin(w, batch, n);
        graph.run(batch, NodeIds.ETHERNET_INPUT, n + released, traced ? tracer : null);
        if (traced)
        {
            tracer.end(w, batch);
        }
        if (captureVif >= 0)
        {
            final int slots = batch.outputCount();
            for (int slot = 0; slot < slots; slot++)
            {
                if (batch.outVif(slot) == captureVif)
                {
                    w.frame(captureVif, true, batch.buffer(slot), batch.offset(slot), batch.length(slot));
                }
            }
        }
    }

    /**
     * Counts what the batch sends, per output interface: once per run of consecutive slots to one
     * interface, so that a batch's counters cost a few updates instead of one read-modify-write of the
     * same counter per packet.
     */
    private void countSent(final PacketBatch batch)
    {
        final int slots = batch.outputCount();
        int vif = PacketBatch.DROPPED;
        long packets = 0;
        long bytes = 0;
        for (int slot = 0; slot < slots; slot++)
        {
            final int out = batch.outVif(slot);
            if (out == PacketBatch.DROPPED)
            {
                continue;
            }
            if (out != vif)
            {
                if (packets != 0)
                {
                    counters.sent(vif, packets, bytes);
                }
                vif = out;
                packets = 0;
                bytes = 0;
            }
            packets++;
            bytes += batch.length(slot);
        }
        if (packets != 0)
        {
            counters.sent(vif, packets, bytes);
        }
    }

    /**
     * Puts the held packets whose flow the slow path decided back into the batch (spare slots right
     * after the inputs, processed with them); drops and counts those whose flow went away.
     */
    private int releaseHeld(final PacketBatch batch)
    {
        int released = 0;
        int i = 0;
        while (i < flows.heldCount())
        {
            final int decision = flows.heldDecision(i);
            if (decision == FlowStage.HELD_WAITING)
            {
                i++;
                continue;
            }
            if (decision == FlowStage.HELD_GONE)
            {
                counters.drop(DropReason.FLOW_UNUSABLE, flows.heldVif(i));
                flows.removeHeld(i);
                continue;
            }
            if (batch.addCopy(flows.heldVif(i), PacketBatch.DROPPED, flows.heldFrame(i), 0, flows.heldLength(i)) < 0)
            {
                // No spare slot left in this batch: the packet waits for the next one.
                i++;
                continue;
            }
            released++;
            flows.removeHeld(i);
        }
        return released;
    }

    /**
     * The next hop a reply to a new flow will be keyed with: a reply from a pod of this node whose
     * interface has the policy flag is keyed at that interface with its next hop; any other reply
     * (from the fabric, or from an interface without the flag) reaches the forward flow's own key
     * next hop first, so the forward key's stays.
     */
    private int reverseKeyNh(final int vrf, final FlowKey forward)
    {
        final VrfFibs fibs = tables.fibs();
        final int nhId = forward.family == AddressFamily.INET
            ? FibLeaf.nhId(fibs.lookup4(vrf, (int)forward.dstLo), tables.fibEntries())
            : Fib6Leaf.nhId(fibs.lookup6(vrf, forward.dstHi, forward.dstLo), tables.fibEntries());
        final NextHop nh = tables.nextHops().get(nhId);
        if (nh != null && nh.isValid() && nh.type() == NextHopType.ENCAP)
        {
            final Vif destination = tables.interfaces().get(nh.oif());
            if (destination != null && destination.hasFlag(VifFlags.POLICY_ENABLED))
            {
                return destination.nhId();
            }
        }
        return forward.nhId;
    }
}
