package io.vrouter.core.graph;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.memory.AnonymousMemory;

/**
 * A batch of packets, the unit every port and the forwarder exchange (VPP's frame, smaller).
 * <p>
 * Each slot is a preallocated off-heap buffer with {@link #HEADROOM} bytes in front of the frame, so
 * tunnel encapsulation steps back into the headroom and never moves the payload. Per slot the batch
 * carries the frame's offset and length, the interface it arrived on and, after the forwarder ran,
 * the interface to send it out of ({@link #DROPPED} when the forwarder dropped and counted it).
 * Nothing is allocated after construction.
 * <p>
 * Behind the {@link #capacity()} input slots the batch keeps spare slots for copies the forwarder
 * makes (mirroring) and for held packets it re-injects: {@link #addCopy} fills them, and ports send
 * every slot up to {@link #outputCount()}, not only up to {@link #count()}.
 * <p>
 * Per-packet state of the pipeline. While a batch crosses the graph of {@link Node}s, what one node
 * tells the next about a packet lives here, in one array per field indexed by slot (tf-vrouter keeps
 * it in the packet's {@code fmd}, VPP in the buffer's opaque area): the node it goes to next, the VRF,
 * the next hop and label chosen, the L3 header's offset and length, the flow, the tunnel source port,
 * the next-hop depth and {@code F_*} flags. A node reads what its header comment says it reads and
 * writes what it says it writes; nothing else carries state between nodes.
 */
public final class PacketBatch
{
    /** Bytes kept free in front of every received frame for encapsulation. */
    public static final int HEADROOM = 128;
    /** Default largest frame a slot holds (jumbo frames up to 9,216 bytes plus room). */
    public static final int DEFAULT_MAX_FRAME = 10240;
    /** Output value of a packet the forwarder dropped. */
    public static final int DROPPED = -1;

    private static final int CACHE_LINE = 64;

    /** Slot flag: the L3 packet is IPv6 (else IPv4). */
    public static final int F_IPV6 = 0x1;
    /** Slot flag: the packet came from a pod and is routed: its TTL/hop limit is decremented on output. */
    public static final int F_DECREMENT = 0x2;
    /** Slot flag: the packet's flow was decided (it is not decided twice). */
    public static final int F_FLOWED = 0x4;
    /** Slot flag: the frame came out of a tunnel from the fabric (L2 delivery to a local interface only). */
    public static final int F_FROM_FABRIC = 0x8;
    /** Slot flag: the slot is a mirror copy on its way to the mirror's next hop. */
    public static final int F_MIRROR = 0x10;
    /** Slot flag: the L3 header was validated (checksum, lengths) and is trusted from here on. */
    public static final int F_CHECKED = 0x20;
    /** Slot flag: the frame is bridged, not routed: a next hop's node sends the whole frame. */
    public static final int F_L2 = 0x40;

    /** {@code virtio_net_hdr} flag: the checksum from {@link #csumStart(int)} on is partial (pseudo-header sum). */
    public static final int VNET_F_NEEDS_CSUM = 1;
    /** {@code virtio_net_hdr} flag: the checksums were validated. */
    public static final int VNET_F_DATA_VALID = 2;
    /** {@code virtio_net_hdr} GSO type: not a super-frame. */
    public static final int GSO_NONE = 0;
    /** {@code virtio_net_hdr} GSO type: a TCP over IPv4 super-frame. */
    public static final int GSO_TCPV4 = 1;
    /** {@code virtio_net_hdr} GSO type: a TCP over IPv6 super-frame. */
    public static final int GSO_TCPV6 = 4;
    /** {@code virtio_net_hdr} GSO type bit: the super-frame's TCP uses ECN (CWR on its first segment). */
    public static final int GSO_ECN = 0x80;
    /** Largest frame a slot holds when pod ports take super-frames: a 64 KB GSO packet and its Ethernet header. */
    public static final int SUPER_FRAME = 65536 + 64;

    /** {@link #next(int)} of a slot that goes to no node (yet): sent, dropped, held, or waiting in a queue. */
    public static final int DONE = -1;

    /** Keeps the slots' memory mapped (or allocated) as long as the batch lives. */
    private final Object region;
    private final UnsafeBuffer[] buffers;
    private final int[] offsets;
    private final int[] lengths;
    private final int[] inVifs;
    private final int[] outVifs;

    private final int[] next;
    private final int[] vrf;
    private final int[] nh;
    private final int[] label;
    private final int[] l3;
    private final int[] l3Length;
    private final int[] flags;
    private final int[] depth;
    private final int[] flow;
    private final int[] sport;
    private final int[] vifFlags;
    private final int[] vifVrf;
    private final int[] resume;
    private final int[] owner;
    private final int[] aux;
    private final int[] vnetFlags;
    private final int[] gsoType;
    private final int[] gsoSize;
    private final int[] csumStart;
    private final int[] csumOffset;
    private final int inputMaxFrame;
    private final int inputCapacity;
    private int count;
    private int copies;

    /**
     * A batch with one spare slot per input slot (every packet can be mirrored once).
     *
     * @param capacity number of slots.
     * @param maxFrame largest frame a slot holds, excluding headroom.
     */
    public PacketBatch(final int capacity, final int maxFrame)
    {
        this(capacity, maxFrame, capacity);
    }

    /**
     * A batch with a chosen number of spare slots for copies.
     *
     * @param capacity number of input slots.
     * @param maxFrame largest frame a slot holds, excluding headroom.
     * @param spare    slots for copies (mirroring).
     */
    public PacketBatch(final int capacity, final int maxFrame, final int spare)
    {
        this(capacity, maxFrame, spare, maxFrame);
    }

    /**
     * A batch whose input slots hold larger frames than its spare slots: the input slots of a worker whose pod
     * ports hand over super-frames ({@link #SUPER_FRAME}), the spares (mirror copies, re-injected held packets)
     * the ordinary largest frame. Only the input slots pay for the 64 KB.
     *
     * @param capacity      number of input slots.
     * @param maxFrame      largest frame a spare slot holds, excluding headroom.
     * @param spare         slots for copies (mirroring).
     * @param inputMaxFrame largest frame an input slot holds, excluding headroom (at least {@code maxFrame}).
     */
    public PacketBatch(final int capacity, final int maxFrame, final int spare, final int inputMaxFrame)
    {
        final int slots = capacity + spare;
        this.inputCapacity = capacity;
        this.buffers = new UnsafeBuffer[slots];
        this.offsets = new int[slots];
        this.lengths = new int[slots];
        this.inVifs = new int[slots];
        this.outVifs = new int[slots];
        this.next = new int[slots];
        this.vrf = new int[slots];
        this.nh = new int[slots];
        this.label = new int[slots];
        this.l3 = new int[slots];
        this.l3Length = new int[slots];
        this.flags = new int[slots];
        this.depth = new int[slots];
        this.flow = new int[slots];
        this.sport = new int[slots];
        this.vifFlags = new int[slots];
        this.vifVrf = new int[slots];
        this.resume = new int[slots];
        this.owner = new int[slots];
        this.aux = new int[slots];
        this.vnetFlags = new int[slots];
        this.gsoType = new int[slots];
        this.gsoSize = new int[slots];
        this.csumStart = new int[slots];
        this.csumOffset = new int[slots];
        this.inputMaxFrame = Math.max(maxFrame, inputMaxFrame);
        // One region for every slot, slots one after the other, on huge pages where the kernel gives them:
        // every node of the graph walks the batch's frames in turn, and frames on separate 4 KiB pages cost
        // a TLB entry each, per node. The stride is a whole, odd number of cache lines, so that consecutive
        // slots' headers fall on different cache sets and never share an offset modulo 4 KiB (a store to
        // one frame would stall loads from the next).
        final int stride = align(HEADROOM + maxFrame, CACHE_LINE) | CACHE_LINE;
        final int inputStride = align(HEADROOM + this.inputMaxFrame, CACHE_LINE) | CACHE_LINE;
        final long size = (long)capacity * inputStride + (long)spare * stride;
        final MemorySegment mapped = AnonymousMemory.mapHugeAligned(size, Arena.ofAuto());
        if (mapped != null)
        {
            this.region = mapped;
            for (int i = 0; i < slots; i++)
            {
                buffers[i] = new UnsafeBuffer(mapped.address() + start(i, capacity, inputStride, stride),
                    HEADROOM + (i < capacity ? this.inputMaxFrame : maxFrame));
            }
        }
        else
        {
            final ByteBuffer direct = ByteBuffer.allocateDirect(Math.toIntExact(size + CACHE_LINE));
            this.region = direct;
            final int base = (int)(align(address(direct), CACHE_LINE) - address(direct));
            for (int i = 0; i < slots; i++)
            {
                buffers[i] = new UnsafeBuffer(direct, base + (int)start(i, capacity, inputStride, stride),
                    HEADROOM + (i < capacity ? this.inputMaxFrame : maxFrame));
            }
        }
    }

    private static long start(final int slot, final int capacity, final int inputStride, final int stride)
    {
        return slot < capacity ? (long)slot * inputStride
            : (long)capacity * inputStride + (long)(slot - capacity) * stride;
    }

    private static int align(final int value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }

    private static long align(final long value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }

    private static long address(final ByteBuffer direct)
    {
        return new UnsafeBuffer(direct).addressOffset();
    }

    /**
     * Number of slots.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return inputCapacity;
    }

    /**
     * Number of slots to send after processing: the inputs and the copies.
     *
     * @return {@link #count()} plus the copies.
     */
    public int outputCount()
    {
        return count + copies;
    }

    /**
     * Every slot, inputs and spares: the largest slot index plus one.
     *
     * @return slots.
     */
    public int slots()
    {
        return buffers.length;
    }

    /**
     * Number of copies the forwarder added.
     *
     * @return copies.
     */
    public int copies()
    {
        return copies;
    }

    /**
     * Adds a copy of a frame to send (the forwarder; mirroring).
     *
     * @param vifIndex interface the original arrived on.
     * @param outVif   interface to send the copy on.
     * @param src      buffer holding the frame.
     * @param offset   frame offset in src.
     * @param length   frame length.
     * @return the slot, or -1 if no spare slot is left or the frame is too large.
     */
    public int addCopy(final int vifIndex, final int outVif, final UnsafeBuffer src, final int offset,
        final int length)
    {
        final int slot = count + copies;
        if (slot == buffers.length || length > buffers[slot].capacity() - HEADROOM)
        {
            return -1;
        }
        copies++;
        noOffload(slot);
        buffers[slot].putBytes(HEADROOM, src, offset, length);
        offsets[slot] = HEADROOM;
        lengths[slot] = length;
        inVifs[slot] = vifIndex;
        outVifs[slot] = outVif;
        return slot;
    }

    /**
     * Largest frame an input slot holds (what a port may read into one).
     *
     * @return bytes.
     */
    public int maxFrame()
    {
        return inputMaxFrame;
    }

    /**
     * Number of packets in the batch.
     *
     * @return the count.
     */
    public int count()
    {
        return count;
    }

    /** Forgets copies of an earlier pass (the forwarder, before processing). */
    public void resetCopies()
    {
        copies = 0;
    }

    /**
     * Empties the batch.
     */
    public void clear()
    {
        count = 0;
        copies = 0;
    }

    /**
     * Copies a received frame into the next slot.
     *
     * @param vifIndex interface it arrived on.
     * @param src      frame bytes.
     * @param offset   offset in src.
     * @param length   frame length.
     * @return the slot index, or -1 if the batch is full or the frame too large.
     */
    public int add(final int vifIndex, final byte[] src, final int offset, final int length)
    {
        if (count == inputCapacity || length > inputMaxFrame)
        {
            return -1;
        }
        copies = 0;
        final int slot = count++;
        noOffload(slot);
        buffers[slot].putBytes(HEADROOM, src, offset, length);
        offsets[slot] = HEADROOM;
        lengths[slot] = length;
        inVifs[slot] = vifIndex;
        outVifs[slot] = DROPPED;
        return slot;
    }

    /**
     * Claims the next slot for a port that writes the frame itself (at {@link #HEADROOM}); the
     * port then calls {@link #commit(int, int, int)}.
     *
     * @return the slot index, or -1 if full.
     */
    public int claim()
    {
        return count == inputCapacity ? -1 : count;
    }

    /**
     * Commits a claimed slot.
     *
     * @param slot     the index {@link #claim()} returned.
     * @param vifIndex interface the frame arrived on.
     * @param length   frame length, written at {@link #HEADROOM}.
     */
    public void commit(final int slot, final int vifIndex, final int length)
    {
        offsets[slot] = HEADROOM;
        lengths[slot] = length;
        inVifs[slot] = vifIndex;
        outVifs[slot] = DROPPED;
        count = slot + 1;
        copies = 0;
        noOffload(slot);
    }

    /**
     * Takes back the last committed slot (a port that found the frame unusable after committing it).
     *
     * @param slot the index {@link #commit} was given, the last one.
     */
    public void uncommit(final int slot)
    {
        count = slot;
    }

    /**
     * The buffer of a slot.
     *
     * @param slot index.
     * @return the buffer (frame at {@link #offset(int)}).
     */
    public UnsafeBuffer buffer(final int slot)
    {
        return buffers[slot];
    }

    /**
     * Frame offset in the slot buffer.
     *
     * @param slot index.
     * @return the offset.
     */
    public int offset(final int slot)
    {
        return offsets[slot];
    }

    /**
     * Frame length.
     *
     * @param slot index.
     * @return bytes.
     */
    public int length(final int slot)
    {
        return lengths[slot];
    }

    /**
     * Interface the frame arrived on.
     *
     * @param slot index.
     * @return vif index.
     */
    public int inVif(final int slot)
    {
        return inVifs[slot];
    }

    /**
     * Interface to send the frame on, or {@link #DROPPED}.
     *
     * @param slot index.
     * @return vif index or DROPPED.
     */
    public int outVif(final int slot)
    {
        return outVifs[slot];
    }

    /**
     * Sets the forwarding result of a slot (the forwarder's job).
     *
     * @param slot     index.
     * @param outVif   output interface or {@link #DROPPED}.
     * @param offset   new frame offset.
     * @param length   new frame length.
     */
    public void result(final int slot, final int outVif, final int offset, final int length)
    {
        outVifs[slot] = outVif;
        offsets[slot] = offset;
        lengths[slot] = length;
    }

    /**
     * Moves a slot's frame within its buffer (after decapsulation: the inner frame) without an output.
     *
     * @param slot   index.
     * @param offset the frame's new offset.
     * @param length the frame's new length.
     */
    public void frame(final int slot, final int offset, final int length)
    {
        offsets[slot] = offset;
        lengths[slot] = length;
    }

    /**
     * Marks a slot dropped.
     *
     * @param slot index.
     */
    public void drop(final int slot)
    {
        outVifs[slot] = DROPPED;
    }

    // ------------------------------------------------------------------------------------------ per-slot state

    /**
     * Starts a slot's pass through the graph: no flags, no flow, depth 0. The other fields are written by
     * the node that first has something to say in them before any node reads them (the label, for one, by
     * the bridge or route lookup, the decapsulation or the mirror).
     *
     * @param slot index.
     */
    public void resetState(final int slot)
    {
        flags[slot] = 0;
        flow[slot] = -1;
        depth[slot] = 0;
    }

    /**
     * The node the running node sent the slot to, until the graph moves it there; {@link #DONE} otherwise.
     *
     * @param slot index.
     * @return node index.
     */
    public int next(final int slot)
    {
        return next[slot];
    }

    /**
     * Whether slots 0 to count - 1 are all marked with the one value a pattern array holds (a vectorized
     * compare; the graph's shortcut for a vector that moves on whole).
     *
     * @param count   number of slots from slot 0.
     * @param pattern at least {@code count} copies of one node index or {@link #DONE}.
     * @return true when every mark equals the pattern's.
     */
    boolean nextAll(final int count, final int[] pattern)
    {
        return java.util.Arrays.mismatch(next, 0, count, pattern, 0, count) < 0;
    }

    /**
     * Marks the node a slot goes to next (the graph's job when a node enqueues it).
     *
     * @param slot index.
     * @param node node index or {@link #DONE}.
     */
    public void next(final int slot, final int node)
    {
        next[slot] = node;
    }

    /**
     * Records the ingress interface's flags and VRF (once, at the graph's entry), so that later nodes
     * need not read the interface again.
     *
     * @param slot  index.
     * @param flags the interface's {@code vifr_flags}.
     * @param vrfId the interface's VRF.
     */
    public void ingress(final int slot, final int flags, final int vrfId)
    {
        vifFlags[slot] = flags;
        vifVrf[slot] = vrfId;
    }

    /**
     * The ingress interface's flags, as recorded at the graph's entry.
     *
     * @param slot index.
     * @return {@code vifr_flags}.
     */
    public int vifFlags(final int slot)
    {
        return vifFlags[slot];
    }

    /**
     * The ingress interface's VRF, as recorded at the graph's entry.
     *
     * @param slot index.
     * @return VRF id.
     */
    public int vifVrf(final int slot)
    {
        return vifVrf[slot];
    }

    /**
     * The VRF the packet is in (bridge or route lookup).
     *
     * @param slot index.
     * @return VRF id.
     */
    public int vrf(final int slot)
    {
        return vrf[slot];
    }

    /**
     * Sets the VRF.
     *
     * @param slot  index.
     * @param value VRF id.
     */
    public void vrf(final int slot, final int value)
    {
        vrf[slot] = value;
    }

    /**
     * The next hop chosen for the packet (before a lookup: the ingress interface's own next hop, which
     * keys its flows).
     *
     * @param slot index.
     * @return next-hop id.
     */
    public int nh(final int slot)
    {
        return nh[slot];
    }

    /**
     * Sets the next hop.
     *
     * @param slot  index.
     * @param value next-hop id.
     */
    public void nh(final int slot, final int value)
    {
        nh[slot] = value;
    }

    /**
     * The MPLS label (or VNI) to push, or {@link RouteFlags#NO_LABEL}; after decapsulation, the label or VNI received.
     *
     * @param slot index.
     * @return label.
     */
    public int label(final int slot)
    {
        return label[slot];
    }

    /**
     * Sets the label.
     *
     * @param slot  index.
     * @param value label or {@link RouteFlags#NO_LABEL}.
     */
    public void label(final int slot, final int value)
    {
        label[slot] = value;
    }

    /**
     * Offset of the L3 header (routed packets; after decapsulation, of the inner packet or frame).
     *
     * @param slot index.
     * @return offset in the slot's buffer.
     */
    public int l3(final int slot)
    {
        return l3[slot];
    }

    /**
     * Length of the L3 packet (IP total length once validated; after decapsulation, the inner length).
     *
     * @param slot index.
     * @return bytes.
     */
    public int l3Length(final int slot)
    {
        return l3Length[slot];
    }

    /**
     * Sets the L3 header's offset and length.
     *
     * @param slot   index.
     * @param offset offset of the header.
     * @param length bytes from it.
     */
    public void l3(final int slot, final int offset, final int length)
    {
        l3[slot] = offset;
        l3Length[slot] = length;
    }

    /**
     * The slot's {@code F_*} flags.
     *
     * @param slot index.
     * @return flags.
     */
    public int flags(final int slot)
    {
        return flags[slot];
    }

    /**
     * Replaces the slot's flags (a node that computed them in a local).
     *
     * @param slot  index.
     * @param value {@code F_*} flags.
     */
    public void flags(final int slot, final int value)
    {
        flags[slot] = value;
    }

    /**
     * Whether a flag is set.
     *
     * @param slot index.
     * @param flag one {@code F_*} flag.
     * @return true if set.
     */
    public boolean hasFlag(final int slot, final int flag)
    {
        return (flags[slot] & flag) != 0;
    }

    /**
     * Sets flags.
     *
     * @param slot index.
     * @param bits {@code F_*} flags to set.
     */
    public void setFlags(final int slot, final int bits)
    {
        flags[slot] |= bits;
    }

    /**
     * Clears flags.
     *
     * @param slot index.
     * @param bits {@code F_*} flags to clear.
     */
    public void clearFlags(final int slot, final int bits)
    {
        flags[slot] &= ~bits;
    }

    /**
     * Next-hop indirections (composite, VRF translation) the packet took.
     *
     * @param slot index.
     * @return depth.
     */
    public int depth(final int slot)
    {
        return depth[slot];
    }

    /**
     * Sets the depth.
     *
     * @param slot  index.
     * @param value depth.
     */
    public void depth(final int slot, final int value)
    {
        depth[slot] = value;
    }

    /**
     * The packet's flow entry, or -1.
     *
     * @param slot index.
     * @return flow index.
     */
    public int flow(final int slot)
    {
        return flow[slot];
    }

    /**
     * The flow's tunnel UDP source port (valid when {@link #flow(int)} is not -1).
     *
     * @param slot index.
     * @return port.
     */
    public int sport(final int slot)
    {
        return sport[slot];
    }

    /**
     * Sets the tunnel source port alone (a tunnel node's first pass over its vector).
     *
     * @param slot     index.
     * @param udpSport the port.
     */
    public void sport(final int slot, final int udpSport)
    {
        sport[slot] = udpSport;
    }

    /**
     * Sets the flow and its tunnel source port.
     *
     * @param slot      index.
     * @param flowIndex flow entry or -1.
     * @param udpSport  the flow's tunnel UDP source port.
     */
    public void flow(final int slot, final int flowIndex, final int udpSport)
    {
        flow[slot] = flowIndex;
        sport[slot] = udpSport;
    }

    /**
     * Where a gate node (the flow node) sends the packet when it lets it pass, and the local interface a
     * new flow is charged to (the ingress pod interface, or the pod interface the packet goes to).
     *
     * @param slot   index.
     * @param node   node index to resume at.
     * @param vifIdx interface charged for a new flow.
     */
    public void resume(final int slot, final int node, final int vifIdx)
    {
        resume[slot] = node;
        owner[slot] = vifIdx;
    }

    /**
     * The node to resume at after a gate.
     *
     * @param slot index.
     * @return node index.
     */
    public int resume(final int slot)
    {
        return resume[slot];
    }

    /**
     * The interface a new flow is charged to.
     *
     * @param slot index.
     * @return vif index.
     */
    public int owner(final int slot)
    {
        return owner[slot];
    }

    /**
     * A value one node hands to the next: after decapsulation, the received TTL. Its meaning is in the
     * header comment of the node that writes it.
     *
     * @param slot index.
     * @return value.
     */
    public int aux(final int slot)
    {
        return aux[slot];
    }

    /**
     * Sets the value handed to the next node.
     *
     * @param slot  index.
     * @param value value.
     */
    public void aux(final int slot, final int value)
    {
        aux[slot] = value;
    }

    // ------------------------------------------------------------------------------------------ offloads

    /**
     * Records what a pod port's {@code virtio_net_hdr} said of a frame it read, after {@link #commit} (which
     * clears it, as {@link #add} and {@link #addCopy} do). Offsets are the slot
     * buffer's, so they stay right while the pipeline rewrites headers in place and steps into the headroom.
     *
     * @param slot       index.
     * @param flags      {@link #VNET_F_NEEDS_CSUM}, {@link #VNET_F_DATA_VALID}.
     * @param type       {@link #GSO_NONE}, {@link #GSO_TCPV4}, {@link #GSO_TCPV6}, maybe with {@link #GSO_ECN}.
     * @param size       the GSO segment size (the TCP MSS), 0 for no GSO.
     * @param csumFrom   where the partial checksum's coverage starts (buffer offset).
     * @param csumField  the checksum field's offset from {@code csumFrom}.
     */
    public void offload(final int slot, final int flags, final int type, final int size, final int csumFrom,
        final int csumField)
    {
        vnetFlags[slot] = flags;
        gsoType[slot] = type;
        gsoSize[slot] = size;
        csumStart[slot] = csumFrom;
        csumOffset[slot] = csumField;
    }

    /**
     * Forgets a slot's offload state: the frame is complete (checksums finished, no super-frame).
     *
     * @param slot index.
     */
    public void noOffload(final int slot)
    {
        vnetFlags[slot] = 0;
        gsoType[slot] = GSO_NONE;
        gsoSize[slot] = 0;
    }

    /**
     * The {@code virtio_net_hdr} flags of the frame ({@link #VNET_F_NEEDS_CSUM}).
     *
     * @param slot index.
     * @return flags.
     */
    public int vnetFlags(final int slot)
    {
        return vnetFlags[slot];
    }

    /**
     * The GSO type ({@link #GSO_NONE} for an ordinary frame).
     *
     * @param slot index.
     * @return type, with {@link #GSO_ECN} when set.
     */
    public int gsoType(final int slot)
    {
        return gsoType[slot];
    }

    /**
     * The GSO segment size (the TCP payload per segment), 0 for an ordinary frame.
     *
     * @param slot index.
     * @return bytes.
     */
    public int gsoSize(final int slot)
    {
        return gsoSize[slot];
    }

    /**
     * Whether the slot holds a super-frame to be segmented (or handed on whole).
     *
     * @param slot index.
     * @return true for a GSO frame.
     */
    public boolean isSuperFrame(final int slot)
    {
        return gsoSize[slot] != 0;
    }

    /**
     * Where the partial checksum's coverage starts, as an offset in the slot's buffer.
     *
     * @param slot index.
     * @return buffer offset (meaningful with {@link #VNET_F_NEEDS_CSUM}).
     */
    public int csumStart(final int slot)
    {
        return csumStart[slot];
    }

    /**
     * The checksum field's offset from {@link #csumStart(int)}.
     *
     * @param slot index.
     * @return bytes.
     */
    public int csumOffset(final int slot)
    {
        return csumOffset[slot];
    }
}
