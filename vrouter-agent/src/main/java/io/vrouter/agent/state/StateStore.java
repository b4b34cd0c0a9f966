package io.vrouter.agent.state;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import net.openhft.chronicle.map.ChronicleMap;

import io.vrouter.agent.control.ControlCodec;
import io.vrouter.agent.control.DecodeException;
import io.vrouter.core.request.SandeshObject;

/**
 * The node's forwarding state on disk: one entry per programmed object, keyed by {@link StateKeys},
 * its value the object as the control socket encodes it ({@link ControlCodec}, one request frame whose
 * id is the object's programming sequence number). A Chronicle Map persisted to a file: off-heap,
 * mapped, written in place as the conductor programs the forwarder (one {@code put} or {@code remove}
 * per object, no fsync: the page cache survives the daemon's death), and readable by the CLI while the
 * daemon runs (ADR 0007).
 * <p>
 * The daemon's copy is exclusive: a lock file next to the store ({@code <store>.lock}, a POSIX lock the
 * kernel drops when the process dies) refuses a second daemon. The store and its lock are mode 0600.
 * A store that does not open (truncated, not a store, a different layout) is moved aside to
 * {@code <store>.corrupt} and a new one created, with one warning line saying so; an entry that does
 * not decode is reported by {@link #entries()} as bad and dropped, never programmed.
 */
public final class StateStore implements AutoCloseable
{
    /** Average key length the map is sized for (bytes). */
    static final int AVERAGE_KEY = 24;
    /** Average value length the map is sized for (bytes): an encoded next hop or interface. */
    static final int AVERAGE_VALUE = 320;

    private final Path file;
    private final ChronicleMap<CharSequence, byte[]> map;
    private final FileChannel lock;
    private final String openedHow;
    private long sequence;

    /**
     * One stored object.
     *
     * @param key      its key.
     * @param sequence when it was programmed (higher is later).
     * @param object   the object, as programmed.
     */
    public record Entry(String key, long sequence, SandeshObject object)
    {
    }

    /**
     * What {@link #entries()} read: the good entries in programming order and what was dropped.
     *
     * @param entries good entries, oldest first.
     * @param bad     one line per entry that did not decode (key and reason).
     */
    public record Contents(List<Entry> entries, List<String> bad)
    {
    }

    private StateStore(final Path file, final ChronicleMap<CharSequence, byte[]> map, final FileChannel lock,
        final String openedHow)
    {
        this.file = file;
        this.map = map;
        this.lock = lock;
        this.openedHow = openedHow;
    }

    /**
     * Opens the daemon's store, creating it when absent and recovering it after a crash (segment locks a
     * killed writer left are released); a store that does not open is moved aside and a new one made.
     *
     * @param file    the store file.
     * @param entries how many objects it is sized for.
     * @return the store, locked for this process.
     * @throws IOException when the file cannot be created or is held by another live daemon.
     */
    public static StateStore open(final Path file, final int entries) throws IOException
    {
        final FileChannel lock = claim(file.resolveSibling(file.getFileName() + ".lock"));
        try
        {
            String how;
            ChronicleMap<CharSequence, byte[]> map;
            if (Files.exists(file) && Files.size(file) > 0)
            {
                final AtomicInteger corruptions = new AtomicInteger();
                final StringBuilder first = new StringBuilder();
                try
                {
                    map = builder(entries).recoverPersistedTo(file.toFile(), true, c ->
                    {
                        if (corruptions.getAndIncrement() == 0)
                        {
                            first.append(c.message());
                        }
                    });
                    how = corruptions.get() == 0 ? "recovered" : "recovered, " + corruptions.get() +
                        " corruption(s) dropped (first: " + first + ")";
                }
                catch (final IOException | RuntimeException | LinkageError e)
                {
                    final Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                    map = builder(entries).createPersistedTo(file.toFile());
                    how = "REBUILT EMPTY: " + file + " did not open as a state store (" + oneLine(e) +
                        "); moved to " + aside + ", the node starts without stored state and the controller " +
                        "reprograms it (inspect or delete the .corrupt file)";
                }
            }
            else
            {
                Files.deleteIfExists(file);
                map = builder(entries).createPersistedTo(file.toFile());
                how = "created";
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            final StateStore s = new StateStore(file, map, lock, how);
            s.sequence = s.maxSequence();
            return s;
        }
        catch (final IOException | RuntimeException e)
        {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens a store for reading while its daemon runs (the CLI).
     *
     * @param file the store file.
     * @return the store; writing through it is refused.
     * @throws IOException when it is missing or not a store.
     */
    public static StateStore openForReading(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file) || Files.size(file) == 0)
        {
            throw new IOException(file + ": no state store here (is the path right? see vrouterd's state.store)");
        }
        try
        {
            return new StateStore(file, builder(1024).createPersistedTo(file.toFile()), null, "read");
        }
        catch (final RuntimeException | LinkageError e)
        {
            throw new IOException(file + ": not a readable state store (" + oneLine(e) + ")", e);
        }
    }

    private static net.openhft.chronicle.map.ChronicleMapBuilder<CharSequence, byte[]> builder(final int entries)
    {
        return ChronicleMap.of(CharSequence.class, byte[].class).name("vrouter-state")
            .entries(Math.max(1024, entries)).averageKeySize(AVERAGE_KEY).averageValueSize(AVERAGE_VALUE)
            .maxBloatFactor(4.0).checksumEntries(true);
    }

    private static FileChannel claim(final Path lockFile) throws IOException
    {
        final FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try
        {
            Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-------"));
            final FileLock l = ch.tryLock();
            if (l == null)
            {
                throw new IOException(lockFile + " is held by another running daemon; refusing to share its state "
                    + "store");
            }
            return ch;
        }
        catch (final OverlappingFileLockException e)
        {
            ch.close();
            throw new IOException(lockFile + " is already open in this process", e);
        }
        catch (final IOException | RuntimeException e)
        {
            ch.close();
            throw e;
        }
    }

    private static String oneLine(final Throwable e)
    {
        final String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        final String first = m.lines().findFirst().orElse("");
        return first.length() > 200 ? first.substring(0, 200) + "..." : first;
    }

    private long maxSequence()
    {
        long max = 0;
        for (final byte[] v : map.values())
        {
            if (v != null && v.length >= 4 + ControlCodec.HEADER_BYTES)
            {
                max = Math.max(max, ControlCodec.peekId(ByteBuffer.wrap(v, 4, v.length - 4)));
            }
        }
        return max;
    }

    /**
     * Records an object (replacing what the key held).
     *
     * @param key    its key.
     * @param object the object as programmed.
     */
    public void put(final String key, final SandeshObject object)
    {
        checkWritable();
        map.put(key, ControlCodec.encodeRequest(++sequence, List.of(object)));
    }

    /**
     * Forgets an object.
     *
     * @param key its key.
     */
    public void remove(final String key)
    {
        checkWritable();
        map.remove(key);
    }

    /**
     * Forgets every object.
     */
    public void clear()
    {
        checkWritable();
        map.clear();
    }

    private void checkWritable()
    {
        if (lock == null)
        {
            throw new IllegalStateException(file + " is open for reading only");
        }
    }

    /**
     * Reads every entry, decoding each with the bounds-checked control codec: an entry that does not
     * decode (truncated, wrong frame, not one object) is listed as bad, not returned.
     *
     * @return the contents, oldest first.
     */
    public Contents entries()
    {
        final List<Entry> out = new ArrayList<>();
        final List<String> bad = new ArrayList<>();
        for (final Map.Entry<CharSequence, byte[]> e : map.entrySet())
        {
            final String key = e.getKey().toString();
            try
            {
                out.add(decode(key, e.getValue()));
            }
            catch (final DecodeException x)
            {
                bad.add(key + ": " + x.getMessage());
            }
        }
        out.sort(Comparator.comparingLong(Entry::sequence));
        return new Contents(out, bad);
    }

    /**
     * Decodes one stored value.
     *
     * @param key   its key.
     * @param value the bytes: a control-codec request frame with its length prefix, one object.
     * @return the entry.
     * @throws DecodeException when the bytes are not that.
     */
    static Entry decode(final String key, final byte[] value) throws DecodeException
    {
        if (value == null || value.length < ControlCodec.LENGTH_BYTES + ControlCodec.HEADER_BYTES)
        {
            throw new DecodeException("value of " + (value == null ? 0 : value.length) + " bytes is too short");
        }
        final ByteBuffer whole = ByteBuffer.wrap(value);
        final int length = ControlCodec.frameLength(whole);
        if (length != value.length - ControlCodec.LENGTH_BYTES)
        {
            throw new DecodeException("frame length " + length + " does not match the value's " +
                (value.length - ControlCodec.LENGTH_BYTES) + " bytes");
        }
        final ControlCodec.RequestFrame f = ControlCodec.decodeRequest(
            ByteBuffer.wrap(value, ControlCodec.LENGTH_BYTES, length).slice());
        if (f.objects().size() != 1)
        {
            throw new DecodeException(f.objects().size() + " objects, expected 1");
        }
        return new Entry(key, f.id(), f.objects().get(0));
    }

    /**
     * How many objects it holds.
     *
     * @return the count.
     */
    public int size()
    {
        return map.size();
    }

    /**
     * The file.
     *
     * @return the path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * How the daemon's open went: created, recovered (with corruptions dropped), or rebuilt empty.
     *
     * @return one line.
     */
    public String openedHow()
    {
        return openedHow;
    }

    /**
     * The file's size on disk (bytes).
     *
     * @return the size, or -1 when unknown.
     */
    public long fileBytes()
    {
        final File f = file.toFile();
        return f.exists() ? f.length() : -1;
    }

    @Override
    public void close()
    {
        map.close();
        if (lock != null)
        {
            try
            {
                lock.close();
            }
            catch (final IOException e)
            {
                // the lock goes with the process anyway
            }
        }
    }
}
