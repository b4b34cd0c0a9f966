package io.vrouter.core.flow;

import java.nio.ByteOrder;
import java.util.function.LongSupplier;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.status.DropReason;
import io.vrouter.encap.EntropyHash;
import io.vrouter.wire.AddressFamily;
import io.vrouter.wire.Checksums;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;

/**
 * One worker's flow stage: builds the key of a packet that needs a flow, looks it up and, on a
 * miss, evaluates the compiled policy and installs both directions in line, on this core.
 * <p>
 * After {@link #decide} returns null (go on), {@link #index()}, {@link #udpSourcePort()},
 * {@link #mirror()}, {@link #destinationVrf()} describe the flow; NAT has been applied to the packet.
 * Nothing is allocated per packet.
 * <p>
 * Slow path: a miss the policy cannot decide (the VRF belongs to no network) creates a HOLD entry
 * and the packet waits in this worker's hold queue ({@value #HOLD_PER_FLOW} packets per flow, as
 * Contrail; {@link #held()} tells the caller not to count it as a drop). Whoever programs the
 * entry ({@code vr_flow_req} by index: forward or drop) releases the packets: the forwarder
 * re-injects decided ones at its next batch ({@link #heldDecision(int)}).
 */
public final class FlowStage
{
    /** Contrail's flow drop reason for a policy deny ({@code flow -l} "Policy"). */
    public static final int DROP_REASON_POLICY = 21;
    /** Contrail's flow drop reason "FlowLim". */
    public static final int DROP_REASON_FLOW_LIMIT = 11;

    /** Packets one HOLD flow may queue (Contrail: 3); more are dropped as Flow Queue Limit Exceeded. */
    public static final int HOLD_PER_FLOW = 3;
    /** Packets this worker's hold queue holds over all flows. */
    public static final int HOLD_QUEUE = 64;
    /** {@link #heldDecision(int)}: still waiting. */
    public static final int HELD_WAITING = 0;
    /** {@link #heldDecision(int)}: the flow was decided; re-inject the packet. */
    public static final int HELD_DECIDED = 1;
    /** {@link #heldDecision(int)}: the flow went away (deleted, aged); drop the packet. */
    public static final int HELD_GONE = 2;

    private static final int ICMP_ECHO_REPLY = 0;
    /** {@link #miss} refusal: no free fabric SNAT port (beside the table's own negative codes). */
    private static final int SNAT_NO_PORT = -100;
    private static final int ICMP_ECHO_REQUEST = 8;
    private static final int ICMP6_ECHO_REQUEST = 128;
    private static final int ICMP6_ECHO_REPLY = 129;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST = 0x04;

    private final FlowTable table;
    private final PolicyTable policy;
    private final LongSupplier clock;
    private final FlowKey key = new FlowKey();
    private final FlowKey reverse = new FlowKey();
    private final FlowKey translated = new FlowKey();
    private final FlowTable.Setup setup = new FlowTable.Setup();

    private ReverseKeyNh reverseKeyNh = (vrf, forward) -> forward.nhId;
    private boolean inBatch;
    private long batchNow;
    private int index = -1;
    private int udpSourcePort;
    private int mirror = -1;
    private int destinationVrf = -1;
    private boolean held;
    private boolean toNode;
    private FlowKey[] batchKeys = new FlowKey[0];
    private int[] batchL4 = new int[0];
    private int[] batchDistinct = new int[0];
    private FlowKey[] distinctKeys = new FlowKey[0];
    private long[] distinctHashes = new long[0];
    private int[] distinctFound = new int[0];
    private int hitIndex = -1;
    private long hitPackets;
    private long hitBytes;
    private long hitNow;
    private final UnsafeBuffer[] heldFrames = new UnsafeBuffer[HOLD_QUEUE];
    private final int[] heldFlow = new int[HOLD_QUEUE];
    private final int[] heldGen = new int[HOLD_QUEUE];
    private final int[] heldVif = new int[HOLD_QUEUE];
    private final int[] heldLength = new int[HOLD_QUEUE];
    private int heldCount;
    private final int maxFrame;

    /**
     * A worker's stage.
     *
     * @param table  the shared table.
     * @param policy the compiled policy.
     * @param clock  nanosecond clock (injectable for aging tests).
     */
    public FlowStage(final FlowTable table, final PolicyTable policy, final LongSupplier clock)
    {
        this(table, policy, clock, 10240);
    }

    /**
     * A worker's stage.
     *
     * @param table    the shared table.
     * @param policy   the compiled policy.
     * @param clock    nanosecond clock (injectable for aging tests).
     * @param maxFrame largest frame the hold queue keeps.
     */
    public FlowStage(final FlowTable table, final PolicyTable policy, final LongSupplier clock, final int maxFrame)
    {
        this.table = table;
        this.policy = policy;
        this.clock = clock;
        this.maxFrame = maxFrame;
        for (int i = 0; i < HOLD_QUEUE; i++)
        {
            heldFrames[i] = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(maxFrame));
        }
    }

    /**
     * Tells which next hop keys the reverse direction of a new flow: the one the reply will carry
     * when it comes to this node (reference §2.2: the key's next hop stands for where the packet
     * came from).
     */
    @FunctionalInterface
    public interface ReverseKeyNh
    {
        /**
         * The reverse key's next hop.
         *
         * @param vrf     the forward flow's VRF.
         * @param forward the forward key.
         * @return next hop id.
         */
        int of(int vrf, FlowKey forward);
    }

    /**
     * Sets how the reverse key's next hop is found (the forwarder's: the local interface the forward
     * flow's destination is on, when that interface keys its own packets). The default keeps the
     * forward key's, right for every flow whose other end is behind the fabric.
     *
     * @param r the resolver; must not allocate.
     */
    public void reverseKeyNh(final ReverseKeyNh r)
    {
        this.reverseKeyNh = r;
    }

    /**
     * Starts a batch: the clock is read once here and every flow the batch's packets hit or make is
     * stamped with that time (a batch lasts microseconds; aging works in seconds). Reading the clock
     * per packet costs about as much as the flow lookup itself on a virtual machine's clock source.
     */
    public void beginBatch()
    {
        batchNow = clock.getAsLong();
        inBatch = true;
    }

    /**
     * Ends a batch: later decisions outside a batch read the clock themselves again.
     */
    public void endBatch()
    {
        flushHits();
        inBatch = false;
    }

    /** Writes the statistics of the run of hits on one flow that {@link #apply} has been adding up. */
    private void flushHits()
    {
        if (hitIndex >= 0)
        {
            table.hit(hitIndex, hitPackets, hitBytes, hitNow);
            hitIndex = -1;
        }
    }

    /**
     * Whether the last {@link #decide} queued the packet on a HOLD flow (not a drop, not forwarded).
     *
     * @return true if held.
     */
    public boolean held()
    {
        return held;
    }

    /**
     * Whether the last {@link #decide} let the packet on without a flow because it is the node's own: in the
     * fabric VRF, addressed to the node's fabric address (fabric SNAT on), and not the reply of a translated
     * flow. It goes on to its route (the node's receive next hop, which hands it back to the kernel);
     * {@link #index()} is -1.
     *
     * @return true for such a packet.
     */
    public boolean toNode()
    {
        return toNode;
    }

    /** A packet in the fabric VRF to the node's fabric address that is no translated flow's (IPv4, SNAT on). */
    private boolean forTheNode(final int vrf)
    {
        final FabricSnat snat = policy.fabricSnat();
        return key.family == AddressFamily.INET && snat.ports() > 0 && vrf == snat.fabricVrf()
            && key.dst4() == snat.address();
    }

    /**
     * Packets waiting in the hold queue.
     *
     * @return count.
     */
    public int heldCount()
    {
        return heldCount;
    }

    /**
     * What became of a held packet's flow.
     *
     * @param i position in the queue, 0 to {@link #heldCount()} - 1.
     * @return {@link #HELD_WAITING}, {@link #HELD_DECIDED} or {@link #HELD_GONE}.
     */
    public int heldDecision(final int i)
    {
        final int fi = heldFlow[i];
        final int state = table.stateWord(fi);
        if ((state & 0xFF) != FlowTable.ACTIVE || state >>> 8 != heldGen[i])
        {
            return HELD_GONE;
        }
        return table.intField(fi, FlowTable.E_ACTION) == FlowAction.HOLD ? HELD_WAITING : HELD_DECIDED;
    }

    /**
     * A held packet's frame.
     *
     * @param i position.
     * @return buffer holding the frame at offset 0.
     */
    public UnsafeBuffer heldFrame(final int i)
    {
        return heldFrames[i];
    }

    /**
     * A held packet's length.
     *
     * @param i position.
     * @return bytes.
     */
    public int heldLength(final int i)
    {
        return heldLength[i];
    }

    /**
     * A held packet's ingress interface.
     *
     * @param i position.
     * @return vif index.
     */
    public int heldVif(final int i)
    {
        return heldVif[i];
    }

    /**
     * Removes a held packet (after re-injecting or dropping it); later packets move up, so a flow's
     * packets keep their order.
     *
     * @param i position.
     */
    public void removeHeld(final int i)
    {
        final UnsafeBuffer b = heldFrames[i];
        final int n = heldCount - i - 1;
        System.arraycopy(heldFrames, i + 1, heldFrames, i, n);
        System.arraycopy(heldFlow, i + 1, heldFlow, i, n);
        System.arraycopy(heldGen, i + 1, heldGen, i, n);
        System.arraycopy(heldVif, i + 1, heldVif, i, n);
        System.arraycopy(heldLength, i + 1, heldLength, i, n);
        heldCount--;
        heldFrames[heldCount] = b;
    }

    /**
     * The table.
     *
     * @return it.
     */
    public FlowTable table()
    {
        return table;
    }

    /**
     * The flow of the last packet that went on.
     *
     * @return entry index, or -1.
     */
    public int index()
    {
        return index;
    }

    /**
     * The flow's stored tunnel UDP source port (reference §2.5).
     *
     * @return the port.
     */
    public int udpSourcePort()
    {
        return udpSourcePort;
    }

    /**
     * The flow's mirror index, if the flow mirrors.
     *
     * @return mirror index or -1.
     */
    public int mirror()
    {
        return mirror;
    }

    /**
     * The VRF to route in when the flow translates VRFs.
     *
     * @return VRF or -1 for no translation.
     */
    public int destinationVrf()
    {
        return destinationVrf;
    }

    /**
     * The key built for the last packet (diagnostics, tests).
     *
     * @return the key (reused).
     */
    public FlowKey lastKey()
    {
        return key;
    }

    /**
     * Decides a packet that needs a flow.
     *
     * @param buf          packet buffer.
     * @param l3           IP header offset (validated by the caller).
     * @param version      4 or 6.
     * @param keyNhId      next hop standing for the VRF in the key.
     * @param vrf          VRF the packet is in.
     * @param inVif        ingress interface (where a held packet is re-injected).
     * @param owner        local interface a new flow is charged to (per-interface limit).
     * @param dropNewFlows whether the ingress interface refuses new flows (vif flag Df).
     * @param frameOffset  where the frame starts (kept whole if the packet is held).
     * @param frameLength  bytes, for the flow's statistics.
     * @return null to go on (or held: see {@link #held()}), or the reason to drop and count.
     */
    public DropReason decide(
        final UnsafeBuffer buf, final int l3, final int version, final int keyNhId, final int vrf, final int inVif,
        final int owner, final boolean dropNewFlows, final int frameOffset, final int frameLength)
    {
        final int l4 = version == 4 ? key4(key, buf, l3, keyNhId) : key6(key, buf, l3, keyNhId);
        return resolve(l4 < 0 ? -1 : table.lookup(key, key.hash()), buf, l3, l4, version, vrf, inVif, owner,
            dropNewFlows, frameOffset, frameLength);
    }

    /**
     * Keys packet {@code i} of a batch of packets that need a flow, for {@link #lookupKeyed}: the first of the
     * batched flow decision's three steps (key every packet, look every key up at once, then decide each packet in
     * order with {@link #decideKeyed}).
     *
     * @param i       the packet's position in the batch (from 0).
     * @param buf     packet buffer.
     * @param l3      IP header offset (validated by the caller).
     * @param version 4 or 6.
     * @param keyNhId next hop standing for the VRF in the key.
     */
    public void key(final int i, final UnsafeBuffer buf, final int l3, final int version, final int keyNhId)
    {
        if (i >= batchKeys.length)
        {
            growBatch(i + 1);
        }
        final FlowKey k = batchKeys[i];
        final int l4 = version == 4 ? key4(k, buf, l3, keyNhId) : key6(k, buf, l3, keyNhId);
        batchL4[i] = l4;
        if (i > 0 && k.sameAs(batchKeys[i - 1]))
        {
            // A run of one flow's packets (a TCP burst): one hash and one lookup for the run.
            batchDistinct[i] = batchDistinct[i - 1];
            return;
        }
        final int d = i == 0 ? 0 : batchDistinct[i - 1] + 1;
        batchDistinct[i] = d;
        distinctKeys[d] = k;
        distinctHashes[d] = k.hash();
    }

    /**
     * Looks up the keys of packets 0 to {@code n - 1} together, so that their memory misses overlap
     * ({@link FlowTable#lookupBatch}).
     *
     * @param n how many packets were keyed.
     */
    public void lookupKeyed(final int n)
    {
        if (n == 0)
        {
            return;
        }
        table.lookupBatch(distinctKeys, distinctHashes, batchDistinct[n - 1] + 1, distinctFound);
    }

    /**
     * Decides packet {@code i} of the batch keyed and looked up before, exactly as {@link #decide} would: packets are
     * decided in order, so a packet whose flow an earlier packet of the batch set up finds it (a miss is looked up
     * again). A hit stays right: setting up a flow in line never deletes an entry, and an entry keeps its index
     * when the index moves its key to the other bucket.
     *
     * @param i            the packet's position in the batch.
     * @param buf          packet buffer.
     * @param l3           IP header offset.
     * @param version      4 or 6.
     * @param vrf          VRF the packet is in.
     * @param inVif        ingress interface.
     * @param owner        local interface a new flow is charged to.
     * @param dropNewFlows whether the ingress interface refuses new flows.
     * @param frameOffset  where the frame starts.
     * @param frameLength  bytes.
     * @return as {@link #decide}.
     */
    public DropReason decideKeyed(
        final int i, final UnsafeBuffer buf, final int l3, final int version, final int vrf, final int inVif,
        final int owner, final boolean dropNewFlows, final int frameOffset, final int frameLength)
    {
        final int l4 = batchL4[i];
        final int d = batchDistinct[i];
        int fi = distinctFound[d];
        if (fi < 0 && l4 >= 0)
        {
            fi = table.lookup(distinctKeys[d], distinctHashes[d]);
        }
        if (fi < 0)
        {
            key.copyOf(batchKeys[i]);
        }
        else
        {
            key.proto = batchKeys[i].proto;
        }
        return resolve(fi, buf, l3, l4, version, vrf, inVif, owner, dropNewFlows, frameOffset, frameLength);
    }

    private void growBatch(final int n)
    {
        final int size = Math.max(n, batchKeys.length * 2);
        final FlowKey[] keys = java.util.Arrays.copyOf(batchKeys, size);
        for (int i = batchKeys.length; i < size; i++)
        {
            keys[i] = new FlowKey();
        }
        batchKeys = keys;
        batchL4 = java.util.Arrays.copyOf(batchL4, size);
        batchDistinct = java.util.Arrays.copyOf(batchDistinct, size);
        distinctKeys = java.util.Arrays.copyOf(distinctKeys, size);
        distinctHashes = java.util.Arrays.copyOf(distinctHashes, size);
        distinctFound = java.util.Arrays.copyOf(distinctFound, size);
    }

    /**
     * The decision once the packet is keyed ({@code key} holds at least its protocol, and the whole key on a miss)
     * and looked up: {@code fi} is its entry or -1; {@code l4} is -1 for a non-head fragment.
     */
    private DropReason resolve(
        final int found, final UnsafeBuffer buf, final int l3, final int l4, final int version, final int vrf,
        final int inVif, final int owner, final boolean dropNewFlows, final int frameOffset, final int frameLength)
    {
        held = false;
        toNode = false;
        index = -1;
        mirror = -1;
        destinationVrf = -1;
        if (l4 < 0)
        {
            // Non-head fragments carry no ports; without a fragment table they cannot be keyed.
            return DropReason.NO_FRAG_ENTRY;
        }
        final long now = inBatch ? batchNow : clock.getAsLong();
        int fi = found;
        if (fi < 0)
        {
            if (forTheNode(vrf))
            {
                // Not the reply of a translated flow: the node's own (its pings' replies, ICMP errors for it),
                // which the kernel handed over with the SNAT replies. No flow: it goes on to its route, the
                // receive next hop, and back to the kernel (architecture.md, ADR 0008).
                toNode = true;
                return null;
            }
            if (dropNewFlows)
            {
                return DropReason.NEW_FLOWS;
            }
            // The miss path is its own method so that the hit path stays small enough for the JIT to
            // compile it the same way every time.
            fi = miss(vrf, owner, now);
            if (fi < 0)
            {
                return refusal(fi);
            }
        }
        if (table.intField(fi, FlowTable.E_ACTION) == FlowAction.HOLD)
        {
            return hold(fi, buf, frameOffset, frameLength, inVif);
        }
        return apply(buf, l3, l4, version, fi, key.proto, frameLength, now);
    }

    /** Keys an IPv4 packet; returns the L4 offset, or -1 for a non-head fragment. */
    private static int key4(final FlowKey key, final UnsafeBuffer buf, final int l3, final int keyNhId)
    {
        if ((Ipv4Header.flagsAndFragmentOffset(buf, l3) & 0x1FFF) != 0)
        {
            return -1;
        }
        final int proto = Ipv4Header.protocol(buf, l3);
        final int l4 = l3 + Ipv4Header.headerLength(buf, l3);
        keyPorts(key, buf, l4, proto, Ipv4Header.totalLength(buf, l3) - (l4 - l3));
        key.set4(keyNhId, proto, Ipv4Header.srcAddress(buf, l3), Ipv4Header.dstAddress(buf, l3), key.sport,
            key.dport);
        return l4;
    }

    /** Keys an IPv6 packet; returns the L4 offset. */
    private static int key6(final FlowKey key, final UnsafeBuffer buf, final int l3, final int keyNhId)
    {
        final int proto = Ipv6Header.nextHeader(buf, l3);
        final int l4 = l3 + Ipv6Header.HEADER_LENGTH;
        keyPorts(key, buf, l4, proto, Ipv6Header.payloadLength(buf, l3));
        key.nhId = keyNhId;
        key.family = AddressFamily.INET6;
        key.proto = proto;
        key.srcHi = Ipv6Header.srcAddressHi(buf, l3);
        key.srcLo = Ipv6Header.srcAddressLo(buf, l3);
        key.dstHi = Ipv6Header.dstAddressHi(buf, l3);
        key.dstLo = Ipv6Header.dstAddressLo(buf, l3);
        return l4;
    }

    /**
     * A flow miss: the compiled policy decides in line and both entries are installed, or a HOLD
     * entry waits for the slow path when the VRF belongs to no network.
     *
     * @return the entry, or the table's negative refusal code.
     */
    private int miss(final int vrf, final int owner, final long now)
    {
        final FabricSnat snat = policy.fabricSnat();
        if (key.family == AddressFamily.INET && snat.covers(vrf) && snatProtocol()
            && policy.networkOfAddress(vrf, key.dst4()) < 0)
        {
            // Outside every overlay network: Contrail's ip-fabric policy lets the pod network reach the fabric,
            // through the node's fabric address.
            return setupSnat(vrf, owner, snat, now);
        }
        final int verdict = policy.evaluate(key, vrf);
        if (verdict == PolicyTable.UNDECIDED)
        {
            return setupHold(vrf, owner, now);
        }
        if (verdict == PolicyTable.PASS && key.family == AddressFamily.INET
            && (key.proto == IpProtocol.TCP || key.proto == IpProtocol.UDP))
        {
            final long chosen = policy.services().choose(vrf, key.proto, key.dst4(), key.dport, flowHash(key, vrf));
            if (chosen != ServiceTable.NONE)
            {
                return setupService(vrf, owner, chosen, now);
            }
        }
        return setupPair(vrf, owner, verdict == PolicyTable.PASS, now);
    }

    /**
     * A new flow to a service: the forward entry translates the destination to the chosen backend (address
     * and port, DNAT and DPAT), the reverse entry is keyed as the backend's reply comes and translates its
     * source back to the service's (SNAT and SPAT); both values come from the other entry's key, as every NAT
     * flow's. The forward entry records the backend's index as its ECMP member.
     */
    private int setupService(final int vrf, final int owner, final long chosen, final long now)
    {
        final FlowKey translated = this.translated;
        translated.copyOf(key);
        translated.dstHi = 0;
        translated.dstLo = ServiceTable.backendAddress(chosen) & 0xFFFFFFFFL;
        translated.dport = ServiceTable.targetPort(chosen);
        final int reverseNh = reverseKeyNh.of(vrf, translated);
        reverse.reverseOf(translated);
        reverse.nhId = reverseNh;
        return insertPair(vrf, owner, FlowAction.NAT, FlowAction.FLAG_DNAT | FlowAction.FLAG_DPAT,
            FlowAction.FLAG_SNAT | FlowAction.FLAG_SPAT, ServiceTable.backendIndex(chosen), 0, now);
    }

    /** TCP, UDP and ICMP echo (keyed by its identifier, destination port 0) have a port to translate. */
    private boolean snatProtocol()
    {
        return key.proto == IpProtocol.TCP || key.proto == IpProtocol.UDP
            || (key.proto == IpProtocol.ICMP && key.dport == 0);
    }

    /**
     * A new flow leaving through fabric SNAT: the forward entry translates the source to the node's fabric
     * address and a port of the node's range (SNAT and SPAT) and is routed in the fabric VRF; the reverse entry
     * is keyed as the reply arrives in the fabric VRF (remote address and port to the fabric address and the
     * chosen port; an echo reply by its identifier) and translates the destination back to the pod's (DNAT and
     * DPAT), routed in the pod's VRF. The port is the first free one from a start chosen by the flow hash;
     * none free is {@link #SNAT_NO_PORT}.
     */
    private int setupSnat(final int vrf, final int owner, final FabricSnat snat, final long now)
    {
        final int fabricVrf = snat.fabricVrf();
        final int ports = snat.ports();
        final int low = snat.portLow();
        final boolean icmp = key.proto == IpProtocol.ICMP;
        final FlowKey r = reverse;
        final int reverseNh = reverseKeyNh.of(fabricVrf, key);
        final int start = (flowHash(key, vrf) & 0x7FFFFFFF) % ports;
        int port = -1;
        for (int i = 0; i < ports; i++)
        {
            final int candidate = low + (start + i) % ports;
            if (icmp)
            {
                r.set4(reverseNh, key.proto, key.dst4(), snat.address(), candidate, 0);
            }
            else
            {
                r.set4(reverseNh, key.proto, key.dst4(), snat.address(), key.dport, candidate);
            }
            if (table.lookup(r, r.hash()) < 0)
            {
                port = candidate;
                break;
            }
        }
        if (port < 0)
        {
            return SNAT_NO_PORT;
        }
        final FlowTable.Setup s = setup;
        s.action = FlowAction.NAT;
        s.flags = FlowAction.FLAG_SNAT | FlowAction.FLAG_SPAT | FlowAction.FLAG_VRFT;
        s.reverseFlags = FlowAction.FLAG_DNAT | FlowAction.FLAG_DPAT | FlowAction.FLAG_VRFT;
        s.vrf = vrf;
        s.dvrf = fabricVrf;
        s.reverseVrf = fabricVrf;
        s.reverseDvrf = vrf;
        s.ownerVif = owner;
        s.mirror = -1;
        s.ecmp = -1;
        s.srcNh = key.nhId;
        s.dropReason = 0;
        s.withReverse = true;
        s.inline = true;
        s.udpSport = sourcePort(key, vrf);
        s.reverseUdpSport = sourcePort(r, fabricVrf);
        return table.insert(key, key.hash(), r, r.hash(), s, now);
    }

    /** The flow hash a service's backend is chosen by: the 5-tuple and VRF, as the tunnel source port's. */
    private static int flowHash(final FlowKey k, final int vrf)
    {
        return EntropyHash.ipHash(k.src4(), k.dst4(), vrf, k.sport, k.dport);
    }

    private static void keyPorts(
        final FlowKey key, final UnsafeBuffer buf, final int l4, final int proto, final int l4Length)
    {
        key.sport = 0;
        key.dport = 0;
        if ((proto == IpProtocol.TCP || proto == IpProtocol.UDP) && l4Length >= 4)
        {
            key.sport = buf.getShort(l4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            key.dport = buf.getShort(l4 + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        else if ((proto == IpProtocol.ICMP || proto == IpProtocol.ICMPV6) && l4Length >= 8)
        {
            final int type = buf.getByte(l4) & 0xFF;
            if (type == ICMP_ECHO_REQUEST || type == ICMP_ECHO_REPLY || type == ICMP6_ECHO_REQUEST
                || type == ICMP6_ECHO_REPLY)
            {
                key.sport = buf.getShort(l4 + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                key.dport = 0;
            }
            else
            {
                key.dport = type;
            }
        }
    }

    private int setupPair(final int vrf, final int inVif, final boolean pass, final long now)
    {
        reverse.reverseOf(key);
        reverse.nhId = reverseKeyNh.of(vrf, key);
        if (key.proto == IpProtocol.ICMP || key.proto == IpProtocol.ICMPV6)
        {
            // An echo reply is keyed like its request (id, 0): only the addresses swap.
            reverse.sport = key.sport;
            reverse.dport = key.dport;
        }
        return insertPair(vrf, inVif, pass ? FlowAction.FORWARD : FlowAction.DROP, 0, 0, -1,
            pass ? 0 : DROP_REASON_POLICY, now);
    }

    /**
     * Inserts {@code key} and the {@code reverse} key already made from it as a linked pair in one VRF, set up in
     * line, each with its own entropy source port.
     */
    private int insertPair(final int vrf, final int owner, final int action, final int flags,
        final int reverseFlags, final int ecmp, final int dropReason, final long now)
    {
        final FlowTable.Setup s = setup;
        s.action = action;
        s.flags = flags;
        s.reverseFlags = reverseFlags;
        s.vrf = vrf;
        s.dvrf = vrf;
        s.reverseVrf = vrf;
        s.reverseDvrf = vrf;
        s.ownerVif = owner;
        s.mirror = -1;
        s.ecmp = ecmp;
        s.srcNh = key.nhId;
        s.dropReason = dropReason;
        s.withReverse = true;
        s.inline = true;
        s.udpSport = sourcePort(key, vrf);
        s.reverseUdpSport = sourcePort(reverse, vrf);
        return table.insert(key, key.hash(), reverse, reverse.hash(), s, now);
    }

    private int setupHold(final int vrf, final int inVif, final long now)
    {
        final FlowTable.Setup s = setup;
        s.action = FlowAction.HOLD;
        s.flags = 0;
        s.vrf = vrf;
        s.dvrf = vrf;
        s.ownerVif = inVif;
        s.mirror = -1;
        s.ecmp = -1;
        s.srcNh = key.nhId;
        s.dropReason = 0;
        s.withReverse = false;
        s.inline = true;
        s.udpSport = sourcePort(key, vrf);
        return table.insert(key, key.hash(), key, key.hash(), s, now);
    }

    private DropReason hold(final int fi, final UnsafeBuffer buf, final int frameOffset, final int frameLength,
        final int inVif)
    {
        int queued = 0;
        for (int i = 0; i < heldCount; i++)
        {
            if (heldFlow[i] == fi)
            {
                queued++;
            }
        }
        if (queued >= HOLD_PER_FLOW || heldCount == HOLD_QUEUE || frameLength > maxFrame)
        {
            return DropReason.FLOW_QUEUE_LIMIT_EXCEEDED;
        }
        final int at = heldCount++;
        heldFrames[at].putBytes(0, buf, frameOffset, frameLength);
        heldFlow[at] = fi;
        heldGen[at] = table.gen(fi);
        heldVif[at] = inVif;
        heldLength[at] = frameLength;
        held = true;
        return null;
    }

    private static int sourcePort(final FlowKey k, final int vrf)
    {
        final boolean ports = k.proto == IpProtocol.TCP || k.proto == IpProtocol.UDP;
        if (k.family == AddressFamily.INET)
        {
            return EntropyHash.portFromHash(EntropyHash.ipHash(k.src4(), k.dst4(), vrf, ports ? k.sport : 0,
                ports ? k.dport : 0));
        }
        return EntropyHash.portFromHash(EntropyHash.ipHash(
            (int)(k.srcHi ^ (k.srcHi >>> 32) ^ k.srcLo ^ (k.srcLo >>> 32)),
            (int)(k.dstHi ^ (k.dstHi >>> 32) ^ k.dstLo ^ (k.dstLo >>> 32)), vrf, k.proto, 0));
    }

    private static DropReason refusal(final int code)
    {
        switch (code)
        {
            case FlowTable.VIF_LIMIT:
                return DropReason.FLOW_VIF_LIMIT;
            case FlowTable.VRF_LIMIT:
                return DropReason.FLOW_VRF_LIMIT;
            case FlowTable.HOLD_LIMIT:
                return DropReason.NEW_FLOWS;
            case FlowTable.FULL:
                return DropReason.FLOW_TABLE_FULL;
            case SNAT_NO_PORT:
                return DropReason.FLOW_SNAT_NO_PORT;
            default:
                return DropReason.FLOW_UNUSABLE;
        }
    }

    private DropReason apply(
        final UnsafeBuffer buf, final int l3, final int l4, final int version, final int fi, final int proto,
        final int frameLength, final long now)
    {
        if (!inBatch)
        {
            table.hit(fi, 1, frameLength, now);
        }
        else
        {
            // Within a batch, consecutive hits on one flow are added up and written once (a TCP burst costs one
            // update of the entry's counters, not one per packet); endBatch() writes the last run.
            if (fi != hitIndex)
            {
                flushHits();
                hitIndex = fi;
                hitPackets = 0;
                hitBytes = 0;
                hitNow = now;
            }
            hitPackets++;
            hitBytes += frameLength;
        }
        if (proto == IpProtocol.TCP)
        {
            trackTcp(buf, l4, fi, now);
        }
        final int action = table.intField(fi, FlowTable.E_ACTION);
        switch (action)
        {
            case FlowAction.FORWARD:
                break;
            case FlowAction.NAT:
                if (!nat(buf, l3, l4, version, fi, proto))
                {
                    return DropReason.FLOW_NAT_NO_RFLOW;
                }
                break;
            case FlowAction.DROP:
                return DropReason.FLOW_ACTION_DROP;
            default:
                return DropReason.FLOW_ACTION_INVALID;
        }
        index = fi;
        udpSourcePort = table.intField(fi, FlowTable.E_UDP_SPORT);
        final int flags = table.intField(fi, FlowTable.E_FLAGS);
        if ((flags & FlowAction.FLAG_MIRROR) != 0)
        {
            mirror = table.intField(fi, FlowTable.E_MIRROR);
        }
        if ((flags & FlowAction.FLAG_VRFT) != 0)
        {
            destinationVrf = table.intField(fi, FlowTable.E_DVRF);
        }
        return null;
    }

    private void trackTcp(final UnsafeBuffer buf, final int l4, final int fi, final long now)
    {
        final int bits = buf.getByte(l4 + 13) & 0xFF;
        if ((bits & (TCP_FIN | TCP_SYN | TCP_RST)) == 0)
        {
            return;
        }
        int add = 0;
        if ((bits & TCP_SYN) != 0)
        {
            add |= FlowAction.TCP_SYN;
        }
        if ((bits & TCP_FIN) != 0)
        {
            add |= FlowAction.TCP_FIN;
        }
        if ((bits & TCP_RST) != 0)
        {
            add |= FlowAction.TCP_RST;
        }
        final int mine = table.addTcpFlags(fi, add);
        final int rflow = table.intField(fi, FlowTable.E_RFLOW);
        final int theirs = rflow >= 0 && (table.intField(fi, FlowTable.E_FLAGS) & FlowAction.FLAG_RFLOW_VALID) != 0
            ? table.intField(rflow, FlowTable.E_TCP_FLAGS) : 0;
        if ((mine & FlowAction.TCP_RST) != 0
            || ((mine & FlowAction.TCP_FIN) != 0 && (theirs & FlowAction.TCP_FIN) != 0))
        {
            // Closed: both entries become eviction candidates; the ager reclaims them after tcpCloseNs.
            markClosed(fi, now);
            if (rflow >= 0)
            {
                markClosed(rflow, now);
            }
        }
    }

    private void markClosed(final int fi, final long now)
    {
        table.addTcpFlags(fi, FlowAction.TCP_DEAD);
        table.putIntField(fi, FlowTable.E_FLAGS, table.intField(fi, FlowTable.E_FLAGS)
            | FlowAction.FLAG_EVICT_CANDIDATE);
        table.putIntField(fi, FlowTable.E_CLOSED_AT, (int)(now / 1_000_000L) | 1);
    }

    /**
     * Rewrites addresses/ports from the reverse flow's key (Contrail: the reverse key holds the
     * translated values), with incremental IPv4 header and TCP/UDP checksum updates.
     */
    private boolean nat(
        final UnsafeBuffer buf, final int l3, final int l4, final int version, final int fi, final int proto)
    {
        final int flags = table.intField(fi, FlowTable.E_FLAGS);
        final int rflow = table.intField(fi, FlowTable.E_RFLOW);
        if ((flags & FlowAction.FLAG_RFLOW_VALID) == 0 || rflow < 0 || !table.isActive(rflow) || version != 4)
        {
            return false;
        }
        table.readKey(rflow, reverse);
        final boolean udp = proto == IpProtocol.UDP;
        final boolean ports = proto == IpProtocol.TCP || udp;
        if (proto == IpProtocol.ICMP && (flags & (FlowAction.FLAG_SPAT | FlowAction.FLAG_DPAT)) != 0)
        {
            // An echo's identifier is its port: both entries' keys hold the other side's in sport.
            l4Rewrite16(buf, l4 + 4, l4 + 2, false, reverse.sport);
        }
        final int l4csum = proto == IpProtocol.TCP ? l4 + 16 : l4 + 6;
        if ((flags & FlowAction.FLAG_SNAT) != 0)
        {
            final int old = Ipv4Header.srcAddress(buf, l3);
            final int now = reverse.dst4();
            rewrite32(buf, l3 + 12, l3 + 10, old, now);
            if (ports)
            {
                l4Rewrite32(buf, l4csum, udp, old, now);
            }
        }
        if ((flags & FlowAction.FLAG_DNAT) != 0)
        {
            final int old = Ipv4Header.dstAddress(buf, l3);
            final int now = reverse.src4();
            rewrite32(buf, l3 + 16, l3 + 10, old, now);
            if (ports)
            {
                l4Rewrite32(buf, l4csum, udp, old, now);
            }
        }
        if (ports && (flags & FlowAction.FLAG_SPAT) != 0)
        {
            l4Rewrite16(buf, l4, l4csum, udp, reverse.dport);
        }
        if (ports && (flags & FlowAction.FLAG_DPAT) != 0)
        {
            l4Rewrite16(buf, l4 + 2, l4csum, udp, reverse.sport);
        }
        return true;
    }

    private static void rewrite32(final UnsafeBuffer buf, final int field, final int csum, final int old,
        final int now)
    {
        buf.putInt(field, now, ByteOrder.BIG_ENDIAN);
        final int c = buf.getShort(csum, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        buf.putShort(csum, (short)Checksums.adjust32(c, old, now), ByteOrder.BIG_ENDIAN);
    }

    private static void l4Rewrite32(final UnsafeBuffer buf, final int csum, final boolean udp, final int old,
        final int now)
    {
        final int c = buf.getShort(csum, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (udp && c == 0)
        {
            return;
        }
        final int n = Checksums.adjust32(c, old, now);
        buf.putShort(csum, (short)(udp && n == 0 ? 0xFFFF : n), ByteOrder.BIG_ENDIAN);
    }

    private static void l4Rewrite16(final UnsafeBuffer buf, final int field, final int csum, final boolean udp,
        final int now)
    {
        final int old = buf.getShort(field, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        buf.putShort(field, (short)now, ByteOrder.BIG_ENDIAN);
        final int c = buf.getShort(csum, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (udp && c == 0)
        {
            return;
        }
        final int n = Checksums.adjust16(c, old, now);
        buf.putShort(csum, (short)(udp && n == 0 ? 0xFFFF : n), ByteOrder.BIG_ENDIAN);
    }
}
