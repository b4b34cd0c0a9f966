package io.vrouter.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecksumsTest
{
    private static final long SEED = 0x5EED_1071L;

    /**
     * Byte-at-a-time RFC 1071 reference: 16-bit big-endian words, end-around carry after every addition.
     */
    private static int referenceSum(final byte[] data, final int offset, final int length, final int initial)
    {
        int sum = initial;
        for (int i = 0; i < length; i += 2)
        {
            final int hi = data[offset + i] & 0xFF;
            final int lo = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum;
    }

    private static int referenceChecksum(final byte[] data, final int offset, final int length)
    {
        return ~referenceSum(data, offset, length, 0) & 0xFFFF;
    }

    private static byte[] ipv4Header(final Random random)
    {
        final byte[] header = new byte[20];
        random.nextBytes(header);
        header[0] = 0x45;
        header[10] = 0;
        header[11] = 0;
        final int checksum = referenceChecksum(header, 0, 20);
        header[10] = (byte)(checksum >>> 8);
        header[11] = (byte)checksum;
        return header;
    }

    @Test
    void shouldMatchReferenceSumForRandomRegions()
    {
        final Random random = new Random(SEED);
        final byte[] data = new byte[2048];
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        for (int i = 0; i < 20_000; i++)
        {
            random.nextBytes(data);
            final int offset = random.nextInt(64);
            final int length = random.nextInt(data.length - offset);
            assertEquals(referenceChecksum(data, offset, length), Checksums.checksum(buffer, offset, length),
                "seed=" + SEED + " iteration=" + i);
        }
    }

    @Test
    void shouldMatchReferenceForAllOnesAndAllZeros()
    {
        final byte[] data = new byte[1500];
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        assertEquals(0xFFFF, Checksums.checksum(buffer, 0, data.length));
        Arrays.fill(data, (byte)0xFF);
        for (int length = 0; length < 40; length++)
        {
            assertEquals(referenceChecksum(data, 0, length), Checksums.checksum(buffer, 0, length));
        }
        assertEquals(0, Checksums.fold(0));
        assertEquals(0xFFFF, Checksums.fold(0xFFFF));
        assertEquals(1, Checksums.fold(0x10000));
        assertEquals(0xFFFF, Checksums.fold(0xFFFF_FFFF_FFFFL));
    }

    @Test
    void shouldComputeAndVerifyIpv4HeaderChecksum()
    {
        // The vtest input packet's IPv4 header: checksum 0x747b.
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        buffer.putLong(0, 0x4500006C00010000L, ByteOrder.BIG_ENDIAN);
        buffer.putLong(8, 0x4011747B01010101L, ByteOrder.BIG_ENDIAN);
        buffer.putInt(16, 0x02020202, ByteOrder.BIG_ENDIAN);

        assertEquals(0x747B, Checksums.ipv4HeaderChecksum(buffer, 0));
        assertTrue(Checksums.isIpv4HeaderChecksumValid(buffer, 0, 20));
        buffer.putShort(10, (short)0x747C, ByteOrder.BIG_ENDIAN);
        assertFalse(Checksums.isIpv4HeaderChecksumValid(buffer, 0, 20));
        Checksums.updateIpv4HeaderChecksum(buffer, 0);
        assertEquals(0x747B, Ipv4Header.checksum(buffer, 0));
    }

    @Test
    void shouldApplyRfc1624ExampleWithoutProducingMinusZero()
    {
        // RFC 1624 section 4: sum of other octets 0xCD7A, m 0x5555 -> 0x3285, HC 0xDD2F; correct HC' is 0x0000.
        assertEquals(0x0000, Checksums.adjust16(0xDD2F, 0x5555, 0x3285));
        assertEquals(0xDD2F, Checksums.adjust16(0x0000, 0x3285, 0x5555));
    }

    @Test
    void shouldAdjust16LikeRecomputationForRandomHeaders()
    {
        final Random random = new Random(SEED);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        for (int i = 0; i < 100_000; i++)
        {
            final byte[] header = ipv4Header(random);
            buffer.wrap(header);
            final int fieldOffset = 2 * (1 + random.nextInt(9));
            if (fieldOffset == 10)
            {
                continue;
            }
            final int oldValue = buffer.getShort(fieldOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int newValue = switch (random.nextInt(4))
            {
                case 0 -> 0x0000;
                case 1 -> 0xFFFF;
                default -> random.nextInt(0x10000);
            };
            final int oldChecksum = Ipv4Header.checksum(buffer, 0);
            buffer.putShort(fieldOffset, (short)newValue, ByteOrder.BIG_ENDIAN);
            assertEquals(Checksums.ipv4HeaderChecksum(buffer, 0), Checksums.adjust16(oldChecksum, oldValue, newValue),
                "seed=" + SEED + " iteration=" + i);
        }
    }

    @Test
    void shouldAdjust32LikeRecomputationForAddressRewrite()
    {
        final Random random = new Random(SEED + 1);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        for (int i = 0; i < 100_000; i++)
        {
            buffer.wrap(ipv4Header(random));
            final int newAddress = switch (random.nextInt(4))
            {
                case 0 -> 0;
                case 1 -> 0xFFFF_FFFF;
                default -> random.nextInt();
            };
            if (random.nextBoolean())
            {
                Ipv4Header.rewriteSrcAddress(buffer, 0, newAddress);
            }
            else
            {
                Ipv4Header.rewriteDstAddress(buffer, 0, newAddress);
            }
            assertEquals(Checksums.ipv4HeaderChecksum(buffer, 0), Ipv4Header.checksum(buffer, 0),
                "seed=" + SEED + " iteration=" + i);
        }
    }

    @Test
    void shouldDecrementTtlWithIncrementalChecksum()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        buffer.putLong(0, 0x4500006C00010000L, ByteOrder.BIG_ENDIAN);
        buffer.putLong(8, 0x4011747B01010101L, ByteOrder.BIG_ENDIAN);
        buffer.putInt(16, 0x02020202, ByteOrder.BIG_ENDIAN);

        assertEquals(63, Ipv4Header.decrementTtl(buffer, 0));
        assertEquals(0x757B, Ipv4Header.checksum(buffer, 0));

        final Random random = new Random(SEED + 2);
        for (int i = 0; i < 50_000; i++)
        {
            buffer.wrap(ipv4Header(random));
            if (Ipv4Header.ttl(buffer, 0) == 0)
            {
                continue;
            }
            Ipv4Header.decrementTtl(buffer, 0);
            assertEquals(Checksums.ipv4HeaderChecksum(buffer, 0), Ipv4Header.checksum(buffer, 0));
        }
    }

    @Test
    void shouldComputeUdpChecksumOverIpv4PseudoHeader()
    {
        final Random random = new Random(SEED + 3);
        final byte[] data = new byte[1600];
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        for (int i = 0; i < 2000; i++)
        {
            random.nextBytes(data);
            final int src = random.nextInt();
            final int dst = random.nextInt();
            final int length = 8 + random.nextInt(1400);
            buffer.putShort(6, (short)0);

            final byte[] pseudo = new byte[12 + length];
            final UnsafeBuffer pseudoBuffer = new UnsafeBuffer(pseudo);
            pseudoBuffer.putInt(0, src, ByteOrder.BIG_ENDIAN);
            pseudoBuffer.putInt(4, dst, ByteOrder.BIG_ENDIAN);
            pseudoBuffer.putShort(8, (short)IpProtocol.UDP, ByteOrder.BIG_ENDIAN);
            pseudoBuffer.putShort(10, (short)length, ByteOrder.BIG_ENDIAN);
            System.arraycopy(data, 0, pseudo, 12, length);

            final int checksum = Checksums.ipv4TransportChecksum(buffer, 0, length, src, dst, IpProtocol.UDP);
            assertEquals(referenceChecksum(pseudo, 0, pseudo.length), checksum);
            buffer.putShort(6, (short)Checksums.udpChecksumValue(checksum), ByteOrder.BIG_ENDIAN);
            assertTrue(Checksums.isIpv4TransportChecksumValid(buffer, 0, length, src, dst, IpProtocol.UDP));
        }
    }

    @Test
    void shouldComputeTransportChecksumOverIpv6PseudoHeader()
    {
        final Random random = new Random(SEED + 4);
        final byte[] data = new byte[1600];
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        for (int i = 0; i < 2000; i++)
        {
            random.nextBytes(data);
            final int length = 8 + random.nextInt(1400);
            buffer.putByte(0, (byte)0x60);
            buffer.putShort(4, (short)length, ByteOrder.BIG_ENDIAN);
            buffer.putByte(6, (byte)IpProtocol.ICMPV6);
            Checksums.updateIcmpv6Checksum(buffer, 0, 40, length);

            final byte[] pseudo = new byte[40 + length];
            System.arraycopy(data, 8, pseudo, 0, 32);
            final UnsafeBuffer pseudoBuffer = new UnsafeBuffer(pseudo);
            pseudoBuffer.putInt(32, length, ByteOrder.BIG_ENDIAN);
            pseudoBuffer.putInt(36, IpProtocol.ICMPV6, ByteOrder.BIG_ENDIAN);
            System.arraycopy(data, 40, pseudo, 40, length);
            pseudo[42] = 0;
            pseudo[43] = 0;

            final int stored = buffer.getShort(42, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            assertEquals(referenceChecksum(pseudo, 0, pseudo.length), stored);
            assertTrue(Checksums.isIpv6TransportChecksumValid(buffer, 0, 40, length, IpProtocol.ICMPV6));

            final long pseudoSum = Checksums.pseudoHeaderSumIpv6(
                Ipv6Header.srcAddressHi(buffer, 0), Ipv6Header.srcAddressLo(buffer, 0),
                Ipv6Header.dstAddressHi(buffer, 0), Ipv6Header.dstAddressLo(buffer, 0), IpProtocol.ICMPV6, length);
            assertEquals(0xFFFF, Checksums.fold(Checksums.sum(buffer, 40, length, pseudoSum)));
        }
    }
}
