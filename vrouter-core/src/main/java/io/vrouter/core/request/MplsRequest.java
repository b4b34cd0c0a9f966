package io.vrouter.core.request;

import java.util.Locale;

/**
 * {@code vr_mpls_req}: an incoming MPLS label and the next hop it selects (the ILM); ADD sets it,
 * DELETE clears it, GET reads it, DUMP lists every set label; an answer is one entry.
 *
 * @param op    {@code h_op}.
 * @param label {@code mr_label}; -1 when not given.
 * @param nhId  {@code mr_nhid}; {@link #UNSET} when not given.
 */
public record MplsRequest(Op op, int label, int nhId) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_mpls_req";

    /** The fields of {@code vr_mpls_req}. */
    public enum Field implements SandeshField
    {
        /** {@code mr_label}. */
        MR_LABEL(FieldKind.INTEGER),
        /** {@code mr_nhid}. */
        MR_NHID(FieldKind.INTEGER);

        private final String fieldName = name().toLowerCase(Locale.ROOT);
        private final FieldKind kind;

        Field(final FieldKind kind)
        {
            this.kind = kind;
        }

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
            return kind;
        }
    }

    /**
     * An ADD (or an answer): a label and its next hop.
     *
     * @param label the label.
     * @param nhId  the next hop.
     * @return the request.
     */
    public static MplsRequest add(final int label, final int nhId)
    {
        return new MplsRequest(Op.ADD, label, nhId);
    }

    /**
     * A DELETE of a label.
     *
     * @param label the label.
     * @return the request.
     */
    public static MplsRequest delete(final int label)
    {
        return new MplsRequest(Op.DELETE, label, UNSET);
    }

    /**
     * A GET of a label.
     *
     * @param label the label.
     * @return the request.
     */
    public static MplsRequest get(final int label)
    {
        return new MplsRequest(Op.GET, label, UNSET);
    }

    /**
     * A DUMP of every label.
     *
     * @return the request.
     */
    public static MplsRequest dump()
    {
        return new MplsRequest(Op.DUMP, -1, UNSET);
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static MplsRequest from(final SandeshObject o) throws RequestException
    {
        return new MplsRequest(o.op(), Mapping.integer(o, Field.MR_LABEL, -1), Mapping.optional(o, Field.MR_NHID));
    }

    /**
     * {@inheritDoc}
     * <p>
     * ADD, DELETE and GET: a label, not negative; ADD: a next hop.
     */
    @Override
    public void validate() throws RequestException
    {
        if (op == Op.ADD || op == Op.DELETE || op == Op.GET)
        {
            Mapping.range(Field.MR_LABEL, label, 0, Integer.MAX_VALUE);
        }
        if (op == Op.ADD)
        {
            Mapping.required(Field.MR_NHID, nhId);
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code h_op} unless ADD, the label unless -1, the next hop when given.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        if (label != -1)
        {
            o.put(Field.MR_LABEL, label);
        }
        if (nhId != UNSET)
        {
            o.put(Field.MR_NHID, nhId);
        }
        return o;
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }
}
