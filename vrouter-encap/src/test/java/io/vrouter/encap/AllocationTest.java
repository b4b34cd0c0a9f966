package io.vrouter.encap;

import io.vrouter.wire.Ipv4Address;
import io.vrouter.wire.Ipv4Header;
import io.vrouter.wire.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-packet path allocates nothing: encap, decap, entropy hash, TTL decrement, MSS clamp.
 */
class AllocationTest
{
    private static final int PACKETS = 100_000;
    private static final int HEADROOM = 128;
    private static final byte[] INNER = Hex.decode(
        "4500006c000100004011747b01010101020202021f001f00005879a7" + "6b6f6b6f74696e79".repeat(10));

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final EncapRewrite udp = rewrite(TunnelType.MPLS_UDP);
    private final EncapRewrite gre = rewrite(TunnelType.MPLS_GRE);
    private final EncapRewrite vxlan = rewrite(TunnelType.VXLAN);
    private final UnsafeBuffer flowKey = new UnsafeBuffer(new byte[] {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0,
        5, 0, 0, 0});

    private static EncapRewrite rewrite(final int tunnelType)
    {
        return EncapRewrite.create(
            tunnelType,
            MacAddress.parse("de:ad:be:ef:00:01"),
            MacAddress.parse("de:ad:be:ef:00:02"),
            Ipv4Address.parse("1.1.2.2"),
            Ipv4Address.parse("2.2.1.1"));
    }

    private long run(final int packets)
    {
        long checksum = 0;
        for (int i = 0; i < packets; i++)
        {
            buffer.putBytes(HEADROOM, INNER);
            final int ttl = Ipv4Header.decrementTtl(buffer, HEADROOM);
            final int port = EntropyHash.sourcePort(
                Ipv4Header.srcAddress(buffer, HEADROOM), Ipv4Header.dstAddress(buffer, HEADROOM), i & 7, 7936, 7936);
            final int frameOffset;
            switch (i % 3)
            {
                case 0:
                    frameOffset = MplsUdpEncap.encap(buffer, HEADROOM, INNER.length, udp, 48, ttl, i, port);
                    break;
                case 1:
                    frameOffset = MplsGreEncap.encap(buffer, HEADROOM, INNER.length, gre, 48, ttl, i);
                    break;
                default:
                    frameOffset = VxlanEncap.encap(buffer, HEADROOM, INNER.length, vxlan, 48, i, port);
                    break;
            }
            final long result = TunnelDecap.decapFrame(
                buffer, frameOffset, INNER.length + TunnelType.overhead(i % 3 + 1));
            checksum += result + EntropyHash.jhashWords(flowKey, 0, 5, i);
            checksum += MssClamp.clamp(buffer, HEADROOM + 20, 60, 1400);
        }
        return checksum;
    }

    @Test
    void shouldNotAllocateOnThePacketPath()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());

        long sink = 0;
        for (int i = 0; i < 5; i++)
        {
            sink += run(PACKETS);
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        sink += run(PACKETS);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(allocated < 1024, "allocated " + allocated + " bytes over " + PACKETS + " packets");
        assertEquals(false, sink == 42, "keep the work alive");
    }
}
