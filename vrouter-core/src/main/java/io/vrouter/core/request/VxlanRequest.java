package io.vrouter.core.request;

import java.util.Locale;

/**
 * {@code vr_vxlan_req}: an incoming VXLAN network identifier and the next hop it selects; ADD sets
 * it, DELETE clears it, GET reads it, DUMP lists every set VNI; an answer is one entry.
 *
 * @param op   {@code h_op}.
 * @param vnid {@code vxlanr_vnid}; -1 when not given.
 * @param nhId {@code vxlanr_nhid}; {@link #UNSET} when not given.
 */
public record VxlanRequest(Op op, int vnid, int nhId) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_vxlan_req";

    /** The fields of {@code vr_vxlan_req}. */
    public enum Field implements SandeshField
    {
        /** {@code vxlanr_vnid}. */
        VXLANR_VNID(FieldKind.INTEGER),
        /** {@code vxlanr_nhid}. */
        VXLANR_NHID(FieldKind.INTEGER);

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
     * An ADD (or an answer): a VNI and its next hop.
     *
     * @param vnid the VNI.
     * @param nhId  the next hop.
     * @return the request.
     */
    public static VxlanRequest add(final int vnid, final int nhId)
    {
        return new VxlanRequest(Op.ADD, vnid, nhId);
    }

    /**
     * A DELETE of a VNI.
     *
     * @param vnid the VNI.
     * @return the request.
     */
    public static VxlanRequest delete(final int vnid)
    {
        return new VxlanRequest(Op.DELETE, vnid, UNSET);
    }

    /**
     * A GET of a VNI.
     *
     * @param vnid the VNI.
     * @return the request.
     */
    public static VxlanRequest get(final int vnid)
    {
        return new VxlanRequest(Op.GET, vnid, UNSET);
    }

    /**
     * A DUMP of every VNI.
     *
     * @return the request.
     */
    public static VxlanRequest dump()
    {
        return new VxlanRequest(Op.DUMP, -1, UNSET);
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static VxlanRequest from(final SandeshObject o) throws RequestException
    {
        return new VxlanRequest(o.op(), Mapping.integer(o, Field.VXLANR_VNID, -1),
            Mapping.optional(o, Field.VXLANR_NHID));
    }

    /**
     * {@inheritDoc}
     * <p>
     * ADD, DELETE and GET: a VNI, not negative; ADD: a next hop.
     */
    @Override
    public void validate() throws RequestException
    {
        if (op == Op.ADD || op == Op.DELETE || op == Op.GET)
        {
            Mapping.range(Field.VXLANR_VNID, vnid, 0, Integer.MAX_VALUE);
        }
        if (op == Op.ADD)
        {
            Mapping.required(Field.VXLANR_NHID, nhId);
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code h_op} unless ADD, the VNI unless -1, the next hop when given.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        if (vnid != -1)
        {
            o.put(Field.VXLANR_VNID, vnid);
        }
        if (nhId != UNSET)
        {
            o.put(Field.VXLANR_NHID, nhId);
        }
        return o;
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }
}
