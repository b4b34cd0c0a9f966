package io.vrouter.encap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Minimal classic pcap reader for tests: 24-byte global header, 16-byte record headers, microsecond or nanosecond
 * magic in either byte order, link type 1 (Ethernet) only.
 */
final class PcapFile
{
    static final String SHARED_DIR_PROP_NAME = "vrouter.shared.dir";

    private PcapFile()
    {
    }

    static Path vtestPcap(final String name)
    {
        final String sharedDir = System.getProperty(SHARED_DIR_PROP_NAME);
        if (null == sharedDir)
        {
            fail("system property " + SHARED_DIR_PROP_NAME + " is not set (Surefire sets it to <repo>/../shared)");
        }
        final Path path = Path.of(sharedDir, "conformance", "vtest", "ipv4", "pcaps", name);
        if (!Files.isReadable(path))
        {
            fail("golden capture not found: " + path.toAbsolutePath() + " (" + SHARED_DIR_PROP_NAME + "=" +
                sharedDir + ")");
        }
        return path;
    }

    static List<byte[]> read(final Path path)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(path);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + path, ex);
        }

        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(bytes.length >= 24, "pcap too short: " + path);
        final int magic = buffer.getInt(0);
        if (magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1)
        {
            buffer.order(ByteOrder.BIG_ENDIAN);
        }
        else if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D)
        {
            fail("not a pcap file: " + path);
        }
        assertEquals(1, buffer.getInt(20), "link type must be Ethernet: " + path);

        final List<byte[]> packets = new ArrayList<>();
        int position = 24;
        while (position + 16 <= bytes.length)
        {
            final int capturedLength = buffer.getInt(position + 8);
            final int originalLength = buffer.getInt(position + 12);
            assertEquals(originalLength, capturedLength, "truncated record in " + path);
            position += 16;
            assertTrue(position + capturedLength <= bytes.length, "record overruns file: " + path);
            final byte[] packet = new byte[capturedLength];
            System.arraycopy(bytes, position, packet, 0, capturedLength);
            packets.add(packet);
            position += capturedLength;
        }
        assertEquals(bytes.length, position, "trailing bytes in " + path);

        return packets;
    }
}
