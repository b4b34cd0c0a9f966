package io.vrouter.agent.state;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import io.vrouter.agent.control.ControlCodec;
import io.vrouter.agent.control.DecodeException;
import io.vrouter.core.request.SandeshObject;

/**
 * The node's forwarding state on disk: one live record per programmed object, keyed by {@link StateKeys},
 * its value the object as the control socket encodes it ({@link ControlCodec}, one request frame whose
 * id is the object's programming sequence number). An append-only log in a memory-mapped file (ADR 0007):
 * an ADD appends a record, a DELETE appends a tombstone, and the log is compacted into a fresh file
 * (written, fsynced, renamed over the old one) when its dead records outweigh the live ones. Writes go
 * to the page cache only: the log survives {@code kill -9} of the daemon; a machine crash may lose the
 * last writes, which the controller reprograms.
 * <p>
 * File layout, little-endian: a 16-byte header ({@link #MAGIC}, {@link #VERSION}, 4 bytes reserved),
 * then records aligned on 8 bytes, each
 * {@code [u32 length][u32 CRC32C of the rest][u64 sequence][u8 kind][u8 0][u16 key length][key][value]},
 * the length counting the whole record (without padding), the value the length-prefixed control frame
 * of a PUT (a DELETE has none). The writer stores the length last, with release semantics, so a reader
 * sees a record whole or sees a zero length (the end of the log); unused space is zeros.
 * <p>
 * Opening replays the log up to the first bad record, every length checked against the file's bounds,
 * every CRC and key checked: a torn tail (a record cut by a kill, the last thing in the file) is dropped
 * quietly; a bad record followed by more data keeps the good prefix, says so in {@link #openedHow()}
 * (starting with {@code REBUILT}) and rewrites the file; a file that is not a store at all is moved
 * aside to {@code <store>.corrupt} and a new one started. The daemon's copy is exclusive: a lock file
 * next to the store ({@code <store>.lock}, a POSIX lock the kernel drops when the process dies) refuses
 * a second daemon. The store and its lock are mode 0600. The CLI reads the log while the daemon writes
 * ({@link #openForReading}).
 */
public final class StateStore implements AutoCloseable
{
    /** The file's first 8 bytes: {@code VRSTATE}, then a NUL. */
    static final long MAGIC = 0x0045544154535256L;
    /** The layout's version. */
    static final int VERSION = 1;
    /** Header bytes. */
    static final int HEADER_BYTES = 16;
    /** A record's fixed part: length, CRC, sequence, kind, pad, key length. */
    static final int RECORD_HEADER = 4 + 4 + 8 + 1 + 1 + 2;
    /** The largest record accepted (bytes): a key of at most {@link #MAX_KEY} and one encoded object. */
    static final int MAX_RECORD = 1 << 20;
    /** The longest key (bytes). */
    static final int MAX_KEY = 255;
    /** Record kind: the object under the key. */
    static final byte PUT = 1;
    /** Record kind: the key forgotten. */
    static final byte DELETE = 2;
    /** The smallest mapping (bytes). */
    static final long MIN_CAPACITY = 64 << 10;
    /** Dead bytes below this never trigger a compaction. */
    static final long COMPACT_MIN_DEAD = 256 << 10;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LENGTH = INT.varHandle();

    private final Path file;
    private final FileChannel lock;
    private String openedHow;
    private final Map<String, Slot> live = new HashMap<>();
    private FileChannel channel;
    private Arena arena;
    private MemorySegment log;
    private long end;
    private long liveBytes;
    private long sequence;
    private int compactions;

    /** Where a key's live record is. */
    private record Slot(long offset, int length, long sequence)
    {
    }

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

    /**
     * One record as the CLI lists it.
     *
     * @param key      its key.
     * @param sequence its programming sequence number.
     * @param kind     the object's struct ({@code vr_nexthop_req}...), or why it does not decode.
     * @param bytes    the record's size.
     */
    public record Listing(String key, long sequence, String kind, int bytes)
    {
    }

    /** What a replay found. */
    private record Replay(long end, String problem, boolean tornTail)
    {
    }

    private StateStore(final Path file, final FileChannel lock, final String openedHow)
    {
        this.file = file;
        this.lock = lock;
        this.openedHow = openedHow;
    }

    /**
     * Opens the daemon's store, creating it when absent: replays the log, drops a torn tail, keeps the
     * good prefix of a log with a bad record in the middle (and rewrites it), moves a file that is not a
     * store aside and starts empty.
     *
     * @param file    the store file.
     * @param entries how many objects to size the first mapping for (a hint: the log grows as needed).
     * @return the store, locked for this process.
     * @throws IOException when the file cannot be created or is held by another live daemon.
     */
    public static StateStore open(final Path file, final int entries) throws IOException
    {
        final FileChannel lock = claim(file.resolveSibling(file.getFileName() + ".lock"));
        StateStore s = null;
        try
        {
            final long hint = Math.min(16L << 20, Math.max(MIN_CAPACITY, (long)entries * 64));
            String how;
            if (Files.exists(file) && Files.size(file) > 0)
            {
                final String notAStore = notAStore(file);
                if (notAStore == null)
                {
                    s = new StateStore(file, lock, "pending");
                    final long size = Files.size(file);
                    s.map(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE),
                        Math.max(hint, size), true);
                    how = s.afterReplay(s.replay(size), size);
                    s.openedHow = how;
                }
                else
                {
                    final Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                    how = "REBUILT EMPTY: " + file + " is not a state store (" + notAStore + "); moved to " + aside
                        + ", the node starts without stored state and the controller reprograms it (inspect or "
                        + "delete the .corrupt file)";
                    s = create(file, lock, hint, how);
                }
            }
            else
            {
                s = create(file, lock, hint, "created");
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return s;
        }
        catch (final IOException | RuntimeException e)
        {
            if (s != null)
            {
                s.unmap();
            }
            lock.close();
            throw e;
        }
    }

    private static StateStore create(final Path file, final FileChannel lock, final long capacity, final String how)
        throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".new");
        writeFile(tmp, List.of(), null);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        final StateStore s = new StateStore(file, lock, how);
        s.map(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE), capacity, true);
        s.end = HEADER_BYTES;
        return s;
    }

    /**
     * Opens a store for reading while its daemon runs (the CLI): maps it read-only and reads the records
     * complete when it was opened, stopping quietly at a record being written.
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
        final String notAStore = notAStore(file);
        if (notAStore != null)
        {
            throw new IOException(file + ": not a state store (" + notAStore + ")");
        }
        final StateStore s = new StateStore(file, null, "read");
        final FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        s.map(ch, ch.size(), false);
        s.replay(s.log.byteSize());
        return s;
    }

    /** Null when the file starts with the store's header, else why not. */
    private static String notAStore(final Path file) throws IOException
    {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (h.hasRemaining() && ch.read(h) >= 0)
            {
                // read the header whole
            }
            if (h.position() < HEADER_BYTES)
            {
                return "only " + h.position() + " bytes, shorter than the " + HEADER_BYTES + "-byte header";
            }
            if (h.getLong(0) != MAGIC)
            {
                return String.format("bad magic %016x", h.getLong(0));
            }
            if (h.getInt(8) != VERSION)
            {
                return "layout version " + h.getInt(8) + ", this daemon reads " + VERSION;
            }
            return null;
        }
    }

    private void map(final FileChannel ch, final long capacity, final boolean writable) throws IOException
    {
        final Arena a = Arena.ofShared();
        try
        {
            final long size = writable ? roundUp(capacity, 4096) : capacity;
            log = ch.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, 0, size, a);
        }
        catch (final IOException | RuntimeException e)
        {
            a.close();
            ch.close();
            throw e;
        }
        channel = ch;
        arena = a;
    }

    private void unmap()
    {
        if (arena != null)
        {
            arena.close();
            arena = null;
        }
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException e)
            {
                // nothing was pending on it
            }
            channel = null;
        }
    }

    private static long roundUp(final long n, final long to)
    {
        return (n + to - 1) / to * to;
    }

    private static long align(final long n)
    {
        return (n + 7) & ~7L;
    }

    /**
     * Reads records from the header on into the index, stopping at the end of the log (a zero length) or
     * at the first record that fails a check. Every length is bounds-checked against the file's size
     * when it was opened (the mapping may extend it with zeros).
     */
    private Replay replay(final long size)
    {
        long p = HEADER_BYTES;
        final CRC32C crc = new CRC32C();
        while (p + 4 <= size)
        {
            final int length = (int)LENGTH.getAcquire(log, p);
            if (length == 0)
            {
                return new Replay(p, null, true);
            }
            if (length < RECORD_HEADER || length > MAX_RECORD || p + length > size)
            {
                final boolean torn = length > 0 && length <= MAX_RECORD && p + length > size;
                return new Replay(p, "record at offset " + p + " claims " + Integer.toUnsignedString(length)
                    + " bytes, " + (size - p) + " left in the file", torn);
            }
            if (p + RECORD_HEADER > size)
            {
                return new Replay(p, "record header at offset " + p + " cut by the end of the file", true);
            }
            final int stored = log.get(INT, p + 4);
            crc.reset();
            crc.update(log.asSlice(p + 8, length - 8).asByteBuffer());
            if ((int)crc.getValue() != stored)
            {
                return new Replay(p, "record at offset " + p + ": CRC mismatch", false);
            }
            final long seq = log.get(LONG, p + 8);
            final byte kind = log.get(ValueLayout.JAVA_BYTE, p + 16);
            final int keyLength = Short.toUnsignedInt(log.get(SHORT, p + 18));
            if (keyLength == 0 || keyLength > MAX_KEY || RECORD_HEADER + keyLength > length
                || (kind == DELETE && RECORD_HEADER + keyLength != length) || (kind != PUT && kind != DELETE))
            {
                return new Replay(p, "record at offset " + p + ": kind " + kind + ", key of " + keyLength
                    + " bytes in " + length, false);
            }
            final String key = new String(log.asSlice(p + RECORD_HEADER, keyLength).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII);
            if (!StateKeys.valid(key))
            {
                return new Replay(p, "record at offset " + p + ": bad key syntax", false);
            }
            index(key, kind == PUT ? new Slot(p, length, seq) : null);
            sequence = Math.max(sequence, seq);
            p += align(length);
        }
        return new Replay(Math.min(p, size), null, true);
    }

    private void index(final String key, final Slot slot)
    {
        final Slot old = slot == null ? live.remove(key) : live.put(key, slot);
        if (old != null)
        {
            liveBytes -= align(old.length());
        }
        if (slot != null)
        {
            liveBytes += align(slot.length());
        }
    }

    /** After the daemon's replay: drops a torn tail, rewrites a log with a bad record; describes the open. */
    private String afterReplay(final Replay r, final long size) throws IOException
    {
        end = r.end();
        final long lastByte = lastNonZero(end, size);
        if (r.problem() == null && lastByte < end)
        {
            return compactIfWorth() ? "reopened, " + live.size() + " objects, compacted" :
                "reopened, " + live.size() + " objects";
        }
        final long extent = Math.max(lastByte + 1, end) - end;
        if (r.tornTail() && extent <= MAX_RECORD)
        {
            log.asSlice(end, Math.min(extent, log.byteSize() - end)).fill((byte)0);
            return "reopened, " + live.size() + " objects, a torn tail of " + extent + " bytes dropped" +
                (compactIfWorth() ? ", compacted" : "");
        }
        final String problem = r.problem() == null ? "data after the end of the log at offset " + end : r.problem();
        compact();
        return "REBUILT from the good prefix: " + file + ": " + problem + "; kept the " + live.size()
            + " objects before it, dropped " + extent + " bytes after it (the controller reprograms what is "
            + "missing)";
    }

    /** The last non-zero byte in [from, size) (the mapping past the file's size is zeros), or from - 1. */
    private long lastNonZero(final long from, final long size)
    {
        for (long i = Math.min(size, log.byteSize()) - 1; i >= from; i--)
        {
            if (log.get(ValueLayout.JAVA_BYTE, i) != 0)
            {
                return i;
            }
        }
        return from - 1;
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

    /**
     * Records an object (replacing what the key held).
     *
     * @param key    its key.
     * @param object the object as programmed.
     */
    public synchronized void put(final String key, final SandeshObject object)
    {
        checkWritable();
        final long seq = sequence + 1;
        final byte[] value = ControlCodec.encodeRequest(seq, List.of(object));
        final long at = append(key, PUT, seq, value);
        index(key, new Slot(at, RECORD_HEADER + key.length() + value.length, seq));
        sequence = seq;
    }

    /**
     * Forgets an object (a tombstone appended when the key held one).
     *
     * @param key its key.
     */
    public synchronized void remove(final String key)
    {
        checkWritable();
        if (live.containsKey(key))
        {
            append(key, DELETE, ++sequence, null);
            index(key, null);
        }
    }

    /**
     * Forgets every object: the log restarts empty (a fresh file renamed over the old one).
     */
    public synchronized void clear()
    {
        checkWritable();
        live.clear();
        liveBytes = 0;
        rewrite();
    }

    private void checkWritable()
    {
        if (lock == null)
        {
            throw new IllegalStateException(file + " is open for reading only");
        }
        if (log == null)
        {
            throw new IllegalStateException(file + " is closed");
        }
    }

    /** Appends one record; returns its offset. The length goes last, with release semantics. */
    private long append(final String key, final byte kind, final long seq, final byte[] value)
    {
        final byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        if (k.length == 0 || k.length > MAX_KEY || !StateKeys.valid(key))
        {
            throw new IllegalArgumentException("bad state key '" + key + "'");
        }
        final int length = RECORD_HEADER + k.length + (value == null ? 0 : value.length);
        if (length > MAX_RECORD)
        {
            throw new IllegalArgumentException(key + ": a record of " + length + " bytes is over the " + MAX_RECORD
                + "-byte limit");
        }
        ensureRoom(align(length) + 4);
        final long p = end;
        log.set(LONG, p + 8, seq);
        log.set(ValueLayout.JAVA_BYTE, p + 16, kind);
        log.set(ValueLayout.JAVA_BYTE, p + 17, (byte)0);
        log.set(SHORT, p + 18, (short)k.length);
        MemorySegment.copy(k, 0, log, ValueLayout.JAVA_BYTE, p + RECORD_HEADER, k.length);
        if (value != null)
        {
            MemorySegment.copy(value, 0, log, ValueLayout.JAVA_BYTE, p + RECORD_HEADER + k.length, value.length);
        }
        final CRC32C crc = new CRC32C();
        crc.update(log.asSlice(p + 8, length - 8).asByteBuffer());
        log.set(INT, p + 4, (int)crc.getValue());
        LENGTH.setRelease(log, p, length);
        end = p + align(length);
        return p;
    }

    /** Makes room for n more bytes: compacts when dead records dominate, else maps a larger file. */
    private void ensureRoom(final long n)
    {
        if (end + n <= log.byteSize())
        {
            return;
        }
        if (compactIfWorth() && end + n <= log.byteSize())
        {
            return;
        }
        try
        {
            final long capacity = Math.max(log.byteSize() * 2, roundUp(end + n, 4096));
            final FileChannel ch = channel;
            arena.close();
            arena = Arena.ofShared();
            log = ch.map(FileChannel.MapMode.READ_WRITE, 0, capacity, arena);
        }
        catch (final IOException e)
        {
            throw new IllegalStateException(file + ": cannot grow the state log: " + e.getMessage(), e);
        }
    }

    /** Compacts when the dead records are over the threshold and outweigh the live ones. */
    private boolean compactIfWorth()
    {
        final long dead = end - HEADER_BYTES - liveBytes;
        if (dead >= COMPACT_MIN_DEAD && dead > liveBytes)
        {
            compact();
            return true;
        }
        return false;
    }

    private void compact()
    {
        rewrite();
        compactions++;
    }

    /**
     * Writes the live records, oldest first, into {@code <store>.new}, fsyncs it, renames it over the
     * store and maps it.
     */
    private void rewrite()
    {
        try
        {
            final List<Map.Entry<String, Slot>> order = new ArrayList<>(live.entrySet());
            order.sort(Comparator.comparingLong(e -> e.getValue().sequence()));
            final Path tmp = file.resolveSibling(file.getFileName() + ".new");
            final Map<String, Slot> moved = writeFile(tmp, order, log);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            final long liveEnd = moved.values().stream().mapToLong(s -> s.offset() + align(s.length()))
                .max().orElse(HEADER_BYTES);
            // room for three times the live records before the next compaction (the file is sparse
            // past the log), and never less than the mapping had: compactions stay rare under churn
            final long capacity = Math.max(Math.max(MIN_CAPACITY, liveEnd * 4), log == null ? 0 : log.byteSize());
            unmap();
            map(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE), capacity, true);
            live.clear();
            live.putAll(moved);
            end = liveEnd;
        }
        catch (final IOException e)
        {
            throw new IllegalStateException(file + ": cannot rewrite the state log: " + e.getMessage(), e);
        }
    }

    /** Writes a header and the given records (copied from the old mapping); returns their new slots. */
    private static Map<String, Slot> writeFile(final Path target, final List<Map.Entry<String, Slot>> records,
        final MemorySegment from) throws IOException
    {
        final Map<String, Slot> out = new HashMap<>();
        Files.deleteIfExists(target);
        try (FileChannel ch = FileChannel.open(target, java.util.Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))))
        {
            final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            header.putLong(MAGIC).putInt(VERSION).putInt(0).flip();
            writeFully(ch, header);
            long p = HEADER_BYTES;
            for (final Map.Entry<String, Slot> e : records)
            {
                final Slot s = e.getValue();
                final ByteBuffer b = ByteBuffer.allocate((int)align(s.length()));
                b.put(from.asSlice(s.offset(), s.length()).asByteBuffer()).position(0);
                writeFully(ch, b);
                out.put(e.getKey(), new Slot(p, s.length(), s.sequence()));
                p += b.capacity();
            }
            ch.force(true);
        }
        return out;
    }

    private static void writeFully(final FileChannel ch, final ByteBuffer b) throws IOException
    {
        while (b.hasRemaining())
        {
            ch.write(b);
        }
    }

    /**
     * Reads every entry, decoding each with the bounds-checked control codec: an entry that does not
     * decode (truncated, wrong frame, not one object) is listed as bad, not returned.
     *
     * @return the contents, oldest first.
     */
    public synchronized Contents entries()
    {
        final List<Entry> out = new ArrayList<>();
        final List<String> bad = new ArrayList<>();
        for (final Map.Entry<String, Slot> e : live.entrySet())
        {
            try
            {
                out.add(decode(e.getKey(), value(e.getKey(), e.getValue())));
            }
            catch (final DecodeException x)
            {
                bad.add(e.getKey() + ": " + x.getMessage());
            }
        }
        out.sort(Comparator.comparingLong(Entry::sequence));
        return new Contents(out, bad);
    }

    /**
     * The live records as the CLI lists them, oldest first.
     *
     * @return one line's worth each.
     */
    public synchronized List<Listing> listing()
    {
        final List<Listing> out = new ArrayList<>(live.size());
        for (final Map.Entry<String, Slot> e : live.entrySet())
        {
            String kind;
            try
            {
                kind = decode(e.getKey(), value(e.getKey(), e.getValue())).object().type();
            }
            catch (final DecodeException x)
            {
                kind = "bad: " + x.getMessage();
            }
            out.add(new Listing(e.getKey(), e.getValue().sequence(), kind, e.getValue().length()));
        }
        out.sort(Comparator.comparingLong(Listing::sequence));
        return out;
    }

    private byte[] value(final String key, final Slot s)
    {
        final long at = s.offset() + RECORD_HEADER + key.length();
        return log.asSlice(at, s.length() - RECORD_HEADER - key.length()).toArray(ValueLayout.JAVA_BYTE);
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
    public synchronized int size()
    {
        return live.size();
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
     * How the daemon's open went: created, reopened (a torn tail dropped, compacted), or rebuilt (from the
     * good prefix, or empty); a line starting with {@code REBUILT} is worth a warning.
     *
     * @return one line.
     */
    public String openedHow()
    {
        return openedHow;
    }

    /**
     * The log's length: header and records, live and dead (bytes).
     *
     * @return the length.
     */
    public synchronized long logBytes()
    {
        return end;
    }

    /**
     * How many compactions this store made since it was opened (the one at open included).
     *
     * @return the count.
     */
    public synchronized int compactions()
    {
        return compactions;
    }

    /**
     * The file's size on disk (bytes, the mapping's room included).
     *
     * @return the size, or -1 when unknown.
     */
    public long fileBytes()
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException e)
        {
            return -1;
        }
    }

    @Override
    public synchronized void close()
    {
        unmap();
        log = null;
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
