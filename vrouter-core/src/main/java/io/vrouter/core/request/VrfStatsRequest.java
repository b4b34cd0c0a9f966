package io.vrouter.core.request;

import java.util.Arrays;

import io.vrouter.core.status.VrfStat;

/**
 * {@code vr_vrf_stats_req}: a GET of one VRF's forwarding counters or a DUMP of every VRF with a
 * non-zero one; an answer carries one {@code vsr_<stat>} field per {@link VrfStat}.
 *
 * @param op    {@code h_op}.
 * @param vrf   {@code vsr_vrf}.
 * @param stats the counts by {@link VrfStat#ordinal()} (answers), or empty in a request.
 */
public record VrfStatsRequest(Op op, int vrf, long[] stats) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_vrf_stats_req";

    /**
     * A record; null counts read as none.
     *
     * @param op    {@code h_op}.
     * @param vrf   {@code vsr_vrf}.
     * @param stats the counts.
     */
    public VrfStatsRequest
    {
        stats = stats == null ? new long[0] : stats;
    }

    /** The fields of {@code vr_vrf_stats_req} besides the counts ({@link #statField}). */
    public enum Field implements SandeshField
    {
        /** {@code vsr_vrf}. */
        VSR_VRF;

        @Override
        public String struct()
        {
            return TYPE;
        }

        @Override
        public String fieldName()
        {
            return "vsr_vrf";
        }

        @Override
        public FieldKind kind()
        {
            return FieldKind.INTEGER;
        }
    }

    /**
     * A GET of one VRF.
     *
     * @param vrf the VRF.
     * @return the request.
     */
    public static VrfStatsRequest get(final int vrf)
    {
        return new VrfStatsRequest(Op.GET, vrf, new long[0]);
    }

    /**
     * A DUMP of every VRF with a non-zero counter.
     *
     * @return the request.
     */
    public static VrfStatsRequest dump()
    {
        return new VrfStatsRequest(Op.DUMP, 0, new long[0]);
    }

    /**
     * The field of a counter.
     *
     * @param s the counter.
     * @return {@code vsr_} and its name.
     */
    public static String statField(final VrfStat s)
    {
        return "vsr_" + s.fieldName();
    }

    /**
     * One count of an answer.
     *
     * @param s the counter.
     * @return the count, 0 when the record carries none.
     */
    public long stat(final VrfStat s)
    {
        return stats.length == 0 ? 0 : stats[s.ordinal()];
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static VrfStatsRequest from(final SandeshObject o) throws RequestException
    {
        long[] stats = new long[0];
        for (final VrfStat s : VrfStat.BY_ID)
        {
            if (o.has(statField(s)))
            {
                stats = new long[VrfStat.COUNT];
                break;
            }
        }
        for (int i = 0; i < stats.length; i++)
        {
            stats[i] = o.getLong(statField(VrfStat.BY_ID[i]), 0);
        }
        return new VrfStatsRequest(o.op(), Mapping.integer(o, Field.VSR_VRF, 0), stats);
    }

    /**
     * {@inheritDoc}
     * <p>
     * GET: a VRF not negative. No counts or one per counter.
     */
    @Override
    public void validate() throws RequestException
    {
        if (op == Op.GET)
        {
            Mapping.range(Field.VSR_VRF, vrf, 0, Integer.MAX_VALUE);
        }
        if (stats.length != 0 && stats.length != VrfStat.COUNT)
        {
            throw new RequestException(Errno.EINVAL, TYPE + ": " + stats.length + " counts, not one per counter ("
                + VrfStat.COUNT + ")");
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code h_op} unless ADD, the VRF always, every count when the record carries them.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        o.put(Field.VSR_VRF, vrf);
        for (int i = 0; i < stats.length; i++)
        {
            o.put(statField(VrfStat.BY_ID[i]), stats[i]);
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
        return other instanceof VrfStatsRequest r && op == r.op && vrf == r.vrf && Arrays.equals(stats, r.stats);
    }

    @Override
    public int hashCode()
    {
        return (op.hashCode() * 31 + vrf) * 31 + Arrays.hashCode(stats);
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }
}
