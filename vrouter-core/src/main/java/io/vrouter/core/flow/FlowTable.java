package io.vrouter.core.flow;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.memory.AnonymousMemory;

/**
 * The flow table: fixed-size entries in one memory segment, mapped from a file so another process
 * can read it ({@code flow -l}) and it survives a daemon restart (docs/adr/0006-flow-table.md).
 * <p>
 * Layout: a {@value #HEADER_SIZE}-byte header (magic, version, entry size, sizes, counters), one
 * 8-byte word per hash bucket (insert lock, number of the bucket's keys placed in overflow), then
 * {@code hashEntries} entries in buckets of {@value #BUCKET_ENTRIES} followed by the overflow area
 * (the file format is in docs/flow-table-format.md). An entry's first word is its state:
 * {@code gen << 8 | state} with state FREE, BUSY (being written or deleted) or ACTIVE.
 * <p>
 * Concurrency: lookups are lock-free: read the state (acquire), compare the key, read the state
 * again; a changed state means the entry was rewritten meanwhile. Inserts take the insert lock of
 * the key's bucket (and of the reverse key's bucket, in index order), look again, claim free
 * entries with a CAS FREE to BUSY, write, and publish with a release store of ACTIVE, so two
 * workers racing to create the same flow end with one pair. Deletes take the same lock and go
 * ACTIVE to BUSY to FREE by CAS, bumping nothing a reader trusts without its second state read.
 * Per-flow statistics are written with plain stores by the worker that sees the packet (a flow
 * is normally seen by one worker; concurrent updates of one flow may lose increments).
 */
public final class FlowTable implements AutoCloseable
{
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 128;
    /** Entries per hash bucket. */
    public static final int BUCKET_ENTRIES = 4;
    /** Header bytes. */
    public static final int HEADER_SIZE = 4096;
    /** File magic ("VRFLOWT1"). */
    public static final long MAGIC = 0x3154574F4C465256L;
    /** File format version. */
    public static final int VERSION = 1;
    /** Overflow buckets probed for a key after its hash bucket. */
    public static final int OVERFLOW_PROBE = 16;

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

    /** Insert refused: table (bucket and overflow probe) full. */
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
    private final int hashEntries;
    private final int overflowEntries;
    private final int buckets;
    private final int overflowBuckets;
    private final int bucketWordsOffset;
    private final int entriesOffset;
    private final AtomicIntegerArray perVif = new AtomicIntegerArray(LIMIT_SLOTS);
    private final AtomicIntegerArray perVrf = new AtomicIntegerArray(LIMIT_SLOTS);
    private final FlowKey scratch = new FlowKey();
    private int touchSink;
    private int repairedAtOpen;
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
        this.hashEntries = config.hashEntries();
        this.overflowEntries = config.overflowEntries();
        this.buckets = hashEntries / BUCKET_ENTRIES;
        this.overflowBuckets = overflowEntries / BUCKET_ENTRIES;
        this.bucketWordsOffset = HEADER_SIZE;
        this.entriesOffset = entriesOffset(hashEntries);
    }

    static int entriesOffset(final int hashEntries)
    {
        final int words = hashEntries / BUCKET_ENTRIES * 8;
        return HEADER_SIZE + ((words + 4095) & ~4095);
    }

    static long fileSize(final FlowTableConfig c)
    {
        return entriesOffset(c.hashEntries()) + (long)c.totalEntries() * ENTRY_SIZE;
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
     * Entries left BUSY by a crash are freed, inconsistent ones repaired ({@link #repairedAtOpen()});
     * per-interface and per-VRF counts are rebuilt. The file is made mode 0600 and locked for this
     * process until {@link #close()}: a file a live daemon holds is refused.
     *
     * @param path   the file (under the state directory).
     * @param config sizes and limits.
     * @return the table; {@link #close()} unmaps it.
     * @throws IOException if the file cannot be created, mapped or locked, or does not match.
     */
    public static FlowTable open(final Path path, final FlowTableConfig config) throws IOException
    {
        final FileChannel lock = claim(path);
        try
        {
            // Every access goes through the locked channel: closing any other descriptor of the file
            // would drop this process's fcntl lock.
            final FlowTable t = lock.size() == 0 ? create(lock, config, Arena.ofShared(), path)
                : map(lock, path, config);
            t.owner = lock;
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

    private static FlowTable map(final FileChannel ch, final Path path, final FlowTableConfig config)
        throws IOException
    {
        final Arena arena = Arena.ofShared();
        try
        {
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
     * from the file's header; limits are not enforced by a reader.
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
            if (seg.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, H_MAGIC) != MAGIC)
            {
                throw new IOException(path + ": not a flow table (bad magic)");
            }
            final int hash = seg.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, H_HASH_ENTRIES);
            final int over = seg.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, H_OVERFLOW_ENTRIES);
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
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1);
            final MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            final FlowTable t = new FlowTable(config, arena, seg, false, keep);
            t.writeHeader();
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
            || buf.getLong(H_ENTRIES_OFFSET) != entriesOffset)
        {
            throw new IOException(file + ": flow table header (version " + buf.getInt(H_VERSION) + ", entry size "
                + buf.getInt(H_ENTRY_SIZE) + ", " + buf.getInt(H_HASH_ENTRIES) + "+"
                + buf.getInt(H_OVERFLOW_ENTRIES) + " entries) does not match version " + VERSION + ", entry size "
                + ENTRY_SIZE + ", " + c.hashEntries() + "+" + c.overflowEntries() + " entries");
        }
    }

    /**
     * Rebuilds the table's volatile state from the file's entries and repairs what a crash or a
     * corrupt file left: BUSY entries and entries in an unknown state are freed, and a reverse-flow
     * index that is out of range, names an entry that is not active or does not point back is
     * dropped (the flow stays, unpaired), so no index read from the file is used unchecked.
     */
    private void recover()
    {
        for (int b = 0; b < buckets; b++)
        {
            buf.putLong(bucketWordsOffset + b * 8, 0);
        }
        final int total = totalEntries();
        int active = 0;
        int overflowUsed = 0;
        int repaired = 0;
        for (int i = 0; i < total; i++)
        {
            final int off = entryOffset(i);
            final int s = buf.getInt(off + E_STATE);
            final int state = s & 0xFF;
            if (state == BUSY || (state != FREE && state != ACTIVE))
            {
                buf.putInt(off + E_STATE, s & ~0xFF);
                repaired += state == BUSY ? 0 : 1;
            }
        }
        for (int i = 0; i < total; i++)
        {
            final int off = entryOffset(i);
            if ((buf.getInt(off + E_STATE) & 0xFF) != ACTIVE)
            {
                continue;
            }
            final int rflow = buf.getInt(off + E_RFLOW);
            if (rflow != -1 && (rflow < 0 || rflow >= total || rflow == i
                || (buf.getInt(entryOffset(rflow) + E_STATE) & 0xFF) != ACTIVE
                || buf.getInt(entryOffset(rflow) + E_RFLOW) != i))
            {
                buf.putInt(off + E_RFLOW, -1);
                buf.putInt(off + E_FLAGS, buf.getInt(off + E_FLAGS) & ~FlowAction.FLAG_RFLOW_VALID);
                repaired++;
            }
            active++;
            countUp(off);
            if (i >= hashEntries)
            {
                overflowUsed++;
                readKey(i, scratch);
                final int b = bucket(scratch.hash());
                buf.putInt(bucketWordsOffset + b * 8 + 4, buf.getInt(bucketWordsOffset + b * 8 + 4) + 1);
            }
        }
        buf.putInt(H_ACTIVE, active);
        buf.putInt(H_OVERFLOW_USED, overflowUsed);
        buf.putInt(H_HOLD, 0);
        this.repairedAtOpen = repaired;
    }

    /**
     * How many entries {@link #open} found inconsistent and repaired (an unknown state freed, a
     * reverse-flow index out of range or not mutual dropped).
     *
     * @return the count, 0 for a healthy file.
     */
    public int repairedAtOpen()
    {
        return repairedAtOpen;
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
        return hashEntries + overflowEntries;
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
     * Entries in use in the overflow area.
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
     * Records a packet on a flow (worker; plain stores).
     *
     * @param index  entry.
     * @param bytes  packet bytes.
     * @param now    table clock, nanoseconds.
     */
    public void hit(final int index, final int bytes, final long now)
    {
        final int off = entryOffset(index);
        buf.putLong(off + E_PACKETS, buf.getLong(off + E_PACKETS) + 1);
        buf.putLong(off + E_BYTES, buf.getLong(off + E_BYTES) + bytes);
        buf.putLongOpaque(off + E_LAST_SEEN, now);
    }

    // ------------------------------------------------------------------------------------------ lookup

    int bucket(final long hash)
    {
        return (int)(hash >>> 32) & (buckets - 1);
    }

    private int overflowStart(final long hash)
    {
        return (int)(((hash & 0xFFFFFFFFL) * overflowBuckets) >>> 32);
    }

    /**
     * Finds the active entry with a key (lock-free).
     *
     * @param k    the key.
     * @param hash {@code k.hash()}.
     * @return the index, or -1.
     */
    public int lookup(final FlowKey k, final long hash)
    {
        final int b = bucket(hash);
        final int first = b * BUCKET_ENTRIES;
        final int fp = k.familyProto();
        final int ports = k.ports();
        for (int i = 0; i < BUCKET_ENTRIES; i++)
        {
            if (matches(first + i, k, fp, ports))
            {
                return first + i;
            }
        }
        if (overflowBuckets == 0 || buf.getIntVolatile(bucketWordsOffset + b * 8 + 4) == 0)
        {
            return -1;
        }
        final int start = overflowStart(hash);
        for (int p = 0; p < Math.min(OVERFLOW_PROBE, overflowBuckets); p++)
        {
            final int ob = hashEntries + ((start + p) % overflowBuckets) * BUCKET_ENTRIES;
            for (int i = 0; i < BUCKET_ENTRIES; i++)
            {
                if (matches(ob + i, k, fp, ports))
                {
                    return ob + i;
                }
            }
        }
        return -1;
    }

    /**
     * Looks up several keys (a batch of packets): first loads the first entry of every key's bucket,
     * independent loads the processor overlaps, so the cache misses of a big table are paid in
     * parallel instead of one after the other; then looks each key up.
     *
     * @param keys   keys.
     * @param hashes their hashes.
     * @param n      how many.
     * @param out    indexes found, or -1.
     */
    public void lookupBatch(final FlowKey[] keys, final long[] hashes, final int n, final int[] out)
    {
        int touched = 0;
        for (int i = 0; i < n; i++)
        {
            touched += buf.getInt(entriesOffset + bucket(hashes[i]) * (BUCKET_ENTRIES * ENTRY_SIZE));
        }
        touchSink = touched;
        for (int i = 0; i < n; i++)
        {
            out[i] = lookup(keys[i], hashes[i]);
        }
    }

    private boolean matches(final int index, final FlowKey k, final int fp, final int ports)
    {
        final int off = entriesOffset + index * ENTRY_SIZE;
        final int s = buf.getIntVolatile(off + E_STATE);
        if ((s & 0xFF) != ACTIVE)
        {
            return false;
        }
        final boolean same = buf.getInt(off + E_NH) == k.nhId && buf.getInt(off + E_FAMILY_PROTO) == fp
            && buf.getInt(off + E_PORTS) == ports && buf.getLong(off + E_SRC_LO) == k.srcLo
            && buf.getLong(off + E_DST_LO) == k.dstLo && buf.getLong(off + E_SRC_HI) == k.srcHi
            && buf.getLong(off + E_DST_HI) == k.dstHi;
        java.lang.invoke.VarHandle.acquireFence();
        return same && buf.getIntVolatile(off + E_STATE) == s;
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
        final int bk = bucket(hk);
        final int br = s.withReverse ? bucket(hr) : bk;
        lockBuckets(bk, br);
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
            if (s.action == FlowAction.HOLD && buf.getIntVolatile(H_HOLD) >= config.maxHold())
            {
                return HOLD_LIMIT;
            }
            final int fi = claim(bk, hk);
            if (fi < 0)
            {
                return FULL;
            }
            int ri = reverseExisting;
            if (needed == 2)
            {
                ri = claim(br, hr);
                if (ri < 0)
                {
                    release(fi, bk);
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
            buf.getAndAddLong(s.inline ? H_CREATED : H_ADDED, needed);
            return fi;
        }
        finally
        {
            unlockBuckets(bk, br);
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
        buf.putLong(off + E_SRC_HI, k.srcHi);
        buf.putLong(off + E_SRC_LO, k.srcLo);
        buf.putLong(off + E_DST_HI, k.dstHi);
        buf.putLong(off + E_DST_LO, k.dstLo);
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

    private void publish(final int index)
    {
        final int off = entryOffset(index);
        countUp(off);
        if (buf.getInt(off + E_ACTION) == FlowAction.HOLD)
        {
            buf.getAndAddInt(H_HOLD, 1);
        }
        buf.getAndAddInt(H_ACTIVE, 1);
        final int s = buf.getInt(off + E_STATE);
        buf.putIntRelease(off + E_STATE, (s & ~0xFF) | ACTIVE);
    }

    private void countUp(final int off)
    {
        final int vif = buf.getInt(off + E_OWNER_VIF);
        final int vrf = buf.getInt(off + E_VRF);
        if (vif >= 0 && vif < LIMIT_SLOTS)
        {
            perVif.incrementAndGet(vif);
        }
        if (vrf >= 0 && vrf < LIMIT_SLOTS)
        {
            perVrf.incrementAndGet(vrf);
        }
    }

    private void countDown(final int off)
    {
        final int vif = buf.getInt(off + E_OWNER_VIF);
        final int vrf = buf.getInt(off + E_VRF);
        if (vif >= 0 && vif < LIMIT_SLOTS)
        {
            perVif.decrementAndGet(vif);
        }
        if (vrf >= 0 && vrf < LIMIT_SLOTS)
        {
            perVrf.decrementAndGet(vrf);
        }
    }

    /** Claims a free entry for a key hashing to bucket b (caller holds b's lock): FREE to BUSY, gen + 1. */
    private int claim(final int b, final long hash)
    {
        final int first = b * BUCKET_ENTRIES;
        for (int i = 0; i < BUCKET_ENTRIES; i++)
        {
            if (tryClaim(first + i))
            {
                return first + i;
            }
        }
        if (overflowBuckets == 0)
        {
            return -1;
        }
        final int start = overflowStart(hash);
        for (int p = 0; p < Math.min(OVERFLOW_PROBE, overflowBuckets); p++)
        {
            final int ob = hashEntries + ((start + p) % overflowBuckets) * BUCKET_ENTRIES;
            for (int i = 0; i < BUCKET_ENTRIES; i++)
            {
                if (tryClaim(ob + i))
                {
                    buf.getAndAddInt(bucketWordsOffset + b * 8 + 4, 1);
                    buf.getAndAddInt(H_OVERFLOW_USED, 1);
                    return ob + i;
                }
            }
        }
        return -1;
    }

    private boolean tryClaim(final int index)
    {
        final int off = entryOffset(index);
        final int s = buf.getIntVolatile(off + E_STATE);
        return (s & 0xFF) == FREE && buf.compareAndSetInt(off + E_STATE, s, ((s >>> 8) + 1 & 0xFFFFFF) << 8 | BUSY);
    }

    /** Returns a claimed, unpublished entry. */
    private void release(final int index, final int b)
    {
        final int off = entryOffset(index);
        if (index >= hashEntries)
        {
            buf.getAndAddInt(bucketWordsOffset + b * 8 + 4, -1);
            buf.getAndAddInt(H_OVERFLOW_USED, -1);
        }
        buf.putIntRelease(off + E_STATE, buf.getInt(off + E_STATE) & ~0xFF);
    }

    private void lockBuckets(final int a, final int b)
    {
        final int lo = Math.min(a, b);
        final int hi = Math.max(a, b);
        lock(lo);
        if (hi != lo)
        {
            lock(hi);
        }
    }

    private void unlockBuckets(final int a, final int b)
    {
        unlock(a);
        if (a != b)
        {
            unlock(b);
        }
    }

    private void lock(final int b)
    {
        final int off = bucketWordsOffset + b * 8;
        while (!buf.compareAndSetInt(off, 0, 1))
        {
            Thread.onSpinWait();
        }
    }

    private void unlock(final int b)
    {
        buf.putIntRelease(bucketWordsOffset + b * 8, 0);
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
        final FlowKey k = new FlowKey();
        final int s0 = stateWord(index);
        if ((s0 & 0xFF) != ACTIVE || (gen >= 0 && (s0 >>> 8) != gen))
        {
            return false;
        }
        readKey(index, k);
        final int b = bucket(k.hash());
        lock(b);
        try
        {
            final int off = entryOffset(index);
            final int s = buf.getIntVolatile(off + E_STATE);
            if (s != s0 || !buf.compareAndSetInt(off + E_STATE, s, (s & ~0xFF) | BUSY))
            {
                return false;
            }
            final int rflow = buf.getInt(off + E_RFLOW);
            if (rflow >= 0 && rflow < totalEntries() && buf.getInt(entryOffset(rflow) + E_RFLOW) == index)
            {
                buf.putInt(entryOffset(rflow) + E_RFLOW, -1);
                buf.putInt(entryOffset(rflow) + E_FLAGS,
                    buf.getInt(entryOffset(rflow) + E_FLAGS) & ~FlowAction.FLAG_RFLOW_VALID);
            }
            countDown(off);
            if (buf.getInt(off + E_ACTION) == FlowAction.HOLD)
            {
                buf.getAndAddInt(H_HOLD, -1);
            }
            buf.getAndAddInt(H_ACTIVE, -1);
            buf.getAndAddLong(H_DELETED, 1);
            buf.putInt(off + E_FLAGS, 0);
            buf.putInt(off + E_RFLOW, -1);
            release(index, b);
            return true;
        }
        finally
        {
            unlock(b);
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
        final int off = entryOffset(index);
        final int old = buf.getInt(off + E_ACTION);
        if (old == FlowAction.HOLD && action != FlowAction.HOLD)
        {
            buf.getAndAddInt(H_HOLD, -1);
        }
        else if (old != FlowAction.HOLD && action == FlowAction.HOLD)
        {
            buf.getAndAddInt(H_HOLD, 1);
        }
        buf.putInt(off + E_FLAGS, flags | FlowAction.FLAG_ACTIVE | FlowAction.FLAG_MODIFIED
            | (buf.getInt(off + E_RFLOW) >= 0 ? FlowAction.FLAG_RFLOW_VALID : 0));
        buf.putIntRelease(off + E_ACTION, action);
        buf.getAndAddLong(H_CHANGED, 1);
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
