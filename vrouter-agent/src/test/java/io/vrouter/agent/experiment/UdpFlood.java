package io.vrouter.agent.experiment;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends 18-byte UDP payloads (64-byte frames on the wire) as fast as it can for a number of seconds
 * and prints how many it sent and its process CPU (user + kernel, JVM start included) per
 * frame: {@code UdpFlood HOST PORT SECONDS}.
 */
public final class UdpFlood
{
    private UdpFlood()
    {
    }

    /**
     * Entry point.
     *
     * @param args host, port, seconds.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final ByteBuffer payload = ByteBuffer.allocateDirect(18);
        final long end = System.nanoTime() + (long)(Double.parseDouble(args[2]) * 1e9);
        long sent = 0;
        try (DatagramChannel ch = DatagramChannel.open())
        {
            ch.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
            while ((sent & 1023) != 0 || System.nanoTime() < end)
            {
                payload.clear();
                try
                {
                    ch.write(payload);
                    sent++;
                }
                catch (final java.io.IOException e)
                {
                    // ENOBUFS when the device queue is full: the packet is not sent; keep offering.
                    sent += 0;
                }
            }
        }
        final long cpu = ((com.sun.management.OperatingSystemMXBean)java.lang.management.ManagementFactory
            .getOperatingSystemMXBean()).getProcessCpuTime();
        System.out.printf("SENT %d, sender process CPU %.0f ns/frame%n", sent, cpu / (double)sent);
    }
}
