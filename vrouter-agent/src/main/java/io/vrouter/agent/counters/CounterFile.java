package io.vrouter.agent.counters;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.agent.api.NodeEndpoints;
import io.vrouter.core.status.CounterSource;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;
import io.vrouter.core.status.VrfStat;

/**
 * Every worker's counters in one memory-mapped file (default {@link NodeEndpoints#COUNTERS}), written by the
 * workers with plain stores and read by {@code dropstats}, {@code vrfstats} and the introspect of any
 * process without talking to the daemon (docs/counters.md, "Shared memory").
 * <p>
 * The daemon calls {@link #create} before it starts the workers and gives worker {@code w}
 * {@link #counters(int) counters(w)} ({@code vrouter.newForwarder(file.counters(w))}); it closes the
 * file only after the workers stopped. Readers call {@link #open}. All values native order
 * (little-endian on x86-64); header:
 * <pre>
 *  0  u8[8]  magic "VRCNTRS1"
 *  8  u32    version (1)
 * 12  u32    header bytes (offset of worker 0's block, a multiple of 64)
 * 16  u32    workers
 * 20  u32    interfaces
 * 24  u32    VRFs
 * 28  u32    drop reasons (R)
 * 32  u32    interface counters per interface (C)
 * 36  u32    VRF statistics per VRF (S)
 * 40  u64    worker block stride in bytes (a multiple of 64)
 * 48  u64    pid of the writer
 * 56  u64    creation time, ms since the epoch
 * 64  R x 48 bytes   drop reason labels ({@code dropstats}), UTF-8, NUL-padded, in block order
 *     S x 32 bytes   VRF statistic names ({@code vr_vrf_stats_req} without {@code vsr_})
 *     C x 16 bytes   interface counter names (ipackets, ibytes, opackets, obytes, drops)
 * </pre>
 * Worker {@code w}'s block starts at {@code header + w * stride} and holds, as 8-byte counters:
 * drops [R], per-interface drops [interfaces x R], per-interface counters [interfaces x C],
 * per-VRF statistics [VRFs x S] (the layout of {@link ForwardingCounters}).
 */
public final class CounterFile implements AutoCloseable
{
    /** Magic bytes. */
    public static final String MAGIC = "VRCNTRS1";
    /** Format version. */
    public static final int VERSION = 1;

    private static final int DROP_NAME_BYTES = 48;
    private static final int VRF_STAT_NAME_BYTES = 32;
    private static final int IF_COUNTER_NAME_BYTES = 16;
    private static final List<String> IF_COUNTER_NAMES = List.of("ipackets", "ibytes", "opackets", "obytes", "drops");

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final int headerBytes;
    private final int workers;
    private final int interfaces;
    private final int vrfs;
    private final int reasons;
    private final int ifCounters;
    private final int vrfStats;
    private final long stride;
    private final List<String> dropNames;
    private final List<String> vrfStatNames;

    private CounterFile(final Path path, final MappedByteBuffer mapped) throws IOException
    {
        this.path = path;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        if (buffer.capacity() < 64)
        {
            throw new IOException(path + ": not a counters file (" + buffer.capacity() + " bytes)");
        }
        final byte[] magic = new byte[8];
        buffer.getBytes(0, magic);
        if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII)))
        {
            throw new IOException(path + ": not a vrouter counters file (bad magic)");
        }
        if (buffer.getInt(8) != VERSION)
        {
            throw new IOException(path + ": counters file version " + buffer.getInt(8) + ", this tool reads "
                + VERSION);
        }
        headerBytes = buffer.getInt(12);
        workers = buffer.getInt(16);
        interfaces = buffer.getInt(20);
        vrfs = buffer.getInt(24);
        reasons = buffer.getInt(28);
        ifCounters = buffer.getInt(32);
        vrfStats = buffer.getInt(36);
        stride = buffer.getLong(40);
        final long block = ((long)reasons + (long)interfaces * reasons + (long)interfaces * ifCounters
            + (long)vrfs * vrfStats) * Long.BYTES;
        final long names = 64L + (long)reasons * DROP_NAME_BYTES + (long)vrfStats * VRF_STAT_NAME_BYTES
            + (long)ifCounters * IF_COUNTER_NAME_BYTES;
        if (workers < 0 || interfaces < 0 || vrfs < 0 || reasons < 0 || ifCounters < 0 || vrfStats < 0
            || headerBytes < names || stride < block || headerBytes + stride * workers > buffer.capacity())
        {
            throw new IOException(path + ": inconsistent counters header");
        }
        dropNames = names(64, reasons, DROP_NAME_BYTES);
        vrfStatNames = names(64 + reasons * DROP_NAME_BYTES, vrfStats, VRF_STAT_NAME_BYTES);
    }

    /**
     * Creates (or replaces) the file, zeroed, for a number of workers; mode 0600 in a directory
     * created 0755. A file another live vrouterd wrote (its pid, started before the file) is refused.
     *
     * @param path       the file.
     * @param workers    number of workers.
     * @param interfaces interface slots (the forwarder's config).
     * @param vrfs       VRFs (the forwarder's config).
     * @return the file, mapped read-write.
     * @throws IOException if it cannot be created or mapped.
     */
    public static CounterFile create(final Path path, final int workers, final int interfaces, final int vrfs)
        throws IOException
    {
        final int reasons = DropReason.COUNT;
        final int stats = VrfStat.COUNT;
        final int ifc = CounterSource.IF_COUNTERS;
        final long names = 64L + (long)reasons * DROP_NAME_BYTES + (long)stats * VRF_STAT_NAME_BYTES
            + (long)ifc * IF_COUNTER_NAME_BYTES;
        final long header = align64(names);
        final long stride = align64(ForwardingCounters.bytesFor(interfaces, vrfs));
        final long size = header + stride * workers;
        if (size > Integer.MAX_VALUE)
        {
            throw new IOException("counters for " + workers + " workers exceed 2 GiB");
        }
        final Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir))
        {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        refuseLiveWriter(path);
        final Path tmp = path.resolveSibling(path.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        final MappedByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            ch.truncate(size);
            mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
        final UnsafeBuffer b = new UnsafeBuffer(mapped);
        b.setMemory(0, (int)size, (byte)0);
        b.putBytes(0, MAGIC.getBytes(StandardCharsets.US_ASCII));
        b.putInt(8, VERSION);
        b.putInt(12, (int)header);
        b.putInt(16, workers);
        b.putInt(20, interfaces);
        b.putInt(24, vrfs);
        b.putInt(28, reasons);
        b.putInt(32, ifc);
        b.putInt(36, stats);
        b.putLong(40, stride);
        b.putLong(48, ProcessHandle.current().pid());
        b.putLong(56, System.currentTimeMillis());
        int off = 64;
        for (final DropReason r : DropReason.BY_ID)
        {
            putName(b, off, r.label(), DROP_NAME_BYTES);
            off += DROP_NAME_BYTES;
        }
        for (final VrfStat s : VrfStat.BY_ID)
        {
            putName(b, off, s.fieldName(), VRF_STAT_NAME_BYTES);
            off += VRF_STAT_NAME_BYTES;
        }
        for (final String n : IF_COUNTER_NAMES)
        {
            putName(b, off, n, IF_COUNTER_NAME_BYTES);
            off += IF_COUNTER_NAME_BYTES;
        }
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new CounterFile(path, mapped);
    }

    /** Refuses a file whose writer is another live process. */
    private static void refuseLiveWriter(final Path path) throws IOException
    {
        if (!Files.exists(path))
        {
            return;
        }
        final CounterFile old;
        try
        {
            old = open(path);
        }
        catch (final IOException e)
        {
            return;
        }
        try (old)
        {
            if (old.writerPid() != ProcessHandle.current().pid() && old.writerAlive())
            {
                throw new IOException(path + " belongs to a running vrouterd (pid " + old.writerPid() + "); " +
                    "refusing to take it over (give this daemon its own --socket or --counters)");
            }
        }
    }

    /**
     * Maps an existing file read-only.
     *
     * @param path the file.
     * @return the file.
     * @throws IOException if it is missing or not a counters file.
     */
    public static CounterFile open(final Path path) throws IOException
    {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ))
        {
            return new CounterFile(path, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
        }
    }

    /**
     * Worker {@code w}'s counters, writing into the file (the writer's side).
     *
     * @param worker the worker index.
     * @return counters over that worker's block.
     */
    public ForwardingCounters counters(final int worker)
    {
        checkWorker(worker);
        if (reasons != DropReason.COUNT || ifCounters != CounterSource.IF_COUNTERS || vrfStats != VrfStat.COUNT)
        {
            throw new IllegalStateException(path + " was written by a different version");
        }
        return new ForwardingCounters(interfaces, vrfs,
            new UnsafeBuffer(buffer, (int)(headerBytes + stride * worker), (int)stride));
    }

    /**
     * The file.
     *
     * @return its path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Workers in the file.
     *
     * @return the count.
     */
    public int workers()
    {
        return workers;
    }

    /**
     * Interface slots.
     *
     * @return the count.
     */
    public int interfaces()
    {
        return interfaces;
    }

    /**
     * VRFs.
     *
     * @return the count.
     */
    public int vrfs()
    {
        return vrfs;
    }

    /**
     * The pid that created the file.
     *
     * @return the pid.
     */
    public long writerPid()
    {
        return buffer.getLong(48);
    }

    /**
     * Whether the process that created the file is still running.
     *
     * @return true if alive.
     */
    public boolean writerAlive()
    {
        final long created = buffer.getLong(56);
        // A process with the writer's pid that started after the file was written is another one
        // (pids are reused); one whose start time is unknown counts as the writer.
        return ProcessHandle.of(writerPid()).filter(ProcessHandle::isAlive)
            .map(h -> h.info().startInstant().map(t -> t.toEpochMilli() <= created + 1000).orElse(true))
            .orElse(false);
    }

    /**
     * Drop reason labels in file order.
     *
     * @return the labels.
     */
    public List<String> dropNames()
    {
        return dropNames;
    }

    /**
     * VRF statistic names in file order.
     *
     * @return the names.
     */
    public List<String> vrfStatNames()
    {
        return vrfStatNames;
    }

    /**
     * A drop counter.
     *
     * @param worker a worker, or -1 for the sum over workers.
     * @param reason the reason's position in {@link #dropNames()}.
     * @return the count.
     */
    public long drops(final int worker, final int reason)
    {
        return sum(worker, (long)reason * Long.BYTES);
    }

    /**
     * A per-interface counter.
     *
     * @param worker   a worker, or -1 for the sum.
     * @param vif      the interface.
     * @param counter  {@link CounterSource#IF_IPACKETS} ... {@link CounterSource#IF_DROPS}.
     * @return the count.
     */
    public long interfaceCounter(final int worker, final int vif, final int counter)
    {
        if (vif < 0 || vif >= interfaces || counter < 0 || counter >= ifCounters)
        {
            throw new IndexOutOfBoundsException("interface " + vif + " counter " + counter);
        }
        return sum(worker, ((long)reasons + (long)interfaces * reasons + (long)vif * ifCounters + counter)
            * Long.BYTES);
    }

    /**
     * A per-VRF statistic.
     *
     * @param worker a worker, or -1 for the sum.
     * @param vrf    the VRF.
     * @param stat   the statistic's position in {@link #vrfStatNames()}.
     * @return the count.
     */
    public long vrfStat(final int worker, final int vrf, final int stat)
    {
        if (vrf < 0 || vrf >= vrfs || stat < 0 || stat >= vrfStats)
        {
            throw new IndexOutOfBoundsException("VRF " + vrf + " statistic " + stat);
        }
        return sum(worker, ((long)reasons + (long)interfaces * reasons + (long)interfaces * ifCounters
            + (long)vrf * vrfStats + stat) * Long.BYTES);
    }

    private long sum(final int worker, final long offsetInBlock)
    {
        if (worker >= 0)
        {
            checkWorker(worker);
            return buffer.getLongVolatile((int)(headerBytes + stride * worker + offsetInBlock));
        }
        long sum = 0;
        for (int w = 0; w < workers; w++)
        {
            sum += buffer.getLongVolatile((int)(headerBytes + stride * w + offsetInBlock));
        }
        return sum;
    }

    private void checkWorker(final int worker)
    {
        if (worker < 0 || worker >= workers)
        {
            throw new IndexOutOfBoundsException("no worker " + worker + " (" + workers + " workers)");
        }
    }

    private List<String> names(final int offset, final int count, final int width)
    {
        final List<String> out = new ArrayList<>(count);
        final byte[] b = new byte[width];
        for (int i = 0; i < count; i++)
        {
            buffer.getBytes(offset + i * width, b);
            int len = 0;
            while (len < width && b[len] != 0)
            {
                len++;
            }
            out.add(new String(b, 0, len, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void putName(final UnsafeBuffer b, final int offset, final String name, final int width)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        b.putBytes(offset, bytes, 0, Math.min(bytes.length, width - 1));
    }

    private static long align64(final long v)
    {
        return (v + 63) & ~63L;
    }

    /**
     * Unmaps the file (the writer: only after every worker stopped). The file stays for readers.
     */
    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
