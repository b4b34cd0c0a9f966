package io.vrouter.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format version 2 against files of version 1 (before the cuckoo index): a version 1 file with the configured
 * sizes is migrated at open (every flow kept at its index, pairs and counts intact, found by lookup), a reader
 * refuses one, and a version 1 file of other sizes or an unknown version is refused with a clear reason.
 */
class FlowTableMigrationTest
{
    private static final FlowTableConfig CONFIG = FlowTableConfig.sized(1024);

    @TempDir
    Path dir;

    /** Writes a version 1 file holding the entries of a version 2 table with the same sizes. */
    private static void writeVersion1(final Path v2, final Path v1, final FlowTableConfig c) throws IOException
    {
        final byte[] file = Files.readAllBytes(v2);
        final ByteBuffer from = ByteBuffer.wrap(file).order(ByteOrder.nativeOrder());
        final long size = FlowTable.fileSizeVersion1(c);
        final ByteBuffer header = ByteBuffer.allocate(FlowTable.HEADER_SIZE).order(ByteOrder.nativeOrder());
        header.putLong(FlowTable.H_MAGIC, FlowTable.MAGIC);
        header.putInt(FlowTable.H_VERSION, 1);
        header.putInt(FlowTable.H_ENTRY_SIZE, FlowTable.ENTRY_SIZE);
        header.putInt(FlowTable.H_HASH_ENTRIES, c.hashEntries());
        header.putInt(FlowTable.H_OVERFLOW_ENTRIES, c.overflowEntries());
        header.putLong(FlowTable.H_ENTRIES_OFFSET, FlowTable.entriesOffsetVersion1(c.hashEntries()));
        header.putInt(FlowTable.H_ACTIVE, from.getInt(FlowTable.H_ACTIVE));
        header.putLong(FlowTable.H_CREATED, from.getLong(FlowTable.H_CREATED));
        try (FileChannel ch = FileChannel.open(v1, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            ch.write(header, 0);
            final int entries = FlowTable.entriesOffset(c.hashEntries(), c.overflowEntries());
            ch.write(ByteBuffer.wrap(file, entries, c.totalEntries() * FlowTable.ENTRY_SIZE),
                FlowTable.entriesOffsetVersion1(c.hashEntries()));
            assertEquals(size, ch.size());
        }
    }

    @Test
    void shouldMigrateAVersion1FileKeepingEveryFlowAtItsIndex() throws Exception
    {
        final Path v2 = dir.resolve("v2.tbl");
        final Path file = dir.resolve("flows.tbl");
        final FlowKey k = new FlowKey();
        final FlowKey r = new FlowKey();
        final FlowTable.Setup s = new FlowTable.Setup();
        s.ownerVif = 3;
        s.vrf = 1;
        s.reverseVrf = 1;
        final int[] forward = new int[200];
        try (FlowTable t = FlowTable.open(v2, CONFIG))
        {
            for (int i = 0; i < forward.length; i++)
            {
                k.set4(0, 6, 0x0A000001, 0x0A000002 + i, 1000 + i, 80);
                r.reverseOf(k);
                forward[i] = t.insert(k, k.hash(), r, r.hash(), s, 5);
                assertTrue(forward[i] >= 0);
            }
        }
        writeVersion1(v2, file, CONFIG);
        try (FlowTable t = FlowTable.open(file, CONFIG))
        {
            assertEquals(1, t.migratedFrom(), "migrated from version 1");
            assertEquals(0, t.repairedAtOpen());
            assertEquals(400, t.activeEntries());
            assertEquals(400, t.vifEntries(3), "per-interface counts rebuilt");
            assertEquals(400, t.vrfEntries(1));
            assertEquals(400, t.created(), "counters kept (both entries of each pair)");
            for (int i = 0; i < forward.length; i++)
            {
                k.set4(0, 6, 0x0A000001, 0x0A000002 + i, 1000 + i, 80);
                r.reverseOf(k);
                assertEquals(forward[i], t.lookup(k, k.hash()), "flow " + i + " at its index");
                final int reverse = t.lookup(r, r.hash());
                assertEquals(reverse, t.intField(forward[i], FlowTable.E_RFLOW), "pair " + i + " linked");
                assertEquals(forward[i], t.intField(reverse, FlowTable.E_RFLOW));
            }
            k.set4(0, 6, 0x0A000001, 0x0B000000, 1, 80);
            r.reverseOf(k);
            assertTrue(t.insert(k, k.hash(), r, r.hash(), s, 6) >= 0, "the migrated table takes new flows");
        }
        assertFalse(Files.exists(dir.resolve("flows.tbl.v2.tmp")), "no temporary file left");
        try (FlowTable t = FlowTable.open(file, CONFIG))
        {
            assertEquals(0, t.migratedFrom(), "version 2 now: opened as is");
            assertEquals(402, t.activeEntries());
        }
        try (FlowTable reader = FlowTable.openReadOnly(file))
        {
            assertEquals(402, reader.activeEntries());
        }
    }

    @Test
    void shouldRefuseVersion1FilesItCannotMigrateAndUnknownVersions() throws Exception
    {
        final Path v2 = dir.resolve("v2.tbl");
        try (FlowTable t = FlowTable.open(v2, CONFIG))
        {
            assertEquals(0, t.activeEntries());
        }
        final Path v1 = dir.resolve("v1.tbl");
        writeVersion1(v2, v1, CONFIG);
        final IOException reader = assertThrows(IOException.class, () -> FlowTable.openReadOnly(v1));
        assertTrue(reader.getMessage().contains("version 1") && reader.getMessage().contains("migrates"),
            reader.getMessage());
        final IOException sizes = assertThrows(IOException.class,
            () -> FlowTable.open(v1, FlowTableConfig.sized(2048)));
        assertTrue(sizes.getMessage().contains("cannot migrate"), sizes.getMessage());
        assertEquals(FlowTable.fileSizeVersion1(CONFIG), Files.size(v1), "a refused file is left as it was");

        try (FileChannel ch = FileChannel.open(v2, StandardOpenOption.WRITE))
        {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 3), FlowTable.H_VERSION);
        }
        final IOException future = assertThrows(IOException.class, () -> FlowTable.open(v2, CONFIG));
        assertTrue(future.getMessage().contains("version 3 is not supported"), future.getMessage());
    }
}
