package io.vrouter.tools.controller;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state file and its journal: every commit appends what it changed (not the model), a start replays the
 * journal over the snapshot and gets the model the controller had, the journal turns into a snapshot once it
 * outgrows it, and a crash's torn last line is ignored while damage anywhere else stops the load.
 */
class FileClusterStoreTest
{
    @TempDir
    Path dir;
    private Path state;

    @BeforeEach
    void name()
    {
        state = dir.resolve("state.yaml");
    }

    private static List<Resource> services(final String prefix, final int count, final String app)
    {
        final StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            yaml.append("apiVersion: v1\nkind: Service\nmetadata:\n  name: ").append(prefix).append(i)
                .append("\nspec:\n  selector:\n    app: ").append(app).append("\n  ports:\n")
                .append("    - protocol: TCP\n      port: 80\n      targetPort: 8080\n---\n");
        }
        return Resource.parseAll(yaml.toString(), prefix);
    }

    private static List<Resource> byName(final String kind, final String name)
    {
        return Resource.parseAll("apiVersion: v1\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n", name);
    }

    @Test
    void aStartReplaysTheJournalToTheModelTheControllerHad() throws IOException
    {
        final Random random = new Random(7);
        final FileClusterStore store = new FileClusterStore(ClusterTest.seedCluster(), state);
        final List<String> live = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            final int op = random.nextInt(10);
            if (op < 6 || live.isEmpty())
            {
                final String name = "svc-" + i + "-";
                store.update(c -> c.apply(services(name, 1 + random.nextInt(3), "app" + random.nextInt(3)),
                    "default"));
                live.add(name);
            }
            else if (op < 9)
            {
                final String name = live.remove(random.nextInt(live.size()));
                store.update(c -> c.delete(services(name, 1, "x"), "default"));
            }
            else
            {
                store.update(c -> c.addNode("node-" + (3 + random.nextInt(3))));
            }
        }
        final Cluster model = store.update(c -> c);
        store.close();
        assertTrue(Files.size(FileClusterStore.journalOf(state)) > 0, "commits went to the journal");
        assertEquals(1, store.writes()[0], "one snapshot: the one at the start");
        assertEquals(model.toYaml(), ControllerMain.loadState(state).toYaml());
    }

    @Test
    void aCommitAppendsWhatItChangedNotTheModel() throws IOException
    {
        final FileClusterStore store = new FileClusterStore(ClusterTest.seedCluster(), state);
        for (int i = 0; i < 20; i++)
        {
            final String prefix = "bulk-" + i + "-";
            store.update(c -> c.apply(services(prefix, 100, "ubuntu-pod-1"), "default"));
        }
        final long before = Files.size(FileClusterStore.journalOf(state));
        store.update(c -> c.apply(services("one-", 1, "ubuntu-pod-1"), "default"));
        final long line = Files.size(FileClusterStore.journalOf(state)) - before;
        store.close();
        assertTrue(line > 0 && line < 1024, "one service in a model of 2,000 appends " + line + " bytes");
        assertEquals(1, store.writes()[0], "no snapshot per commit");
        assertEquals(21, store.writes()[1]);
        assertEquals(2001, ControllerMain.loadState(state).services().size());
    }

    @Test
    void theJournalBecomesASnapshotOnceItOutgrowsIt() throws IOException
    {
        final FileClusterStore store = new FileClusterStore(ClusterTest.seedCluster(), state, 0);
        for (int i = 0; i < 30; i++)
        {
            final String prefix = "s" + i + "-";
            store.update(c -> c.apply(services(prefix, 3, "ubuntu-pod-1"), "default"));
        }
        final Cluster model = store.update(c -> c);
        store.close();
        final long[] writes = store.writes();
        assertTrue(writes[0] > 2 && writes[1] > 2, "snapshots " + writes[0] + ", journal lines " + writes[1]);
        assertTrue(Files.size(FileClusterStore.journalOf(state).resolveSibling("state.yaml"))
            >= (Files.exists(FileClusterStore.journalOf(state)) ? Files.size(FileClusterStore.journalOf(state)) : 0),
            "the journal stays smaller than the snapshot");
        assertEquals(model.toYaml(), ControllerMain.loadState(state).toYaml());
    }

    @Test
    void replayingCommitsTheSnapshotAlreadyHoldsChangesNothing() throws IOException
    {
        // A crash after a snapshot's rename and before the journal's removal leaves both.
        final FileClusterStore store = new FileClusterStore(ClusterTest.seedCluster(), state);
        store.update(c -> c.apply(services("a-", 5, "ubuntu-pod-1"), "default"));
        store.update(c -> c.delete(services("a-", 2, "x"), "default"));
        store.update(c -> c.apply(services("b-", 2, "ubuntu-pod-1"), "default"));
        store.update(c -> c.delete(byName("Pod", "ubuntuapp"), "default"));
        final byte[] journal = Files.readAllBytes(FileClusterStore.journalOf(state));
        final Cluster model = store.update(c -> c);
        store.close();
        new FileClusterStore(model, state).close();
        assertFalse(Files.exists(FileClusterStore.journalOf(state)), "a new store starts from a snapshot");
        Files.write(FileClusterStore.journalOf(state), journal);
        assertEquals(model.toYaml(), ControllerMain.loadState(state).toYaml());
    }

    @Test
    void aTornLastLineIsIgnoredAndDamageBeforeItStopsTheLoad() throws IOException
    {
        final FileClusterStore store = new FileClusterStore(ClusterTest.seedCluster(), state);
        store.update(c -> c.apply(services("a-", 1, "ubuntu-pod-1"), "default"));
        final Cluster first = store.update(c -> c);
        store.update(c -> c.apply(services("b-", 1, "ubuntu-pod-1"), "default"));
        store.close();
        final Path journal = FileClusterStore.journalOf(state);
        final byte[] whole = Files.readAllBytes(journal);
        final int firstEnd = new String(whole, StandardCharsets.UTF_8).indexOf('\n') + 1;

        // The second line cut in the middle (its append never finished): the model after the first commit.
        Files.write(journal, java.util.Arrays.copyOf(whole, firstEnd + (whole.length - firstEnd) / 2));
        assertEquals(first.toYaml(), ControllerMain.loadState(state).toYaml());

        // A byte of the first line changed: its CRC fails, and lines follow it.
        final byte[] damaged = whole.clone();
        damaged[firstEnd / 2] ^= 0x01;
        Files.write(journal, damaged);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ControllerMain.loadState(state));
        assertTrue(e.getMessage().contains("line 1: CRC"), e.getMessage());

        // A well-formed line whose commit makes the model invalid (an address given twice) names the cause.
        Files.write(journal, whole);
        final String line = new String(whole, 0, firstEnd - 1, StandardCharsets.UTF_8);
        final String ip = line.replaceAll(".*\"clusterIP\":\"([0-9.]+)\".*", "$1");
        final String json = line.substring(9).replace("\"a-0\"", "\"c-0\"");
        final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        Files.writeString(journal, String.format("%08x %s%n", crc.getValue(), json), StandardOpenOption.APPEND);
        final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
            () -> ControllerMain.loadState(state));
        assertTrue(twice.getMessage().contains("journal's 3 commits") && twice.getMessage().contains(ip),
            twice.getMessage());
    }

    @Test
    void aStateFileThatCannotBeWrittenStopsTheStartWithExit2()
    {
        final Path nowhere = dir.resolve("no-such-directory").resolve("state.yaml");
        final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        final java.io.PrintStream old = System.err;
        final int code;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try
        {
            code = new picocli.CommandLine(ControllerMain.class).execute("serve", "--insecure", "--state",
                nowhere.toString());
        }
        finally
        {
            System.setErr(old);
        }
        final String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, said);
        assertTrue(said.contains("cannot save the controller state to " + nowhere) && said.contains("nothing started"),
            said);
    }
}
