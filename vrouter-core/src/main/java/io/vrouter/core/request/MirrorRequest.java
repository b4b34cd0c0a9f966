package io.vrouter.core.request;

import java.util.Locale;

import io.vrouter.core.nh.MirrorTable;

/**
 * {@code vr_mirror_req}: a mirror entry (index, the next hop copies go to, flags, VXLAN id) to set,
 * clear, read or dump after a marker; an answer is one entry.
 *
 * @param op     {@code h_op}.
 * @param index  {@code mirr_index}; {@link #UNSET} when not given.
 * @param nhId   {@code mirr_nhid}; {@link #UNSET} when not given.
 * @param flags  {@code mirr_flags}: {@link MirrorTable#FLAG_DYNAMIC} (D); {@link MirrorTable#FLAG_HW_ASSISTED}
 *               (Hw) is refused.
 * @param vni    {@code mirr_vni}: the VXLAN id of copies sent through a VXLAN tunnel; -1 or 0 for none.
 * @param marker {@code mirr_marker}: a DUMP answers the entries after it; -1 for all.
 */
public record MirrorRequest(Op op, int index, int nhId, int flags, int vni, int marker) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_mirror_req";
    /** {@code mirr_vni} of an entry without a VXLAN id. */
    public static final int NO_VNI = -1;

    /** The fields of {@code vr_mirror_req}. */
    public enum Field implements SandeshField
    {
        /** {@code mirr_index}. */
        MIRR_INDEX(FieldKind.INTEGER),
        /** {@code mirr_nhid}. */
        MIRR_NHID(FieldKind.INTEGER),
        /** {@code mirr_flags}. */
        MIRR_FLAGS(FieldKind.INTEGER),
        /** {@code mirr_vni}. */
        MIRR_VNI(FieldKind.INTEGER),
        /** {@code mirr_marker}. */
        MIRR_MARKER(FieldKind.INTEGER),
        /** {@code mirr_vni_md}: accepted and not used. */
        MIRR_VNI_MD(FieldKind.BYTES);

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
     * An ADD (or an answer): an entry.
     *
     * @param index the mirror index.
     * @param nhId  the next hop copies go to.
     * @param flags {@code mirr_flags}.
     * @param vni   the VXLAN id, or {@link #NO_VNI}.
     * @return the request.
     */
    public static MirrorRequest add(final int index, final int nhId, final int flags, final int vni)
    {
        return new MirrorRequest(Op.ADD, index, nhId, flags, vni, -1);
    }

    /**
     * A DELETE of an entry.
     *
     * @param index the mirror index.
     * @return the request.
     */
    public static MirrorRequest delete(final int index)
    {
        return new MirrorRequest(Op.DELETE, index, UNSET, 0, NO_VNI, -1);
    }

    /**
     * A GET of an entry.
     *
     * @param index the mirror index.
     * @return the request.
     */
    public static MirrorRequest get(final int index)
    {
        return new MirrorRequest(Op.GET, index, UNSET, 0, NO_VNI, -1);
    }

    /**
     * A DUMP of every entry.
     *
     * @return the request.
     */
    public static MirrorRequest dump()
    {
        return new MirrorRequest(Op.DUMP, UNSET, UNSET, 0, NO_VNI, -1);
    }

    /**
     * The VXLAN id as the table keeps it.
     *
     * @return 0 for none, else the VNI.
     */
    public int vniOrZero()
    {
        return vni == NO_VNI ? 0 : vni;
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static MirrorRequest from(final SandeshObject o) throws RequestException
    {
        return new MirrorRequest(o.op(), Mapping.optional(o, Field.MIRR_INDEX), Mapping.optional(o, Field.MIRR_NHID),
            Mapping.integer(o, Field.MIRR_FLAGS, 0), Mapping.integer(o, Field.MIRR_VNI, NO_VNI),
            Mapping.integer(o, Field.MIRR_MARKER, -1));
    }

    /**
     * {@inheritDoc}
     * <p>
     * ADD, DELETE and GET: the index. ADD: the next hop; no Hw flag (EOPNOTSUPP: there is no NIC to do
     * it) and no unknown flag; a VNI of -1 (none) or 0 to 2^24-1.
     */
    @Override
    public void validate() throws RequestException
    {
        if (op == Op.ADD || op == Op.DELETE || op == Op.GET)
        {
            Mapping.required(Field.MIRR_INDEX, index);
        }
        if (op != Op.ADD)
        {
            return;
        }
        if ((flags & MirrorTable.FLAG_HW_ASSISTED) != 0)
        {
            throw new RequestException(Errno.EOPNOTSUPP, Field.MIRR_FLAGS.path()
                + ": hardware-assisted mirroring (Hw, 0x4) needs a NIC; not supported");
        }
        if ((flags & ~MirrorTable.FLAG_DYNAMIC) != 0)
        {
            throw Mapping.invalid(Field.MIRR_FLAGS, "unknown flags 0x"
                + Integer.toHexString(flags & ~MirrorTable.FLAG_DYNAMIC));
        }
        if (vni != NO_VNI && (vni < 0 || vni > MirrorTable.MAX_VNI))
        {
            throw Mapping.invalid(Field.MIRR_VNI, vni + " is not a 24-bit VNI");
        }
        Mapping.required(Field.MIRR_NHID, nhId);
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code h_op} unless ADD, index and next hop when given, flags and VNI always, the marker unless -1.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        if (index != UNSET)
        {
            o.put(Field.MIRR_INDEX, index);
        }
        if (nhId != UNSET)
        {
            o.put(Field.MIRR_NHID, nhId);
        }
        o.put(Field.MIRR_FLAGS, flags).put(Field.MIRR_VNI, vni);
        if (marker != -1)
        {
            o.put(Field.MIRR_MARKER, marker);
        }
        return o;
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }
}
