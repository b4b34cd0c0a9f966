package io.vrouter.agent.counters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vrouter.core.status.CounterSource;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;
import io.vrouter.core.status.VrfStat;

class CounterFileTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldPublishEveryWorkersCountersToAReaderMapping() throws IOException
    {
        final Path path = tmp.resolve("run/counters");
        try (CounterFile writer = CounterFile.create(path, 3, 10, 5);
            CounterFile reader = CounterFile.open(path))
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            final ForwardingCounters w0 = writer.counters(0);
            final ForwardingCounters w2 = writer.counters(2);
            w0.drop(DropReason.INVALID_LABEL, 4);
            w2.drop(DropReason.INVALID_LABEL, 4);
            w2.drop(DropReason.DISCARD, -1);
            w2.received(9, 100);
            w2.sent(9, 60);
            w0.countVrf(4, VrfStat.ENCAPS);
            assertEquals(3, reader.workers());
            assertEquals(10, reader.interfaces());
            assertEquals(5, reader.vrfs());
            assertEquals(ProcessHandle.current().pid(), reader.writerPid());
            assertTrue(reader.writerAlive());
            assertEquals(DropReason.COUNT, reader.dropNames().size());
            assertEquals(DropReason.INVALID_LABEL.label(), reader.dropNames().get(DropReason.INVALID_LABEL.ordinal()));
            assertEquals(2, reader.drops(-1, DropReason.INVALID_LABEL.ordinal()));
            assertEquals(1, reader.drops(0, DropReason.INVALID_LABEL.ordinal()));
            assertEquals(0, reader.drops(1, DropReason.INVALID_LABEL.ordinal()));
            assertEquals(1, reader.drops(2, DropReason.DISCARD.ordinal()));
            assertEquals(2, reader.interfaceCounter(-1, 4, CounterSource.IF_DROPS));
            assertEquals(100, reader.interfaceCounter(-1, 9, CounterSource.IF_IBYTES));
            assertEquals(1, reader.interfaceCounter(2, 9, CounterSource.IF_OPACKETS));
            assertEquals(60, reader.interfaceCounter(2, 9, CounterSource.IF_OBYTES));
            assertEquals(1, reader.vrfStat(-1, 4, VrfStat.ENCAPS.ordinal()));
            assertEquals(VrfStat.ENCAPS.fieldName(), reader.vrfStatNames().get(VrfStat.ENCAPS.ordinal()));
            // the writer's own view agrees
            assertEquals(2, w2.drops(4, DropReason.INVALID_LABEL) + w0.drops(4, DropReason.INVALID_LABEL));
            w2.clearInterface(9);
            assertEquals(0, reader.interfaceCounter(-1, 9, CounterSource.IF_IBYTES));
            assertThrows(IndexOutOfBoundsException.class, () -> reader.drops(3, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> writer.counters(3));
        }
    }

    @Test
    void shouldRefuseFilesThatAreNotCounters() throws IOException
    {
        final Path junk = tmp.resolve("junk");
        Files.write(junk, new byte[4096]);
        final IOException e = assertThrows(IOException.class, () -> CounterFile.open(junk));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        final Path tiny = tmp.resolve("tiny");
        Files.write(tiny, new byte[3]);
        assertThrows(IOException.class, () -> CounterFile.open(tiny));
        final Path good = tmp.resolve("good");
        CounterFile.create(good, 1, 4, 4).close();
        final byte[] bytes = Files.readAllBytes(good);
        bytes[16] = 99;
        final Path lying = tmp.resolve("lying");
        Files.write(lying, bytes);
        final IOException e2 = assertThrows(IOException.class, () -> CounterFile.open(lying));
        assertTrue(e2.getMessage().contains("inconsistent"), e2.getMessage());
    }

    @Test
    void shouldKeepHeapCountersWorkingAsBefore()
    {
        final ForwardingCounters c = new ForwardingCounters(4, 2);
        c.drop(DropReason.PULL, 3);
        c.drop(DropReason.PULL, 7);
        c.countVrf(1, VrfStat.RESOLVES);
        c.countVrf(2, VrfStat.RESOLVES);
        assertEquals(2, c.drops(DropReason.PULL));
        assertEquals(1, c.drops(3, DropReason.PULL));
        assertEquals(2, c.totalDrops());
        assertEquals(1, c.vrfStat(1, VrfStat.RESOLVES));
        c.clear();
        assertEquals(0, c.totalDrops());
    }

    /** Writes a writer pid into a counters file, as another process would have. */
    private static void writer(final Path path, final long pid) throws IOException
    {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path,
            java.nio.file.StandardOpenOption.WRITE))
        {
            final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
            b.putLong(pid).flip();
            ch.write(b, 48);
        }
    }

    @Test
    void shouldRefuseToTakeOverTheFileOfALiveDaemonButNotOfADeadOne() throws Exception
    {
        final Path path = tmp.resolve("node-1.counters");
        CounterFile.create(path, 1, 4, 4).close();
        // Process start times are known to about a second (the boot time has a second's resolution).
        Thread.sleep(2500);
        final Process other = new ProcessBuilder("sleep", "60").start();
        try
        {
            // A daemon that started before the file was written and is still running: its file is not taken.
            writer(path, ProcessHandle.current().parent().orElseThrow().pid());
            final IOException e = assertThrows(IOException.class, () -> CounterFile.create(path, 1, 4, 4));
            assertTrue(e.getMessage().contains("belongs to a running vrouterd"), e.getMessage());
            // A live process that started after the file: a reused pid, not the writer.
            writer(path, other.pid());
            try (CounterFile reader = CounterFile.open(path))
            {
                assertTrue(!reader.writerAlive(), "a pid started after the file is not its writer");
            }
        }
        finally
        {
            other.destroyForcibly().waitFor();
        }
        // The writer has exited: the file is taken over.
        writer(path, other.pid());
        CounterFile.create(path, 1, 4, 4).close();
    }

    @Test
    void shouldNameEachDaemonsFileAfterItsSocket()
    {
        assertEquals(Path.of("/run/lab/node-1.counters"),
            io.vrouter.agent.api.NodeEndpoints.countersFor(Path.of("/run/lab/node-1.sock")));
        assertEquals(Path.of("/var/run/vrouter/vrouterd.counters"), io.vrouter.agent.api.NodeEndpoints.COUNTERS);
    }
}
