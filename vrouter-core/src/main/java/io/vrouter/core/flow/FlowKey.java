package io.vrouter.core.flow;

import io.vrouter.wire.AddressFamily;

/**
 * A mutable flow key (Contrail's {@code vr_inet_flow}/{@code vr_inet6_flow}): family, protocol, ports,
 * key next hop (the VRF's stand-in) and addresses. IPv4 addresses live in the low word with a zero high
 * word. Ports are host values (7936 for wire bytes {@code 1F 00}). One instance per worker, reused per
 * packet, so nothing is allocated on the packet path.
 */
public final class FlowKey
{
    /** Key next-hop id. */
    public int nhId;
    /** {@link AddressFamily#INET} or {@link AddressFamily#INET6}. */
    public int family;
    /** IP protocol. */
    public int proto;
    /** Source port (or ICMP id), 0..65535. */
    public int sport;
    /** Destination port (or ICMP type), 0..65535. */
    public int dport;
    /** Source address, high 64 bits (0 for IPv4). */
    public long srcHi;
    /** Source address, low 64 bits (the IPv4 address for IPv4). */
    public long srcLo;
    /** Destination address, high 64 bits. */
    public long dstHi;
    /** Destination address, low 64 bits. */
    public long dstLo;

    /**
     * Sets an IPv4 key.
     *
     * @param nh    key next hop.
     * @param proto protocol.
     * @param src   source address.
     * @param dst   destination address.
     * @param sport source port.
     * @param dport destination port.
     * @return this.
     */
    public FlowKey set4(final int nh, final int proto, final int src, final int dst, final int sport, final int dport)
    {
        this.nhId = nh;
        this.family = AddressFamily.INET;
        this.proto = proto;
        this.srcHi = 0;
        this.srcLo = src & 0xFFFFFFFFL;
        this.dstHi = 0;
        this.dstLo = dst & 0xFFFFFFFFL;
        this.sport = sport;
        this.dport = dport;
        return this;
    }

    /**
     * Makes this key the reverse of another (addresses and ports swapped, same key next hop).
     *
     * @param k the forward key.
     * @return this.
     */
    public FlowKey reverseOf(final FlowKey k)
    {
        nhId = k.nhId;
        family = k.family;
        proto = k.proto;
        srcHi = k.dstHi;
        srcLo = k.dstLo;
        dstHi = k.srcHi;
        dstLo = k.srcLo;
        sport = k.dport;
        dport = k.sport;
        return this;
    }

    /**
     * Copies another key.
     *
     * @param k source.
     * @return this.
     */
    public FlowKey copyOf(final FlowKey k)
    {
        nhId = k.nhId;
        family = k.family;
        proto = k.proto;
        srcHi = k.srcHi;
        srcLo = k.srcLo;
        dstHi = k.dstHi;
        dstLo = k.dstLo;
        sport = k.sport;
        dport = k.dport;
        return this;
    }

    /**
     * The IPv4 source address (IPv4 keys).
     *
     * @return the address.
     */
    public int src4()
    {
        return (int)srcLo;
    }

    /**
     * The IPv4 destination address (IPv4 keys).
     *
     * @return the address.
     */
    public int dst4()
    {
        return (int)dstLo;
    }

    /**
     * The family/protocol word stored in an entry.
     *
     * @return {@code family << 8 | proto}.
     */
    int familyProto()
    {
        return family << 8 | proto;
    }

    /**
     * The port word stored in an entry.
     *
     * @return {@code sport << 16 | dport}.
     */
    int ports()
    {
        return sport << 16 | dport;
    }

    /**
     * Whether another key is this one (every field; no branch per field).
     *
     * @param o the other key.
     * @return true if equal.
     */
    public boolean sameAs(final FlowKey o)
    {
        return ((nhId ^ o.nhId) | (family ^ o.family) | (proto ^ o.proto) | (sport ^ o.sport) | (dport ^ o.dport)) == 0
            && ((srcLo ^ o.srcLo) | (dstLo ^ o.dstLo) | (srcHi ^ o.srcHi) | (dstHi ^ o.dstHi)) == 0;
    }

    /**
     * The 64-bit hash that places the key: the key's words multiplied by odd constants (independent
     * multiplies, which the processor runs in parallel), folded, and one multiply-xor-shift round.
     * The flow table takes its primary bucket from the low bits and the signature from the top 16
     * bits. The hash is not stored anywhere: a table rebuilds its index from the keys when it opens.
     *
     * @return the hash.
     */
    public long hash()
    {
        final long a = (srcLo ^ Long.rotateLeft(dstLo, 32)) * 0x9E3779B97F4A7C15L;
        final long b = ((long)ports() << 32 ^ (nhId & 0xFFFFFFFFL) ^ (long)familyProto() << 20) * 0xC2B2AE3D27D4EB4FL;
        final long c = (srcHi ^ Long.rotateLeft(dstHi, 32)) * 0x165667B19E3779F9L;
        long h = a ^ Long.rotateLeft(b, 29) ^ c;
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        return h ^ h >>> 29;
    }

    @Override
    public String toString()
    {
        return "FlowKey{nh=" + nhId + ", af=" + family + ", proto=" + proto + ", " + Long.toHexString(srcLo) + ":"
            + sport + " -> " + Long.toHexString(dstLo) + ":" + dport + "}";
    }
}
