package io.vrouter.bench.fib;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reader of the DPDK LPM peer's dump files ({@code shared/peers/dpdk-lpm/README.md}), all little-endian. The
 * directory comes from the system property {@code vrouter.lpm.dump} (default {@code /tmp/lpmdump}).
 */
public final class LpmDump
{
    /** System property naming the dump directory. */
    public static final String DIR_PROP_NAME = "vrouter.lpm.dump";

    /** Default dump directory. */
    public static final String DIR_DEFAULT = "/tmp/lpmdump";

    /** Checksum (sum of next hops over one pass) of the uniform keys at 1 M prefixes, as printed by the peer. */
    public static final long CHECKSUM_UNIFORM = 548356520216L;

    /** Checksum of the inside keys at 1 M prefixes. */
    public static final long CHECKSUM_INSIDE = 550385260893L;

    /** Checksum of the hot1024 keys at 1 M prefixes. */
    public static final long CHECKSUM_HOT1024 = 555525718016L;

    /** Checksum of the IPv6 inside keys at 200 k prefixes. */
    public static final long CHECKSUM6_INSIDE = 209302254832L;

    /** IPv4 prefixes: addresses, lengths, next hops. */
    public record Prefixes(int[] address, byte[] length, int[] nextHop)
    {
        /**
         * @return number of prefixes.
         */
        public int size()
        {
            return address.length;
        }
    }

    /** IPv6 prefixes: (hi, lo) halves and lengths; next hop of entry i is i + 1. */
    public record Prefixes6(long[] hi, long[] lo, byte[] length)
    {
        /**
         * @return number of prefixes.
         */
        public int size()
        {
            return hi.length;
        }
    }

    private LpmDump()
    {
    }

    /**
     * @return the dump directory.
     */
    public static Path dir()
    {
        return Path.of(System.getProperty(DIR_PROP_NAME, DIR_DEFAULT));
    }

    private static ByteBuffer read(final String name)
    {
        try
        {
            return ByteBuffer.wrap(Files.readAllBytes(dir().resolve(name))).order(ByteOrder.LITTLE_ENDIAN);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(
                "run shared/peers/dpdk-lpm/run.sh " + dir() + " first (or set -D" + DIR_PROP_NAME + ")", ex);
        }
    }

    /**
     * @param limit at most this many prefixes (the first ones of the file).
     * @return the IPv4 prefixes.
     */
    public static Prefixes prefixes(final int limit)
    {
        final ByteBuffer b = read("prefixes.bin");
        final int total = b.getInt(0);
        final int n = Math.min(total, limit);
        final int[] address = new int[n];
        final byte[] length = new byte[n];
        final int[] nextHop = new int[n];
        for (int i = 0; i < n; i++)
        {
            address[i] = b.getInt(4 + 4 * i);
            length[i] = b.get(4 + 4 * total + i);
            nextHop[i] = b.getInt(4 + 5 * total + 4 * i);
        }
        return new Prefixes(address, length, nextHop);
    }

    /**
     * @param name {@code uniform}, {@code inside} or {@code hot1024}.
     * @return the 2^20 IPv4 keys.
     */
    public static int[] keys(final String name)
    {
        final ByteBuffer b = read("keys-" + name + ".bin");
        final int[] keys = new int[b.capacity() / 4];
        b.asIntBuffer().get(keys);
        return keys;
    }

    /**
     * @param name key set name.
     * @return the peer's checksum of that key set at 1 M prefixes.
     */
    public static long checksum(final String name)
    {
        return switch (name)
        {
            case "uniform" -> CHECKSUM_UNIFORM;
            case "inside" -> CHECKSUM_INSIDE;
            case "hot1024" -> CHECKSUM_HOT1024;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * @return the IPv6 prefixes.
     */
    public static Prefixes6 prefixes6()
    {
        final ByteBuffer b = read("prefixes6.bin");
        final int n = b.getInt(0);
        final long[] hi = new long[n];
        final long[] lo = new long[n];
        final byte[] length = new byte[n];
        b.order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < n; i++)
        {
            hi[i] = b.getLong(4 + 16 * i);
            lo[i] = b.getLong(12 + 16 * i);
            length[i] = b.get(4 + 16 * n + i);
        }
        return new Prefixes6(hi, lo, length);
    }

    /**
     * @return the IPv6 inside keys as {hi[], lo[]}.
     */
    public static long[][] keys6()
    {
        final ByteBuffer b = read("keys6-inside.bin").order(ByteOrder.BIG_ENDIAN);
        final int n = b.capacity() / 16;
        final long[][] keys = new long[2][n];
        for (int i = 0; i < n; i++)
        {
            keys[0][i] = b.getLong(16 * i);
            keys[1][i] = b.getLong(16 * i + 8);
        }
        return keys;
    }
}
