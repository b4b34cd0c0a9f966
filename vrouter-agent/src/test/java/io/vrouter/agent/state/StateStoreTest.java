package io.vrouter.agent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vrouter.agent.control.DecodeException;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.nh.NextHopType;

/**
 * The state store: objects kept and read back in programming order across a reopen, a DELETE forgetting
 * its key, the file's mode, a second daemon refused, and corrupt files (truncated, random bytes, a bad
 * entry) rebuilt or dropped with a message, never an exception out of {@link StateStore#open}.
 */
class StateStoreTest
{
    private Path dir;

    @BeforeEach
    void dir() throws IOException
    {
        dir = Files.createTempDirectory("state-store");
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

    @Test
    void keepsObjectsInProgrammingOrderAcrossAReopen() throws IOException
    {
        final Path file = dir.resolve("state.map");
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
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertEquals("recovered", s.openedHow());
            final StateStore.Contents c = s.entries();
            assertEquals(List.of(), c.bad());
            assertEquals(List.of("rt/0/inet/0a000001/32", "nh/7"), c.entries().stream().map(StateStore.Entry::key)
                .toList(), "the route, then the next hop's replacement; the label deleted");
            put(s, MplsRequest.add(18, 7));
            assertEquals("mpls/18", s.entries().entries().getLast().key(), "sequence continues after a reopen");
        }
    }

    @Test
    void aSecondDaemonIsRefusedAndTheCliReadsWhileTheDaemonRuns() throws IOException
    {
        final Path file = dir.resolve("state.map");
        try (StateStore s = StateStore.open(file, 1024))
        {
            put(s, InterfaceRequest.delete(3).toBuilder().op(io.vrouter.core.request.Op.ADD).build());
            final IOException e = assertThrows(IOException.class, () -> StateStore.open(file, 1024));
            assertTrue(e.getMessage().contains("state.map.lock"), e.getMessage());
            try (StateStore reader = StateStore.openForReading(file))
            {
                assertEquals(1, reader.entries().entries().size());
                assertThrows(IllegalStateException.class, () -> reader.remove("vif/3"));
            }
        }
    }

    @Test
    void aTruncatedStoreIsMovedAsideAndRebuilt() throws IOException
    {
        final Path file = dir.resolve("state.map");
        try (StateStore s = StateStore.open(file, 1024))
        {
            put(s, MplsRequest.add(17, 7));
        }
        final byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, 100));
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertTrue(s.openedHow().startsWith("REBUILT EMPTY") && s.openedHow().contains("state.map.corrupt"),
                s.openedHow());
            assertEquals(0, s.size());
        }
        assertTrue(Files.exists(dir.resolve("state.map.corrupt")));
    }

    @Test
    void randomBytesAreMovedAsideAndRebuilt() throws IOException
    {
        final Path file = dir.resolve("state.map");
        final byte[] junk = new byte[1 << 20];
        new Random(14).nextBytes(junk);
        Files.write(file, junk);
        try (StateStore s = StateStore.open(file, 1024))
        {
            assertTrue(s.openedHow().startsWith("REBUILT EMPTY"), s.openedHow());
            put(s, MplsRequest.add(17, 7));
            assertEquals(1, s.entries().entries().size());
        }
    }

    @Test
    void anEntryThatDoesNotDecodeIsReportedNotReturned() throws Exception
    {
        final byte[] good = io.vrouter.agent.control.ControlCodec.encodeRequest(5,
            List.of(NextHopRequest.delete(3).toSandesh()));
        assertEquals(5, StateStore.decode("nh/3", good).sequence());
        final byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        assertThrows(DecodeException.class, () -> StateStore.decode("nh/3", truncated));
        final byte[] lying = good.clone();
        java.nio.ByteBuffer.wrap(lying).putInt(0, 1 << 30);
        assertThrows(DecodeException.class, () -> StateStore.decode("nh/3", lying));
        final byte[] random = new byte[64];
        new Random(1).nextBytes(random);
        assertThrows(DecodeException.class, () -> StateStore.decode("nh/3", random));
        assertThrows(DecodeException.class, () -> StateStore.decode("nh/3", new byte[3]));
    }
}
