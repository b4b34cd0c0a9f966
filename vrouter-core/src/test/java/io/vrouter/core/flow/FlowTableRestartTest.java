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
            t.hit(first, 1, 100, 9);
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

    @Test
    void shouldRepairACorruptFileAtOpenAndAgeItWithoutFailing() throws Exception
    {
        final Path file = dir.resolve("flows.tbl");
        final FlowTableConfig config = FlowTableConfig.sized(1024);
        final FlowKey k = new FlowKey();
        final FlowKey r = new FlowKey();
        final FlowTable.Setup s = new FlowTable.Setup();
        int total;
        try (FlowTable t = FlowTable.open(file, config))
        {
            for (int i = 0; i < 50; i++)
            {
                k.set4(0, 6, 0x0A000001, 0x0A000002, 2000 + i, 80);
                r.reverseOf(k);
                t.insert(k, k.hash(), r, r.hash(), s, 5);
            }
            total = t.totalEntries();
            // Corrupt every active entry's reverse index (out of range, negative, not mutual) and
            // give some free entries a state no table writes.
            final java.util.Random random = new java.util.Random(14);
            int corrupted = 0;
            for (int i = 0; i < total; i++)
            {
                if (t.isActive(i))
                {
                    final int kind = corrupted++ % 3;
                    t.putIntField(i, FlowTable.E_RFLOW, kind == 0 ? total + random.nextInt(1 << 20)
                        : kind == 1 ? -2 - random.nextInt(1000) : (i + 1) % total);
                    t.putIntField(i, FlowTable.E_FLAGS, t.intField(i, FlowTable.E_FLAGS) | FlowAction.FLAG_RFLOW_VALID);
                }
                else if (i % 97 == 0)
                {
                    t.putIntField(i, FlowTable.E_STATE, 0x7F);
                }
            }
            assertEquals(100, corrupted);
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(file)));
        try (FlowTable t = FlowTable.open(file, config))
        {
            assertTrue(t.repairedAtOpen() >= 100, "repaired: " + t.repairedAtOpen());
            assertEquals(100, t.activeEntries(), "the flows stay, unpaired");
            for (int i = 0; i < total; i++)
            {
                final int rflow = t.intField(i, FlowTable.E_RFLOW);
                assertTrue(!t.isActive(i) || rflow == -1 || (rflow >= 0 && rflow < total), "entry " + i);
            }
            final FlowAger ager = new FlowAger(t, () -> Long.MAX_VALUE / 2);
            assertEquals(100, ager.scanAll(), "every (unpaired, long idle) flow aged without an exception");
        }
    }

    @Test
    void shouldAgeAnEntryWhoseReverseIndexIsOutOfRange() throws Exception
    {
        try (FlowTable t = FlowTable.open(dir.resolve("flows.tbl"), FlowTableConfig.sized(1024)))
        {
            final FlowKey k = new FlowKey().set4(0, 6, 1, 2, 3, 4);
            final FlowTable.Setup s = new FlowTable.Setup();
            s.withReverse = false;
            final int fi = t.insert(k, k.hash(), k, k.hash(), s, 0);
            t.putIntField(fi, FlowTable.E_RFLOW, t.totalEntries() + 5);
            t.putIntField(fi, FlowTable.E_FLAGS, t.intField(fi, FlowTable.E_FLAGS) | FlowAction.FLAG_RFLOW_VALID);
            assertEquals(1, new FlowAger(t, () -> Long.MAX_VALUE / 2).scanAll(), "FlowAger.scan checks rflow < total");
        }
    }

    @Test
    void shouldRefuseAFileAnotherOwnerHolds() throws Exception
    {
        final Path file = dir.resolve("flows.tbl");
        try (FlowTable t = FlowTable.open(file, FlowTableConfig.sized(1024)))
        {
            final IOException e = assertThrows(IOException.class, () -> FlowTable.open(file,
                FlowTableConfig.sized(1024)));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            assertEquals(0, t.activeEntries());
        }
        try (FlowTable again = FlowTable.open(file, FlowTableConfig.sized(1024)))
        {
            assertEquals(0, again.activeEntries(), "free again once closed");
        }
        // Another process (a live daemon) holding the file: refused; once it is gone, taken over.
        final Path holder = dir.resolve("Hold.java");
        Files.writeString(holder, "public class Hold { public static void main(String[] a) throws Exception { "
            + "var ch = java.nio.channels.FileChannel.open(java.nio.file.Path.of(a[0]), "
            + "java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE); "
            + "System.out.println(ch.tryLock() != null ? \"locked\" : \"busy\"); System.out.flush(); "
            + "System.in.read(); } }");
        final Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            holder.toString(), file.toString()).redirectErrorStream(true).start();
        try
        {
            final String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))
                .readLine();
            assertEquals("locked", line, "the holder process took the lock");
            final IOException e = assertThrows(IOException.class, () -> FlowTable.open(file,
                FlowTableConfig.sized(1024)));
            assertTrue(e.getMessage().contains("in use by another running daemon"), e.getMessage());
        }
        finally
        {
            p.destroyForcibly().waitFor();
        }
        try (FlowTable after = FlowTable.open(file, FlowTableConfig.sized(1024)))
        {
            assertEquals(0, after.activeEntries(), "taken over once its holder has exited");
        }
    }
}
