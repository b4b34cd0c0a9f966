package io.vrouter.encap;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Outer UDP source port ("entropy") for MPLSoUDP and VXLAN, compatible with the Contrail DPDK vRouter.
 * <p>
 * For an IP inner packet the key is 20 bytes, read as five little-endian 32-bit words (host order on x86):
 * <pre>
 *   w0 = inner source address, 4 wire bytes    w1 = inner destination address, 4 wire bytes
 *   w2 = VRF id (plain int)                    w3 = source port, 2 wire bytes then 00 00
 *   w4 = destination port, 2 wire bytes then 00 00
 * </pre>
 * hashed with Bob Jenkins' lookup3 {@code hashword()} (the same value as DPDK {@code rte_jhash(key, 20, seed)}),
 * seed {@link #SEED} (glibc's first unseeded {@code random()} value), and mapped onto [49152, 65535) with
 * {@code 49152 + ((hash * 16383) >>> 32)}. Inner 1.1.1.1:7936 -&gt; 2.2.2.2:7936 in VRF 0 gives 60166, the value in
 * Contrail's vtest captures. Ports are 0 for protocols without ports.
 * <p>
 * The raw {@link #jhash(int[], int, int, int)} is exposed for the flow table. All methods are allocation-free.
 */
public final class EntropyHash
{
    /**
     * Seed used by the DPDK vRouter: the first value of glibc {@code random()} when never seeded.
     */
    public static final int SEED = 1804289383;

    /**
     * Lowest source port produced (start of the IANA dynamic range).
     */
    public static final int PORT_MIN = 49152;

    /**
     * Width of the port range: ports are in [{@link #PORT_MIN}, {@link #PORT_MIN} + PORT_RANGE).
     */
    public static final int PORT_RANGE = 65535 - 49152;

    /**
     * lookup3 initial value constant.
     */
    public static final int GOLDEN_RATIO = 0xDEADBEEF;

    private EntropyHash()
    {
    }

    /**
     * UDP source port for an IP inner packet.
     *
     * @param sip   inner source IPv4 address (network order as an int, e.g. 1.1.1.1 = 0x01010101).
     * @param dip   inner destination IPv4 address.
     * @param vrf   VRF id.
     * @param sport inner source port, 0 if the protocol has none.
     * @param dport inner destination port, 0 if the protocol has none.
     * @return source port in [49152, 65535).
     */
    public static int sourcePort(final int sip, final int dip, final int vrf, final int sport, final int dport)
    {
        return portFromHash(ipHash(sip, dip, vrf, sport, dport));
    }

    /**
     * Raw 32-bit hash of the IP 5-tuple key described in the class comment.
     *
     * @param sip   inner source IPv4 address.
     * @param dip   inner destination IPv4 address.
     * @param vrf   VRF id.
     * @param sport inner source port.
     * @param dport inner destination port.
     * @return lookup3 hash.
     */
    public static int ipHash(final int sip, final int dip, final int vrf, final int sport, final int dport)
    {
        final int w0 = Integer.reverseBytes(sip);
        final int w1 = Integer.reverseBytes(dip);
        final int w3 = Short.reverseBytes((short)sport) & 0xFFFF;
        final int w4 = Short.reverseBytes((short)dport) & 0xFFFF;

        int a = GOLDEN_RATIO + 20 + SEED;
        int b = a;
        int c = a;

        a += w0;
        b += w1;
        c += vrf;

        a -= c;
        a ^= Integer.rotateLeft(c, 4);
        c += b;
        b -= a;
        b ^= Integer.rotateLeft(a, 6);
        a += c;
        c -= b;
        c ^= Integer.rotateLeft(b, 8);
        b += a;
        a -= c;
        a ^= Integer.rotateLeft(c, 16);
        c += b;
        b -= a;
        b ^= Integer.rotateLeft(a, 19);
        a += c;
        c -= b;
        c ^= Integer.rotateLeft(b, 4);
        b += a;

        a += w3;
        b += w4;

        return fin(a, b, c);
    }

    /**
     * Map a 32-bit hash onto the source port range.
     *
     * @param hash any 32-bit hash, treated as unsigned.
     * @return port in [49152, 65535).
     */
    public static int portFromHash(final int hash)
    {
        return PORT_MIN + (int)(((hash & 0xFFFF_FFFFL) * PORT_RANGE) >>> 32);
    }

    /**
     * UDP source port for a non-IP (L2) inner frame: hash of the 14-byte Ethernet header mixed with the VRF.
     *
     * @param buffer      holding the inner frame.
     * @param frameOffset of the inner Ethernet header.
     * @param vrf         VRF id.
     * @return source port in [49152, 65535).
     */
    public static int l2SourcePort(final DirectBuffer buffer, final int frameOffset, final int vrf)
    {
        return portFromHash(l2Hash(buffer, frameOffset, vrf));
    }

    /**
     * Hash of a 14-byte Ethernet header (DPDK {@code rte_jhash(eth, 14, SEED)} semantics: three little-endian words
     * and a 16-bit tail) then combined with the VRF as {@code rte_jhash_2words(hash, vrf, SEED)}.
     * <p>
     * Not checked against a Contrail capture: the kernel vRouter uses a random seed for this case anyway.
     *
     * @param buffer      holding the frame.
     * @param frameOffset of the Ethernet header.
     * @param vrf         VRF id.
     * @return 32-bit hash.
     */
    public static int l2Hash(final DirectBuffer buffer, final int frameOffset, final int vrf)
    {
        int a = GOLDEN_RATIO + 14 + SEED;
        int b = a;
        int c = a;

        a += buffer.getInt(frameOffset, ByteOrder.LITTLE_ENDIAN);
        b += buffer.getInt(frameOffset + 4, ByteOrder.LITTLE_ENDIAN);
        c += buffer.getInt(frameOffset + 8, ByteOrder.LITTLE_ENDIAN);

        a -= c;
        a ^= Integer.rotateLeft(c, 4);
        c += b;
        b -= a;
        b ^= Integer.rotateLeft(a, 6);
        a += c;
        c -= b;
        c ^= Integer.rotateLeft(b, 8);
        b += a;
        a -= c;
        a ^= Integer.rotateLeft(c, 16);
        c += b;
        b -= a;
        b ^= Integer.rotateLeft(a, 19);
        a += c;
        c -= b;
        c ^= Integer.rotateLeft(b, 4);
        b += a;

        a += buffer.getShort(frameOffset + 12, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int ethHash = fin(a, b, c);

        return jhash2Words(ethHash, vrf, SEED);
    }

    /**
     * DPDK {@code rte_jhash_2words(a, b, seed)}: final mix of (a, b, 0) each offset by the golden ratio and seed.
     *
     * @param first  first word.
     * @param second second word.
     * @param seed   seed.
     * @return 32-bit hash.
     */
    public static int jhash2Words(final int first, final int second, final int seed)
    {
        final int init = GOLDEN_RATIO + seed;
        return fin(first + init, second + init, init);
    }

    /**
     * lookup3 {@code hashword()} over {@code wordCount} little-endian 32-bit words in a buffer, e.g. a flow key
     * stored in a table. Same value as lookup3 {@code hashword()} on the decoded words.
     *
     * @param buffer    holding the key.
     * @param offset    of the first word.
     * @param wordCount number of 32-bit words.
     * @param seed      initial value.
     * @return 32-bit hash.
     */
    public static int jhashWords(final DirectBuffer buffer, final int offset, final int wordCount, final int seed)
    {
        int a = GOLDEN_RATIO + (wordCount << 2) + seed;
        int b = a;
        int c = a;
        int index = offset;
        int remaining = wordCount;

        while (remaining > 3)
        {
            a += buffer.getInt(index, ByteOrder.LITTLE_ENDIAN);
            b += buffer.getInt(index + 4, ByteOrder.LITTLE_ENDIAN);
            c += buffer.getInt(index + 8, ByteOrder.LITTLE_ENDIAN);

            a -= c;
            a ^= Integer.rotateLeft(c, 4);
            c += b;
            b -= a;
            b ^= Integer.rotateLeft(a, 6);
            a += c;
            c -= b;
            c ^= Integer.rotateLeft(b, 8);
            b += a;
            a -= c;
            a ^= Integer.rotateLeft(c, 16);
            c += b;
            b -= a;
            b ^= Integer.rotateLeft(a, 19);
            a += c;
            c -= b;
            c ^= Integer.rotateLeft(b, 4);
            b += a;

            remaining -= 3;
            index += 12;
        }

        switch (remaining)
        {
            case 3:
                c += buffer.getInt(index + 8, ByteOrder.LITTLE_ENDIAN);
                b += buffer.getInt(index + 4, ByteOrder.LITTLE_ENDIAN);
                a += buffer.getInt(index, ByteOrder.LITTLE_ENDIAN);
                return fin(a, b, c);
            case 2:
                b += buffer.getInt(index + 4, ByteOrder.LITTLE_ENDIAN);
                a += buffer.getInt(index, ByteOrder.LITTLE_ENDIAN);
                return fin(a, b, c);
            case 1:
                a += buffer.getInt(index, ByteOrder.LITTLE_ENDIAN);
                return fin(a, b, c);
            default:
                return c;
        }
    }

    private static int fin(final int a0, final int b0, final int c0)
    {
        int a = a0;
        int b = b0;
        int c = c0;

        c ^= b;
        c -= Integer.rotateLeft(b, 14);
        a ^= c;
        a -= Integer.rotateLeft(c, 11);
        b ^= a;
        b -= Integer.rotateLeft(a, 25);
        c ^= b;
        c -= Integer.rotateLeft(b, 16);
        a ^= c;
        a -= Integer.rotateLeft(c, 4);
        b ^= a;
        b -= Integer.rotateLeft(a, 14);
        c ^= b;
        c -= Integer.rotateLeft(b, 24);

        return c;
    }
}
