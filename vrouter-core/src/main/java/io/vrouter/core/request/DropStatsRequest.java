package io.vrouter.core.request;

import java.util.Arrays;
import java.util.Locale;

import io.vrouter.core.status.DropReason;

/**
 * {@code vr_drop_stats_req}: a GET of the drop counters of one worker or of all summed; the answer
 * carries the number of workers and one {@code vds_<reason>} field per {@link DropReason} (the
 * lower-case enum name, e.g. {@code vds_invalid_label}).
 *
 * @param op      {@code h_op}.
 * @param core    {@code vds_core}: the worker (0-based), -1 for the sum of all.
 * @param workers {@code vds_workers} (answers).
 * @param drops   the counts by {@link DropReason#ordinal()} (answers), or empty in a request.
 * @param countersFile {@code vds_counters_file} (answers; ours, not Contrail's): the daemon's shared-memory
 *                     counters file, which {@code dropstats} and {@code vrfstats} read, or empty.
 * @param stateFile {@code vds_state_file} (answers; ours): the daemon's forwarding-state log, which
 *                  {@code vrouterctl state} reads, or empty.
 */
public record DropStatsRequest(Op op, int core, int workers, long[] drops, String countersFile, String stateFile)
    implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_drop_stats_req";
    /** {@code vds_core} of the sum over every worker. */
    public static final int ALL_CORES = -1;

    /**
     * A record; null counts read as none.
     *
     * @param op      {@code h_op}.
     * @param core    {@code vds_core}.
     * @param workers {@code vds_workers}.
     * @param drops   the counts.
     * @param countersFile the counters file, or empty.
     * @param stateFile    the state log, or empty.
     */
    public DropStatsRequest
    {
        drops = drops == null ? new long[0] : drops;
        countersFile = countersFile == null ? "" : countersFile;
        stateFile = stateFile == null ? "" : stateFile;
    }

    /** The fields of {@code vr_drop_stats_req} besides the counts ({@link #dropField}). */
    public enum Field implements SandeshField
    {
        /** {@code vds_core}. */
        VDS_CORE,
        /** {@code vds_workers}. */
        VDS_WORKERS,
        /** {@code vds_counters_file} (ours). */
        VDS_COUNTERS_FILE,
        /** {@code vds_state_file} (ours). */
        VDS_STATE_FILE;

        private final String fieldName = name().toLowerCase(Locale.ROOT);

        @Override
        public String struct()
        {
            return TYPE;
        }

        @Override
        public String fieldName()
        {
            return fieldName;
        }

        @Override
        public FieldKind kind()
        {
            return this == VDS_COUNTERS_FILE || this == VDS_STATE_FILE ? FieldKind.STRING : FieldKind.INTEGER;
        }
    }

    /**
     * A GET of one worker's counters or of the sum.
     *
     * @param core the worker, or {@link #ALL_CORES}.
     * @return the request.
     */
    public static DropStatsRequest get(final int core)
    {
        return new DropStatsRequest(Op.GET, core, 0, new long[0], "", "");
    }

    /**
     * The field of a drop reason's count.
     *
     * @param r the reason.
     * @return {@code vds_} and the lower-case enum name.
     */
    public static String dropField(final DropReason r)
    {
        return "vds_" + r.name().toLowerCase(Locale.ROOT);
    }

    /**
     * One count of an answer.
     *
     * @param r the reason.
     * @return the count, 0 when the record carries none.
     */
    public long drops(final DropReason r)
    {
        return drops.length == 0 ? 0 : drops[r.ordinal()];
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static DropStatsRequest from(final SandeshObject o) throws RequestException
    {
        long[] drops = new long[0];
        for (final DropReason r : DropReason.BY_ID)
        {
            if (o.has(dropField(r)))
            {
                drops = new long[DropReason.COUNT];
                break;
            }
        }
        for (int i = 0; i < drops.length; i++)
        {
            drops[i] = o.getLong(dropField(DropReason.BY_ID[i]), 0);
        }
        return new DropStatsRequest(o.op(), Mapping.integer(o, Field.VDS_CORE, ALL_CORES),
            Mapping.integer(o, Field.VDS_WORKERS, 0), drops, Mapping.string(o, Field.VDS_COUNTERS_FILE, ""),
            Mapping.string(o, Field.VDS_STATE_FILE, ""));
    }

    /**
     * {@inheritDoc}
     * <p>
     * A worker of -1 or more; no counts or one per reason.
     */
    @Override
    public void validate() throws RequestException
    {
        Mapping.range(Field.VDS_CORE, core, ALL_CORES, Integer.MAX_VALUE);
        if (drops.length != 0 && drops.length != DropReason.COUNT)
        {
            throw new RequestException(Errno.EINVAL, TYPE + ": " + drops.length + " counts, not one per reason ("
                + DropReason.COUNT + ")");
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code h_op} unless ADD, the worker always; the number of workers and every count when the record
     * carries them.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        o.put(Field.VDS_CORE, core);
        if (workers != 0 || drops.length > 0)
        {
            o.put(Field.VDS_WORKERS, workers);
        }
        for (int i = 0; i < drops.length; i++)
        {
            o.put(dropField(DropReason.BY_ID[i]), drops[i]);
        }
        if (!countersFile.isEmpty())
        {
            o.put(Field.VDS_COUNTERS_FILE, countersFile);
        }
        if (!stateFile.isEmpty())
        {
            o.put(Field.VDS_STATE_FILE, stateFile);
        }
        return o;
    }

    /**
     * Equal when every field is (the counts by content).
     *
     * @param other another object.
     * @return true when equal.
     */
    @Override
    public boolean equals(final Object other)
    {
        return other instanceof DropStatsRequest r && op == r.op && core == r.core && workers == r.workers
            && Arrays.equals(drops, r.drops) && countersFile.equals(r.countersFile)
            && stateFile.equals(r.stateFile);
    }

    @Override
    public int hashCode()
    {
        return (op.hashCode() * 31 + core) * 31 + Arrays.hashCode(drops);
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }
}
