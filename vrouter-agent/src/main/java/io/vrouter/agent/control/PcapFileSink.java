package io.vrouter.agent.control;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vrouter.core.watch.FrameSink;

/**
 * A capture's frames written to a pcap file (libpcap format, microsecond timestamps, Ethernet link
 * type), each record flushed as it comes so that the file can be read while the capture runs
 * ({@code tshark -r}). Called on the workers' threads under the watch's lock; a write that fails ends
 * the file's use (logged once), never the worker.
 */
public final class PcapFileSink implements FrameSink
{
    private static final Logger LOG = LoggerFactory.getLogger(PcapFileSink.class);
    private static final int MAGIC = 0xa1b2c3d4;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int SNAPLEN = 65535;

    private final Path file;
    private final OutputStream out;
    private final ByteBuffer record = ByteBuffer.allocate(16 + SNAPLEN).order(ByteOrder.LITTLE_ENDIAN);
    private boolean failed;

    /**
     * Creates (or truncates) the file and writes the pcap header.
     *
     * @param file where.
     * @throws IOException when the file cannot be written.
     */
    public PcapFileSink(final Path file) throws IOException
    {
        this.file = file;
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
        final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(SNAPLEN)
            .putInt(LINKTYPE_ETHERNET);
        try
        {
            out.write(header.array());
            out.flush();
        }
        catch (final IOException e)
        {
            out.close();
            throw e;
        }
    }

    @Override
    public void frame(final int vif, final boolean sent, final DirectBuffer buffer, final int offset, final int length)
    {
        if (failed)
        {
            return;
        }
        final long micros = System.currentTimeMillis() * 1000L + (System.nanoTime() / 1000L) % 1000L;
        final int included = Math.min(length, SNAPLEN);
        record.clear();
        record.putInt((int)(micros / 1_000_000L)).putInt((int)(micros % 1_000_000L)).putInt(included).putInt(length);
        buffer.getBytes(offset, record.array(), 16, included);
        try
        {
            out.write(record.array(), 0, 16 + included);
            out.flush();
        }
        catch (final IOException e)
        {
            failed = true;
            LOG.warn("capture: writing {} failed, the capture's frames are lost from here: {}", file, e.toString());
        }
    }

    @Override
    public void finished()
    {
        try
        {
            out.close();
        }
        catch (final IOException e)
        {
            LOG.warn("capture: closing {} failed: {}", file, e.toString());
        }
    }
}
