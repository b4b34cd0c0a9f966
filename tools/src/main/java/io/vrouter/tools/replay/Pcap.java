package io.vrouter.tools.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classic libpcap files (not pcapng): reads both byte orders and microsecond/nanosecond
 * magics, writes little-endian microsecond files with link type Ethernet.
 */
public final class Pcap
{
    /** Link type Ethernet. */
    public static final int LINKTYPE_ETHERNET = 1;

    private static final int MAGIC_USEC = 0xa1b2c3d4;
    private static final int MAGIC_NSEC = 0xa1b23c4d;

    private Pcap()
    {
    }

    /**
     * Reads every packet of a file.
     *
     * @param file the pcap file.
     * @return the packets' captured bytes, in order.
     * @throws IOException if the file cannot be read or is not a pcap file.
     */
    public static List<byte[]> read(final Path file) throws IOException
    {
        final byte[] data = Files.readAllBytes(file);
        if (data.length < 24)
        {
            throw new IOException(file + ": too short for a pcap header");
        }
        final ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        final int magic = bb.getInt(0);
        if (magic != MAGIC_USEC && magic != MAGIC_NSEC)
        {
            bb.order(ByteOrder.BIG_ENDIAN);
            final int swapped = bb.getInt(0);
            if (swapped != MAGIC_USEC && swapped != MAGIC_NSEC)
            {
                throw new IOException(file + ": not a pcap file (magic " + Integer.toHexString(magic) + ")");
            }
        }
        final int linkType = bb.getInt(20);
        if (linkType != LINKTYPE_ETHERNET)
        {
            throw new IOException(file + ": link type " + linkType + " is not Ethernet");
        }
        final List<byte[]> packets = new ArrayList<>();
        int pos = 24;
        while (pos < data.length)
        {
            if (pos + 16 > data.length)
            {
                throw new IOException(file + ": truncated record header at byte " + pos);
            }
            final int captured = bb.getInt(pos + 8);
            // In long: a captured length near 2^31 would wrap the int sum past the check.
            if (captured < 0 || pos + 16L + captured > data.length)
            {
                throw new IOException(file + ": truncated packet at byte " + pos);
            }
            final byte[] p = new byte[captured];
            System.arraycopy(data, pos + 16, p, 0, captured);
            packets.add(p);
            pos += 16 + captured;
        }
        return packets;
    }

    /**
     * Writes packets to a file.
     *
     * @param file    destination.
     * @param packets frames.
     * @throws IOException on write failure.
     */
    public static void write(final Path file, final List<byte[]> packets) throws IOException
    {
        try (OutputStream out = Files.newOutputStream(file))
        {
            final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC_USEC).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535)
                .putInt(LINKTYPE_ETHERNET);
            out.write(header.array());
            int i = 0;
            for (final byte[] p : packets)
            {
                final ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                rec.putInt(0).putInt(i++).putInt(p.length).putInt(p.length);
                out.write(rec.array());
                out.write(p);
            }
        }
    }
}
