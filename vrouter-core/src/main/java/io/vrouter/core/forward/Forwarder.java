package io.vrouter.core.forward;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.Tables;
import io.vrouter.core.bridge.BridgeEntry;
import io.vrouter.core.fib.Fib6Leaf;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.ReaderEpochs;
import io.vrouter.core.fib.VrfFibs;
import io.vrouter.core.flow.FlowKey;
import io.vrouter.core.flow.FlowStage;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.MirrorTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopMap;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;
import io.vrouter.core.status.VrfStat;
import io.vrouter.encap.ArpResponder;
import io.vrouter.encap.DecapResult;
import io.vrouter.encap.EntropyHash;
import io.vrouter.encap.IcmpErrors;
import io.vrouter.encap.MplsGreEncap;
import io.vrouter.encap.MplsUdpEncap;
import io.vrouter.encap.MssClamp;
import io.vrouter.encap.NeighborAdvertiser;
import io.vrouter.encap.TunnelDecap;
import io.vrouter.encap.TunnelType;
import io.vrouter.encap.UdpTunnelEncap;
import io.vrouter.encap.VxlanEncap;
import io.vrouter.wire.AddressFamily;
import io.vrouter.wire.ArpHeader;
import io.vrouter.wire.Checksums;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.Icmpv6Header;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;
import io.vrouter.wire.MacAddress;
import io.vrouter.wire.PcapRecordHeader;

/**
 * The packet pipeline of one forwarding worker: pod (virtual) interfaces and the fabric, L2 and
 * L3, as tf-vrouter's dp-core does it (reference §2.1–2.3).
 * <p>
 * Overview. {@link #process(PacketBatch)} takes every packet of a batch through: ingress checks and
 * counters; on a pod interface, ARP/NS proxy, then the bridge lookup by (VRF, destination MAC)
 * whose L2-receive next hop (the gateway MAC) turns bridging into routing; IPv4/IPv6 validation,
 * TTL check and decrement with an incremental checksum, longest-prefix match in the VRF, and the
 * next hop: local delivery with a MAC rewrite, a tunnel (MPLSoUDP, MPLSoGRE, VXLAN) with the
 * route's label, an ECMP member chosen by flow hash, VRF translation, discard. On the fabric, the
 * outer destination's receive next hop leads to decapsulation, the label (or VNI) to the next hop,
 * and delivery without a second TTL decrement. Every drop is counted under a named
 * {@link DropReason}, in total and on the ingress interface.
 * <p>
 * Threading: one instance per worker thread. Tables are read lock-free; counters and the
 * per-packet context belong to this worker. Nothing is allocated per packet: state lives in
 * fields reset per packet, and results are written back into the batch slot (the frame moves
 * within its own buffer: encapsulation steps back into the headroom).
 */
public final class Forwarder
{
    /** Ethernet header length. */
    public static final int ETH_HLEN = 14;
    /** Largest number of next-hop indirections (VRF translate, composite) a packet may take. */
    public static final int MAX_NH_DEPTH = 4;
    /** Overlay overhead used for the TCP MSS clamp on L3 tunnels (reference §2.6). */
    public static final int L3_OVERLAY_OVERHEAD = 40;

    private static final long BROADCAST_MAC = 0xFFFFFFFFFFFFL;
    private static final int NO_LABEL = -1;
    /** Contrail's metadata of a dynamic mirror copy when none is configured ({@code default_mme}). */
    private static final byte[] DEFAULT_MIRROR_MD = {(byte)0xFF, 0x00};
    private static final long CLOCK_BASE_MICROS = System.currentTimeMillis() * 1000L;
    private static final long CLOCK_BASE_NANOS = System.nanoTime();
    private static final int LABEL_VALID = 0x1;
    private static final int ARP_PROXY = 0x2;
    private static final int ARP_FLOOD = 0x8;

    private final Tables tables;
    private final InterfaceTable interfaces;
    private final NextHopTable nextHops;
    private final VrfFibs fibs;
    private final FibEntries fibEntries;
    private final NextHopMap labels;
    private final NextHopMap vxlan;
    private final ForwardingCounters counters;
    private final FlowHook flowHook;
    private final FlowStage flows;
    private final MirrorTable mirrors;
    private java.util.function.LongSupplier mirrorClock = Forwarder::epochMicros;
    private final ReaderEpochs readerEpochs;
    private final int readerSlot;
    private final boolean mssClamp;
    private final int ipIdStride;
    private int nextIpId;

    // Per-packet context (tf-vrouter's fmd), reset for each packet.
    private UnsafeBuffer buf;
    private PacketBatch batch;
    private int slot;
    private int inVif;
    private int frameOffset;
    private int frameLength;
    private boolean flowed;
    private int flowIndex;

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
        this.interfaces = tables.interfaces();
        this.nextHops = tables.nextHops();
        this.fibs = tables.fibs();
        this.fibEntries = tables.fibEntries();
        this.labels = tables.labels();
        this.vxlan = tables.vxlan();
        this.counters = counters;
        this.flowHook = flowHook;
        this.flows = flows;
        if (flows != null)
        {
            flows.reverseKeyNh(this::reverseKeyNh);
        }
        this.mirrors = tables.mirrors();
        this.ipIdStride = workers;
        this.mssClamp = tables.config().mssClamp();
        this.readerEpochs = tables.fibs().readerEpochs();
        this.readerSlot = readerEpochs == null ? -1 : readerEpochs.register();
        this.nextIpId = workerIndex + 1;
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
     * This worker's counters.
     *
     * @return the counters.
     */
    public ForwardingCounters counters()
    {
        return counters;
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
     * Forwards every packet of a batch; each slot ends with an output interface or
     * {@link PacketBatch#DROPPED}.
     *
     * @param packets the batch.
     */
    public void process(final PacketBatch packets)
    {
        batch = packets;
        packets.resetCopies();
        final int n = packets.count();
        final int released = flows == null || flows.heldCount() == 0 ? 0 : releaseHeld(packets);
        if (readerEpochs != null)
        {
            readerEpochs.enter(readerSlot);
        }
        if (flows != null)
        {
            flows.beginBatch();
        }
        try
        {
            for (int i = 0; i < n; i++)
            {
                processOne(i);
            }
            for (int i = 0; i < released; i++)
            {
                processOne(n + i);
            }
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
            batch = null;
            buf = null;
        }
    }

    /**
     * Puts the held packets whose flow the slow path decided back into the batch (spare slots right
     * after the inputs, processed after them); drops and counts those whose flow went away.
     */
    private int releaseHeld(final PacketBatch packets)
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
            if (packets.addCopy(flows.heldVif(i), PacketBatch.DROPPED, flows.heldFrame(i), 0, flows.heldLength(i)) < 0)
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

    private void processOne(final int s)
    {
        slot = s;
        buf = batch.buffer(s);
        inVif = batch.inVif(s);
        frameOffset = batch.offset(s);
        frameLength = batch.length(s);
        flowed = false;
        flowIndex = -1;
        final Vif vif = interfaces.get(inVif);
        if (vif == null)
        {
            drop(DropReason.INVALID_IF);
            return;
        }
        counters.received(inVif, frameLength);
        if (vif.hasFlag(VifFlags.MIRROR_RX) && vif.mirrorId() >= 0)
        {
            mirror(vif.mirrorId(), frameOffset, frameLength, vif.inMirrorMd());
        }
        if (frameLength < ETH_HLEN)
        {
            drop(DropReason.PULL);
            return;
        }
        if (vif.type() == VifType.PHYSICAL)
        {
            fabricInput(vif);
        }
        else
        {
            virtualInput(vif);
        }
    }

    // ------------------------------------------------------------------------------------------ results

    private void drop(final DropReason reason)
    {
        counters.drop(reason, inVif);
        batch.drop(slot);
    }

    private void transmit(final int outVif, final int offset, final int length)
    {
        if (interfaces.get(outVif) == null)
        {
            drop(DropReason.INTERFACE_TX_DISCARD);
            return;
        }
        transmitChecked(outVif, offset, length);
    }

    /** Sends on an interface the caller has just looked up and found present. */
    private void transmitChecked(final int outVif, final int offset, final int length)
    {
        batch.result(slot, outVif, offset, length);
        counters.sent(outVif, length);
        final Vif out = interfaces.get(outVif);
        if (out != null && out.hasFlag(VifFlags.MIRROR_TX) && out.mirrorId() >= 0)
        {
            mirror(out.mirrorId(), offset, length, out.outMirrorMd());
        }
    }

    /**
     * Copies a frame to a mirror's next hop, into a spare slot of the batch (reference §1.8, Contrail's
     * {@code vr_mirror}). The entry's next hop is an interface next hop (a bridge-family one sends the copy as it
     * is, an inet one rewrites the Ethernet header), a plain UDP tunnel to an analyzer, or a VXLAN tunnel that
     * carries the entry's VNI. With the dynamic flag the copy is {@code vr_pcap} (16 bytes, network order, the
     * frame's length twice) | metadata | frame: the metadata is the vif's in (Mr) or out (Mt) mirror metadata,
     * or Contrail's default {@code ff 00} when that is empty or the copy comes from a flow. A copy that cannot be
     * made is counted as a clone failure on the ingress interface; the original is not affected.
     *
     * @param metadata the vif's mirror metadata for a dynamic copy (empty: the default).
     */
    private void mirror(final int mirrorId, final int offset, final int length, final byte[] metadata)
    {
        final long entry = mirrors.entry(mirrorId);
        final int nhId = MirrorTable.nhId(entry);
        final NextHop nh = nhId == MirrorTable.NO_NH ? null : nextHops.get(nhId);
        if (nh == null || !nh.isValid() || interfaces.get(nh.oif()) == null)
        {
            counters.drop(DropReason.CLONE_FAIL, inVif);
            return;
        }
        final int kind = nh.type() == NextHopType.TUNNEL ? nh.tunnelKind() : TunnelType.NONE;
        if (nh.type() != NextHopType.ENCAP && kind != TunnelType.UDP && kind != TunnelType.VXLAN)
        {
            counters.drop(DropReason.CLONE_FAIL, inVif);
            return;
        }
        final int copy = batch.addCopy(inVif, nh.oif(), buf, offset, length);
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
        final int start;
        switch (kind)
        {
            case TunnelType.UDP:
                counters.countVrf(nh.vrf(), VrfStat.UDP_TUNNELS);
                start = UdpTunnelEncap.encap(out, inner, innerLength, nh.outer(), ipId());
                break;
            case TunnelType.VXLAN:
                if (inner < VxlanEncap.OVERHEAD)
                {
                    batch.drop(copy);
                    counters.drop(DropReason.CLONE_FAIL, inVif);
                    return;
                }
                counters.countVrf(nh.vrf(), VrfStat.VXLAN_TUNNELS);
                start = VxlanEncap.encap(out, inner, innerLength, nh.outer(), MirrorTable.vni(entry), ipId(),
                    EntropyHash.l2SourcePort(out, batch.offset(copy), nh.vrf()));
                break;
            default:
                if (nh.family() != AddressFamily.BRIDGE && nh.encap().length >= ETH_HLEN)
                {
                    if (inner == batch.offset(copy))
                    {
                        out.putBytes(inner, nh.encap(), 0, 12);
                        start = inner;
                    }
                    else
                    {
                        start = inner - ETH_HLEN;
                        out.putBytes(start, nh.encap(), 0, ETH_HLEN);
                    }
                }
                else
                {
                    start = inner;
                }
                break;
        }
        final int total = innerLength + inner - start;
        batch.result(copy, nh.oif(), start, total);
        counters.sent(nh.oif(), total);
    }

    /**
     * Sets the clock that stamps the pcap header of dynamic mirror copies (tests; the default reads the
     * system clock, microseconds since the epoch). Must not allocate.
     *
     * @param epochMicros microseconds since the epoch.
     */
    public void mirrorClock(final java.util.function.LongSupplier epochMicros)
    {
        this.mirrorClock = epochMicros;
    }

    private static long epochMicros()
    {
        return CLOCK_BASE_MICROS + (System.nanoTime() - CLOCK_BASE_NANOS) / 1000L;
    }

    // ------------------------------------------------------------------------------------------ pod side

    private void virtualInput(final Vif vif)
    {
        final int etherType = buf.getShort(frameOffset + 12, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (etherType == EtherType.VLAN)
        {
            drop(DropReason.INTERFACE_DROP);
            return;
        }
        if (etherType == EtherType.ARP)
        {
            arpFromPod(vif);
            return;
        }
        final int l3 = frameOffset + ETH_HLEN;
        if (etherType == EtherType.IPV6 && isNeighborSolicitation(l3, frameLength - ETH_HLEN))
        {
            neighborSolicitationFromPod(vif);
            return;
        }
        long dmac = mac(frameOffset);
        int vrf = vif.vrf();
        if (vif.hasFlag(VifFlags.POLICY_ENABLED) && (dmac & 0x010000000000L) == 0
            && (etherType == EtherType.IPV4 || etherType == EtherType.IPV6) && !ingressFlow(vif, etherType, l3))
        {
            return;
        }
        if ((dmac & 0x010000000000L) != 0)
        {
            dmac = BROADCAST_MAC;
            if (vif.mcastVrf() != 65535)
            {
                vrf = vif.mcastVrf();
            }
        }
        final BridgeEntry be = tables.bridge().lookup(vrf, dmac);
        if (be == null)
        {
            drop(DropReason.L2_NO_ROUTE);
            return;
        }
        final NextHop nh = nextHops.get(be.nhId());
        if (nh == null || !nh.isValid())
        {
            drop(DropReason.INVALID_NH);
            return;
        }
        switch (nh.type())
        {
            case NextHopType.L2_RECEIVE:
                counters.countVrf(vrf, VrfStat.L2_RECEIVES);
                routeFromPod(vif, etherType, l3);
                return;
            case NextHopType.ENCAP:
                counters.countVrf(vrf, VrfStat.L2_ENCAPS);
                transmit(nh.oif(), frameOffset, frameLength);
                return;
            case NextHopType.TUNNEL:
            {
                final int label = (be.flags() & BridgeEntry.FLAG_LABEL_VALID) != 0 ? be.label() : NO_LABEL;
                tunnelFrame(nh, vrf, label);
                return;
            }
            case NextHopType.DISCARD:
                counters.countVrf(vrf, VrfStat.DISCARDS);
                drop(DropReason.DISCARD);
                return;
            default:
                drop(DropReason.NOWHERE_TO_GO);
        }
    }

    private void routeFromPod(final Vif vif, final int etherType, final int l3)
    {
        final int l3Length = frameLength - ETH_HLEN;
        if (etherType == EtherType.IPV4)
        {
            final DropReason bad = checkIpv4(l3, l3Length);
            if (bad != null)
            {
                drop(bad);
                return;
            }
            final int ipLength = Ipv4Header.totalLength(buf, l3);
            if (Ipv4Header.ttl(buf, l3) <= 1)
            {
                drop(DropReason.TTL_EXCEEDED);
                return;
            }
            if (!flowed && vif.hasFlag(VifFlags.POLICY_ENABLED)
                && !flowAllows(l3, 4, vif.nhId(), vif.vrf(), inVif))
            {
                return;
            }
            final int lvrf = routeVrf(vif.vrf());
            final int leaf = fibs.lookup4(lvrf, Ipv4Header.dstAddress(buf, l3));
            l3Output(lvrf, leaf, l3, ipLength, 4, true, 0);
        }
        else if (etherType == EtherType.IPV6)
        {
            final DropReason bad = checkIpv6(l3, l3Length);
            if (bad != null)
            {
                drop(bad);
                return;
            }
            if (Ipv6Header.hopLimit(buf, l3) <= 1)
            {
                drop(DropReason.TTL_EXCEEDED);
                return;
            }
            if (!flowed && vif.hasFlag(VifFlags.POLICY_ENABLED)
                && !flowAllows(l3, 6, vif.nhId(), vif.vrf(), inVif))
            {
                return;
            }
            final int lvrf = routeVrf(vif.vrf());
            final int leaf = fibs.lookup6(lvrf, Ipv6Header.dstAddressHi(buf, l3),
                Ipv6Header.dstAddressLo(buf, l3));
            l3Output(lvrf, leaf, l3, Ipv6Header.HEADER_LENGTH + Ipv6Header.payloadLength(buf, l3), 6, true, 0);
        }
        else
        {
            drop(DropReason.INVALID_PROTOCOL);
        }
    }

    /**
     * Ingress checks of an IPv4 header (validate once, then trust): the reason to drop, or null.
     */
    private DropReason checkIpv4(final int l3, final int available)
    {
        if (available < Ipv4Header.MIN_LENGTH)
        {
            return DropReason.PULL;
        }
        final int ihl = Ipv4Header.headerLength(buf, l3);
        if (Ipv4Header.version(buf, l3) != 4 || ihl < Ipv4Header.MIN_LENGTH)
        {
            return DropReason.INVALID_PACKET;
        }
        final int total = Ipv4Header.totalLength(buf, l3);
        if (ihl > available)
        {
            return DropReason.PULL;
        }
        if (total < ihl || total > available)
        {
            return DropReason.INVALID_PACKET;
        }
        if (!Checksums.isIpv4HeaderChecksumValid(buf, l3, ihl))
        {
            return DropReason.CKSUM_ERR;
        }
        return null;
    }

    /**
     * Ingress checks of an IPv6 header: the reason to drop, or null.
     */
    private DropReason checkIpv6(final int l3, final int available)
    {
        if (available < Ipv6Header.HEADER_LENGTH)
        {
            return DropReason.PULL;
        }
        if (Ipv6Header.version(buf, l3) != 6
            || Ipv6Header.HEADER_LENGTH + Ipv6Header.payloadLength(buf, l3) > available)
        {
            return DropReason.INVALID_PACKET;
        }
        return null;
    }

    /**
     * The ingress flow of a unicast IP packet from a policy interface, before bridging or routing
     * (reference §2.1 step 3). Broadcast/multicast IP destinations are not flowed; a malformed
     * header is dropped here with the reason the routing path would count.
     */
    private boolean ingressFlow(final Vif vif, final int etherType, final int l3)
    {
        final int available = frameLength - ETH_HLEN;
        if (etherType == EtherType.IPV4)
        {
            final DropReason bad = checkIpv4(l3, available);
            if (bad != null)
            {
                drop(bad);
                return false;
            }
            final int dst = Ipv4Header.dstAddress(buf, l3);
            if ((dst & 0xF0000000) == 0xE0000000 || dst == -1)
            {
                return true;
            }
            return flowAllows(l3, 4, vif.nhId(), vif.vrf(), inVif);
        }
        final DropReason bad = checkIpv6(l3, available);
        if (bad != null)
        {
            drop(bad);
            return false;
        }
        if ((Ipv6Header.dstAddressHi(buf, l3) >>> 56) == 0xFF)
        {
            return true;
        }
        return flowAllows(l3, 6, vif.nhId(), vif.vrf(), inVif);
    }

    /**
     * The next hop a reply to a new flow will be keyed with: a reply from a pod of this node whose
     * interface has the policy flag is keyed at that interface with its next hop; any other reply
     * (from the fabric, or from an interface without the flag) reaches the forward flow's own key
     * next hop first, so the forward key's stays.
     */
    private int reverseKeyNh(final int vrf, final FlowKey forward)
    {
        final int nhId = forward.family == FlowKey.AF_INET
            ? FibLeaf.nhId(fibs.lookup4(vrf, (int)forward.dstLo), fibEntries)
            : Fib6Leaf.nhId(fibs.lookup6(vrf, forward.dstHi, forward.dstLo), fibEntries);
        final NextHop nh = nextHops.get(nhId);
        if (nh != null && nh.isValid() && nh.type() == NextHopType.ENCAP)
        {
            final Vif destination = interfaces.get(nh.oif());
            if (destination != null && destination.hasFlag(VifFlags.POLICY_ENABLED))
            {
                return destination.nhId();
            }
        }
        return forward.nhId;
    }

    /** The VRF to route in: the flow's destination VRF when it translates, else the packet's. */
    private int routeVrf(final int vrf)
    {
        return flowIndex >= 0 && flows.destinationVrf() >= 0 ? flows.destinationVrf() : vrf;
    }

    /**
     * Decides a packet that needs a flow.
     *
     * @param owner the local interface the flow is charged to for the per-interface limit: the
     *              ingress pod interface, or for packets from the fabric the pod interface they go to.
     */
    private boolean flowAllows(final int l3, final int version, final int keyNhId, final int vrf, final int owner)
    {
        flowed = true;
        if (flows == null)
        {
            if (flowHook.decide(buf, l3, version, keyNhId, vrf) == FlowHook.FORWARD)
            {
                return true;
            }
            drop(flowHook == FlowHook.NONE ? DropReason.FLOW_UNUSABLE : DropReason.FLOW_ACTION_DROP);
            return false;
        }
        final Vif in = interfaces.get(inVif);
        final DropReason refused = flows.decide(buf, l3, version, keyNhId, vrf, inVif, owner,
            in != null && in.hasFlag(VifFlags.DROP_NEW_FLOWS), frameOffset, frameLength);
        if (refused != null)
        {
            drop(refused);
            return false;
        }
        if (flows.held())
        {
            // Queued on a HOLD flow for the slow path: not sent now, not a drop.
            batch.drop(slot);
            return false;
        }
        flowIndex = flows.index();
        if (flows.mirror() >= 0)
        {
            mirror(flows.mirror(), frameOffset, frameLength, DEFAULT_MIRROR_MD);
        }
        return true;
    }

    /**
     * Sends an IP packet at {@code l3} according to a FIB leaf.
     *
     * @param vrf       VRF of the lookup.
     * @param leaf      FIB result.
     * @param l3        IP header offset.
     * @param ipLength  IP packet length.
     * @param version   4 or 6.
     * @param decrement whether to decrement the TTL (from a pod: yes; from the fabric: no).
     * @param depth     next-hop indirections taken so far.
     */
    private void l3Output(
        final int vrf, final int leaf, final int l3, final int ipLength, final int version, final boolean decrement,
        final int depth)
    {
        final int nhId;
        final int label;
        if (version == 4)
        {
            if (FibLeaf.isEntry(leaf))
            {
                final int entry = FibLeaf.value(leaf);
                nhId = fibEntries.nhId(entry);
                label = (fibEntries.labelFlags(entry) & LABEL_VALID) != 0 ? fibEntries.label(entry) : NO_LABEL;
            }
            else
            {
                nhId = FibLeaf.value(leaf);
                label = NO_LABEL;
            }
        }
        else
        {
            nhId = Fib6Leaf.nhId(leaf, fibEntries);
            label = (Fib6Leaf.labelFlags(leaf, fibEntries) & LABEL_VALID) != 0
                ? Fib6Leaf.label(leaf, fibEntries) : NO_LABEL;
        }
        nhOutputL3(vrf, nhId, label, l3, ipLength, version, decrement, depth);
    }

    private void nhOutputL3(
        final int vrf, final int nhId, final int label, final int l3, final int ipLength, final int version,
        final boolean decrement, final int depth)
    {
        final NextHop nh = nextHops.get(nhId);
        if (nh == null || !nh.isValid())
        {
            drop(DropReason.INVALID_NH);
            return;
        }
        if (depth >= MAX_NH_DEPTH)
        {
            drop(DropReason.PKT_LOOP);
            return;
        }
        switch (nh.type())
        {
            case NextHopType.ENCAP:
            {
                if (!flowed && nh.hasFlag(NextHopFlags.POLICY_ENABLED | NextHopFlags.FLOW_LOOKUP)
                    && !flowAllows(l3, version, nh.id(), vrf, nh.oif()))
                {
                    return;
                }
                if (decrement)
                {
                    decrementTtl(l3, version);
                }
                counters.countVrf(vrf, VrfStat.ENCAPS);
                final int start = l3 - ETH_HLEN;
                rewriteEthernet(nh, start, version);
                transmit(nh.oif(), start, ipLength + ETH_HLEN);
                return;
            }
            case NextHopType.TUNNEL:
                if (decrement)
                {
                    decrementTtl(l3, version);
                }
                tunnelIp(nh, vrf, label, l3, ipLength, version);
                return;
            case NextHopType.COMPOSITE:
            {
                counters.countVrf(vrf, VrfStat.ECMP_COMPOSITES);
                final int members = nh.members().length;
                if (members == 0)
                {
                    drop(DropReason.INVALID_NH);
                    return;
                }
                final int member = ecmpMember(l3, version, vrf, members);
                final int memberLabel = nh.labels()[member];
                nhOutputL3(vrf, nh.members()[member], memberLabel >= 0 ? memberLabel : label, l3, ipLength, version,
                    decrement, depth + 1);
                return;
            }
            case NextHopType.VRF_TRANSLATE:
            {
                counters.countVrf(vrf, VrfStat.VRF_TRANSLATES);
                final int dvrf = nh.vrf();
                final int leaf = version == 4
                    ? fibs.lookup4(dvrf, Ipv4Header.dstAddress(buf, l3))
                    : fibs.lookup6(dvrf, Ipv6Header.dstAddressHi(buf, l3), Ipv6Header.dstAddressLo(buf, l3));
                l3Output(dvrf, leaf, l3, ipLength, version, decrement, depth + 1);
                return;
            }
            case NextHopType.RECEIVE:
                counters.countVrf(vrf, VrfStat.RECEIVES);
                if (nh.oif() < 0)
                {
                    drop(DropReason.NOWHERE_TO_GO);
                    return;
                }
                transmit(nh.oif(), l3 - ETH_HLEN, ipLength + ETH_HLEN);
                return;
            case NextHopType.RESOLVE:
                counters.countVrf(vrf, VrfStat.RESOLVES);
                drop(DropReason.TRAP_NO_IF);
                return;
            case NextHopType.DISCARD:
                counters.countVrf(vrf, VrfStat.DISCARDS);
                drop(DropReason.DISCARD);
                return;
            default:
                drop(DropReason.NOWHERE_TO_GO);
        }
    }

    /**
     * The ECMP member: the flow's stored member when it has one (stickiness), else the hash of the
     * packet's fields, stored into the flow for the next packets.
     */
    private int ecmpMember(final int l3, final int version, final int vrf, final int members)
    {
        if (flowIndex >= 0)
        {
            final FlowTable ft = flows.table();
            final int stored = ft.intField(flowIndex, FlowTable.E_ECMP);
            if (stored >= 0 && stored < members)
            {
                return stored;
            }
            final int chosen = (flowHash(l3, version, vrf) & 0x7FFFFFFF) % members;
            ft.putIntField(flowIndex, FlowTable.E_ECMP, chosen);
            return chosen;
        }
        return (flowHash(l3, version, vrf) & 0x7FFFFFFF) % members;
    }

    private void decrementTtl(final int l3, final int version)
    {
        if (version == 4)
        {
            Ipv4Header.decrementTtl(buf, l3);
        }
        else
        {
            Ipv6Header.decrementHopLimit(buf, l3);
        }
    }

    private void rewriteEthernet(final NextHop nh, final int start, final int version)
    {
        final byte[] encap = nh.encap();
        if (encap.length >= ETH_HLEN)
        {
            buf.putBytes(start, encap, 0, 12);
        }
        buf.putShort(start + 12, (short)(version == 4 ? EtherType.IPV4 : EtherType.IPV6),
            java.nio.ByteOrder.BIG_ENDIAN);
    }

    private int flowHash(final int l3, final int version, final int vrf)
    {
        if (version == 4)
        {
            final int ihl = Ipv4Header.headerLength(buf, l3);
            final int proto = Ipv4Header.protocol(buf, l3);
            final boolean ports = proto == IpProtocol.TCP || proto == IpProtocol.UDP;
            return EntropyHash.ipHash(Ipv4Header.srcAddress(buf, l3), Ipv4Header.dstAddress(buf, l3), vrf,
                ports ? buf.getShort(l3 + ihl, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF : 0,
                ports ? buf.getShort(l3 + ihl + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF : 0);
        }
        // IPv6: fold the addresses into the IPv4 key shape (Contrail's DPDK path hashes the same fields).
        return EntropyHash.ipHash(
            (int)(Ipv6Header.srcAddressHi(buf, l3) ^ (Ipv6Header.srcAddressHi(buf, l3) >>> 32)
                ^ Ipv6Header.srcAddressLo(buf, l3) ^ (Ipv6Header.srcAddressLo(buf, l3) >>> 32)),
            (int)(Ipv6Header.dstAddressHi(buf, l3) ^ (Ipv6Header.dstAddressHi(buf, l3) >>> 32)
                ^ Ipv6Header.dstAddressLo(buf, l3) ^ (Ipv6Header.dstAddressLo(buf, l3) >>> 32)),
            vrf, Ipv6Header.nextHeader(buf, l3), 0);
    }

    // ------------------------------------------------------------------------------------------ tunnels

    private void tunnelIp(
        final NextHop nh, final int vrf, final int label, final int l3, final int ipLength, final int version)
    {
        if (label < 0)
        {
            drop(DropReason.INVALID_LABEL);
            return;
        }
        final Vif out = interfaces.get(nh.oif());
        if (out == null)
        {
            drop(DropReason.INTERFACE_TX_DISCARD);
            return;
        }
        final int overhead = TunnelType.overhead(nh.tunnelKind()) - ETH_HLEN;
        if (ipLength + overhead > out.mtu() && dontFragment(l3, version))
        {
            packetTooBig(l3, ipLength, version, out.mtu() - overhead);
            return;
        }
        if (mssClamp)
        {
            clampMss(l3, ipLength, version, out.mtu());
        }
        final int ttl = version == 4 ? Ipv4Header.ttl(buf, l3) : Ipv6Header.hopLimit(buf, l3);
        final int sport = flowIndex >= 0 ? flows.udpSourcePort()
            : EntropyHash.portFromHash(flowHash(l3, version, vrf));
        final int start;
        switch (nh.tunnelKind())
        {
            case TunnelType.MPLS_UDP:
                counters.countVrf(vrf, VrfStat.UDP_MPLS_TUNNELS);
                start = MplsUdpEncap.encap(buf, l3, ipLength, nh.outer(), label, ttl, ipId(), sport);
                break;
            case TunnelType.MPLS_GRE:
                counters.countVrf(vrf, VrfStat.GRE_MPLS_TUNNELS);
                start = MplsGreEncap.encap(buf, l3, ipLength, nh.outer(), label, ttl,
                    version == 4 ? Ipv4Header.identification(buf, l3) : ipId());
                break;
            case TunnelType.VXLAN:
                counters.countVrf(vrf, VrfStat.VXLAN_TUNNELS);
                start = VxlanEncap.encap(buf, l3, ipLength, nh.outer(), label, ipId(), sport);
                break;
            default:
                drop(DropReason.INVALID_NH);
                return;
        }
        transmitChecked(nh.oif(), start, frameEnd(l3, ipLength) - start);
    }

    private void tunnelFrame(final NextHop nh, final int vrf, final int label)
    {
        if (label < 0)
        {
            drop(DropReason.INVALID_LABEL);
            return;
        }
        final int sport = EntropyHash.l2SourcePort(buf, frameOffset, vrf);
        final int start;
        switch (nh.tunnelKind())
        {
            case TunnelType.MPLS_UDP:
                counters.countVrf(vrf, VrfStat.UDP_MPLS_TUNNELS);
                start = MplsUdpEncap.encap(buf, frameOffset, frameLength, nh.outer(), label, 64, ipId(), sport);
                break;
            case TunnelType.MPLS_GRE:
                counters.countVrf(vrf, VrfStat.GRE_MPLS_TUNNELS);
                start = MplsGreEncap.encap(buf, frameOffset, frameLength, nh.outer(), label, 64, ipId());
                break;
            case TunnelType.VXLAN:
                counters.countVrf(vrf, VrfStat.VXLAN_TUNNELS);
                start = VxlanEncap.encap(buf, frameOffset, frameLength, nh.outer(), label, ipId(), sport);
                break;
            default:
                drop(DropReason.INVALID_NH);
                return;
        }
        transmit(nh.oif(), start, frameOffset + frameLength - start);
    }

    private static int frameEnd(final int l3, final int ipLength)
    {
        return l3 + ipLength;
    }

    private int ipId()
    {
        final int id = nextIpId & 0xFFFF;
        nextIpId += ipIdStride;
        return id;
    }

    private boolean dontFragment(final int l3, final int version)
    {
        return version == 6 || (Ipv4Header.flagsAndFragmentOffset(buf, l3) & Ipv4Header.FLAG_DF) != 0;
    }

    /**
     * Turns the packet into the ICMP "fragmentation needed" / ICMPv6 "packet too big" answer, in place,
     * and sends it back out of the interface it came from. The answer's source is the address the
     * sender was trying to reach (the forwarder has no address of its own in the overlay).
     */
    private void packetTooBig(final int l3, final int ipLength, final int version, final int mtu)
    {
        final long senderMac = mac(l3 - ETH_HLEN + 6);
        final long gatewayMac = mac(l3 - ETH_HLEN);
        final int start;
        final int length;
        if (version == 4)
        {
            start = l3 - IcmpErrors.IPV4_HEADERS;
            length = IcmpErrors.fragmentationNeeded(buf, l3, ipLength, buf, start, Ipv4Header.dstAddress(buf, l3), mtu);
        }
        else
        {
            start = l3 - IcmpErrors.IPV6_HEADERS;
            length = IcmpErrors.packetTooBig(buf, l3, ipLength, buf, start, Ipv6Header.dstAddressHi(buf, l3),
                Ipv6Header.dstAddressLo(buf, l3), Math.max(mtu, Ipv6Header.MIN_MTU));
        }
        final int frame = start - ETH_HLEN;
        MacAddress.write(buf, frame, senderMac);
        MacAddress.write(buf, frame + 6, gatewayMac);
        buf.putShort(frame + 12, (short)(version == 4 ? EtherType.IPV4 : EtherType.IPV6),
            java.nio.ByteOrder.BIG_ENDIAN);
        transmit(inVif, frame, ETH_HLEN + length);
    }

    private void clampMss(final int l3, final int ipLength, final int version, final int mtu)
    {
        final int headerLength = version == 4 ? Ipv4Header.headerLength(buf, l3) : Ipv6Header.HEADER_LENGTH;
        final int protocol = version == 4 ? Ipv4Header.protocol(buf, l3) : Ipv6Header.nextHeader(buf, l3);
        if (protocol == IpProtocol.TCP && (version == 6 || !Ipv4Header.isFragment(buf, l3)))
        {
            MssClamp.clamp(buf, l3 + headerLength, ipLength - headerLength,
                MssClamp.maxMss(mtu, L3_OVERLAY_OVERHEAD, headerLength));
        }
    }

    // ------------------------------------------------------------------------------------------ ARP / ND

    private void arpFromPod(final Vif vif)
    {
        final int arp = frameOffset + ETH_HLEN;
        if (frameLength < ETH_HLEN + ArpHeader.LENGTH || !ArpHeader.isEthernetIpv4(buf, arp))
        {
            drop(DropReason.INVALID_ARP);
            return;
        }
        if (ArpHeader.operation(buf, arp) != ArpHeader.OP_REQUEST
            || ArpHeader.senderIp(buf, arp) == ArpHeader.targetIp(buf, arp))
        {
            // Replies and gratuitous ARP are flooded by Contrail; this forwarder has no flood trees.
            counters.countVrf(vif.vrf(), VrfStat.ARP_VIRTUAL_FLOOD);
            drop(DropReason.NOWHERE_TO_GO);
            return;
        }
        final long replyMac = proxyMac(vif, fibs.lookup4(vif.vrf(), ArpHeader.targetIp(buf, arp)), 4);
        if (replyMac < 0)
        {
            drop(DropReason.NOWHERE_TO_GO);
            return;
        }
        final int length = ArpResponder.reply(buf, frameOffset, frameLength, replyMac);
        if (length < 0)
        {
            drop(DropReason.INVALID_ARP);
            return;
        }
        transmit(inVif, frameOffset, length);
    }

    /**
     * The MAC to answer an ARP/NS with, per the reference's proxy matrix, or -1 when Contrail
     * would flood (this forwarder has no flood trees, so the request is dropped and counted).
     */
    private long proxyMac(final Vif vif, final int leaf, final int version)
    {
        final int vrf = vif.vrf();
        if (vif.hasFlag(VifFlags.MAC_PROXY))
        {
            counters.countVrf(vrf, VrfStat.ARP_VIRTUAL_PROXY);
            return vif.mac();
        }
        final int flags = version == 4 ? FibLeaf.labelFlags(leaf, fibEntries) : Fib6Leaf.labelFlags(leaf, fibEntries);
        if ((flags & ARP_PROXY) != 0)
        {
            final long stitched = version == 4 ? FibLeaf.mac(leaf, fibEntries) : Fib6Leaf.mac(leaf, fibEntries);
            if (stitched != 0)
            {
                counters.countVrf(vrf, VrfStat.ARP_VIRTUAL_STITCH);
                return stitched;
            }
            if ((flags & ARP_FLOOD) == 0)
            {
                counters.countVrf(vrf, VrfStat.ARP_VIRTUAL_PROXY);
                return vif.mac();
            }
        }
        counters.countVrf(vrf, VrfStat.ARP_VIRTUAL_FLOOD);
        return -1;
    }

    private void neighborSolicitationFromPod(final Vif vif)
    {
        final int l3 = frameOffset + ETH_HLEN;
        final int target = l3 + Ipv6Header.HEADER_LENGTH + Icmpv6Header.TARGET_ADDRESS_OFFSET;
        final long hi = buf.getLong(target, java.nio.ByteOrder.BIG_ENDIAN);
        final long lo = buf.getLong(target + 8, java.nio.ByteOrder.BIG_ENDIAN);
        final long replyMac = proxyMac(vif, fibs.lookup6(vif.vrf(), hi, lo), 6);
        if (replyMac < 0)
        {
            drop(DropReason.NOWHERE_TO_GO);
            return;
        }
        final int length = NeighborAdvertiser.advertise(buf, frameOffset, frameLength, replyMac,
            Icmpv6Header.NA_FLAG_ROUTER | Icmpv6Header.NA_FLAG_OVERRIDE);
        if (length < 0)
        {
            drop(DropReason.INVALID_PACKET);
            return;
        }
        transmit(inVif, frameOffset, length);
    }

    private boolean isNeighborSolicitation(final int l3, final int available)
    {
        return available >= Ipv6Header.HEADER_LENGTH + Icmpv6Header.TARGET_ADDRESS_OFFSET + 16
            && Ipv6Header.nextHeader(buf, l3) == IpProtocol.ICMPV6
            && (buf.getByte(l3 + Ipv6Header.HEADER_LENGTH) & 0xFF) == Icmpv6Header.TYPE_NEIGHBOR_SOLICITATION;
    }

    // ------------------------------------------------------------------------------------------ fabric side

    private void fabricInput(final Vif vif)
    {
        final int etherType = buf.getShort(frameOffset + 12, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (etherType != EtherType.IPV4)
        {
            // ARP and IPv6 underlay go to the host stack in Contrail; this forwarder's fabric is IPv4.
            drop(DropReason.NOWHERE_TO_GO);
            return;
        }
        final int l3 = frameOffset + ETH_HLEN;
        if (frameLength - ETH_HLEN < Ipv4Header.MIN_LENGTH)
        {
            drop(DropReason.PULL);
            return;
        }
        // The outer header is validated whole by the decapsulation below, only for packets addressed to
        // this node; anything else is dropped by the lookup without being trusted further.
        final int leaf = fibs.lookup4(vif.vrf(), Ipv4Header.dstAddress(buf, l3));
        final NextHop nh = nextHops.get(FibLeaf.nhId(leaf, fibEntries));
        if (nh == null || !nh.isValid())
        {
            drop(DropReason.INVALID_NH);
            return;
        }
        if (nh.type() != NextHopType.RECEIVE)
        {
            drop(nh.type() == NextHopType.DISCARD ? DropReason.DISCARD : DropReason.INVALID_SOURCE);
            return;
        }
        counters.countVrf(vif.vrf(), VrfStat.RECEIVES);
        final long result = TunnelDecap.decapIpv4(buf, l3, frameLength - ETH_HLEN);
        if (DecapResult.isError(result))
        {
            final int code = DecapResult.errorCode(result);
            if (code == DecapResult.NOT_TUNNEL && nh.oif() >= 0)
            {
                transmit(nh.oif(), frameOffset, frameLength);
                return;
            }
            drop(decapError(code));
            return;
        }
        tunnelPayload(l3 + DecapResult.headerLength(result), result);
    }

    /**
     * Forwards the payload of a tunnel packet whose outer headers were validated and removed (by
     * {@link #fabricInput} or, in the daemon, by the kernel's UDP socket).
     *
     * @param inner    offset of the inner packet or frame.
     * @param decap    the decapsulation result ({@link DecapResult}): tunnel type, label or VNI, TTL, inner length.
     */
    private void tunnelPayload(final int inner, final long decap)
    {
        final int innerLength = DecapResult.innerLength(decap);
        if (DecapResult.tunnelType(decap) == TunnelType.VXLAN)
        {
            vxlanPayload(DecapResult.vni(decap), inner, innerLength);
            return;
        }
        final int label = DecapResult.label(decap);
        final int nhId = labels.nhId(label);
        if (nhId == NextHopMap.NO_NH)
        {
            drop(DropReason.INVALID_LABEL);
            return;
        }
        if (DecapResult.ttl(decap) <= 1)
        {
            drop(DropReason.TTL_EXCEEDED);
            return;
        }
        final NextHop nh = nextHops.get(nhId);
        if (nh == null || !nh.isValid())
        {
            drop(DropReason.INVALID_NH);
            return;
        }
        if (nh.family() == AddressFamily.BRIDGE)
        {
            deliverFrame(nh, inner, innerLength);
            return;
        }
        final int version = innerLength > 0 ? (buf.getByte(inner) & 0xF0) >>> 4 : 0;
        if (version == 4)
        {
            final DropReason bad = checkIpv4(inner, innerLength);
            if (bad != null)
            {
                drop(bad);
                return;
            }
            nhOutputL3(nh.vrf(), nhId, NO_LABEL, inner, Ipv4Header.totalLength(buf, inner), 4, false, 0);
        }
        else if (version == 6)
        {
            final DropReason bad = checkIpv6(inner, innerLength);
            if (bad != null)
            {
                drop(bad);
                return;
            }
            nhOutputL3(nh.vrf(), nhId, NO_LABEL, inner,
                Ipv6Header.HEADER_LENGTH + Ipv6Header.payloadLength(buf, inner), 6, false, 0);
        }
        else
        {
            drop(DropReason.INVALID_PROTOCOL);
        }
    }

    private void vxlanPayload(final int vni, final int inner, final int innerLength)
    {
        final int nhId = vxlan.nhId(vni);
        final NextHop nh = nhId == NextHopMap.NO_NH ? null : nextHops.get(nhId);
        if (nh == null)
        {
            drop(DropReason.INVALID_VNID);
            return;
        }
        if (innerLength < ETH_HLEN)
        {
            drop(DropReason.PULL);
            return;
        }
        if (nh.type() != NextHopType.VRF_TRANSLATE)
        {
            deliverFrame(nh, inner, innerLength);
            return;
        }
        final BridgeEntry be = tables.bridge().lookup(nh.vrf(), mac(inner));
        final NextHop target = be == null ? null : nextHops.get(be.nhId());
        if (target == null || !target.isValid())
        {
            drop(be == null ? DropReason.L2_NO_ROUTE : DropReason.INVALID_NH);
            return;
        }
        deliverFrame(target, inner, innerLength);
    }

    private void deliverFrame(final NextHop nh, final int frame, final int length)
    {
        if (nh.type() != NextHopType.ENCAP)
        {
            drop(DropReason.NOWHERE_TO_GO);
            return;
        }
        counters.countVrf(nh.vrf(), VrfStat.L2_ENCAPS);
        transmit(nh.oif(), frame, length);
    }

    private static DropReason decapError(final int code)
    {
        switch (code)
        {
            case DecapResult.PULL:
                return DropReason.PULL;
            case DecapResult.CKSUM_ERR:
                return DropReason.CKSUM_ERR;
            case DecapResult.INVALID_LABEL:
                return DropReason.INVALID_LABEL;
            case DecapResult.INVALID_VNID:
                return DropReason.INVALID_VNID;
            case DecapResult.INVALID_PROTOCOL:
                return DropReason.INVALID_PROTOCOL;
            case DecapResult.FRAGMENT:
                return DropReason.FRAGMENTS;
            default:
                return DropReason.INVALID_PACKET;
        }
    }

    private long mac(final int offset)
    {
        return MacAddress.read(buf, offset);
    }
}
