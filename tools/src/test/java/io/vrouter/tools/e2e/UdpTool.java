package io.vrouter.tools.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import jdk.net.ExtendedSocketOptions;

/**
 * A tiny UDP sender and receiver for the end-to-end tests, run inside pod namespaces with
 * {@code ip netns exec}. {@code recv PORT SECONDS} prints {@code LISTENING}, then {@code RECEIVED SIZE SHA256}
 * for each datagram, until a datagram {@code END} arrives or SECONDS pass. {@code send HOST PORT SEED SIZE...}
 * sends one datagram of pseudo-random bytes per size from a connected socket with DF set
 * ({@link ExtendedSocketOptions#IP_DONTFRAGMENT}, Linux's {@code IP_PMTUDISC_DO}: never fragmented, a datagram
 * larger than the known path MTU refused with {@code EMSGSIZE}), 300 ms apart, printing {@code SENT SIZE SHA256}
 * or {@code REFUSED SIZE message}, then {@code END} (from another socket).
 */
public final class UdpTool
{
    private static final byte[] END = "END".getBytes(StandardCharsets.US_ASCII);

    private UdpTool()
    {
    }

    /**
     * Entry point.
     *
     * @param args {@code recv PORT SECONDS} or {@code send HOST PORT SEED SIZE...}.
     * @throws Exception on any failure (non-zero exit).
     */
    public static void main(final String[] args) throws Exception
    {
        if ("recv".equals(args[0]))
        {
            receive(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        }
        else
        {
            send(new InetSocketAddress(args[1], Integer.parseInt(args[2])), Long.parseLong(args[3]), args);
        }
    }

    private static void receive(final int port, final int seconds) throws Exception
    {
        final long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        final byte[] buf = new byte[65536];
        try (DatagramSocket socket = new DatagramSocket(port))
        {
            socket.setSoTimeout(200);
            System.out.println("LISTENING");
            System.out.flush();
            while (System.nanoTime() < deadline)
            {
                final DatagramPacket packet = new DatagramPacket(buf, buf.length);
                try
                {
                    socket.receive(packet);
                }
                catch (final SocketTimeoutException e)
                {
                    continue;
                }
                if (packet.getLength() == END.length && Arrays.equals(buf, 0, END.length, END, 0,
                    END.length))
                {
                    break;
                }
                System.out.println("RECEIVED " + packet.getLength() + " " + sha256(buf, packet.getLength()));
                System.out.flush();
            }
        }
    }

    private static void send(final InetSocketAddress to, final long seed, final String[] args) throws Exception
    {
        try (DatagramChannel channel = DatagramChannel.open())
        {
            channel.setOption(ExtendedSocketOptions.IP_DONTFRAGMENT, true);
            channel.connect(to);
            final SplittableRandom random = new SplittableRandom(seed);
            for (int i = 4; i < args.length; i++)
            {
                final int size = Integer.parseInt(args[i]);
                final byte[] data = new byte[size];
                for (int j = 0; j < size; j++)
                {
                    data[j] = (byte)random.nextInt();
                }
                try
                {
                    channel.write(ByteBuffer.wrap(data));
                    System.out.println("SENT " + size + " " + sha256(data, size));
                }
                catch (final IOException e)
                {
                    System.out.println("REFUSED " + size + " " + e.getMessage());
                }
                System.out.flush();
                Thread.sleep(300);
            }
        }
        // From a socket of its own: the connected one may hold the error of an ICMP answer.
        try (DatagramChannel channel = DatagramChannel.open())
        {
            channel.send(ByteBuffer.wrap(END), to);
        }
        System.out.println("END");
    }

    private static String sha256(final byte[] data, final int length) throws Exception
    {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(data, 0, length);
        return HexFormat.of().formatHex(sha.digest());
    }
}
