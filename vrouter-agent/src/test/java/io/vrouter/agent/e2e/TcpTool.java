package io.vrouter.agent.e2e;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A tiny TCP sender and receiver for the end-to-end test, run inside pod namespaces with
 * {@code ip netns exec}: {@code recv PORT} accepts one connection and prints {@code BYTES SHA256}
 * at end of stream; {@code send HOST PORT BYTES SEED} sends pseudo-random bytes and prints the same.
 */
public final class TcpTool
{
    private TcpTool()
    {
    }

    /**
     * Entry point.
     *
     * @param args {@code recv PORT} or {@code send HOST PORT BYTES SEED}.
     * @throws Exception on any failure (non-zero exit).
     */
    public static void main(final String[] args) throws Exception
    {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        final byte[] buf = new byte[65536];
        long total = 0;
        if ("recv".equals(args[0]))
        {
            try (ServerSocket server = new ServerSocket())
            {
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(Integer.parseInt(args[1])));
                System.out.println("LISTENING");
                System.out.flush();
                try (Socket s = server.accept(); InputStream in = s.getInputStream())
                {
                    int n;
                    while ((n = in.read(buf)) > 0)
                    {
                        sha.update(buf, 0, n);
                        total += n;
                    }
                }
            }
        }
        else
        {
            final long bytes = Long.parseLong(args[3]);
            final SplittableRandom random = new SplittableRandom(Long.parseLong(args[4]));
            try (Socket s = new Socket())
            {
                s.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])), 10_000);
                final OutputStream out = s.getOutputStream();
                while (total < bytes)
                {
                    final int n = (int)Math.min(buf.length, bytes - total);
                    for (int i = 0; i < n; i++)
                    {
                        buf[i] = (byte)random.nextInt();
                    }
                    out.write(buf, 0, n);
                    sha.update(buf, 0, n);
                    total += n;
                    if (args.length > 5)
                    {
                        Thread.sleep(Long.parseLong(args[5]));
                    }
                }
                s.shutdownOutput();
            }
        }
        System.out.println(total + " " + HexFormat.of().formatHex(sha.digest()));
    }
}
