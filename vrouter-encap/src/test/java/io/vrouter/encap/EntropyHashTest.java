package io.vrouter.encap;

import io.vrouter.wire.Ipv4Address;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntropyHashTest
{
    @Test
    void shouldMatchContrailVtestGoldenSourcePort()
    {
        // Value from vtest mplsoudp_routing_dest.pcap: inner UDP 1.1.1.1:7936 -> 2.2.2.2:7936, VRF 0.
        final int sip = Ipv4Address.parse("1.1.1.1");
        final int dip = Ipv4Address.parse("2.2.2.2");

        assertEquals(60166, EntropyHash.sourcePort(sip, dip, 0, 7936, 7936));
    }

    @Test
    void shouldMatchLookup3HashwordOverTheKeyWords()
    {
        final int sip = Ipv4Address.parse("1.1.1.1");
        final int dip = Ipv4Address.parse("2.2.2.2");
        final int[] key = { 0x01010101, 0x02020202, 0, 0x1F, 0x1F };

        assertEquals(0xAC1ACB20, referenceJhash(key, 0, key.length, EntropyHash.SEED));
        assertEquals(0xAC1ACB20, EntropyHash.ipHash(sip, dip, 0, 7936, 7936));
    }

    @Test
    void shouldMatchPublishedLookup3Vectors()
    {
        // hashword() on zero words and one word agree with hashlittle() on the same little-endian bytes.
        assertEquals(0xDEADBEEF, referenceJhash(new int[0], 0, 0, 0));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final Random random = new Random(7);
        for (int i = 0; i < 1000; i++)
        {
            final int words = random.nextInt(16);
            final int[] key = new int[words];
            for (int w = 0; w < words; w++)
            {
                key[w] = random.nextInt();
                buffer.putInt(w * 4, key[w], ByteOrder.LITTLE_ENDIAN);
            }
            final int seed = random.nextInt();
            assertEquals(referenceJhash(key, 0, words, seed), EntropyHash.jhashWords(buffer, 0, words, seed));
        }
    }

    @Test
    void shouldStayInsideEphemeralPortRange()
    {
        final Random random = new Random(42);
        for (int i = 0; i < 100_000; i++)
        {
            final int port = EntropyHash.sourcePort(
                random.nextInt(), random.nextInt(), random.nextInt(4096), random.nextInt(65536), random.nextInt(65536));
            assertTrue(port >= 49152 && port < 65535, "port " + port);
        }
        assertEquals(49152, EntropyHash.portFromHash(0));
        assertEquals(65534, EntropyHash.portFromHash(-1));
    }

    @Test
    void shouldHashEthernetHeaderWithVrf()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
        buffer.putLong(2, 0xDEADBEEF0001DEADL, ByteOrder.BIG_ENDIAN);
        buffer.putInt(10, 0xBEEF0002, ByteOrder.BIG_ENDIAN);
        buffer.putShort(14, (short)0x0806, ByteOrder.BIG_ENDIAN);

        final int port0 = EntropyHash.l2SourcePort(buffer, 2, 0);
        final int port1 = EntropyHash.l2SourcePort(buffer, 2, 1);
        assertTrue(port0 >= 49152 && port0 < 65535);
        assertEquals(port0, EntropyHash.l2SourcePort(buffer, 2, 0));
        assertNotEquals(EntropyHash.l2Hash(buffer, 2, 0), EntropyHash.l2Hash(buffer, 2, 1));
        assertTrue(port1 >= 49152 && port1 < 65535);
    }

    /**
     * lookup3 {@code hashword()} over {@code length} 32-bit words of {@code key} starting at {@code offset}.
     * Equal to DPDK {@code rte_jhash()} over the same words stored little-endian. The plain reference the
     * buffer version is checked against.
     *
     * @param key    words to hash.
     * @param offset index of the first word.
     * @param length number of words.
     * @param seed   initial value.
     * @return 32-bit hash.
     */
    static int referenceJhash(final int[] key, final int offset, final int length, final int seed)
    {
        int a = EntropyHash.GOLDEN_RATIO + (length << 2) + seed;
        int b = a;
        int c = a;
        int i = offset;
        int remaining = length;

        while (remaining > 3)
        {
            a += key[i];
            b += key[i + 1];
            c += key[i + 2];

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
            i += 3;
        }

        switch (remaining)
        {
            case 3:
                c += key[i + 2];
                b += key[i + 1];
                a += key[i];
                return referenceFinal(a, b, c);
            case 2:
                b += key[i + 1];
                a += key[i];
                return referenceFinal(a, b, c);
            case 1:
                a += key[i];
                return referenceFinal(a, b, c);
            default:
                return c;
        }
    }

    private static int referenceFinal(final int a0, final int b0, final int c0)
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
