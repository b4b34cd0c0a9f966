package io.vrouter.core.flow;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.memory.AnonymousMemory;

/**
 * The flow table: fixed-size entries in one memory segment, mapped from a file so another process
 * can read it ({@code flow -l}) and it survives a daemon restart (docs/adr/0006-flow-table.md,
 * docs/adr/0011-flow-table-cuckoo-index.md).
 * <p>
 * Layout (format version {@value #VERSION}, docs/flow-table-format.md): a {@value #HEADER_SIZE}-byte
 * header (magic, version, sizes, counters, the writers' lock and the readers' move counter), a
 * bucket array (the index), then the entries. A bucket is one 64-byte cache line holding
 * {@value #BUCKET_SLOTS} slots: a 16-bit signature (the top bits of the key's hash) and the index
 * of the entry holding the key. A key lives in one of two candidate buckets (bucketed cuckoo
 * hashing, as DPDK's {@code rte_hash}): its primary bucket (the low bits of the hash) or the
 * alternative one (the primary xor a function of the signature, so either bucket and the
 * signature give the other). Entries are 128 bytes and are allocated from a free list; an entry's
 * index never changes while the flow lives (the agent, {@code flow -l} and the reverse links name
 * flows by index), only its slot in the index can move. An entry's first word is its state:
 * {@code gen << 8 | state} with state FREE, BUSY (being written or deleted) or ACTIVE.
 * <p>
 * A lookup reads the key's primary bucket, compares the signatures of its 8 slots at once (SWAR),
 * and compares the full key only in the entries whose signature matches; then the alternative
 * bucket. {@link #lookupBatch} does this in stages over the whole batch (all buckets read, then all
 * signatures compared, then all matching entries read, then the keys compared), so the memory
 * misses of a batch overlap.
 * <p>
 * Concurrency: one writer at a time (inserts, deletes, updates take the table's write lock, a word
 * in the header); lookups are lock-free. A lookup validates an entry as a seqlock: read the state
 * (acquire), compare the key, read the state again; a changed state means the entry was rewritten
 * meanwhile, and a reader never returns a torn key. A writer that moves a key to its other bucket
 * (cuckoo displacement) first copies the slot, then bumps the header's move counter, then clears
 * the old slot; a lookup that found nothing reads the counter again and retries if it moved, so a
 * key is never missed while it moves. Per-flow statistics are written with plain stores by the
 * worker that sees the packet (a flow is normally seen by one worker; concurrent updates of one
 * flow may lose increments).
 */
public final class FlowTable implements AutoCloseable
{
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 128;
    /** Slots per index bucket (one 64-byte cache line). */
    public static final int BUCKET_SLOTS = 8;
    /** Bytes per index bucket. */
    public static final int BUCKET_SIZE = 64;
    /** Bytes per key slot (the lookup's copy of an entry's state and key, 2 per cache line). */
    public static final int KEY_SLOT_SIZE = 32;
    /**
     * Entries per hash bucket in format version 1 (kept for the configuration's "multiple of 4" rule and
     * for migrating version 1 files).
     */
    public static final int BUCKET_ENTRIES = 4;
    /** Header bytes. */
    public static final int HEADER_SIZE = 4096;
    /** File magic ("VRFLOWT1", unchanged since version 1: the version field tells the layouts apart). */
    public static final long MAGIC = 0x3154574F4C465256L;
    /** File format version: 2 = cuckoo index of signatures in front of the entries. */
    public static final int VERSION = 2;
    /** Buckets a displacement search visits at most before an insert gives up (table full). */
    static final int CUCKOO_SEARCH = 512;

    /** Entry state: free. */
    public static final int FREE = 0;
    /** Entry state: being written or deleted. */
    public static final int BUSY = 1;
    /** Entry state: in use. */
    public static final int ACTIVE = 2;

    // Header offsets.
    static final int H_MAGIC = 0;
    static final int H_VERSION = 8;
    static final int H_ENTRY_SIZE = 12;
    static final int H_HASH_ENTRIES = 16;
    static final int H_OVERFLOW_ENTRIES = 20;
    static final int H_ENTRIES_OFFSET = 24;
    static final int H_ACTIVE = 32;
    static final int H_HOLD = 36;
    static final int H_CREATED = 40;
    static final int H_ADDED = 48;
    static final int H_DELETED = 56;
    static final int H_CHANGED = 64;
    static final int H_OVERFLOW_USED = 72;
    static final int H_BUCKETS = 76;
    static final int H_BUCKETS_OFFSET = 80;
    static final int H_KEYS_OFFSET = 88;
    /**
     * {@link #TOUCHED_TRACKED} | one past the highest entry ever handed out: entries from there on have never held a
     * flow, and a restart does not read them. Without the flag (a migrated file) every entry is read.
     */
    static final int H_TOUCHED = 96;
    /** The flag of {@link #H_TOUCHED} that says the limit is kept. */
    static final int TOUCHED_TRACKED = 0x80000000;
    /** The writers' lock (0 free, 1 held), alone in its cache line. */
    static final int H_WRITE_LOCK = 128;
    /** Cuckoo moves so far: a lookup that misses retries if this changed under it. Alone in its line. */
    static final int H_MOVES = 192;

    // Key slot offsets: the entry's state word, then the key next hop, family/protocol/ports and the addresses' low
    // words (the high words, non-zero for IPv6 only, are compared in the entry; K_KEY_WORD's bit 63 says they are).
    private static final int K_STATE = 0;
    private static final int K_NH = 4;
    private static final int K_KEY_WORD = 8;
    private static final int K_SRC_LO = 16;
    private static final int K_DST_LO = 24;
    private static final long K_HIGH_WORDS = 1L << 63;

    // Bucket offsets.
    private static final int B_SLOTS = 16;
    private static final int B_ALT_MASK = 48;

    private static final long LANES_ONE = 0x0001000100010001L;
    private static final long LANES_HIGH = 0x8000800080008000L;

    // Entry offsets.
    /** State word. */
    public static final int E_STATE = 0;
    /** {@code fe_flags}. */
    public static final int E_FLAGS = 4;
    /** Key: next-hop id. */
    public static final int E_NH = 8;
    /** Key: family << 8 | protocol. */
    public static final int E_FAMILY_PROTO = 12;
    /** Key: sport << 16 | dport. */
    public static final int E_PORTS = 16;
    /** Key: always 0 (compared as the high half of the port word). */
    static final int E_KEY_PAD = 20;
    /** Key: source address high 64 bits. */
    public static final int E_SRC_HI = 24;
    /** Key: source address low 64 bits. */
    public static final int E_SRC_LO = 32;
    /** Key: destination address high 64 bits. */
    public static final int E_DST_HI = 40;
    /** Key: destination address low 64 bits. */
    public static final int E_DST_LO = 48;
    /** {@code fe_action}. */
    public static final int E_ACTION = 56;
    /** {@code fe_rflow}. */
    public static final int E_RFLOW = 60;
    /** {@code fe_vrf}. */
    public static final int E_VRF = 64;
    /** {@code fe_dvrf}. */
    public static final int E_DVRF = 68;
    /** {@code fe_src_nh_index}. */
    public static final int E_SRC_NH = 72;
    /** {@code fe_ecmp_nh_index}. */
    public static final int E_ECMP = 76;
    /** {@code fe_mirror_id}. */
    public static final int E_MIRROR = 80;
    /** {@code fe_udp_src_port}. */
    public static final int E_UDP_SPORT = 84;
    /** {@code fe_tcp_flags}. */
    public static final int E_TCP_FLAGS = 88;
    /** Owning (ingress) interface for the per-interface limit, or -1. */
    public static final int E_OWNER_VIF = 92;
    /** Packets. */
    public static final int E_PACKETS = 96;
    /** Bytes. */
    public static final int E_BYTES = 104;
    /** Last packet or setup time (the table clock, nanoseconds). */
    public static final int E_LAST_SEEN = 112;
    /** {@code fe_drop_reason}. */
    public static final int E_DROP_REASON = 120;
    /** Time the TCP close (both FINs or RST) was seen, low 32 bits of ms, 0 = none. */
    public static final int E_CLOSED_AT = 124;

    /** Insert refused: no free entry, or no place in the key's two buckets after displacement. */
    public static final int FULL = -1;
    /** Insert refused: the owning interface reached its limit. */
    public static final int VIF_LIMIT = -2;
    /** Insert refused: the VRF reached its limit. */
    public static final int VRF_LIMIT = -3;
    /** Insert refused: too many entries in HOLD. */
    public static final int HOLD_LIMIT = -4;

    private static final int LIMIT_SLOTS = 65536;

    private final FlowTableConfig config;
    private final Arena arena;
    private final MemorySegment segment;
    private final UnsafeBuffer buf;
    private final boolean readOnly;
    private final Path file;
    private final int totalEntries;
    private final int buckets;
    private final int bucketMask;
    private final int bucketsOffset;
    private final int keysOffset;
    private final int entriesOffset;
    // Addresses for the lock-free lookups (raw accesses: no buffer fields reloaded after each acquire).
    private final long bucketsAddress;
    private final long keysAddress;
    private final long entriesAddress;
    private final long movesAddress;
    private final AtomicIntegerArray perVif = new AtomicIntegerArray(LIMIT_SLOTS);
    private final AtomicIntegerArray perVrf = new AtomicIntegerArray(LIMIT_SLOTS);
    // Writer state (guarded by the write lock): the scratch key, the free-entry stack, the displacement search.
    private final FlowKey scratch = new FlowKey();
    private final int[] freeStack;
    private int freeTop;
    private int touched;
    private final int[] searchBucket;
    private final int[] searchParent;
    private final int[] searchSlot;
    private int touchSink;
    private int repairedAtOpen;
    private int migratedFrom;
    private FileChannel owner;

    private FlowTable(
        final FlowTableConfig config, final Arena arena, final MemorySegment segment, final boolean readOnly,
        final Path file)
    {
        this.config = config;
        this.arena = arena;
        this.segment = segment;
        this.buf = new UnsafeBuffer(segment.address(), (int)segment.byteSize());
        this.readOnly = readOnly;
        this.file = file;
        this.totalEntries = config.totalEntries();
        this.buckets = buckets(totalEntries);
        this.bucketMask = buckets - 1;
        this.bucketsOffset = HEADER_SIZE;
        this.keysOffset = keysOffset(config.hashEntries(), config.overflowEntries());
        this.entriesOffset = entriesOffset(config.hashEntries(), config.overflowEntries());
        this.bucketsAddress = segment.address() + bucketsOffset;
        this.keysAddress = segment.address() + keysOffset;
        this.entriesAddress = segment.address() + entriesOffset;
        this.movesAddress = segment.address() + H_MOVES;
        this.freeStack = readOnly ? null : new int[totalEntries];
        this.searchBucket = readOnly ? null : new int[CUCKOO_SEARCH];
        this.searchParent = readOnly ? null : new int[CUCKOO_SEARCH];
        this.searchSlot = readOnly ? null : new int[CUCKOO_SEARCH];
    }

    /**
     * Index buckets for a number of entries: a power of two with at least 1.25 slots per entry (so the
     * index is at most 80 % full when every entry is in use, where bucketed cuckoo hashing still places
     * keys easily; DPDK's {@code rte_hash} sizes its buckets the same way).
     */
    static int buckets(final int totalEntries)
    {
        final long needed = ((long)totalEntries * 5 / 4 + BUCKET_SLOTS - 1) / BUCKET_SLOTS;
        return needed <= 1 ? 1 : (int)(Long.highestOneBit(needed - 1) << 1);
    }

    private static long pageRound(final long bytes)
    {
        return (bytes + 4095) & ~4095L;
    }

    static int keysOffset(final int hashEntries, final int overflowEntries)
    {
        return (int)(HEADER_SIZE + pageRound((long)buckets(hashEntries + overflowEntries) * BUCKET_SIZE));
    }

    static int entriesOffset(final int hashEntries, final int overflowEntries)
    {
        return (int)(keysOffset(hashEntries, overflowEntries)
            + pageRound((long)(hashEntries + overflowEntries) * KEY_SLOT_SIZE));
    }

    /**
     * The size of a table file (header, index, key slots, entries).
     *
     * @param hashEntries     configured hash entries.
     * @param overflowEntries configured overflow entries.
     * @return bytes.
     */
    static long fileSize(final int hashEntries, final int overflowEntries)
    {
        final long index = HEADER_SIZE + pageRound((long)buckets(hashEntries + overflowEntries) * BUCKET_SIZE);
        return index + pageRound((long)(hashEntries + overflowEntries) * KEY_SLOT_SIZE)
            + (long)(hashEntries + overflowEntries) * ENTRY_SIZE;
    }

    static long fileSize(final FlowTableConfig c)
    {
        return fileSize(c.hashEntries(), c.overflowEntries());
    }

    /** Size of a format version 1 file (4-entry buckets in the entry array, one 8-byte word per bucket). */
    static long fileSizeVersion1(final FlowTableConfig c)
    {
        return entriesOffsetVersion1(c.hashEntries()) + (long)c.totalEntries() * ENTRY_SIZE;
    }

    static long entriesOffsetVersion1(final int hashEntries)
    {
        final long words = (long)hashEntries / BUCKET_ENTRIES * 8;
        return HEADER_SIZE + ((words + 4095) & ~4095L);
    }

    /**
     * A table in memory only (tests, replay, benchmarks; a daemon without a state directory):
     * anonymous memory advised for transparent huge pages, zero-filled lazily so untouched entries
     * cost nothing; falls back to a deleted temporary file where mmap is not reachable. Freed when
     * the table becomes unreachable.
     *
     * @param config sizes and limits.
     * @return the table.
     */
    public static FlowTable createAnonymous(final FlowTableConfig config)
    {
        final Arena arena = Arena.ofAuto();
        final MemorySegment seg = AnonymousMemory.map(fileSize(config), arena);
        if (seg != null)
        {
            final FlowTable t = new FlowTable(config, arena, seg, false, null);
            t.writeHeader();
            t.resetFreeEntries();
            return t;
        }
        try
        {
            final Path tmp = Files.createTempFile("vrouter-flows", ".tbl");
            try
            {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE))
                {
                    return create(ch, config, arena, null);
                }
            }
            finally
            {
                Files.deleteIfExists(tmp);
            }
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot create an anonymous flow table: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the daemon's table file: creates it if absent, else maps it and checks the header
     * (magic, version, entry size, sizes) against the configuration, so flows survive a restart.
     * A file of format version 1 with the configured sizes is migrated to version {@value #VERSION}
     * first (its entries kept at their indexes; {@link #migratedFrom()}); other versions are refused.
     * Entries left BUSY by a crash are freed, inconsistent ones repaired ({@link #repairedAtOpen()});
     * the index, the free list and the per-interface and per-VRF counts are rebuilt from the entries.
     * The file is made mode 0600 and locked for this process until {@link #close()}: a file a live
     * daemon holds is refused.
     *
     * @param path   the file (under the state directory).
     * @param config sizes and limits.
     * @return the table; {@link #close()} unmaps it.
     * @throws IOException if the file cannot be created, mapped or locked, or does not match.
     */
    public static FlowTable open(final Path path, final FlowTableConfig config) throws IOException
    {
        FileChannel lock = claim(path);
        try
        {
            int migrated = 0;
            if (lock.size() != 0 && headerVersion(lock) == 1)
            {
                migrateVersion1(lock, path, config);
                final FileChannel fresh = claim(path);
                lock.close();
                lock = fresh;
                migrated = 1;
            }
            // Every access goes through the locked channel: closing any other descriptor of the file
            // would drop this process's fcntl lock.
            final FlowTable t = lock.size() == 0 ? create(lock, config, Arena.ofShared(), path)
                : map(lock, path, config);
            t.owner = lock;
            t.migratedFrom = migrated;
            return t;
        }
        catch (final IOException | RuntimeException e)
        {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens (creating, mode 0600) and locks a table file for this process: a file another live
     * daemon holds is refused. The lock (POSIX {@code fcntl}, released by the kernel when the
     * process dies, so a crashed daemon's file is taken over) lasts until {@link #close()}.
     */
    private static FileChannel claim(final Path path) throws IOException
    {
        final FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        try
        {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            final java.nio.channels.FileLock lock = ch.tryLock();
            if (lock == null)
            {
                throw new IOException(path + " is in use by another running daemon (locked); refusing to take it over");
            }
            return ch;
        }
        catch (final java.nio.channels.OverlappingFileLockException e)
        {
            ch.close();
            throw new IOException(path + " is already open in this process; refusing to map it twice", e);
        }
        catch (final IOException | RuntimeException e)
        {
            ch.close();
            throw e;
        }
    }

    /** The version field of a file that has a flow table's magic, else -1. */
    private static int headerVersion(final FileChannel ch) throws IOException
    {
        if (ch.size() < HEADER_SIZE)
        {
            return -1;
        }
        final ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        ch.read(h, 0);
        return h.getLong(H_MAGIC) == MAGIC ? h.getInt(H_VERSION) : -1;
    }

    /**
     * Rewrites a format version 1 file as version 2: a new file next to it gets the version 2 header, an
     * empty index and the version 1 entries copied byte for byte (the entry layout did not change, so
     * every flow keeps its index), and replaces the old one by an atomic rename. The index is built when
     * the new file is opened. A crash before the rename leaves the old file untouched.
     */
    private static void migrateVersion1(final FileChannel old, final Path path, final FlowTableConfig config)
        throws IOException
    {
        final ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.nativeOrder());
        old.read(h, 0);
        if (h.getInt(H_ENTRY_SIZE) != ENTRY_SIZE || h.getInt(H_HASH_ENTRIES) != config.hashEntries()
            || h.getInt(H_OVERFLOW_ENTRIES) != config.overflowEntries()
            || h.getLong(H_ENTRIES_OFFSET) != entriesOffsetVersion1(config.hashEntries())
            || old.size() != fileSizeVersion1(config))
        {
            throw new IOException(path + ": flow table format version 1 with entry size " + h.getInt(H_ENTRY_SIZE)
                + ", " + h.getInt(H_HASH_ENTRIES) + "+" + h.getInt(H_OVERFLOW_ENTRIES)
                + " entries does not match the configured " + config.hashEntries() + "+" + config.overflowEntries()
                + "; cannot migrate it to version " + VERSION + " (move the file away to start with an empty table)");
        }
        final Path tmp = path.resolveSibling(path.getFileName() + ".v" + VERSION + ".tmp");
        try (Arena arena = Arena.ofConfined();
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            final long size = fileSize(config);
            ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
            final MemorySegment to = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            final MemorySegment from = old.map(FileChannel.MapMode.READ_ONLY, 0, old.size(), arena);
            // The counters (active, hold, created, added, deleted, changed) keep their offsets.
            MemorySegment.copy(from, H_ACTIVE, to, H_ACTIVE, H_OVERFLOW_USED - H_ACTIVE);
            MemorySegment.copy(from, entriesOffsetVersion1(config.hashEntries()), to,
                entriesOffset(config.hashEntries(), config.overflowEntries()),
                (long)config.totalEntries() * ENTRY_SIZE);
            final FlowTable t = new FlowTable(config, arena, to, false, tmp);
            t.writeHeader();
            to.force();
        }
        catch (final IOException | RuntimeException e)
        {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static FlowTable map(final FileChannel ch, final Path path, final FlowTableConfig config)
        throws IOException
    {
        final Arena arena = Arena.ofShared();
        try
        {
            final int version = headerVersion(ch);
            if (version > 0 && version != VERSION)
            {
                throw new IOException(path + ": flow table format version " + version + " is not supported (this "
                    + "build reads version " + VERSION + " and migrates version 1)");
            }
            if (ch.size() != fileSize(config))
            {
                throw new IOException(path + ": size " + ch.size() + " does not match the configured table ("
                    + fileSize(config) + " bytes)");
            }
            final MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size(), arena);
            final FlowTable t = new FlowTable(config, arena, seg, false, path);
            t.checkHeader(config);
            t.recover();
            return t;
        }
        catch (final IOException | RuntimeException e)
        {
            arena.close();
            throw e;
        }
    }

    /**
     * Maps a table file read-only (the {@code flow -l} tool while the daemon runs). The sizes come
     * from the file's header; limits are not enforced by a reader. A version 1 file (an older daemon's,
     * not yet migrated) is refused.
     *
     * @param path the file.
     * @return the table (mutating calls throw).
     * @throws IOException if the file cannot be mapped or its header is not a flow table's.
     */
    public static FlowTable openReadOnly(final Path path) throws IOException
    {
        final Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ))
        {
            if (ch.size() < HEADER_SIZE)
            {
                throw new IOException(path + ": too small for a flow table");
            }
            final MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            if (seg.get(ValueLayout.JAVA_LONG_UNALIGNED, H_MAGIC) != MAGIC)
            {
                throw new IOException(path + ": not a flow table (bad magic)");
            }
            final int version = seg.get(ValueLayout.JAVA_INT_UNALIGNED, H_VERSION);
            if (version != VERSION)
            {
                throw new IOException(path + ": flow table format version " + version + ", this build reads version "
                    + VERSION + (version == 1 ? " (an older daemon's file: starting the daemon migrates it)" : ""));
            }
            final int hash = seg.get(ValueLayout.JAVA_INT_UNALIGNED, H_HASH_ENTRIES);
            final int over = seg.get(ValueLayout.JAVA_INT_UNALIGNED, H_OVERFLOW_ENTRIES);
            final FlowTableConfig c = FlowTableConfig.sized(hash);
            final FlowTableConfig actual = new FlowTableConfig(hash, over, c.maxPerVif(), c.maxPerVrf(), c.maxHold(),
                c.idleTimeoutNs(), c.dropTimeoutNs(), c.tcpCloseNs());
            if (ch.size() != fileSize(actual))
            {
                throw new IOException(path + ": size " + ch.size() + " does not match its header");
            }
            final FlowTable t = new FlowTable(actual, arena, seg, true, path);
            t.checkHeader(actual);
            return t;
        }
        catch (final IOException | RuntimeException e)
        {
            arena.close();
            throw e;
        }
    }

    private static FlowTable create(final FileChannel ch, final FlowTableConfig config, final Arena arena,
        final Path keep) throws IOException
    {
        try
        {
            final long size = fileSize(config);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
            final MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            final FlowTable t = new FlowTable(config, arena, seg, false, keep);
            t.writeHeader();
            t.resetFreeEntries();
            return t;
        }
        catch (final IOException | RuntimeException e)
        {
            if (keep != null)
            {
                arena.close();
            }
            throw e;
        }
    }

    private void writeHeader()
    {
        buf.putInt(H_VERSION, VERSION);
        buf.putInt(H_ENTRY_SIZE, ENTRY_SIZE);
        buf.putInt(H_HASH_ENTRIES, config.hashEntries());
        buf.putInt(H_OVERFLOW_ENTRIES, config.overflowEntries());
        buf.putLong(H_ENTRIES_OFFSET, entriesOffset);
        buf.putInt(H_BUCKETS, buckets);
        buf.putLong(H_BUCKETS_OFFSET, bucketsOffset);
        buf.putLong(H_KEYS_OFFSET, keysOffset);
        buf.putLongVolatile(H_MAGIC, MAGIC);
    }

    private void checkHeader(final FlowTableConfig c) throws IOException
    {
        if (buf.getLong(H_MAGIC) != MAGIC)
        {
            throw new IOException(file + ": not a flow table (bad magic)");
        }
        if (buf.getInt(H_VERSION) != VERSION || buf.getInt(H_ENTRY_SIZE) != ENTRY_SIZE
            || buf.getInt(H_HASH_ENTRIES) != c.hashEntries() || buf.getInt(H_OVERFLOW_ENTRIES) != c.overflowEntries()
            || buf.getLong(H_ENTRIES_OFFSET) != entriesOffset || buf.getInt(H_BUCKETS) != buckets
            || buf.getLong(H_BUCKETS_OFFSET) != bucketsOffset || buf.getLong(H_KEYS_OFFSET) != keysOffset)
        {
            throw new IOException(file + ": flow table header (version " + buf.getInt(H_VERSION) + ", entry size "
                + buf.getInt(H_ENTRY_SIZE) + ", " + buf.getInt(H_HASH_ENTRIES) + "+"
                + buf.getInt(H_OVERFLOW_ENTRIES) + " entries, " + buf.getInt(H_BUCKETS) + " buckets) does not match "
                + "version " + VERSION + ", entry size " + ENTRY_SIZE + ", " + c.hashEntries() + "+"
                + c.overflowEntries() + " entries, " + buckets + " buckets");
        }
    }

    /** Every entry free, pushed so that the lowest index is handed out first (writer, or before publication). */
    private void resetFreeEntries()
    {
        touched = 0;
        buf.putIntRelease(H_TOUCHED, TOUCHED_TRACKED);
        freeTop = 0;
        for (int i = totalEntries - 1; i >= 0; i--)
        {
            freeStack[freeTop++] = i;
        }
    }

    /**
     * Rebuilds the table's volatile state from the file's entries and repairs what a crash or a
     * corrupt file left: BUSY entries and entries in an unknown state are freed, and a reverse-flow
     * index that is out of range, names an entry that is not active or does not point back is
     * dropped (the flow stays, unpaired), so no index read from the file is used unchecked. The index
     * (buckets) is derived data: it is cleared and every active entry placed again, so a crash in the
     * middle of a displacement cannot leave it inconsistent.
     */
    private void recover()
    {
        segment.asSlice(bucketsOffset, (long)entriesOffset - bucketsOffset).fill((byte)0);
        buf.putInt(H_WRITE_LOCK, 0);
        int active = 0;
        int repaired = 0;
        buf.putInt(H_OVERFLOW_USED, 0);
        freeTop = 0;
        // One pass over the entries ever handed out (H_TOUCHED; a restart waits for it, and at the default size the
        // table has 590,000 entries, most never used): BUSY and unknown states freed, free entries stacked, active
        // ones placed in the index. The reverse-flow check needs every entry's final state, so it runs over the
        // active entries only, after.
        final int mark = buf.getInt(H_TOUCHED);
        final int limit = (mark & TOUCHED_TRACKED) != 0 ? Math.min(mark & ~TOUCHED_TRACKED, totalEntries)
            : totalEntries;
        for (int i = totalEntries - 1; i >= limit; i--)
        {
            // Never handed out: free, its state and key slot still zero.
            freeStack[freeTop++] = i;
        }
        final int[] placed = new int[limit];
        int placedCount = 0;
        int highest = -1;
        for (int i = limit - 1; i >= 0; i--)
        {
            final int off = entryOffset(i);
            int word = buf.getInt(off + E_STATE);
            if (word != 0 && highest < 0)
            {
                highest = i;
            }
            final int state = word & 0xFF;
            if (state == BUSY || (state != FREE && state != ACTIVE))
            {
                word &= ~0xFF;
                buf.putInt(off + E_STATE, word);
                repaired += state == BUSY ? 0 : 1;
            }
            if ((word & 0xFF) != ACTIVE)
            {
                // A slot that never held a flow already reads 0; writing it would dirty every page of the slots.
                if (word != 0 || UnsafeApi.getInt(null, keySlot(i) + K_STATE) != 0)
                {
                    UnsafeApi.putInt(null, keySlot(i) + K_STATE, word);
                }
                freeStack[freeTop++] = i;
                continue;
            }
            placed[placedCount++] = i;
        }
        touched = highest + 1;
        buf.putIntRelease(H_TOUCHED, TOUCHED_TRACKED | touched);
        for (int n = 0; n < placedCount; n++)
        {
            final int i = placed[n];
            final int off = entryOffset(i);
            final int word = buf.getInt(off + E_STATE);
            final int rflow = buf.getInt(off + E_RFLOW);
            if (rflow != -1 && (rflow < 0 || rflow >= totalEntries || rflow == i
                || (buf.getInt(entryOffset(rflow) + E_STATE) & 0xFF) != ACTIVE
                || buf.getInt(entryOffset(rflow) + E_RFLOW) != i))
            {
                buf.putInt(off + E_RFLOW, -1);
                buf.putInt(off + E_FLAGS, buf.getInt(off + E_FLAGS) & ~FlowAction.FLAG_RFLOW_VALID);
                repaired++;
            }
            buf.putInt(off + E_KEY_PAD, 0);
            readKey(i, scratch);
            writeKeySlot(i, scratch);
            UnsafeApi.putInt(null, keySlot(i) + K_STATE, word);
            if (lookup(scratch, scratch.hash()) >= 0 || !place(i, scratch.hash()))
            {
                // A second entry with the same key, or no room in the index: the entry cannot be found by its
                // key, so it is freed (its reverse, if any, is unpaired below).
                buf.putInt(off + E_STATE, word & ~0xFF);
                UnsafeApi.putInt(null, keySlot(i) + K_STATE, word & ~0xFF);
                freeStack[freeTop++] = i;
                repaired++;
                continue;
            }
            active++;
            countUp(off);
        }
        for (int n = 0; n < placedCount; n++)
        {
            final int off = entryOffset(placed[n]);
            final int rflow = buf.getInt(off + E_RFLOW);
            if ((buf.getInt(off + E_STATE) & 0xFF) == ACTIVE && rflow >= 0
                && (buf.getInt(entryOffset(rflow) + E_STATE) & 0xFF) != ACTIVE)
            {
                buf.putInt(off + E_RFLOW, -1);
                buf.putInt(off + E_FLAGS, buf.getInt(off + E_FLAGS) & ~FlowAction.FLAG_RFLOW_VALID);
            }
        }
        buf.putInt(H_ACTIVE, active);
        buf.putInt(H_HOLD, 0);
        this.repairedAtOpen = repaired;
    }

    /**
     * How many entries {@link #open} found inconsistent and repaired (an unknown state freed, a
     * reverse-flow index out of range or not mutual dropped, a duplicate key freed).
     *
     * @return the count, 0 for a healthy file.
     */
    public int repairedAtOpen()
    {
        return repairedAtOpen;
    }

    /**
     * The format version {@link #open} migrated the file from.
     *
     * @return 1 if the file was a version 1 file rewritten at open, else 0.
     */
    public int migratedFrom()
    {
        return migratedFrom;
    }
    /**
     * The file the table lives in.
     *
     * @return the daemon's table file, or null for an anonymous table.
     */
    public Path file()
    {
        return file;
    }

    /**
     * The configuration.
     *
     * @return sizes and limits.
     */
    public FlowTableConfig config()
    {
        return config;
    }

    /**
     * Whether this mapping is read-only.
     *
     * @return true for a reader's mapping.
     */
    public boolean readOnly()
    {
        return readOnly;
    }

    /**
     * Total entries (hash + overflow): valid indexes are 0 to this minus one.
     *
     * @return the count.
     */
    public int totalEntries()
    {
        return totalEntries;
    }

    /**
     * Size of the mapping in bytes.
     *
     * @return bytes.
     */
    public long byteSize()
    {
        return segment.byteSize();
    }

    /**
     * Active entries (occupancy).
     *
     * @return the count.
     */
    public int activeEntries()
    {
        return buf.getIntVolatile(H_ACTIVE);
    }

    /**
     * Entries in HOLD.
     *
     * @return the count.
     */
    public int holdEntries()
    {
        return buf.getIntVolatile(H_HOLD);
    }

    /**
     * Active keys placed in their alternative bucket because their primary bucket was full (what
     * Contrail counts as overflow entries in use; {@code flow -l} prints it as {@code oflows}).
     *
     * @return the count.
     */
    public int overflowUsed()
    {
        return buf.getIntVolatile(H_OVERFLOW_USED);
    }

    /**
     * Entries created in line by the forwarding workers.
     *
     * @return the count.
     */
    public long created()
    {
        return buf.getLongVolatile(H_CREATED);
    }

    /**
     * Entries added by {@code vr_flow_req}.
     *
     * @return the count.
     */
    public long added()
    {
        return buf.getLongVolatile(H_ADDED);
    }

    /**
     * Entries deleted (aging, eviction, requests).
     *
     * @return the count.
     */
    public long deleted()
    {
        return buf.getLongVolatile(H_DELETED);
    }

    /**
     * Entries changed by requests.
     *
     * @return the count.
     */
    public long changed()
    {
        return buf.getLongVolatile(H_CHANGED);
    }

    /**
     * Active entries owned by an interface.
     *
     * @param vif interface index.
     * @return the count.
     */
    public int vifEntries(final int vif)
    {
        return vif >= 0 && vif < LIMIT_SLOTS ? perVif.get(vif) : 0;
    }

    /**
     * Active entries in a VRF.
     *
     * @param vrf VRF.
     * @return the count.
     */
    public int vrfEntries(final int vrf)
    {
        return vrf >= 0 && vrf < LIMIT_SLOTS ? perVrf.get(vrf) : 0;
    }

    // ------------------------------------------------------------------------------------------ entries

    int entryOffset(final int index)
    {
        return entriesOffset + index * ENTRY_SIZE;
    }

    /**
     * An entry's state word ({@code gen << 8 | state}), acquire.
     *
     * @param index entry.
     * @return the word.
     */
    public int stateWord(final int index)
    {
        return buf.getIntVolatile(entryOffset(index) + E_STATE);
    }

    /**
     * Whether an entry is in use.
     *
     * @param index entry.
     * @return true if ACTIVE.
     */
    public boolean isActive(final int index)
    {
        return (stateWord(index) & 0xFF) == ACTIVE;
    }

    /**
     * An entry's generation (bumped each time the slot is reused).
     *
     * @param index entry.
     * @return gen (24 bits).
     */
    public int gen(final int index)
    {
        return stateWord(index) >>> 8;
    }

    /**
     * An int field of an entry ({@code E_*} offsets).
     *
     * @param index entry.
     * @param field field offset.
     * @return the value.
     */
    public int intField(final int index, final int field)
    {
        return buf.getInt(entryOffset(index) + field);
    }

    /**
     * A long field of an entry ({@code E_*} offsets).
     *
     * @param index entry.
     * @param field field offset.
     * @return the value.
     */
    public long longField(final int index, final int field)
    {
        return buf.getLong(entryOffset(index) + field);
    }

    /**
     * Sets an int field of an entry (owner of the entry, or the conductor for requests).
     *
     * @param index entry.
     * @param field field offset.
     * @param value value.
     */
    public void putIntField(final int index, final int field, final int value)
    {
        checkWritable();
        buf.putInt(entryOffset(index) + field, value);
    }

    /**
     * Reads an entry's key.
     *
     * @param index entry.
     * @param into  key to fill.
     * @return into.
     */
    public FlowKey readKey(final int index, final FlowKey into)
    {
        final int off = entryOffset(index);
        into.nhId = buf.getInt(off + E_NH);
        final int fp = buf.getInt(off + E_FAMILY_PROTO);
        into.family = fp >>> 8;
        into.proto = fp & 0xFF;
        final int ports = buf.getInt(off + E_PORTS);
        into.sport = ports >>> 16;
        into.dport = ports & 0xFFFF;
        into.srcHi = buf.getLong(off + E_SRC_HI);
        into.srcLo = buf.getLong(off + E_SRC_LO);
        into.dstHi = buf.getLong(off + E_DST_HI);
        into.dstLo = buf.getLong(off + E_DST_LO);
        return into;
    }

    /**
     * Records packets on a flow (worker; plain stores).
     *
     * @param index   entry.
     * @param packets packets.
     * @param bytes   their bytes.
     * @param now     table clock, nanoseconds.
     */
    public void hit(final int index, final long packets, final long bytes, final long now)
    {
        final int off = entryOffset(index);
        buf.putLong(off + E_PACKETS, buf.getLong(off + E_PACKETS) + packets);
        buf.putLong(off + E_BYTES, buf.getLong(off + E_BYTES) + bytes);
        buf.putLongOpaque(off + E_LAST_SEEN, now);
    }

    // ------------------------------------------------------------------------------------------ index

    /**
     * Index buckets (a power of two).
     *
     * @return the count.
     */
    public int buckets()
    {
        return buckets;
    }

    /**
     * Keys moved to their other bucket to make room (cuckoo displacements) since the table was created.
     *
     * @return the count.
     */
    public long moves()
    {
        return buf.getLongVolatile(H_MOVES);
    }

    int primaryBucket(final long hash)
    {
        return (int)hash & bucketMask;
    }

    static int signature(final long hash)
    {
        return (int)(hash >>> 48);
    }

    /** The other candidate bucket of a key with signature {@code sig} that sits in bucket {@code b}. */
    int otherBucket(final int b, final int sig)
    {
        return b ^ ((sig * 0x9E3779B1 >>> 8 | 1) & bucketMask);
    }

    private int bucketOffset(final int b)
    {
        return bucketsOffset + (b << 6);
    }

    /** Lanes (bit 15 of each 16-bit lane) of {@code x} that are zero; a lane above a zero one may be flagged too. */
    private static long zeroLanes(final long x)
    {
        return (x - LANES_ONE) & ~x & LANES_HIGH;
    }

    /** The key slot's second word for a key: family/protocol, ports, and bit 63 if the key has high address words. */
    private static long keyWord(final FlowKey k)
    {
        return ((long)k.familyProto() << 32 | (k.ports() & 0xFFFFFFFFL))
            | ((k.srcHi | k.dstHi) != 0 ? K_HIGH_WORDS : 0);
    }

    private long keySlot(final int index)
    {
        return keysAddress + (long)index * KEY_SLOT_SIZE;
    }

    /** Writes an entry's key slot (writer, while the entry is BUSY). */
    private void writeKeySlot(final int index, final FlowKey k)
    {
        final long at = keySlot(index);
        UnsafeApi.putInt(null, at + K_NH, k.nhId);
        UnsafeApi.putLong(null, at + K_KEY_WORD, keyWord(k));
        UnsafeApi.putLong(null, at + K_SRC_LO, k.srcLo);
        UnsafeApi.putLong(null, at + K_DST_LO, k.dstLo);
    }

    /**
     * Sets an entry's state word and its key slot's copy (writer). A lookup trusts the key slot's copy: it is
     * published after the entry's when the entry becomes ACTIVE and changed before it otherwise, and nothing of
     * the entry or the key slot is written after a change away from ACTIVE before that change is visible.
     */
    private void setState(final int index, final int word)
    {
        final int off = entryOffset(index);
        if ((word & 0xFF) == ACTIVE)
        {
            buf.putIntRelease(off + E_STATE, word);
            UnsafeApi.putIntRelease(null, keySlot(index) + K_STATE, word);
        }
        else
        {
            UnsafeApi.putIntRelease(null, keySlot(index) + K_STATE, word);
            buf.putIntRelease(off + E_STATE, word);
            VarHandle.storeStoreFence();
        }
    }

    // ------------------------------------------------------------------------------------------ lookup

    /**
     * Finds the active entry with a key (lock-free).
     *
     * @param k    the key.
     * @param hash {@code k.hash()}.
     * @return the index, or -1.
     */
    public int lookup(final FlowKey k, final long hash)
    {
        final int w0 = k.nhId;
        final long w1 = keyWord(k);
        final int sig = signature(hash);
        final int b1 = primaryBucket(hash);
        // Fast path, without a branch on which slot matched: the first slot of the primary bucket whose signature
        // matches. Anything else (no match, a key in its other bucket, a signature collision, a key being moved or
        // rewritten) takes the full search.
        final long at = bucketsAddress + ((long)b1 << 6);
        final int lane = Integer.numberOfTrailingZeros(matchingSlots(at, (sig & 0xFFFFL) * LANES_ONE));
        final int index = UnsafeApi.getInt(null, at + B_SLOTS + ((lane & 7) << 2)) - 1;
        if (lane < BUCKET_SLOTS && matches(index, k, w0, w1))
        {
            return index;
        }
        return lookupBoth(k, sig, b1, w0, w1);
    }

    private int lookupBoth(final FlowKey k, final int sig, final int b1, final int w0, final long w1)
    {
        final long moves = movesAddress;
        while (true)
        {
            final long seen = UnsafeApi.getLongAcquire(null, moves);
            int found = search(b1, sig, k, w0, w1);
            if (found >= 0)
            {
                return found;
            }
            final int b2 = otherBucket(b1, sig);
            if (b2 != b1)
            {
                found = search(b2, sig, k, w0, w1);
                if (found >= 0)
                {
                    return found;
                }
            }
            VarHandle.acquireFence();
            if (UnsafeApi.getLongAcquire(null, moves) == seen)
            {
                return -1;
            }
        }
    }

    /**
     * The slots of the bucket at {@code at} whose signature may equal the one repeated in {@code pattern}: bit i
     * for slot i. The lowest bit set is always a match; a higher one may be a false candidate (the borrow of the
     * lane test), which the key comparison rejects.
     */
    private static int matchingSlots(final long at, final long pattern)
    {
        return gatherLanes(zeroLanes(UnsafeApi.getLong(null, at) ^ pattern))
            | gatherLanes(zeroLanes(UnsafeApi.getLong(null, at + 8) ^ pattern)) << 4;
    }

    /**
     * Bits 15, 31, 47 and 63 of {@code m} as bits 0 to 3 (one multiply: the four shifted copies land on distinct
     * bits, so nothing carries).
     */
    private static int gatherLanes(final long m)
    {
        return (int)(((m >>> 15) * 0x0000200040008001L) >>> 45) & 0xF;
    }

    /** The entry in bucket b whose signature and key match, or -1. */
    private int search(final int b, final int sig, final FlowKey k, final int w0, final long w1)
    {
        final long at = bucketsAddress + ((long)b << 6);
        int m = matchingSlots(at, (sig & 0xFFFFL) * LANES_ONE);
        while (m != 0)
        {
            final int index = UnsafeApi.getInt(null, at + B_SLOTS + (Integer.numberOfTrailingZeros(m) << 2)) - 1;
            if (matches(index, k, w0, w1))
            {
                return index;
            }
            m &= m - 1;
        }
        return -1;
    }

    /**
     * Looks up several keys (a batch of packets) in stages over the whole batch, so that the memory
     * misses of the batch overlap instead of following one another (Java has no prefetch; issuing
     * the independent loads of all keys before using any of them has the same effect): the primary
     * bucket of every key is read; then every key's signature is compared with its bucket's and the
     * first matching slot's entry index noted; then those entries are read; then each key is compared
     * with its entry. A key without a match there (a miss, a key in its alternative bucket, a
     * signature collision, an entry rewritten meanwhile) takes {@link #lookup}.
     *
     * @param keys   keys.
     * @param hashes their hashes.
     * @param n      how many.
     * @param out    indexes found, or -1.
     */
    public void lookupBatch(final FlowKey[] keys, final long[] hashes, final int n, final int[] out)
    {
        final long bucketsAt = bucketsAddress;
        final long keysAt = keysAddress;
        final int mask = bucketMask;
        int touched = 0;
        for (int i = 0; i < n; i++)
        {
            touched += UnsafeApi.getInt(null, bucketsAt + (((int)hashes[i] & mask) << 6));
        }
        final int total = totalEntries;
        for (int i = 0; i < n; i++)
        {
            // Branch-free: which slots match depends on the key, a branch on it would be mispredicted.
            final long h = hashes[i];
            final long at = bucketsAt + (((int)h & mask) << 6);
            final int lane = Integer.numberOfTrailingZeros(matchingSlots(at, (h >>> 48) * LANES_ONE));
            final int index = UnsafeApi.getInt(null, at + B_SLOTS + ((lane & 7) << 2)) - 1;
            out[i] = lane < BUCKET_SLOTS && index >= 0 && index < total ? index : -1;
        }
        for (int i = 0; i < n; i++)
        {
            // An index of -1 reads the 32 bytes before key slot 0: the index area, always mapped.
            touched += UnsafeApi.getInt(null, keysAt + (long)out[i] * KEY_SLOT_SIZE);
        }
        touchSink = touched;
        for (int i = 0; i < n; i++)
        {
            final FlowKey k = keys[i];
            if (!matches(out[i], k, k.nhId, keyWord(k)))
            {
                out[i] = lookup(k, hashes[i]);
            }
        }
    }

    /**
     * Whether entry {@code index} is active and holds the key, from its key slot (and, for a key with high address
     * words, the entry's): a seqlock, the slot's state read before and after.
     */
    private boolean matches(final int index, final FlowKey k, final int nh, final long keyWord)
    {
        if (index < 0 || index >= totalEntries)
        {
            return false;
        }
        final long at = keysAddress + (long)index * KEY_SLOT_SIZE;
        final int s = UnsafeApi.getIntAcquire(null, at + K_STATE);
        if ((s & 0xFF) != ACTIVE)
        {
            return false;
        }
        // One test for all key words (no branch per word).
        long diff = (UnsafeApi.getInt(null, at + K_NH) ^ nh)
            | (UnsafeApi.getLong(null, at + K_KEY_WORD) ^ keyWord)
            | (UnsafeApi.getLong(null, at + K_SRC_LO) ^ k.srcLo)
            | (UnsafeApi.getLong(null, at + K_DST_LO) ^ k.dstLo);
        if (keyWord < 0)
        {
            final long e = entriesAddress + (long)index * ENTRY_SIZE;
            diff |= (UnsafeApi.getLong(null, e + E_SRC_HI) ^ k.srcHi)
                | (UnsafeApi.getLong(null, e + E_DST_HI) ^ k.dstHi);
        }
        VarHandle.acquireFence();
        return diff == 0 && UnsafeApi.getIntAcquire(null, at + K_STATE) == s;
    }

    // ------------------------------------------------------------------------------------------ insert

    /**
     * What to write into a new pair of entries. Reused by its owner; not thread-safe.
     */
    public static final class Setup
    {
        /** Action of both entries (the reverse of a forwarding flow forwards). */
        public int action = FlowAction.FORWARD;
        /** Extra flags of the forward entry (NAT kinds, mirror, VRFT). */
        public int flags;
        /** Extra flags of the reverse entry. */
        public int reverseFlags;
        /** VRF of the forward entry. */
        public int vrf;
        /** Destination VRF of the forward entry (VRFT), or the VRF. */
        public int dvrf;
        /** VRF of the reverse entry. */
        public int reverseVrf;
        /** Destination VRF of the reverse entry. */
        public int reverseDvrf;
        /** Owning interface (per-interface limit), or -1. */
        public int ownerVif = -1;
        /** Mirror index or -1. */
        public int mirror = -1;
        /** ECMP member index or -1. */
        public int ecmp = -1;
        /** RPF next hop or -1. */
        public int srcNh = -1;
        /** Tunnel UDP source port of the forward entry. */
        public int udpSport;
        /** Tunnel UDP source port of the reverse entry. */
        public int reverseUdpSport;
        /** Flow drop reason (Contrail's agent codes) for drop flows, else 0. */
        public int dropReason;
        /** Whether to create the reverse entry too. */
        public boolean withReverse = true;
        /** Whether the pair is counted as created in line (else added by a request). */
        public boolean inline = true;
    }

    /**
     * Creates a flow and, when asked, its reverse, linked both ways, unless the key is already
     * present (then the existing index is returned: a racing worker created it first).
     *
     * @param k    forward key.
     * @param hk   {@code k.hash()}.
     * @param r    reverse key (ignored without {@code s.withReverse}).
     * @param hr   {@code r.hash()}.
     * @param s    what to write.
     * @param now  table clock.
     * @return the forward index, or {@link #FULL}, {@link #VIF_LIMIT}, {@link #VRF_LIMIT}, {@link #HOLD_LIMIT}.
     */
    public int insert(final FlowKey k, final long hk, final FlowKey r, final long hr, final Setup s, final long now)
    {
        checkWritable();
        lock();
        try
        {
            final int existing = lookup(k, hk);
            if (existing >= 0)
            {
                return existing;
            }
            final int reverseExisting = s.withReverse ? lookup(r, hr) : -1;
            final int needed = s.withReverse && reverseExisting < 0 ? 2 : 1;
            if (s.ownerVif >= 0 && s.ownerVif < LIMIT_SLOTS && perVif.get(s.ownerVif) + needed > config.maxPerVif())
            {
                return VIF_LIMIT;
            }
            if (s.vrf >= 0 && s.vrf < LIMIT_SLOTS && perVrf.get(s.vrf) + needed > config.maxPerVrf())
            {
                return VRF_LIMIT;
            }
            if (s.action == FlowAction.HOLD && buf.getInt(H_HOLD) >= config.maxHold())
            {
                return HOLD_LIMIT;
            }
            if (freeTop < needed)
            {
                return FULL;
            }
            final int fi = allocate();
            if (!place(fi, hk))
            {
                free(fi);
                return FULL;
            }
            int ri = reverseExisting;
            if (needed == 2)
            {
                ri = allocate();
                if (!place(ri, hr))
                {
                    free(ri);
                    unplace(fi, hk);
                    free(fi);
                    return FULL;
                }
            }
            write(fi, k, s.action, s.flags, s.vrf, s.dvrf, s.udpSport, s, ri, now);
            if (needed == 2)
            {
                write(ri, r, s.action, s.reverseFlags, s.reverseVrf, s.reverseDvrf, s.reverseUdpSport, s, fi, now);
            }
            else if (ri >= 0)
            {
                buf.putInt(entryOffset(ri) + E_RFLOW, fi);
                buf.putInt(entryOffset(ri) + E_FLAGS, buf.getInt(entryOffset(ri) + E_FLAGS)
                    | FlowAction.FLAG_RFLOW_VALID);
            }
            publish(fi);
            if (needed == 2)
            {
                publish(ri);
            }
            buf.addLongRelease(s.inline ? H_CREATED : H_ADDED, needed);
            return fi;
        }
        finally
        {
            unlock();
        }
    }

    private void write(
        final int index, final FlowKey k, final int action, final int flags, final int vrf, final int dvrf,
        final int udpSport, final Setup s, final int rflow, final long now)
    {
        final int off = entryOffset(index);
        buf.putInt(off + E_NH, k.nhId);
        buf.putInt(off + E_FAMILY_PROTO, k.familyProto());
        buf.putInt(off + E_PORTS, k.ports());
        buf.putInt(off + E_KEY_PAD, 0);
        buf.putLong(off + E_SRC_HI, k.srcHi);
        buf.putLong(off + E_SRC_LO, k.srcLo);
        buf.putLong(off + E_DST_HI, k.dstHi);
        buf.putLong(off + E_DST_LO, k.dstLo);
        writeKeySlot(index, k);
        buf.putInt(off + E_ACTION, action);
        buf.putInt(off + E_FLAGS, FlowAction.FLAG_ACTIVE | flags | (s.inline ? FlowAction.FLAG_NEW_FLOW : 0)
            | (rflow >= 0 ? FlowAction.FLAG_RFLOW_VALID : 0));
        buf.putInt(off + E_RFLOW, rflow);
        buf.putInt(off + E_VRF, vrf);
        buf.putInt(off + E_DVRF, dvrf);
        buf.putInt(off + E_SRC_NH, s.srcNh);
        buf.putInt(off + E_ECMP, s.ecmp);
        buf.putInt(off + E_MIRROR, s.mirror);
        buf.putInt(off + E_UDP_SPORT, udpSport);
        buf.putInt(off + E_TCP_FLAGS, 0);
        buf.putInt(off + E_OWNER_VIF, s.ownerVif);
        buf.putLong(off + E_PACKETS, 0);
        buf.putLong(off + E_BYTES, 0);
        buf.putLong(off + E_LAST_SEEN, now);
        buf.putInt(off + E_DROP_REASON, s.dropReason);
        buf.putInt(off + E_CLOSED_AT, 0);
    }

    /** Makes a written entry visible (writer): counts, then a release store of ACTIVE. */
    private void publish(final int index)
    {
        final int off = entryOffset(index);
        countUp(off);
        if (buf.getInt(off + E_ACTION) == FlowAction.HOLD)
        {
            buf.addIntRelease(H_HOLD, 1);
        }
        buf.addIntRelease(H_ACTIVE, 1);
        setState(index, (buf.getInt(off + E_STATE) & ~0xFF) | ACTIVE);
    }

    // The per-interface and per-VRF counts change only under the write lock (or in recovery): plain increments
    // published with a release store, read by anyone.
    private void countUp(final int off)
    {
        final int vif = buf.getInt(off + E_OWNER_VIF);
        final int vrf = buf.getInt(off + E_VRF);
        if (vif >= 0 && vif < LIMIT_SLOTS)
        {
            perVif.setRelease(vif, perVif.getPlain(vif) + 1);
        }
        if (vrf >= 0 && vrf < LIMIT_SLOTS)
        {
            perVrf.setRelease(vrf, perVrf.getPlain(vrf) + 1);
        }
    }

    private void countDown(final int off)
    {
        final int vif = buf.getInt(off + E_OWNER_VIF);
        final int vrf = buf.getInt(off + E_VRF);
        if (vif >= 0 && vif < LIMIT_SLOTS)
        {
            perVif.setRelease(vif, perVif.getPlain(vif) - 1);
        }
        if (vrf >= 0 && vrf < LIMIT_SLOTS)
        {
            perVrf.setRelease(vrf, perVrf.getPlain(vrf) - 1);
        }
    }

    /** Takes a free entry (writer; the caller checked {@code freeTop}): FREE to BUSY, generation + 1. */
    private int allocate()
    {
        final int index = freeStack[--freeTop];
        if (index >= touched)
        {
            // Recorded before the entry can hold a flow: a restart reads every entry below it.
            touched = index + 1;
            buf.putIntRelease(H_TOUCHED, TOUCHED_TRACKED | touched);
        }
        final int off = entryOffset(index);
        setState(index, ((buf.getInt(off + E_STATE) >>> 8) + 1 & 0xFFFFFF) << 8 | BUSY);
        return index;
    }

    /** Returns an entry to the free list (writer): BUSY to FREE, the generation kept. */
    private void free(final int index)
    {
        final int off = entryOffset(index);
        setState(index, buf.getInt(off + E_STATE) & ~0xFF);
        freeStack[freeTop++] = index;
    }

    // ------------------------------------------------------------------------------------------ index updates

    private static int freeSlot(final UnsafeBuffer buf, final int off)
    {
        for (int s = 0; s < BUCKET_SLOTS; s++)
        {
            if (buf.getInt(off + B_SLOTS + (s << 2)) == 0)
            {
                return s;
            }
        }
        return -1;
    }

    /** Fills an empty slot (writer): the entry index first, then the signature (a reader checks both). */
    private void setSlot(final int b, final int slot, final int sig, final int index, final boolean alternative)
    {
        final int off = bucketOffset(b);
        buf.putIntRelease(off + B_SLOTS + (slot << 2), index + 1);
        buf.putShort(off + (slot << 1), (short)sig);
        final int alt = buf.getByte(off + B_ALT_MASK);
        buf.putByte(off + B_ALT_MASK, (byte)(alternative ? alt | 1 << slot : alt & ~(1 << slot)));
        if (alternative)
        {
            buf.addIntRelease(H_OVERFLOW_USED, 1);
        }
    }

    /** Empties a slot (writer): the entry index first (a release store), then the signature. */
    private void clearSlot(final int b, final int slot)
    {
        final int off = bucketOffset(b);
        final int alt = buf.getByte(off + B_ALT_MASK);
        buf.putIntRelease(off + B_SLOTS + (slot << 2), 0);
        buf.putShort(off + (slot << 1), (short)0);
        if ((alt & 1 << slot) != 0)
        {
            buf.putByte(off + B_ALT_MASK, (byte)(alt & ~(1 << slot)));
            buf.addIntRelease(H_OVERFLOW_USED, -1);
        }
    }

    /**
     * Moves the key in slot {@code fromSlot} of bucket {@code from} to the empty slot {@code toSlot} of its other
     * bucket {@code to} (writer): copy, bump the move counter, clear the old slot, so that a reader either finds the
     * key in one of the two places or sees the counter change and looks again.
     *
     * @return false (nothing moved) if {@code to} is not the key's other bucket.
     */
    private boolean move(final int from, final int fromSlot, final int to, final int toSlot)
    {
        final int off = bucketOffset(from);
        final int sig = buf.getShort(off + (fromSlot << 1)) & 0xFFFF;
        final int index = buf.getInt(off + B_SLOTS + (fromSlot << 2)) - 1;
        if (index < 0 || otherBucket(from, sig) != to || to == from)
        {
            return false;
        }
        final boolean wasAlternative = (buf.getByte(off + B_ALT_MASK) & 1 << fromSlot) != 0;
        setSlot(to, toSlot, sig, index, !wasAlternative);
        buf.putLongRelease(H_MOVES, buf.getLong(H_MOVES) + 1);
        clearSlot(from, fromSlot);
        return true;
    }

    /**
     * Puts entry {@code index}, whose key hashes to {@code hash}, into the index (writer): into a free slot of its
     * primary bucket, else of its alternative bucket, else makes room by moving keys to their other buckets along
     * the shortest path found by a breadth-first search of at most {@value #CUCKOO_SEARCH} buckets.
     *
     * @return false if no room was found (the table is too full).
     */
    private boolean place(final int index, final long hash)
    {
        final int sig = signature(hash) & 0xFFFF;
        final int b1 = primaryBucket(hash);
        final int b2 = otherBucket(b1, sig);
        for (int attempt = 0; attempt < 4; attempt++)
        {
            int slot = freeSlot(buf, bucketOffset(b1));
            if (slot >= 0)
            {
                setSlot(b1, slot, sig, index, false);
                return true;
            }
            slot = freeSlot(buf, bucketOffset(b2));
            if (slot >= 0)
            {
                setSlot(b2, slot, sig, index, b2 != b1);
                return true;
            }
            final int found = makeRoom(b1, b2);
            if (found == -1)
            {
                return false;
            }
            if (found >= 0)
            {
                final int b = found >>> 3;
                setSlot(b, found & 7, sig, index, b != b1);
                return true;
            }
        }
        return false;
    }

    /**
     * Breadth-first search from the two full buckets for a bucket with a free slot, then moves the keys along
     * the path, last one first.
     *
     * @return {@code bucket << 3 | slot} of the slot freed in b1 or b2; -1 if none was found; -2 if the path
     *         changed while it was applied (a bucket visited twice), so the caller searches again.
     */
    private int makeRoom(final int b1, final int b2)
    {
        int tail = 0;
        searchBucket[tail] = b1;
        searchParent[tail] = -1;
        searchSlot[tail++] = -1;
        if (b2 != b1)
        {
            searchBucket[tail] = b2;
            searchParent[tail] = -1;
            searchSlot[tail++] = -1;
        }
        for (int head = 0; head < tail; head++)
        {
            final int b = searchBucket[head];
            final int off = bucketOffset(b);
            for (int s = 0; s < BUCKET_SLOTS; s++)
            {
                final int sig = buf.getShort(off + (s << 1)) & 0xFFFF;
                final int nb = otherBucket(b, sig);
                if (nb == b)
                {
                    continue;
                }
                final int free = freeSlot(buf, bucketOffset(nb));
                if (free >= 0)
                {
                    if (!move(b, s, nb, free))
                    {
                        return -2;
                    }
                    int toBucket = b;
                    int toSlot = s;
                    for (int node = head; searchParent[node] >= 0; node = searchParent[node])
                    {
                        final int from = searchBucket[searchParent[node]];
                        if (!move(from, searchSlot[node], toBucket, toSlot))
                        {
                            return -2;
                        }
                        toBucket = from;
                        toSlot = searchSlot[node];
                    }
                    return toBucket << 3 | toSlot;
                }
                if (tail < CUCKOO_SEARCH)
                {
                    searchBucket[tail] = nb;
                    searchParent[tail] = head;
                    searchSlot[tail++] = s;
                }
            }
        }
        return -1;
    }

    /** Removes entry {@code index}, whose key hashes to {@code hash}, from the index (writer). */
    private void unplace(final int index, final long hash)
    {
        final int sig = signature(hash) & 0xFFFF;
        final int b1 = primaryBucket(hash);
        if (!unplaceFrom(b1, index))
        {
            unplaceFrom(otherBucket(b1, sig), index);
        }
    }

    private boolean unplaceFrom(final int b, final int index)
    {
        final int off = bucketOffset(b);
        for (int s = 0; s < BUCKET_SLOTS; s++)
        {
            if (buf.getInt(off + B_SLOTS + (s << 2)) == index + 1)
            {
                clearSlot(b, s);
                return true;
            }
        }
        return false;
    }

    private void lock()
    {
        while (!buf.compareAndSetInt(H_WRITE_LOCK, 0, 1))
        {
            Thread.onSpinWait();
        }
    }

    private void unlock()
    {
        buf.putIntRelease(H_WRITE_LOCK, 0);
    }

    // ------------------------------------------------------------------------------------------ delete / update

    /**
     * Deletes an entry if it is active and still has the generation the caller saw; unlinks its
     * reverse (the reverse stays; callers delete it too when they mean the pair).
     *
     * @param index entry.
     * @param gen   expected generation, or -1 for any.
     * @return true if this call deleted it.
     */
    public boolean delete(final int index, final int gen)
    {
        checkWritable();
        if (index < 0 || index >= totalEntries)
        {
            return false;
        }
        lock();
        try
        {
            final int off = entryOffset(index);
            final int s = buf.getIntVolatile(off + E_STATE);
            if ((s & 0xFF) != ACTIVE || (gen >= 0 && (s >>> 8) != gen))
            {
                return false;
            }
            setState(index, (s & ~0xFF) | BUSY);
            final int rflow = buf.getInt(off + E_RFLOW);
            if (rflow >= 0 && rflow < totalEntries && buf.getInt(entryOffset(rflow) + E_RFLOW) == index)
            {
                buf.putInt(entryOffset(rflow) + E_RFLOW, -1);
                buf.putInt(entryOffset(rflow) + E_FLAGS,
                    buf.getInt(entryOffset(rflow) + E_FLAGS) & ~FlowAction.FLAG_RFLOW_VALID);
            }
            countDown(off);
            if (buf.getInt(off + E_ACTION) == FlowAction.HOLD)
            {
                buf.addIntRelease(H_HOLD, -1);
            }
            buf.addIntRelease(H_ACTIVE, -1);
            buf.addLongRelease(H_DELETED, 1);
            readKey(index, scratch);
            unplace(index, scratch.hash());
            buf.putInt(off + E_FLAGS, 0);
            buf.putInt(off + E_RFLOW, -1);
            free(index);
            return true;
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Changes the action (and flags) of an active entry in place (requests), keeping HOLD counts right.
     *
     * @param index  entry.
     * @param action new action.
     * @param flags  new flags (ACTIVE is kept).
     */
    public void update(final int index, final int action, final int flags)
    {
        checkWritable();
        lock();
        try
        {
            final int off = entryOffset(index);
            final int old = buf.getInt(off + E_ACTION);
            if (old == FlowAction.HOLD && action != FlowAction.HOLD)
            {
                buf.addIntRelease(H_HOLD, -1);
            }
            else if (old != FlowAction.HOLD && action == FlowAction.HOLD)
            {
                buf.addIntRelease(H_HOLD, 1);
            }
            buf.putInt(off + E_FLAGS, flags | FlowAction.FLAG_ACTIVE | FlowAction.FLAG_MODIFIED
                | (buf.getInt(off + E_RFLOW) >= 0 ? FlowAction.FLAG_RFLOW_VALID : 0));
            buf.putIntRelease(off + E_ACTION, action);
            buf.addLongRelease(H_CHANGED, 1);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Sets the TCP flags of an entry (worker; OR-ed in, plain store).
     *
     * @param index entry.
     * @param bits  bits to add.
     * @return the new flags.
     */
    public int addTcpFlags(final int index, final int bits)
    {
        final int off = entryOffset(index);
        final int now = buf.getInt(off + E_TCP_FLAGS) | bits;
        buf.putIntOpaque(off + E_TCP_FLAGS, now);
        return now;
    }

    private void checkWritable()
    {
        if (readOnly)
        {
            throw new IllegalStateException("flow table " + file + " is mapped read-only");
        }
    }

    /**
     * Flushes a file-backed table to disk (the daemon at shutdown; the OS writes dirty pages anyway).
     */
    public void force()
    {
        if (!readOnly && file != null)
        {
            segment.force();
        }
    }

    /**
     * Unmaps the table. No worker may use it afterwards (the daemon stops workers first).
     */
    @Override
    public void close()
    {
        if (file != null)
        {
            force();
            arena.close();
        }
        if (owner != null)
        {
            try
            {
                owner.close();
            }
            catch (final IOException e)
            {
                // The lock goes with the descriptor; nothing else to release.
            }
            owner = null;
        }
    }
}
