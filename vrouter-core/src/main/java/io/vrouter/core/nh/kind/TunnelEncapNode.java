package io.vrouter.core.nh.kind;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.fib.RouteFlags;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.Vif;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.status.VrfTally;
import io.vrouter.encap.EntropyHash;
import io.vrouter.encap.IcmpErrors;
import io.vrouter.encap.MssClamp;
import io.vrouter.encap.TunnelType;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.IpProtocol;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.Ipv6Header;
import io.vrouter.wire.MacAddress;

/**
 * What the tunnel nodes share (reference §2.4–2.6, tf-vrouter's {@code nh_*_tunnel}): a routed packet is
 * checked against the tunnel's MTU (too big with DF: the ICMP answer goes back to the sender), its TCP MSS
 * clamped, and encapsulated with the route's label, its TTL and the flow's entropy source port (the flow's
 * stored one, else the hash of the packet); a bridged frame is encapsulated whole with the L2 hash's port.
 * The encapsulation itself is the subclass's: it paints the next hop's prebuilt outer headers in front of
 * the payload, in the buffer's headroom.
 * <p>Reads: {@code nh}, {@code vrf}, {@code label}, {@code l3}, {@code flow} and its source port,
 * {@code F_IPV6}, {@code F_DECREMENT}, {@code F_L2}, {@code F_FROM_FABRIC}, {@code F_MIRROR}. Writes: the
 * slot's output (the frame now starts at the outer Ethernet header).
 * <p>Next: none (sent; or the ICMP answer sent back on the ingress interface). Drops: Invalid NH, Invalid
 * Label (no label to push), Interface TX Discard, Nowhere To Go (a frame out of a tunnel), Clone Fail.
 */
abstract class TunnelEncapNode extends OutputNode
{
    private final VrfStat stat;

    /**
     * A tunnel node.
     *
     * @param id   node index.
     * @param name node name.
     * @param dp   the worker's datapath.
     * @param stat the VRF statistic an encapsulated packet or frame counts under.
     */
    TunnelEncapNode(final int id, final String name, final Datapath dp, final VrfStat stat)
    {
        super(id, name, dp);
        this.stat = stat;
    }

    /**
     * Encapsulates a routed packet.
     *
     * @param buf    the buffer.
     * @param l3     the packet's offset.
     * @param length the packet's length.
     * @param nh     the tunnel.
     * @param label  the label (or VNI) to push.
     * @param ttl    the packet's TTL, for the label.
     * @param sport  the entropy source port.
     * @param vrf    the VRF.
     * @param ipv6   whether the packet is IPv6.
     * @return the offset the outer frame starts at, or -1 if this tunnel cannot carry routed packets.
     */
    abstract int encapPacket(UnsafeBuffer buf, int l3, int length, NextHop nh, int label, int ttl, int sport,
        int vrf, boolean ipv6);

    /**
     * Encapsulates a bridged frame.
     *
     * @param buf    the buffer.
     * @param frame  the frame's offset.
     * @param length the frame's length.
     * @param nh     the tunnel.
     * @param label  the label (or VNI) to push.
     * @param sport  the entropy source port.
     * @param vrf    the VRF.
     * @return the offset the outer frame starts at, or -1 if this tunnel cannot carry frames.
     */
    abstract int encapFrame(UnsafeBuffer buf, int frame, int length, NextHop nh, int label, int sport, int vrf);

    /**
     * Sends a mirror copy through the tunnel; by default a tunnel cannot (the copy is a clone failure).
     *
     * @param batch the batch.
     * @param copy  the copy's slot ({@code l3} is the copy's start, {@code label} the mirror's VNI).
     * @param nh    the tunnel.
     */
    void mirrorCopy(final PacketBatch batch, final int copy, final NextHop nh)
    {
        dp.dropCopy(batch, copy);
    }

    @Override
    public final void process(final PacketBatch batch, final int[] slots, final int count)
    {
        // The routed packet is the loop's body (one method the JIT compiles whole; a call per packet to a
        // method of this size is not inlined); mirror copies, frames and the rare outcomes are calls.
        newVector();
        long tally = VrfTally.NONE;
        for (int i = 0; i < count; i++)
        {
            final int slot = slots[i];
            final NextHop nh = nextHop(batch, slot);
            final int flags = batch.flags(slot);
            if (nh == null || (flags & (PacketBatch.F_MIRROR | PacketBatch.F_L2)) != 0)
            {
                if (notPacket(batch, slot, nh, flags))
                {
                    tally = VrfTally.add(tally, batch.vrf(slot), dp.counters(), stat);
                }
                continue;
            }
            final UnsafeBuffer buf = batch.buffer(slot);
            final int l3 = batch.l3(slot);
            final int length = batch.l3Length(slot);
            final boolean ipv6 = (flags & PacketBatch.F_IPV6) != 0;
            if ((flags & PacketBatch.F_DECREMENT) != 0)
            {
                Datapath.decrementTtl(buf, l3, ipv6);
            }
            final int label = batch.label(slot);
            final Vif out = outInterface(nh.oif());
            if (label == RouteFlags.NO_LABEL || out == null)
            {
                dp.drop(batch, slot, label == RouteFlags.NO_LABEL ? DropReason.INVALID_LABEL
                    : DropReason.INTERFACE_TX_DISCARD);
                continue;
            }
            if (tooBig(batch, slot, buf, l3, length, ipv6, nh, out))
            {
                continue;
            }
            if (dp.mssClamp())
            {
                clampMss(buf, l3, length, ipv6, out.mtu());
            }
            final int vrf = batch.vrf(slot);
            final int ttl = ipv6 ? Ipv6Header.hopLimit(buf, l3) : Ipv4Header.ttl(buf, l3);
            final int sport = batch.flow(slot) >= 0 ? batch.sport(slot)
                : EntropyHash.portFromHash(Datapath.flowHash(buf, l3, ipv6, vrf));
            final int start = encapPacket(buf, l3, length, nh, label, ttl, sport, vrf, ipv6);
            if (start < 0)
            {
                dp.drop(batch, slot, DropReason.INVALID_NH);
                continue;
            }
            if (batch.isSuperFrame(slot))
            {
                // The super-frame's segments leave with consecutive outer IDs of this worker (its own and the next).
                dp.reserveIpIds(segments(length - transportHeaders(buf, l3, ipv6), batch.gsoSize(slot)) - 1);
            }
            dp.transmit(batch, slot, out, nh.oif(), start, l3 + length - start);
            tally = VrfTally.add(tally, vrf, dp.counters(), stat);
        }
        VrfTally.flush(tally, dp.counters(), stat);
    }

    /**
     * What is not a routed packet: a mirror copy (sent through the tunnel if it can carry one), a slot
     * without a next hop (dropped) or a bridged frame. True when a frame was encapsulated (and counts).
     */
    private boolean notPacket(final PacketBatch batch, final int slot, final NextHop nh, final int flags)
    {
        if ((flags & PacketBatch.F_MIRROR) != 0)
        {
            if (nh == null)
            {
                dp.dropCopy(batch, slot);
            }
            else
            {
                mirrorCopy(batch, slot, nh);
            }
            return false;
        }
        if (nh == null)
        {
            dp.drop(batch, slot, DropReason.INVALID_NH);
            return false;
        }
        return frame(batch, slot, nh, flags);
    }

    /** Sends a bridged frame through the tunnel: true when it was encapsulated (and counted). */
    private boolean frame(final PacketBatch batch, final int slot, final NextHop nh, final int flags)
    {
        if ((flags & PacketBatch.F_FROM_FABRIC) != 0)
        {
            dp.drop(batch, slot, DropReason.NOWHERE_TO_GO);
            return false;
        }
        final int label = batch.label(slot);
        if (label == RouteFlags.NO_LABEL)
        {
            dp.drop(batch, slot, DropReason.INVALID_LABEL);
            return false;
        }
        final UnsafeBuffer buf = batch.buffer(slot);
        final int frame = batch.offset(slot);
        final int length = batch.length(slot);
        final int vrf = batch.vrf(slot);
        final int start = encapFrame(buf, frame, length, nh, label, EntropyHash.l2SourcePort(buf, frame, vrf), vrf);
        if (start < 0)
        {
            dp.drop(batch, slot, DropReason.INVALID_NH);
            return false;
        }
        dp.transmit(batch, slot, nh.oif(), start, frame + length - start);
        return true;
    }

    /**
     * Whether the packet is too big for the tunnel's MTU and may not be fragmented; if so it has been
     * answered with the ICMP error.
     */
    private boolean tooBig(final PacketBatch batch, final int slot, final UnsafeBuffer buf, final int l3,
        final int length, final boolean ipv6, final NextHop nh, final Vif out)
    {
        final int mtu = out.mtu() - (TunnelType.overhead(nh.tunnelKind()) - Datapath.ETH_HLEN);
        // A super-frame leaves as segments: what must fit is its largest segment, not the super-frame.
        final int wire = batch.isSuperFrame(slot)
            ? Math.min(length, transportHeaders(buf, l3, ipv6) + batch.gsoSize(slot)) : length;
        if (wire > mtu && (ipv6 || (Ipv4Header.flagsAndFragmentOffset(buf, l3) & Ipv4Header.FLAG_DF) != 0))
        {
            batch.noOffload(slot);
            packetTooBig(batch, slot, buf, l3, length, ipv6, mtu);
            return true;
        }
        return false;
    }

    /** The IP and TCP headers' length of a TCP packet (what every segment of a super-frame repeats). */
    private static int transportHeaders(final UnsafeBuffer buf, final int l3, final boolean ipv6)
    {
        final int ip = ipv6 ? Ipv6Header.HEADER_LENGTH : Ipv4Header.headerLength(buf, l3);
        return ip + (((buf.getByte(l3 + ip + 12) & 0xF0) >>> 4) << 2);
    }

    /** How many segments of {@code size} payload bytes carry {@code payload} bytes (at least one). */
    private static int segments(final int payload, final int size)
    {
        return payload <= 0 ? 1 : (payload + size - 1) / size;
    }

    /**
     * Turns the packet into the ICMP "fragmentation needed" / ICMPv6 "packet too big" answer, in place, and
     * sends it back out of the interface it came from. The answer's source is the address the sender was
     * trying to reach (the forwarder has no address of its own in the overlay).
     */
    private void packetTooBig(final PacketBatch batch, final int slot, final UnsafeBuffer buf, final int l3,
        final int length, final boolean ipv6, final int mtu)
    {
        final long senderMac = MacAddress.read(buf, l3 - Datapath.ETH_HLEN + 6);
        final long gatewayMac = MacAddress.read(buf, l3 - Datapath.ETH_HLEN);
        final int start;
        final int answer;
        if (ipv6)
        {
            start = l3 - IcmpErrors.IPV6_HEADERS;
            answer = IcmpErrors.packetTooBig(buf, l3, length, buf, start, Ipv6Header.dstAddressHi(buf, l3),
                Ipv6Header.dstAddressLo(buf, l3), Math.max(mtu, Ipv6Header.MIN_MTU));
        }
        else
        {
            start = l3 - IcmpErrors.IPV4_HEADERS;
            answer = IcmpErrors.fragmentationNeeded(buf, l3, length, buf, start, Ipv4Header.dstAddress(buf, l3), mtu);
        }
        final int frame = start - Datapath.ETH_HLEN;
        MacAddress.write(buf, frame, senderMac);
        MacAddress.write(buf, frame + 6, gatewayMac);
        buf.putShort(frame + 12, (short)(ipv6 ? EtherType.IPV6 : EtherType.IPV4), java.nio.ByteOrder.BIG_ENDIAN);
        dp.transmit(batch, slot, batch.inVif(slot), frame, Datapath.ETH_HLEN + answer);
    }

    private static void clampMss(final UnsafeBuffer buf, final int l3, final int length, final boolean ipv6,
        final int mtu)
    {
        final int headerLength = ipv6 ? Ipv6Header.HEADER_LENGTH : Ipv4Header.headerLength(buf, l3);
        final int protocol = ipv6 ? Ipv6Header.nextHeader(buf, l3) : Ipv4Header.protocol(buf, l3);
        if (protocol == IpProtocol.TCP && (ipv6 || !Ipv4Header.isFragment(buf, l3)))
        {
            MssClamp.clamp(buf, l3 + headerLength, length - headerLength,
                MssClamp.maxMss(mtu, Datapath.L3_OVERLAY_OVERHEAD, headerLength));
        }
    }
}
