package io.vrouter.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.vrouter.agent.control.ControlCodec;
import io.vrouter.agent.control.DecodeException;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.SandeshRecord;

/**
 * The state log: objects kept and read back in programming order across a reopen, a DELETE forgetting its
 * key, the file's mode, a second daemon refused, the CLI reading while the daemon appends, compaction, and
 * damaged files: a torn tail dropped quietly, a bad record in the middle (a lying length, a CRC mismatch,
 * a bad key) leaving the good prefix and a rewritten file, a file that is not a store (truncated header,
 * random bytes) moved aside, never an exception out of {@link StateStore#open}. Each is quick: the store
 * opens in milliseconds.
 */
@Timeout(5)
class StateStoreTest
{
    private Path dir;
    private Path file;

    @BeforeEach
    void dir() throws IOException
    {
        dir = Files.createTempDirectory("state-store");
        file = dir.resolve("state.log");
    }

    @AfterEach
    void clean() throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static void put(final StateStore s, final SandeshRecord r)
    {
        s.put(StateKeys.of(r), r.toSandesh());
    }

    private static List<String> keys(final StateStore s)
    {
        final StateStore.Contents c = s.entries();
        assertEquals(List.of(), c.bad());
        return c.entries().stream().map(StateStore.Entry::key).toList();
    }

    /** Three records: nh/1, nh/2, nh/3. */
    private void threeRecords() throws IOException
    {
        try (StateStore s = StateStore.open(file, 1024))
        {
            for (int i = 1; i <= 3; i++)
            {
                put(s, Requests.nextHop(i, NextHopType.RECEIVE, 0).build());
            }
        }
    }

    /** The records' offsets, walking the lengths from the header on. */
    private List<Integer> offsets() throws IOException
    {
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        final List<Integer> out = new ArrayList<>();
        int p = StateStore.HEADER_BYTES;
        while (p + 4 <= b.capacity() && b.getInt(p) != 0)
        {
            out.add(p);
            p += (b.getInt(p) + 7) & ~7;
        }
        return out;
    }

    private void patch(final int offset, final byte[] bytes) throws IOException
    {
        final byte[] whole = Files.readAllBytes(file);
        System.arraycopy(bytes, 0, whole, offset, bytes.length);
        Files.write(file, whole);
    }

    @Test
    void keepsObjectsInProgrammingOrderAcrossAReopen() throws Exception
    {
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertEquals("created", s.openedHow());
            put(s, Requests.nextHop(7, NextHopType.RECEIVE, 0).build());
            put(s, MplsRequest.add(17, 7));
            put(s, Requests.route4(0, "10.0.0.1/32", 7, -1, 0));
            put(s, Requests.nextHop(7, NextHopType.DISCARD, 0).build());
            s.remove(StateKeys.of(MplsRequest.delete(17)));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
            dir.resolve("state.log.lock"))));
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertEquals("reopened, 2 objects", s.openedHow());
            assertEquals(List.of("rt/0/inet/0a000001/32", "nh/7"), keys(s),
                "the route, then the next hop's replacement; the label deleted");
            assertEquals(Requests.nextHop(7, NextHopType.DISCARD, 0).build().toSandesh(),
                s.entries().entries().getLast().object());
            put(s, MplsRequest.add(18, 7));
            assertEquals("mpls/18", s.entries().entries().getLast().key(), "sequence continues after a reopen");
            assertEquals(6, s.entries().entries().getLast().sequence());
        }
    }

    @Test
    void aSecondDaemonIsRefusedAndTheCliReadsWhileTheDaemonRuns() throws IOException
    {
        try (StateStore s = StateStore.open(file, 1024))
        {
            put(s, InterfaceRequest.delete(3).toBuilder().op(Op.ADD).build());
            final IOException e = assertThrows(IOException.class, () -> StateStore.open(file, 1024));
            assertTrue(e.getMessage().contains("state.log.lock"), e.getMessage());
            try (StateStore reader = StateStore.openForReading(file))
            {
                assertEquals(1, reader.entries().entries().size());
                assertEquals(List.of(new StateStore.Listing("vif/3", 1, "vr_interface_req",
                    reader.listing().get(0).bytes())), reader.listing());
                assertThrows(IllegalStateException.class, () -> reader.remove("vif/3"));
            }
        }
    }

    @Test
    void aReaderSeesWholeRecordsWhileTheWriterAppendsAndGrows() throws IOException
    {
        try (StateStore s = StateStore.open(file, 16))
        {
            for (int i = 0; i < 100; i++)
            {
                put(s, MplsRequest.add(i, 7));
            }
            try (StateStore reader = StateStore.openForReading(file))
            {
                // the writer appends past the first mapping (64 KiB) while the reader holds its own
                for (int i = 100; i < 1000; i++)
                {
                    put(s, MplsRequest.add(i, 7));
                }
                assertEquals(100, reader.entries().entries().size(), "the reader's snapshot");
                try (StateStore later = StateStore.openForReading(file))
                {
                    assertEquals(1000, later.entries().entries().size());
                }
            }
            // a record being written: its body is there, its length (written last) is not yet
            final long end = s.logBytes();
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE))
            {
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}), end + 4);
            }
            try (StateStore reader = StateStore.openForReading(file))
            {
                assertEquals(1000, reader.size(), "the half-written record is not read");
            }
        }
    }

    @Test
    void aTornTailIsDroppedQuietly() throws IOException
    {
        final long end;
        try (StateStore s = StateStore.open(file, 1024))
        {
            put(s, MplsRequest.add(17, 7));
            put(s, MplsRequest.add(18, 7));
            end = s.logBytes();
        }
        // killed in the middle of an append: part of the next record's body, no length
        patch((int)end + 8, new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertEquals("reopened, 2 objects, a torn tail of 20 bytes dropped", s.openedHow());
            assertEquals(List.of("mpls/17", "mpls/18"), keys(s));
            put(s, MplsRequest.add(19, 7));
        }
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertEquals("reopened, 3 objects", s.openedHow(), "the torn bytes were cleared");
            assertEquals(List.of("mpls/17", "mpls/18", "mpls/19"), keys(s));
        }
    }

    @Test
    void aFileTruncatedInARecordKeepsTheRecordsBefore() throws IOException
    {
        threeRecords();
        final List<Integer> at = offsets();
        final byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, at.get(2) + 30));
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertTrue(s.openedHow().startsWith("reopened, 2 objects, a torn tail of 30 bytes dropped"),
                s.openedHow());
            assertEquals(List.of("nh/1", "nh/2"), keys(s));
        }
    }

    @Test
    void aTruncatedHeaderIsMovedAsideAndRebuilt() throws IOException
    {
        threeRecords();
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 10));
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertTrue(s.openedHow().startsWith("REBUILT EMPTY") && s.openedHow().contains("state.log.corrupt")
                && s.openedHow().contains("shorter than the 16-byte header"), s.openedHow());
            assertEquals(0, s.size());
        }
        assertTrue(Files.exists(dir.resolve("state.log.corrupt")));
    }

    @Test
    void randomBytesAreMovedAsideAndRebuilt() throws IOException
    {
        final byte[] junk = new byte[1 << 20];
        new Random(14).nextBytes(junk);
        Files.write(file, junk);
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertTrue(s.openedHow().startsWith("REBUILT EMPTY") && s.openedHow().contains("bad magic"),
                s.openedHow());
            put(s, MplsRequest.add(17, 7));
            assertEquals(1, s.entries().entries().size());
        }
        assertEquals(1 << 20, Files.size(dir.resolve("state.log.corrupt")));
        final IOException e = assertThrows(IOException.class, () -> StateStore.openForReading(
            dir.resolve("state.log.corrupt")));
        assertTrue(e.getMessage().contains("not a state store"), e.getMessage());
    }

    @Test
    void randomBytesAfterAGoodHeaderKeepNothingAndRebuild() throws IOException
    {
        threeRecords();
        final byte[] whole = Files.readAllBytes(file);
        final byte[] junk = new byte[whole.length - StateStore.HEADER_BYTES];
        new Random(3).nextBytes(junk);
        patch(StateStore.HEADER_BYTES, junk);
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertTrue(s.openedHow().startsWith("REBUILT from the good prefix"), s.openedHow());
            assertEquals(0, s.size());
        }
    }

    @Test
    void aLyingLengthInTheMiddleKeepsTheGoodPrefixAndRewritesTheFile() throws IOException
    {
        threeRecords();
        final List<Integer> at = offsets();
        patch(at.get(1), new byte[] {0, 0, 0, 0x40});
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertTrue(s.openedHow().startsWith("REBUILT from the good prefix") && s.openedHow().contains("claims "
                + (1 << 30) + " bytes") && s.openedHow().contains("kept the 1 objects"), s.openedHow());
            assertEquals(List.of("nh/1"), keys(s));
            put(s, Requests.nextHop(4, NextHopType.RECEIVE, 0).build());
        }
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertEquals("reopened, 2 objects", s.openedHow());
            assertEquals(List.of("nh/1", "nh/4"), keys(s));
        }
        final byte[] negative = {(byte)0xff, (byte)0xff, (byte)0xff, (byte)0xff};
        patch(offsets().get(0), negative);
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertTrue(s.openedHow().startsWith("REBUILT from the good prefix"), s.openedHow());
            assertEquals(0, s.size());
        }
    }

    @Test
    void aCrcMismatchInTheMiddleKeepsTheGoodPrefix() throws IOException
    {
        threeRecords();
        final List<Integer> at = offsets();
        final byte[] whole = Files.readAllBytes(file);
        patch(at.get(1) + 40, new byte[] {(byte)(whole[at.get(1) + 40] ^ 0x10)});
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertTrue(s.openedHow().startsWith("REBUILT from the good prefix") && s.openedHow().contains(
                "offset " + at.get(1) + ": CRC mismatch") && s.openedHow().contains("kept the 1 objects"),
                s.openedHow());
            assertEquals(List.of("nh/1"), keys(s));
        }
    }

    @Test
    void aRecordWithABadKeyOrKindIsRefused() throws IOException
    {
        threeRecords();
        final int second = offsets().get(1);
        final byte[] whole = Files.readAllBytes(file);
        final ByteBuffer b = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN);
        final int length = b.getInt(second);
        // a key that is not one ("nh/2" becomes "xx/2") under a correct CRC
        whole[second + StateStore.RECORD_HEADER] = 'x';
        whole[second + StateStore.RECORD_HEADER + 1] = 'x';
        final CRC32C crc = new CRC32C();
        crc.update(whole, second + 8, length - 8);
        b.putInt(second + 4, (int)crc.getValue());
        Files.write(file, whole);
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertTrue(s.openedHow().contains("bad key syntax") && s.openedHow().contains("kept the 1 objects"),
                s.openedHow());
        }
        assertFalse(StateKeys.valid("nh/"));
        assertFalse(StateKeys.valid("port/a b"));
        assertFalse(StateKeys.valid("vif/\u00e9"));
        assertTrue(StateKeys.valid("rt/2/inet/0a000003/32"));
        assertTrue(StateKeys.valid(new String(new byte[] {'n', 'h', '/', '1'}, StandardCharsets.US_ASCII)));
    }

    @Test
    void compactionKeepsTheLiveObjectsAcrossAReopen() throws IOException
    {
        final long before;
        try (StateStore s = StateStore.open(file, 16))
        {
            put(s, MplsRequest.add(1, 7));
            for (int i = 0; i < 5000; i++)
            {
                put(s, Requests.nextHop(2, NextHopType.RECEIVE, i % 4).build());
            }
            put(s, MplsRequest.add(3, 7));
            s.remove("mpls/1");
            assertTrue(s.compactions() > 0, "5000 rewrites of one key passed the threshold");
            assertTrue(s.logBytes() < StateStore.COMPACT_MIN_DEAD * 2 + 1024, s.logBytes() + " bytes of log");
            before = s.logBytes();
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(Files.exists(dir.resolve("state.log.new")));
        try (StateStore s = StateStore.open(file, 16))
        {
            assertEquals(List.of("nh/2", "mpls/3"), keys(s));
            assertEquals(5002, s.entries().entries().getLast().sequence());
            assertTrue(s.logBytes() <= before);
            put(s, MplsRequest.add(4, 7));
            assertEquals(5004, s.entries().entries().getLast().sequence(), "after the tombstone's 5003");
        }
    }

    @Test
    void clearLeavesAnEmptyStore() throws IOException
    {
        threeRecords();
        try (StateStore s = StateStore.open(file, 1024))
        {
            s.clear();
            assertEquals(0, s.size());
            put(s, MplsRequest.add(17, 7));
        }
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertEquals(List.of("mpls/17"), keys(s));
        }
    }

    @Test
    void anEntryThatDoesNotDecodeIsReportedNotReturned() throws Exception
    {
        final byte[] good = ControlCodec.encodeRequest(5, List.of(NextHopRequest.delete(3).toSandesh()));
        assertEquals(5, StateStore.decode("nh/3", good).sequence());
        final byte[] truncated = Arrays.copyOf(good, good.length - 3);
        assertThrows(DecodeException.class, () -> StateStore.decode("nh/3", truncated));
        final byte[] lying = good.clone();
        ByteBuffer.wrap(lying).putInt(0, 1 << 30);
        assertThrows(DecodeException.class, () -> StateStore.decode("nh/3", lying));
        final byte[] random = new byte[64];
        new Random(1).nextBytes(random);
        assertThrows(DecodeException.class, () -> StateStore.decode("nh/3", random));
        assertThrows(DecodeException.class, () -> StateStore.decode("nh/3", new byte[3]));
    }
}
