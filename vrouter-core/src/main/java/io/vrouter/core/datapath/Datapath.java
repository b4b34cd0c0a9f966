package io.vrouter.core.datapath;

import java.nio.ByteOrder;
import java.util.function.LongSupplier;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.table.Tables;
import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.VrfFibs;
import io.vrouter.core.flow.FlowStage;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.nh.MirrorTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopMap;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;
import io.vrouter.encap.EntropyHash;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;
import io.vrouter.wire.PcapRecordHeader;

/**
 * One forwarding worker's shared state and the actions that end a packet's walk through the graph.
 * <p>
 * Overview. The graph's nodes hold a reference to their worker's {@code Datapath}: it gives them the
 * tables (read lock-free), this worker's counters and flow stage, the outer IPv4 ID sequence, and the
 * terminal actions every node needs in the same form: {@link #drop} (counted under a named reason on
 * the ingress interface, as tf-vrouter's {@code vr_pfree}), {@link #transmit} (the output interface
 * and the frame's new extent in the batch, mirrored if the interface mirrors what it sends; the
 * forwarder counts what a batch sends once the batch is done, a run of slots to one interface at a time),
 * {@link #mirror} (a copy into a spare slot of the batch, sent on to the mirror next hop's node), and
 * {@link #toNextHop}, the one place a next hop's node is read to continue a routed packet. One
 * instance per worker thread; nothing here allocates per packet.
 */
public final class Datapath
{
    /** Ethernet header length. */
    public static final int ETH_HLEN = 14;
    /** Largest number of next-hop indirections (VRF translate, composite) a packet may take. */
    public static final int MAX_NH_DEPTH = 4;
    /** Overlay overhead used for the TCP MSS clamp on L3 tunnels (reference §2.6). */
    public static final int L3_OVERLAY_OVERHEAD = 40;

    /** Contrail's metadata of a dynamic mirror copy when none is configured ({@code default_mme}). */
    private static final byte[] DEFAULT_MIRROR_MD = {(byte)0xFF, 0x00};
    private static final long CLOCK_BASE_MICROS = System.currentTimeMillis() * 1000L;
    private static final long CLOCK_BASE_NANOS = System.nanoTime();

    private final Tables tables;
    private final InterfaceTable interfaces;
    private final NextHopTable nextHops;
    private final VrfFibs fibs;
    private final FibEntries fibEntries;
    private final BridgeTable bridge;
    private final NextHopMap labels;
    private final NextHopMap vxlan;
    private final MirrorTable mirrors;
    private final ForwardingCounters counters;
    private final FlowStage flows;
    private final Graph graph;
    private final boolean mssClamp;
    private final int ipIdStride;
    private int nextIpId;
    private LongSupplier mirrorClock = Datapath::epochMicros;

    /**
     * A worker's datapath.
     *
     * @param tables      the tables to read.
     * @param counters    this worker's counters.
     * @param flows       this worker's flow stage, or null when a flow hook decides.
     * @param graph       this worker's graph (its queues; nodes are added after).
     * @param workerIndex this worker's index (outer IPv4 IDs are interleaved across workers).
     * @param workers     number of workers.
     */
    public Datapath(
        final Tables tables,
        final ForwardingCounters counters,
        final FlowStage flows,
        final Graph graph,
        final int workerIndex,
        final int workers)
    {
        this.tables = tables;
        this.interfaces = tables.interfaces();
        this.nextHops = tables.nextHops();
        this.fibs = tables.fibs();
        this.fibEntries = tables.fibEntries();
        this.bridge = tables.bridge();
        this.labels = tables.labels();
        this.vxlan = tables.vxlan();
        this.mirrors = tables.mirrors();
        this.counters = counters;
        this.flows = flows;
        this.graph = graph;
        this.mssClamp = tables.config().mssClamp();
        this.ipIdStride = workers;
        this.nextIpId = workerIndex + 1;
    }

    // ------------------------------------------------------------------------------------------ what nodes read

    /**
     * The tables.
     *
     * @return them.
     */
    public Tables tables()
    {
        return tables;
    }

    /**
     * Interfaces.
     *
     * @return the table.
     */
    public InterfaceTable interfaces()
    {
        return interfaces;
    }

    /**
     * Next hops.
     *
     * @return the table.
     */
    public NextHopTable nextHops()
    {
        return nextHops;
    }

    /**
     * Per-VRF FIBs.
     *
     * @return the FIBs.
     */
    public VrfFibs fibs()
    {
        return fibs;
    }

    /**
     * Route data behind FIB entry leaves.
     *
     * @return the entries.
     */
    public FibEntries fibEntries()
    {
        return fibEntries;
    }

    /**
     * The bridge table.
     *
     * @return it.
     */
    public BridgeTable bridge()
    {
        return bridge;
    }

    /**
     * Incoming MPLS labels.
     *
     * @return label to next hop.
     */
    public NextHopMap labels()
    {
        return labels;
    }

    /**
     * Incoming VNIs.
     *
     * @return VNI to next hop.
     */
    public NextHopMap vxlan()
    {
        return vxlan;
    }

    /**
     * This worker's counters.
     *
     * @return them.
     */
    public ForwardingCounters counters()
    {
        return counters;
    }

    /**
     * This worker's flow stage.
     *
     * @return it, or null when a flow hook decides.
     */
    public FlowStage flows()
    {
        return flows;
    }

    /**
     * Whether the TCP MSS of tunnelled packets is clamped to the overlay's MTU.
     *
     * @return true if clamped.
     */
    public boolean mssClamp()
    {
        return mssClamp;
    }

    /**
     * The next outer IPv4 identification of this worker (interleaved with the other workers').
     *
     * @return a 16-bit ID.
     */
    public int ipId()
    {
        final int id = nextIpId & 0xFFFF;
        nextIpId += ipIdStride;
        return id;
    }

    /**
     * Takes {@code count} more outer IPv4 identifications after the one {@link #ipId()} just gave: the
     * segments of a super-frame, which leave with that ID plus k times {@link #ipIdStride()}.
     *
     * @param count IDs to skip.
     */
    public void reserveIpIds(final int count)
    {
        nextIpId += count * ipIdStride;
    }

    /**
     * The step between this worker's outer IPv4 identifications (the number of workers).
     *
     * @return the step.
     */
    public int ipIdStride()
    {
        return ipIdStride;
    }

    // ------------------------------------------------------------------------------------------ moving on

    /**
     * Sends a slot to a node.
     *
     * @param batch the batch.
     * @param slot  slot index.
     * @param node  node index.
     */
    public void next(final PacketBatch batch, final int slot, final int node)
    {
        graph.enqueue(batch, slot, node);
    }

    /**
     * Continues a routed packet at a next hop: checks it is usable and that the packet has not taken
     * too many indirections, records it in the slot, and sends the slot to the next hop's L3 node.
     *
     * @param batch the batch.
     * @param slot  slot index (its depth says how many indirections it took).
     * @param nhId  the next hop.
     */
    public void toNextHop(final PacketBatch batch, final int slot, final int nhId)
    {
        toNextHop(batch, slot, nhId, nextHops.get(nhId));
    }

    /**
     * Continues a routed packet at a next hop the caller has read (once for a run of slots through the
     * same one): as {@link #toNextHop(PacketBatch, int, int)}.
     *
     * @param batch the batch.
     * @param slot  slot index.
     * @param nhId  the next hop's id.
     * @param nh    the next hop as read from the table, or null when it has none.
     */
    public void toNextHop(final PacketBatch batch, final int slot, final int nhId, final NextHop nh)
    {
        if (nh == null || !nh.isValid())
        {
            drop(batch, slot, DropReason.INVALID_NH);
            return;
        }
        if (batch.depth(slot) >= MAX_NH_DEPTH)
        {
            drop(batch, slot, DropReason.PKT_LOOP);
            return;
        }
        batch.nh(slot, nhId);
        graph.enqueue(batch, slot, nh.l3Node());
    }

    // ------------------------------------------------------------------------------------------ ends

    /**
     * Drops a packet and counts it under a reason, in total and on its ingress interface.
     *
     * @param batch  the batch.
     * @param slot   slot index.
     * @param reason why.
     */
    public void drop(final PacketBatch batch, final int slot, final DropReason reason)
    {
        counters.drop(reason, batch.inVif(slot));
        batch.drop(slot);
        batch.next(slot, PacketBatch.DONE);
    }

    /**
     * Sends a frame on an interface (dropped as a TX discard when the interface is gone).
     *
     * @param batch  the batch.
     * @param slot   slot index.
     * @param outVif output interface.
     * @param offset the frame's offset in the slot's buffer.
     * @param length the frame's length.
     */
    public void transmit(final PacketBatch batch, final int slot, final int outVif, final int offset,
        final int length)
    {
        final Vif out = interfaces.get(outVif);
        if (out == null)
        {
            drop(batch, slot, DropReason.INTERFACE_TX_DISCARD);
            return;
        }
        transmit(batch, slot, out, outVif, offset, length);
    }

    /**
     * Sends a frame on an interface the caller has just found present.
     *
     * @param batch  the batch.
     * @param slot   slot index.
     * @param outVif output interface.
     * @param offset the frame's offset.
     * @param length the frame's length.
     */
    public void transmitChecked(final PacketBatch batch, final int slot, final int outVif, final int offset,
        final int length)
    {
        transmit(batch, slot, interfaces.get(outVif), outVif, offset, length);
    }

    /**
     * Sends a frame on an interface the caller holds.
     *
     * @param batch  the batch.
     * @param slot   slot index.
     * @param out    the output interface, as the caller read it (not null).
     * @param outVif its index.
     * @param offset the frame's offset.
     * @param length the frame's length.
     */
    public void transmit(final PacketBatch batch, final int slot, final Vif out, final int outVif, final int offset,
        final int length)
    {
        batch.result(slot, outVif, offset, length);
        batch.next(slot, PacketBatch.DONE);
        if (out != null && out.hasFlag(VifFlags.MIRROR_TX) && out.mirrorId() >= 0)
        {
            mirror(batch, slot, out.mirrorId(), offset, length, out.outMirrorMd());
        }
    }

    /**
     * Sends a finished mirror copy (no further mirroring of the copy).
     *
     * @param batch  the batch.
     * @param copy   the copy's slot.
     * @param outVif output interface.
     * @param offset the frame's offset.
     * @param length the frame's length.
     */
    public void sendCopy(final PacketBatch batch, final int copy, final int outVif, final int offset,
        final int length)
    {
        batch.result(copy, outVif, offset, length);
        batch.next(copy, PacketBatch.DONE);
    }

    /**
     * Gives up on a mirror copy: not sent, counted as a clone failure on the original's ingress
     * interface (the original is not affected).
     *
     * @param batch the batch.
     * @param copy  the copy's slot.
     */
    public void dropCopy(final PacketBatch batch, final int copy)
    {
        batch.drop(copy);
        batch.next(copy, PacketBatch.DONE);
        counters.drop(DropReason.CLONE_FAIL, batch.inVif(copy));
    }

    /**
     * Copies a frame to a mirror's next hop (reference §1.8, Contrail's {@code vr_mirror}): into a
     * spare slot of the batch, which goes on to the next hop's mirror node (an interface next hop sends
     * it as it is or with its Ethernet header, a plain UDP tunnel or a VXLAN tunnel with the entry's VNI
     * encapsulates it). With the entry's dynamic flag the copy is {@code vr_pcap} (16 bytes, network
     * order, the frame's length twice) | metadata | frame: the metadata is the caller's (the vif's in or
     * out mirror metadata) or Contrail's default {@code ff 00} when that is empty. A copy that cannot be
     * made is counted as a clone failure on the ingress interface.
     *
     * @param batch    the batch.
     * @param slot     the original's slot.
     * @param mirrorId the mirror entry.
     * @param offset   the frame's offset in the original's buffer.
     * @param length   the frame's length.
     * @param metadata mirror metadata for a dynamic copy (empty: the default).
     */
    public void mirror(final PacketBatch batch, final int slot, final int mirrorId, final int offset,
        final int length, final byte[] metadata)
    {
        final long entry = mirrors.entry(mirrorId);
        final int nhId = MirrorTable.nhId(entry);
        final NextHop nh = nhId == MirrorTable.NO_NH ? null : nextHops.get(nhId);
        final int inVif = batch.inVif(slot);
        if (nh == null || !nh.isValid() || nh.mirrorNode() < 0 || interfaces.get(nh.oif()) == null)
        {
            counters.drop(DropReason.CLONE_FAIL, inVif);
            return;
        }
        final int copy = batch.addCopy(inVif, nh.oif(), batch.buffer(slot), offset, length);
        if (copy < 0)
        {
            counters.drop(DropReason.CLONE_FAIL, inVif);
            return;
        }
        final UnsafeBuffer out = batch.buffer(copy);
        int inner = batch.offset(copy);
        int innerLength = length;
        if ((MirrorTable.flags(entry) & MirrorTable.FLAG_DYNAMIC) != 0)
        {
            final byte[] md = metadata.length == 0 ? DEFAULT_MIRROR_MD : metadata;
            inner -= md.length;
            out.putBytes(inner, md);
            inner -= PcapRecordHeader.HEADER_LENGTH;
            PcapRecordHeader.write(out, inner, mirrorClock.getAsLong(), length);
            innerLength += md.length + PcapRecordHeader.HEADER_LENGTH;
        }
        batch.resetState(copy);
        batch.setFlags(copy, PacketBatch.F_MIRROR);
        batch.nh(copy, nhId);
        batch.vrf(copy, nh.vrf());
        batch.label(copy, MirrorTable.vni(entry));
        batch.l3(copy, inner, innerLength);
        graph.inject(batch, copy, nh.mirrorNode());
    }

    /**
     * Copies a frame to the mirror of its flow, with Contrail's default metadata.
     *
     * @param batch    the batch.
     * @param slot     the original's slot.
     * @param mirrorId the flow's mirror entry.
     */
    public void mirrorFlow(final PacketBatch batch, final int slot, final int mirrorId)
    {
        mirror(batch, slot, mirrorId, batch.offset(slot), batch.length(slot), DEFAULT_MIRROR_MD);
    }

    /**
     * Sets the clock that stamps the pcap header of dynamic mirror copies (tests; the default reads the
     * system clock, microseconds since the epoch). Must not allocate.
     *
     * @param epochMicros microseconds since the epoch.
     */
    public void mirrorClock(final LongSupplier epochMicros)
    {
        this.mirrorClock = epochMicros;
    }

    private static long epochMicros()
    {
        return CLOCK_BASE_MICROS + (System.nanoTime() - CLOCK_BASE_NANOS) / 1000L;
    }

    // ------------------------------------------------------------------------------------------ packet helpers

    /**
     * The hash of a routed packet's flow (ECMP member, tunnel entropy port), as Contrail's: IPv4 source,
     * destination, VRF and, for TCP and UDP, the ports; IPv6 addresses folded into the IPv4 key shape.
     *
     * @param buf  the packet's buffer.
     * @param l3   IP header offset.
     * @param ipv6 whether the header is IPv6.
     * @param vrf  the VRF.
     * @return the hash.
     */
    public static int flowHash(final UnsafeBuffer buf, final int l3, final boolean ipv6, final int vrf)
    {
        if (!ipv6)
        {
            final int ihl = Ipv4Header.headerLength(buf, l3);
            final int proto = Ipv4Header.protocol(buf, l3);
            final boolean ports = proto == IpProtocol.TCP || proto == IpProtocol.UDP;
            return EntropyHash.ipHash(Ipv4Header.srcAddress(buf, l3), Ipv4Header.dstAddress(buf, l3), vrf,
                ports ? buf.getShort(l3 + ihl, ByteOrder.BIG_ENDIAN) & 0xFFFF : 0,
                ports ? buf.getShort(l3 + ihl + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF : 0);
        }
        // Contrail's DPDK path hashes the same fields.
        return EntropyHash.ipHash(
            (int)(Ipv6Header.srcAddressHi(buf, l3) ^ (Ipv6Header.srcAddressHi(buf, l3) >>> 32)
                ^ Ipv6Header.srcAddressLo(buf, l3) ^ (Ipv6Header.srcAddressLo(buf, l3) >>> 32)),
            (int)(Ipv6Header.dstAddressHi(buf, l3) ^ (Ipv6Header.dstAddressHi(buf, l3) >>> 32)
                ^ Ipv6Header.dstAddressLo(buf, l3) ^ (Ipv6Header.dstAddressLo(buf, l3) >>> 32)),
            vrf, Ipv6Header.nextHeader(buf, l3), 0);
    }

    /**
     * Decrements the TTL (IPv4, with an incremental checksum update) or the hop limit (IPv6).
     *
     * @param buf  the packet's buffer.
     * @param l3   IP header offset.
     * @param ipv6 whether the header is IPv6.
     */
    public static void decrementTtl(final UnsafeBuffer buf, final int l3, final boolean ipv6)
    {
        if (ipv6)
        {
            Ipv6Header.decrementHopLimit(buf, l3);
        }
        else
        {
            Ipv4Header.decrementTtl(buf, l3);
        }
    }
}
