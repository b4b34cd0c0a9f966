package io.vrouter.agent.fabric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.vrouter.core.graph.PacketBatch;
import io.vrouter.encap.DecapResult;
import io.vrouter.encap.TunnelDecap;
import io.vrouter.encap.TunnelType;
import io.vrouter.wire.Checksums;

/**
 * Two fabric ports on loopback: a frame the forwarder would send (outer Ethernet/IPv4/UDP, MPLS
 * label, inner packet) leaves one through {@code sendmmsg} as its UDP payload, and arrives at the
 * other as a frame with a synthesized, valid outer header that the forwarder's decapsulation accepts
 * with the same label and inner bytes.
 */
class FabricPortTest
{
    private static int freePort() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    /** Writes an outer Eth/IPv4/UDP + MPLS(label) + 40-byte inner IPv4 frame at HEADROOM; returns its length. */
    private static int frame(final UnsafeBuffer b, final int dstPort, final int label, final int protocol)
    {
        final int eth = PacketBatch.HEADROOM;
        final int ip = eth + 14;
        final int udp = ip + 20;
        final int inner = udp + 8 + 4;
        final int innerLength = 40;
        b.setMemory(eth, 12, (byte)2);
        b.putShort(eth + 12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        b.putByte(ip, (byte)0x45);
        b.putShort(ip + 2, (short)(20 + 8 + 4 + innerLength), ByteOrder.BIG_ENDIAN);
        b.putByte(ip + 8, (byte)64);
        b.putByte(ip + 9, (byte)protocol);
        b.putInt(ip + 12, 0x7f000001, ByteOrder.BIG_ENDIAN);
        b.putInt(ip + 16, 0x7f000001, ByteOrder.BIG_ENDIAN);
        Checksums.updateIpv4HeaderChecksum(b, ip);
        b.putShort(udp, (short)54321, ByteOrder.BIG_ENDIAN);
        b.putShort(udp + 2, (short)dstPort, ByteOrder.BIG_ENDIAN);
        b.putShort(udp + 4, (short)(8 + 4 + innerLength), ByteOrder.BIG_ENDIAN);
        b.putInt(udp + 8, (label << 12) | 0x100 | 64, ByteOrder.BIG_ENDIAN);
        b.putByte(inner, (byte)0x45);
        b.putShort(inner + 2, (short)innerLength, ByteOrder.BIG_ENDIAN);
        b.putByte(inner + 8, (byte)63);
        b.putByte(inner + 9, (byte)17);
        b.putInt(inner + 12, 0x0a010103, ByteOrder.BIG_ENDIAN);
        b.putInt(inner + 16, 0x0a010105, ByteOrder.BIG_ENDIAN);
        Checksums.updateIpv4HeaderChecksum(b, inner);
        for (int i = 20; i < innerLength; i++)
        {
            b.putByte(inner + i, (byte)i);
        }
        return inner + innerLength - eth;
    }

    @Test
    void shouldCarryTheMplsPayloadBetweenTwoFabricPortsAndRebuildAValidOuterHeader() throws Exception
    {
        final InetAddress lo = InetAddress.getByName("127.0.0.1");
        final int portA = freePort();
        final int portB = freePort();
        try (FabricPort a = new FabricPort(new InetSocketAddress(lo, portA), 0);
            FabricPort b = new FabricPort(new InetSocketAddress(lo, portB), 0))
        {
            a.start();
            b.start();
            final PacketBatch out = new PacketBatch(4, 2048);
            final int s0 = out.claim();
            final int len = frame(out.buffer(s0), portB, 4321, 17);
            out.commit(s0, 3, len);
            final int s1 = out.claim();
            final int greLen = frame(out.buffer(s1), portB, 99, 47);
            out.commit(s1, 3, greLen);
            final FabricSender sender = a.newSender(4);
            sender.queue(out.buffer(s0), out.offset(s0), out.length(s0));
            sender.queue(out.buffer(s1), out.offset(s1), out.length(s1));
            sender.flush();
            if (a.rawFd() >= 0)
            {
                // The raw IPv4 socket sends any tunnel as the forwarder wrote it (B's UDP socket receives the one
                // MPLSoUDP datagram).
                assertEquals(2, sender.sent());
                assertEquals(0, sender.drops());
            }
            else
            {
                assertEquals(1, sender.sent());
                assertEquals(1, sender.drops(), "the GRE frame cannot leave through a UDP socket");
            }

            final PacketBatch in = new PacketBatch(4, 2048);
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (in.count() == 0 && System.nanoTime() < deadline)
            {
                b.drain(in);
                Thread.sleep(1);
            }
            assertEquals(1, in.count());
            assertEquals(1, b.rxDatagrams());
            assertEquals(0, in.inVif(0));
            assertEquals(len, in.length(0), "same length: the outer header is rebuilt in front of the payload");
            final UnsafeBuffer got = in.buffer(0);
            final int ip = in.offset(0) + 14;
            assertTrue(Checksums.isIpv4HeaderChecksumValid(got, ip, 20));
            assertEquals(0x7f000001, got.getInt(ip + 12, ByteOrder.BIG_ENDIAN), "outer source = the sender");
            assertEquals(FabricPort.MPLS_UDP_PORT, got.getShort(ip + 22, ByteOrder.BIG_ENDIAN) & 0xFFFF);
            if (a.rawFd() >= 0)
            {
                assertEquals(54321, got.getShort(ip + 20, ByteOrder.BIG_ENDIAN) & 0xFFFF,
                    "the source port the forwarder wrote crossed the wire");
            }
            final long decap = TunnelDecap.decapIpv4(got, ip, in.length(0) - 14);
            assertFalse(DecapResult.isError(decap), "decap error " + DecapResult.errorCode(decap));
            assertEquals(TunnelType.MPLS_UDP, DecapResult.tunnelType(decap));
            assertEquals(4321, DecapResult.label(decap));
            final UnsafeBuffer sent = out.buffer(s0);
            for (int i = 42; i < len; i++)
            {
                assertEquals(sent.getByte(PacketBatch.HEADROOM + i), got.getByte(in.offset(0) + i), "byte " + i);
            }
        }
    }
}
