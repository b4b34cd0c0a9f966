package io.vrouter.core.request;

import java.util.Locale;

import io.vrouter.wire.AddressFamily;

/**
 * {@code vr_flow_req}: {@code fr_op} selects {@code flow_set} (add with {@code fr_index = -1}, change
 * by index, delete by clearing the ACTIVE flag), {@code flow_list} (entries after {@code fr_index})
 * or {@code flow_table_get}; {@code h_op} is carried and not used. An answer to {@code flow_set} is
 * the entry's index and generation; a {@code flow_list} answer is one entry whole. Field encodings
 * follow vtest: addresses are the wire bytes read little-endian ({@code fr_flow_sip_l = 16843009} is
 * 1.1.1.1; IPv6 halves in {@code _u}/{@code _l}), ports likewise ({@code fr_flow_sport = 31} is port
 * 7936). The rules that depend on {@code fr_flags} and {@code fr_action} are the flow table's
 * ({@code FlowRequests}), which owns their definitions.
 *
 * @param op          {@code h_op}.
 * @param frOp        {@code fr_op}: {@link #OP_SET}, {@link #OP_LIST} or {@link #OP_TABLE_GET}.
 * @param index       {@code fr_index}: the entry, -1 to add; for {@code flow_list} the marker.
 * @param flags       {@code fr_flags} (Contrail's {@code VR_FLOW_FLAG_*}).
 * @param action      {@code fr_action}: 0 drop, 1 hold, 2 forward, 3 NAT.
 * @param family      {@code fr_family}: inet or inet6.
 * @param proto       {@code fr_flow_proto}.
 * @param sport       {@code fr_flow_sport}: wire bytes read little-endian.
 * @param dport       {@code fr_flow_dport}, likewise.
 * @param nhId        {@code fr_flow_nh_id}: the key's next hop.
 * @param vrf         {@code fr_flow_vrf}.
 * @param dvrf        {@code fr_flow_dvrf}; {@link #UNSET} for the same as {@code vrf}.
 * @param mirId       {@code fr_mir_id}, -1 for none.
 * @param rindex      {@code fr_rindex}: the reverse entry, -1 for none.
 * @param ecmpNhIndex {@code fr_ecmp_nh_index}, -1 for none.
 * @param srcNhIndex  {@code fr_src_nh_index} (RPF), -1 for none.
 * @param dropReason  {@code fr_drop_reason}.
 * @param genId       {@code fr_gen_id}: a change must name the entry's generation; -1 for any.
 * @param sipL        {@code fr_flow_sip_l}.
 * @param sipU        {@code fr_flow_sip_u}.
 * @param dipL        {@code fr_flow_dip_l}.
 * @param dipU        {@code fr_flow_dip_u}.
 * @param udpSrcPort  {@code fr_udp_src_port}: the entropy port of tunnelled packets; {@link #UNSET}
 *                    for the hash of the key.
 */
public record FlowRequest(
    Op op,
    int frOp,
    int index,
    int flags,
    int action,
    int family,
    int proto,
    int sport,
    int dport,
    int nhId,
    int vrf,
    int dvrf,
    int mirId,
    int rindex,
    int ecmpNhIndex,
    int srcNhIndex,
    int dropReason,
    int genId,
    long sipL,
    long sipU,
    long dipL,
    long dipU,
    int udpSrcPort) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_flow_req";
    /** {@code fr_op} flow_set. */
    public static final int OP_SET = 0;
    /** {@code fr_op} flow_list. */
    public static final int OP_LIST = 1;
    /** {@code fr_op} flow_table_get. */
    public static final int OP_TABLE_GET = 2;
    /** Largest {@code fr_flags}: the flags are 16 bits. */
    public static final int MAX_FLAGS = 0xFFFF;
    /** Largest {@code fr_gen_id}. */
    public static final int MAX_GEN_ID = 0xFFFFFF;

    /** The fields of {@code vr_flow_req}. */
    public enum Field implements SandeshField
    {
        /** {@code fr_op}: also by Contrail's names {@code flow_set}, {@code flow_list}, {@code flow_table_get}. */
        FR_OP(FieldKind.INTEGER),
        /** {@code fr_index}. */
        FR_INDEX(FieldKind.INTEGER),
        /** {@code fr_gen_id}. */
        FR_GEN_ID(FieldKind.INTEGER),
        /** {@code fr_family}. */
        FR_FAMILY(FieldKind.INTEGER),
        /** {@code fr_flow_proto}. */
        FR_FLOW_PROTO(FieldKind.INTEGER),
        /** {@code fr_flow_nh_id}. */
        FR_FLOW_NH_ID(FieldKind.INTEGER),
        /** {@code fr_flow_sport}. */
        FR_FLOW_SPORT(FieldKind.INTEGER),
        /** {@code fr_flow_dport}. */
        FR_FLOW_DPORT(FieldKind.INTEGER),
        /** {@code fr_action}. */
        FR_ACTION(FieldKind.INTEGER),
        /** {@code fr_flags}. */
        FR_FLAGS(FieldKind.INTEGER),
        /** {@code fr_rindex}. */
        FR_RINDEX(FieldKind.INTEGER),
        /** {@code fr_flow_vrf}. */
        FR_FLOW_VRF(FieldKind.INTEGER),
        /** {@code fr_flow_dvrf}. */
        FR_FLOW_DVRF(FieldKind.INTEGER),
        /** {@code fr_mir_id}. */
        FR_MIR_ID(FieldKind.INTEGER),
        /** {@code fr_ecmp_nh_index}. */
        FR_ECMP_NH_INDEX(FieldKind.INTEGER),
        /** {@code fr_src_nh_index}. */
        FR_SRC_NH_INDEX(FieldKind.INTEGER),
        /** {@code fr_udp_src_port}. */
        FR_UDP_SRC_PORT(FieldKind.INTEGER),
        /** {@code fr_drop_reason}. */
        FR_DROP_REASON(FieldKind.INTEGER),
        /** {@code fr_flow_sip_l}. */
        FR_FLOW_SIP_L(FieldKind.INTEGER),
        /** {@code fr_flow_sip_u}. */
        FR_FLOW_SIP_U(FieldKind.INTEGER),
        /** {@code fr_flow_dip_l}. */
        FR_FLOW_DIP_L(FieldKind.INTEGER),
        /** {@code fr_flow_dip_u}. */
        FR_FLOW_DIP_U(FieldKind.INTEGER),
        /** {@code fr_pcap_meta_data}: accepted and not used (the metadata header is not implemented). */
        FR_PCAP_META_DATA(FieldKind.BYTES);

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
     * {@code fr_op} by Contrail's name or number.
     *
     * @param text {@code flow_set}, {@code flow_list}, {@code flow_table_get} (any case) or a number.
     * @return the value.
     * @throws NumberFormatException for anything else.
     */
    public static int parseOp(final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "flow_set":
                return OP_SET;
            case "flow_list":
                return OP_LIST;
            case "flow_table_get":
                return OP_TABLE_GET;
            default:
                return Integer.decode(text);
        }
    }

    /**
     * A {@code flow_list} of up to a batch of entries after a marker.
     *
     * @param marker the last index already listed, -1 for the start.
     * @return the request.
     */
    public static FlowRequest list(final int marker)
    {
        return builder().op(Op.DUMP).frOp(OP_LIST).index(marker).build();
    }

    /**
     * A {@code flow_table_get}.
     *
     * @return the request.
     */
    public static FlowRequest tableGet()
    {
        return builder().op(Op.GET).frOp(OP_TABLE_GET).build();
    }

    /**
     * A builder: {@code flow_set} of nothing yet, with Contrail's defaults.
     *
     * @return the builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * A builder holding this record's fields.
     *
     * @return the builder.
     */
    public Builder toBuilder()
    {
        return new Builder(this);
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static FlowRequest from(final SandeshObject o) throws RequestException
    {
        return new FlowRequest(
            o.op(),
            Mapping.integer(o, Field.FR_OP, OP_SET),
            Mapping.integer(o, Field.FR_INDEX, -1),
            Mapping.integer(o, Field.FR_FLAGS, 0),
            Mapping.integer(o, Field.FR_ACTION, 0),
            Mapping.integer(o, Field.FR_FAMILY, AddressFamily.INET),
            Mapping.integer(o, Field.FR_FLOW_PROTO, 0),
            Mapping.integer(o, Field.FR_FLOW_SPORT, 0),
            Mapping.integer(o, Field.FR_FLOW_DPORT, 0),
            Mapping.integer(o, Field.FR_FLOW_NH_ID, 0),
            Mapping.integer(o, Field.FR_FLOW_VRF, 0),
            Mapping.optional(o, Field.FR_FLOW_DVRF),
            Mapping.integer(o, Field.FR_MIR_ID, -1),
            Mapping.integer(o, Field.FR_RINDEX, -1),
            Mapping.integer(o, Field.FR_ECMP_NH_INDEX, -1),
            Mapping.integer(o, Field.FR_SRC_NH_INDEX, -1),
            Mapping.integer(o, Field.FR_DROP_REASON, 0),
            Mapping.integer(o, Field.FR_GEN_ID, -1),
            Mapping.int64(o, Field.FR_FLOW_SIP_L, 0),
            Mapping.int64(o, Field.FR_FLOW_SIP_U, 0),
            Mapping.int64(o, Field.FR_FLOW_DIP_L, 0),
            Mapping.int64(o, Field.FR_FLOW_DIP_U, 0),
            Mapping.optional(o, Field.FR_UDP_SRC_PORT));
    }

    /**
     * {@inheritDoc}
     * <p>
     * A known {@code fr_op}; {@code flow_set}: an index of -1 or more and 16-bit flags;
     * {@code flow_list}: a marker of -1 or more.
     */
    @Override
    public void validate() throws RequestException
    {
        switch (frOp)
        {
            case OP_SET:
                Mapping.range(Field.FR_INDEX, index, -1, Integer.MAX_VALUE);
                Mapping.range(Field.FR_FLAGS, flags, 0, MAX_FLAGS);
                break;
            case OP_LIST:
                Mapping.range(Field.FR_INDEX, index, -1, Integer.MAX_VALUE);
                break;
            case OP_TABLE_GET:
                break;
            default:
                throw Mapping.invalid(Field.FR_OP, "unknown operation " + frOp);
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code h_op} unless ADD; {@code fr_op}, {@code fr_index} and {@code fr_gen_id} always; a
     * {@code flow_list} record (an entry) every other field, any other the fields that are not at
     * their default; the destination VRF and UDP source port when given.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final boolean whole = frOp == OP_LIST;
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        o.put(Field.FR_OP, frOp).put(Field.FR_INDEX, index).put(Field.FR_GEN_ID, genId);
        put(o, whole, Field.FR_FAMILY, family, AddressFamily.INET);
        put(o, whole, Field.FR_FLOW_PROTO, proto, 0);
        put(o, whole, Field.FR_FLOW_NH_ID, nhId, 0);
        put(o, whole, Field.FR_FLOW_SPORT, sport, 0);
        put(o, whole, Field.FR_FLOW_DPORT, dport, 0);
        put(o, whole, Field.FR_ACTION, action, 0);
        put(o, whole, Field.FR_FLAGS, flags, 0);
        put(o, whole, Field.FR_RINDEX, rindex, -1);
        put(o, whole, Field.FR_FLOW_VRF, vrf, 0);
        put(o, false, Field.FR_FLOW_DVRF, dvrf, UNSET);
        put(o, whole, Field.FR_MIR_ID, mirId, -1);
        put(o, whole, Field.FR_ECMP_NH_INDEX, ecmpNhIndex, -1);
        put(o, whole, Field.FR_SRC_NH_INDEX, srcNhIndex, -1);
        put(o, false, Field.FR_UDP_SRC_PORT, udpSrcPort, UNSET);
        put(o, whole, Field.FR_DROP_REASON, dropReason, 0);
        put(o, whole, Field.FR_FLOW_SIP_L, sipL, 0);
        put(o, whole, Field.FR_FLOW_SIP_U, sipU, 0);
        put(o, whole, Field.FR_FLOW_DIP_L, dipL, 0);
        put(o, whole, Field.FR_FLOW_DIP_U, dipU, 0);
        return o;
    }

    private static void put(final SandeshObject o, final boolean always, final Field f, final long value,
        final long absent)
    {
        if (always || value != absent)
        {
            o.put(f, value);
        }
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }

    /** Builds a {@link FlowRequest}; starts as a {@code flow_set} with Contrail's defaults. */
    public static final class Builder
    {
        private Op op = Op.ADD;
        private int frOp = OP_SET;
        private int index = -1;
        private int flags;
        private int action;
        private int family = AddressFamily.INET;
        private int proto;
        private int sport;
        private int dport;
        private int nhId;
        private int vrf;
        private int dvrf = UNSET;
        private int mirId = -1;
        private int rindex = -1;
        private int ecmpNhIndex = -1;
        private int srcNhIndex = -1;
        private int dropReason;
        private int genId = -1;
        private long sipL;
        private long sipU;
        private long dipL;
        private long dipU;
        private int udpSrcPort = UNSET;

        private Builder()
        {
        }

        private Builder(final FlowRequest r)
        {
            op = r.op;
            frOp = r.frOp;
            index = r.index;
            flags = r.flags;
            action = r.action;
            family = r.family;
            proto = r.proto;
            sport = r.sport;
            dport = r.dport;
            nhId = r.nhId;
            vrf = r.vrf;
            dvrf = r.dvrf;
            mirId = r.mirId;
            rindex = r.rindex;
            ecmpNhIndex = r.ecmpNhIndex;
            srcNhIndex = r.srcNhIndex;
            dropReason = r.dropReason;
            genId = r.genId;
            sipL = r.sipL;
            sipU = r.sipU;
            dipL = r.dipL;
            dipU = r.dipU;
            udpSrcPort = r.udpSrcPort;
        }

        /**
         * Sets {@code h_op}.
         *
         * @param v the op.
         * @return this.
         */
        public Builder op(final Op v)
        {
            op = v;
            return this;
        }

        /**
         * Sets {@code fr_op}.
         *
         * @param v {@link #OP_SET}, {@link #OP_LIST} or {@link #OP_TABLE_GET}.
         * @return this.
         */
        public Builder frOp(final int v)
        {
            frOp = v;
            return this;
        }

        /**
         * Sets {@code fr_index}.
         *
         * @param v the entry, -1 to add.
         * @return this.
         */
        public Builder index(final int v)
        {
            index = v;
            return this;
        }

        /**
         * Sets {@code fr_flags}.
         *
         * @param v the flags.
         * @return this.
         */
        public Builder flags(final int v)
        {
            flags = v;
            return this;
        }

        /**
         * Sets {@code fr_action}.
         *
         * @param v the action.
         * @return this.
         */
        public Builder action(final int v)
        {
            action = v;
            return this;
        }

        /**
         * Sets {@code fr_family}.
         *
         * @param v an {@link AddressFamily}.
         * @return this.
         */
        public Builder family(final int v)
        {
            family = v;
            return this;
        }

        /**
         * Sets {@code fr_flow_proto}.
         *
         * @param v the IP protocol.
         * @return this.
         */
        public Builder proto(final int v)
        {
            proto = v;
            return this;
        }

        /**
         * Sets {@code fr_flow_sport} and {@code fr_flow_dport}.
         *
         * @param source      wire bytes read little-endian.
         * @param destination likewise.
         * @return this.
         */
        public Builder ports(final int source, final int destination)
        {
            sport = source;
            dport = destination;
            return this;
        }

        /**
         * Sets {@code fr_flow_nh_id}.
         *
         * @param v the key's next hop.
         * @return this.
         */
        public Builder nhId(final int v)
        {
            nhId = v;
            return this;
        }

        /**
         * Sets {@code fr_flow_vrf}.
         *
         * @param v the VRF.
         * @return this.
         */
        public Builder vrf(final int v)
        {
            vrf = v;
            return this;
        }

        /**
         * Sets {@code fr_flow_dvrf}.
         *
         * @param v the destination VRF.
         * @return this.
         */
        public Builder dvrf(final int v)
        {
            dvrf = v;
            return this;
        }

        /**
         * Sets {@code fr_mir_id}.
         *
         * @param v the mirror, -1 for none.
         * @return this.
         */
        public Builder mirId(final int v)
        {
            mirId = v;
            return this;
        }

        /**
         * Sets {@code fr_rindex}.
         *
         * @param v the reverse entry, -1 for none.
         * @return this.
         */
        public Builder rindex(final int v)
        {
            rindex = v;
            return this;
        }

        /**
         * Sets {@code fr_ecmp_nh_index}.
         *
         * @param v the ECMP member, -1 for none.
         * @return this.
         */
        public Builder ecmpNhIndex(final int v)
        {
            ecmpNhIndex = v;
            return this;
        }

        /**
         * Sets {@code fr_src_nh_index}.
         *
         * @param v the RPF next hop, -1 for none.
         * @return this.
         */
        public Builder srcNhIndex(final int v)
        {
            srcNhIndex = v;
            return this;
        }

        /**
         * Sets {@code fr_drop_reason}.
         *
         * @param v the drop reason.
         * @return this.
         */
        public Builder dropReason(final int v)
        {
            dropReason = v;
            return this;
        }

        /**
         * Sets {@code fr_gen_id}.
         *
         * @param v the generation, -1 for any.
         * @return this.
         */
        public Builder genId(final int v)
        {
            genId = v;
            return this;
        }

        /**
         * Sets {@code fr_flow_sip_l} and {@code fr_flow_sip_u}.
         *
         * @param low  the low half (an IPv4 address whole).
         * @param high the high half (0 for IPv4).
         * @return this.
         */
        public Builder source(final long low, final long high)
        {
            sipL = low;
            sipU = high;
            return this;
        }

        /**
         * Sets {@code fr_flow_dip_l} and {@code fr_flow_dip_u}.
         *
         * @param low  the low half (an IPv4 address whole).
         * @param high the high half (0 for IPv4).
         * @return this.
         */
        public Builder destination(final long low, final long high)
        {
            dipL = low;
            dipU = high;
            return this;
        }

        /**
         * Sets {@code fr_udp_src_port}.
         *
         * @param v the port.
         * @return this.
         */
        public Builder udpSrcPort(final int v)
        {
            udpSrcPort = v;
            return this;
        }

        /**
         * The record.
         *
         * @return a new record.
         */
        public FlowRequest build()
        {
            return new FlowRequest(op, frOp, index, flags, action, family, proto, sport, dport, nhId, vrf, dvrf, mirId,
                rindex, ecmpNhIndex, srcNhIndex, dropReason, genId, sipL, sipU, dipL, dipU, udpSrcPort);
        }
    }
}
