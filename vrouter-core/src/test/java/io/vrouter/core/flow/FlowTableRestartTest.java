package io.vrouter.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vrouter.core.memory.AnonymousMemory;

/**
 * The file-backed table: flows written, table closed and reopened (a daemon restart), flows still
 * there; a reader maps it read-only meanwhile; a mismatching file is refused.
 */
class FlowTableRestartTest
{
    @TempDir
    Path dir;

    @Test
    void shouldKeepFlowsAcrossCloseAndReopen() throws Exception
    {
        final Path file = dir.resolve("flows.tbl");
        final FlowTableConfig config = FlowTableConfig.sized(1024);
        final FlowKey k = new FlowKey();
        final FlowKey r = new FlowKey();
        final FlowTable.Setup s = new FlowTable.Setup();
        s.ownerVif = 3;
        s.vrf = 1;
        s.reverseVrf = 1;
        int first;
        try (FlowTable t = FlowTable.open(file, config))
        {
            for (int i = 0; i < 100; i++)
            {
                k.set4(0, 6, 0x0A000001, 0x0A000002, 1000 + i, 80);
                r.reverseOf(k);
                t.insert(k, k.hash(), r, r.hash(), s, 5);
            }
            k.set4(0, 6, 0x0A000001, 0x0A000002, 1000, 80);
            first = t.lookup(k, k.hash());
            t.hit(first, 100, 9);
            try (FlowTable reader = FlowTable.openReadOnly(file))
            {
                assertEquals(200, reader.activeEntries(), "another mapping sees the flows while the writer runs");
                assertEquals(first, reader.lookup(k, k.hash()));
                assertThrows(IllegalStateException.class, () -> reader.delete(first, -1));
            }
        }
        try (FlowTable t = FlowTable.open(file, config))
        {
            assertEquals(200, t.activeEntries());
            assertEquals(200, t.vifEntries(3), "per-interface counts rebuilt");
            assertEquals(200, t.vrfEntries(1));
            assertEquals(first, t.lookup(k, k.hash()));
            assertEquals(1, t.longField(first, FlowTable.E_PACKETS));
            assertEquals(100, t.longField(first, FlowTable.E_BYTES));
            final int rf = t.intField(first, FlowTable.E_RFLOW);
            r.reverseOf(k);
            assertEquals(rf, t.lookup(r, r.hash()));
            assertTrue(t.delete(first, -1));
        }
    }

    @Test
    void shouldMapAnonymousTablesWithMmapOnLinux()
    {
        assertTrue(AnonymousMemory.available(), "mmap/madvise reachable through the FFM linker");
        final FlowTable t = FlowTable.createAnonymous(FlowTableConfig.defaults());
        final FlowKey k = new FlowKey().set4(1, 6, 1, 2, 3, 4);
        final FlowTable.Setup s = new FlowTable.Setup();
        s.withReverse = false;
        final int fi = t.insert(k, k.hash(), k, k.hash(), s, 0);
        assertEquals(fi, t.lookup(k, k.hash()));
        assertEquals(629_760, t.totalEntries(), "Contrail's 512 K + 105,472 overflow");
    }

    @Test
    void shouldRefuseAFileOfAnotherSizeOrNotAFlowTable() throws Exception
    {
        final Path file = dir.resolve("flows.tbl");
        try (FlowTable t = FlowTable.open(file, FlowTableConfig.sized(1024)))
        {
            assertEquals(0, t.activeEntries());
        }
        assertThrows(IOException.class, () -> FlowTable.open(file, FlowTableConfig.sized(2048)));
        final Path junk = dir.resolve("junk.tbl");
        Files.write(junk, new byte[8192]);
        assertThrows(IOException.class, () -> FlowTable.openReadOnly(junk));
    }
}
