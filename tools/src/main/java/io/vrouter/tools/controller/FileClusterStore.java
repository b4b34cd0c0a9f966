package io.vrouter.tools.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * The model on the controller's own disk: the embedded default, for a single controller. Two files:
 * <ul>
 * <li>the <b>state file</b>, a snapshot of the whole model as YAML ({@link Cluster#toYaml()}), written to a
 * temporary file, synced and renamed over the old one;</li>
 * <li>its <b>journal</b> ({@code FILE.journal}), one line per commit since the snapshot: what the commit changed,
 * object by object ({@link Cluster.Delta} as JSON), behind the CRC-32 of the JSON, appended and synced before the
 * commit is acknowledged.</li>
 * </ul>
 * A commit costs what it changes, not what the model holds. Once the journal outgrows the snapshot (and at least
 * {@value #MIN_COMPACT_BYTES} bytes), a commit writes a new snapshot instead and removes the journal, so a
 * commit's amortized cost stays in proportion to its change and a start reads at most about twice the model.
 * <p>
 * Reading ({@link #load}) takes the snapshot and replays the journal over it, then checks the result as strictly
 * as a state file. The journal's last line may be torn by a crash during its append (never acknowledged): it is
 * ignored with a warning. Any other line that does not match its CRC, or does not read, stops the load with the
 * line's number. Replaying lines that a snapshot already holds (a crash between the snapshot's rename and the
 * journal's removal) gives the same model. Without a file the model lives only in memory.
 */
public final class FileClusterStore implements ClusterStore
{
    /** The journal may grow to at least this many bytes before a commit writes a snapshot. */
    static final long MIN_COMPACT_BYTES = 4L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(FileClusterStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Path journal;
    private final long compactBytes;
    private FileChannel out;
    private long journalBytes;
    private long snapshotBytes;
    private boolean snapshotDue;
    private long snapshots;
    private long journalLines;
    private Cluster committed;
    private long version;
    private Listener listener;

    /**
     * A store. With a file, it starts by writing {@code initial} as the snapshot and removing the journal.
     *
     * @param initial the model to start from ({@link #load}ed from {@code file}, or new); copied.
     * @param file    the state file, or null to keep the model in memory only.
     * @throws StoreUnavailableException when the snapshot cannot be written.
     */
    public FileClusterStore(final Cluster initial, final Path file)
    {
        this(initial, file, MIN_COMPACT_BYTES);
    }

    /**
     * A store whose journal may grow to {@code compactBytes} (or the snapshot's size) before a snapshot.
     *
     * @param initial      the model to start from; copied.
     * @param file         the state file, or null.
     * @param compactBytes the journal's least size before a snapshot.
     */
    FileClusterStore(final Cluster initial, final Path file, final long compactBytes)
    {
        this.compactBytes = compactBytes;
        this.committed = initial.copy();
        this.file = file;
        this.journal = file == null ? null : journalOf(file);
        if (file != null)
        {
            snapshot(committed);
        }
    }

    /**
     * The journal of a state file.
     *
     * @param file the state file.
     * @return {@code FILE.journal}.
     */
    public static Path journalOf(final Path file)
    {
        return file.resolveSibling(file.getFileName() + ".journal");
    }

    /**
     * Reads a state file and replays its journal over it: strict UTF-8, then {@link Cluster#fromTree}'s checks
     * on the result.
     *
     * @param file the state file.
     * @return the model.
     * @throws IOException              when a file cannot be read.
     * @throws IllegalArgumentException naming the file, the line or field, and the reason when they do not hold
     *                                  a valid model.
     */
    public static Cluster load(final Path file) throws IOException
    {
        final String text = utf8(Files.readAllBytes(file), "a saved state");
        final Object tree;
        try
        {
            tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        }
        catch (final RuntimeException e)
        {
            throw new IllegalArgumentException("not YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        final Path journal = journalOf(file);
        if (!Files.exists(journal))
        {
            return Cluster.fromTree(tree);
        }
        final Map<String, Object> root = StateReader.map(tree, "(top level)");
        final byte[] bytes = Files.readAllBytes(journal);
        int lineNo = 0;
        int replayed = 0;
        for (int from = 0; from < bytes.length; )
        {
            lineNo++;
            int eol = from;
            while (eol < bytes.length && bytes[eol] != '\n')
            {
                eol++;
            }
            final boolean last = eol >= bytes.length - 1;
            final String why = replay(root, bytes, from, eol);
            if (why != null)
            {
                if (!last)
                {
                    throw new IllegalArgumentException(journal + " line " + lineNo + ": " + why + " (the lines after "
                        + "it are commits too: restore the journal, or move it away to start from " + file + " alone)");
                }
                LOG.warn("{} line {}: {}; the last line, torn by a crash while it was written (that commit was never "
                    + "acknowledged): ignored", journal, lineNo, why);
            }
            else
            {
                replayed++;
            }
            from = eol + 1;
        }
        final Cluster c;
        try
        {
            c = Cluster.fromTree(root);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("with its journal's " + replayed + " commits: " + e.getMessage(), e);
        }
        LOG.info("state {}: {} commits replayed from {}", file, replayed, journal);
        return c;
    }

    /** Applies one journal line to a model's tree; returns why it cannot, or null. */
    private static String replay(final Map<String, Object> root, final byte[] bytes, final int from, final int eol)
    {
        if (eol >= bytes.length)
        {
            return "no line end";
        }
        if (eol - from < 10 || bytes[from + 8] != ' ')
        {
            return "not a journal line (CRC, space, JSON)";
        }
        final CRC32 crc = new CRC32();
        crc.update(bytes, from + 9, eol - from - 9);
        final String want = new String(bytes, from, 8, StandardCharsets.US_ASCII);
        if (!want.equals(String.format("%08x", crc.getValue())))
        {
            return "CRC " + String.format("%08x", crc.getValue()) + " does not match the line's " + want;
        }
        try
        {
            Cluster.merge(root, Cluster.Delta.fromTree(JSON.readValue(bytes, from + 9, eol - from - 9, Object.class)));
            return null;
        }
        catch (final IOException | IllegalArgumentException e)
        {
            return "not a commit: " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    private static String utf8(final byte[] bytes, final String what)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException e)
        {
            throw new IllegalArgumentException("not UTF-8 text (" + bytes.length + " bytes): not " + what);
        }
    }

    @Override
    public void start(final Listener listener)
    {
        final Cluster model;
        final long v;
        synchronized (this)
        {
            this.listener = listener;
            model = committed;
            v = version;
        }
        listener.modelChanged(model, v);
    }

    @Override
    public <T> T update(final Function<Cluster, T> change)
    {
        final Cluster draft;
        final T result;
        final long v;
        final Listener l;
        synchronized (this)
        {
            draft = committed.copy();
            result = change.apply(draft);
            save(draft);
            committed = draft;
            v = ++version;
            l = listener;
        }
        // Outside the lock: the listener takes its own lock, and a caller holding that lock may be in here.
        if (l != null)
        {
            l.modelChanged(draft, v);
        }
        return result;
    }

    @Override
    public String sync()
    {
        return null;
    }

    @Override
    public boolean local()
    {
        return true;
    }

    @Override
    public String describe()
    {
        return file == null ? "in memory" : "state " + file;
    }

    /**
     * Snapshots written and journal lines appended since the store opened (for tests and logs).
     *
     * @return {snapshots, journal lines}.
     */
    synchronized long[] writes()
    {
        return new long[] {snapshots, journalLines};
    }

    private void save(final Cluster model)
    {
        if (file == null)
        {
            return;
        }
        final Cluster.Delta delta = model.since(committed);
        if (committed.unchangedBy(delta))
        {
            return;
        }
        final byte[] json;
        try
        {
            json = JSON.writeValueAsBytes(delta.toTree());
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalStateException("cannot write a commit as JSON", e);
        }
        if (snapshotDue || journalBytes + json.length + 10 > Math.max(compactBytes, snapshotBytes))
        {
            snapshot(model);
            return;
        }
        final CRC32 crc = new CRC32();
        crc.update(json);
        final ByteBuffer line = ByteBuffer.allocate(json.length + 10);
        line.put(String.format("%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII)).put(json).put((byte)'\n')
            .flip();
        try
        {
            if (out == null)
            {
                out = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
                journalBytes = out.size();
            }
            while (line.hasRemaining())
            {
                out.write(line);
            }
            out.force(false);
            journalBytes += line.limit();
            journalLines++;
        }
        catch (final IOException e)
        {
            // A partial line must not stay in the middle of the journal: the next commit writes a snapshot.
            snapshotDue = true;
            throw new StoreUnavailableException("cannot append to the controller journal " + journal + ": " + e, e);
        }
    }

    /** Writes the whole model as the state file and removes the journal. */
    private void snapshot(final Cluster model)
    {
        try
        {
            final byte[] yaml = model.toYaml().getBytes(StandardCharsets.UTF_8);
            final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer b = ByteBuffer.wrap(yaml);
                while (b.hasRemaining())
                {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (out != null)
            {
                out.close();
                out = null;
            }
            Files.deleteIfExists(journal);
            journalBytes = 0;
            snapshotBytes = yaml.length;
            snapshotDue = false;
            snapshots++;
        }
        catch (final IOException e)
        {
            throw new StoreUnavailableException("cannot save the controller state to " + file + ": " + e, e);
        }
    }

    @Override
    public synchronized void close()
    {
        if (out != null)
        {
            try
            {
                out.close();
            }
            catch (final IOException e)
            {
                LOG.warn("closing the journal {}: {}", journal, e.toString());
            }
            out = null;
        }
    }
}
