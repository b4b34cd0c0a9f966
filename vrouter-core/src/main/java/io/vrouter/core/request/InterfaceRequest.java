package io.vrouter.core.request;

import java.util.Locale;

import io.vrouter.core.iface.Vif;
import io.vrouter.core.iface.VifType;

/**
 * {@code vr_interface_req}: an interface (vif) to add or change, the key of a GET or DELETE, a DUMP
 * after a marker, or, as an answer, an interface with its counters. Contrail's defaults: no multicast
 * VRF (65535), no mirror (-1), MTU 0 (the forwarder picks the type's default), flags 0 (the forwarder
 * sets L3 and L2).
 *
 * @param op          {@code h_op}.
 * @param idx         {@code vifr_idx}, the interface index; {@link #UNSET} when not given.
 * @param type        {@code vifr_type} ({@link VifType}); {@link #UNSET} when not given.
 * @param name        {@code vifr_name}.
 * @param transport   {@code vifr_transport} (0..3; 2 is PMD).
 * @param vrf         {@code vifr_vrf}.
 * @param mcastVrf    {@code vifr_mcast_vrf}, {@link Vif#NO_VRF} for none.
 * @param mac         {@code vifr_mac} in the low 48 bits.
 * @param ip          {@code vifr_ip}: Contrail's u32 address, the network-order bytes read little-endian.
 * @param mtu         {@code vifr_mtu}, 0 for the type's default.
 * @param flags       {@code vifr_flags} ({@code VifFlags}).
 * @param nhId        {@code vifr_nh_id}: the interface's own next hop (flows key on it).
 * @param osIdx       {@code vifr_os_idx}.
 * @param mirId       {@code vifr_mir_id}, -1 for none.
 * @param inMirrorMd  {@code vifr_in_mirror_md}: metadata of received frames' mirror copies.
 * @param outMirrorMd {@code vifr_out_mirror_md}: metadata of sent frames' mirror copies.
 * @param ipackets    {@code vifr_ipackets} (answers).
 * @param ibytes      {@code vifr_ibytes} (answers).
 * @param opackets    {@code vifr_opackets} (answers).
 * @param obytes      {@code vifr_obytes} (answers).
 * @param dpackets    {@code vifr_dpackets} (answers).
 * @param refCnt {@code vifr_ref_cnt} (answers): references to the object, see {@code References}.
 * @param marker      {@code vifr_marker}: a DUMP answers the interfaces after it; -1 for all.
 */
public record InterfaceRequest(
    Op op,
    int idx,
    int type,
    String name,
    int transport,
    int vrf,
    int mcastVrf,
    long mac,
    int ip,
    int mtu,
    int flags,
    int nhId,
    int osIdx,
    int mirId,
    byte[] inMirrorMd,
    byte[] outMirrorMd,
    long ipackets,
    long ibytes,
    long opackets,
    long obytes,
    long dpackets,
    int refCnt,
    int marker) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_interface_req";
    /** Largest {@code vifr_transport}. */
    public static final int MAX_TRANSPORT = 3;

    /**
     * A record; a null name or metadata reads as empty.
     *
     * @param op          {@code h_op}.
     * @param idx         {@code vifr_idx}.
     * @param type        {@code vifr_type}.
     * @param name        {@code vifr_name}.
     * @param transport   {@code vifr_transport}.
     * @param vrf         {@code vifr_vrf}.
     * @param mcastVrf    {@code vifr_mcast_vrf}.
     * @param mac         {@code vifr_mac}.
     * @param ip          {@code vifr_ip}.
     * @param mtu         {@code vifr_mtu}.
     * @param flags       {@code vifr_flags}.
     * @param nhId        {@code vifr_nh_id}.
     * @param osIdx       {@code vifr_os_idx}.
     * @param mirId       {@code vifr_mir_id}.
     * @param inMirrorMd  {@code vifr_in_mirror_md}.
     * @param outMirrorMd {@code vifr_out_mirror_md}.
     * @param ipackets    {@code vifr_ipackets}.
     * @param ibytes      {@code vifr_ibytes}.
     * @param opackets    {@code vifr_opackets}.
     * @param obytes      {@code vifr_obytes}.
     * @param dpackets    {@code vifr_dpackets}.
     * @param refCnt {@code vifr_ref_cnt}.
     * @param marker      {@code vifr_marker}.
     */
    public InterfaceRequest
    {
        name = name == null ? "" : name;
        inMirrorMd = inMirrorMd == null ? new byte[0] : inMirrorMd;
        outMirrorMd = outMirrorMd == null ? new byte[0] : outMirrorMd;
    }

    /** The fields of {@code vr_interface_req}. */
    public enum Field implements SandeshField
    {
        /** {@code vifr_idx}. */
        VIFR_IDX(FieldKind.INTEGER),
        /** {@code vifr_type}. */
        VIFR_TYPE(FieldKind.INTEGER),
        /** {@code vifr_name}. */
        VIFR_NAME(FieldKind.STRING),
        /** {@code vifr_transport}. */
        VIFR_TRANSPORT(FieldKind.INTEGER),
        /** {@code vifr_vrf}. */
        VIFR_VRF(FieldKind.INTEGER),
        /** {@code vifr_mcast_vrf}. */
        VIFR_MCAST_VRF(FieldKind.INTEGER),
        /** {@code vifr_mac}. */
        VIFR_MAC(FieldKind.BYTES),
        /** {@code vifr_ip}. */
        VIFR_IP(FieldKind.INTEGER),
        /** {@code vifr_mtu}. */
        VIFR_MTU(FieldKind.INTEGER),
        /** {@code vifr_flags}. */
        VIFR_FLAGS(FieldKind.INTEGER),
        /** {@code vifr_nh_id}. */
        VIFR_NH_ID(FieldKind.INTEGER),
        /** {@code vifr_os_idx}. */
        VIFR_OS_IDX(FieldKind.INTEGER),
        /** {@code vifr_mir_id}. */
        VIFR_MIR_ID(FieldKind.INTEGER),
        /** {@code vifr_in_mirror_md}. */
        VIFR_IN_MIRROR_MD(FieldKind.BYTES),
        /** {@code vifr_out_mirror_md}. */
        VIFR_OUT_MIRROR_MD(FieldKind.BYTES),
        /** {@code vifr_ipackets}. */
        VIFR_IPACKETS(FieldKind.INTEGER),
        /** {@code vifr_ibytes}. */
        VIFR_IBYTES(FieldKind.INTEGER),
        /** {@code vifr_opackets}. */
        VIFR_OPACKETS(FieldKind.INTEGER),
        /** {@code vifr_obytes}. */
        VIFR_OBYTES(FieldKind.INTEGER),
        /** {@code vifr_dpackets}. */
        VIFR_DPACKETS(FieldKind.INTEGER),
        /** {@code vifr_marker}. */
        VIFR_MARKER(FieldKind.INTEGER),
        /** {@code vifr_ref_cnt} (answers). */
        VIFR_REF_CNT(FieldKind.INTEGER),
        /** {@code vifr_src_mac}: Contrail's, accepted and not used. */
        VIFR_SRC_MAC(FieldKind.BYTES),
        /** {@code vifr_ip6}: accepted and not used. */
        VIFR_IP6(FieldKind.BYTES),
        /** {@code vifr_fat_flow_src_prefix_h}: Contrail's, accepted and not used. */
        VIFR_FAT_FLOW_SRC_PREFIX_H(FieldKind.BYTES),
        /** {@code vifr_fat_flow_protocol_port}: Contrail's, accepted and not used. */
        VIFR_FAT_FLOW_PROTOCOL_PORT(FieldKind.LIST),
        /** {@code vifr_queue_ierrors_to_lcore}: Contrail's, accepted and not used. */
        VIFR_QUEUE_IERRORS_TO_LCORE(FieldKind.LIST),
        /** {@code vifr_os_name}: Contrail's, accepted and not used. */
        VIFR_OS_NAME(FieldKind.STRING);

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
     * A GET of one interface.
     *
     * @param idx the interface index.
     * @return the request.
     */
    public static InterfaceRequest get(final int idx)
    {
        return builder().op(Op.GET).idx(idx).build();
    }

    /**
     * A DELETE of one interface.
     *
     * @param idx the interface index.
     * @return the request.
     */
    public static InterfaceRequest delete(final int idx)
    {
        return builder().op(Op.DELETE).idx(idx).build();
    }

    /**
     * A DUMP of every interface.
     *
     * @return the request.
     */
    public static InterfaceRequest dump()
    {
        return builder().op(Op.DUMP).build();
    }

    /**
     * A builder with Contrail's defaults and op ADD.
     *
     * @return the builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * A builder holding this record's fields (to change some of them).
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

    static InterfaceRequest from(final SandeshObject o) throws RequestException
    {
        return new InterfaceRequest(
            o.op(),
            Mapping.optional(o, Field.VIFR_IDX),
            Mapping.optional(o, Field.VIFR_TYPE),
            Mapping.string(o, Field.VIFR_NAME, ""),
            Mapping.integer(o, Field.VIFR_TRANSPORT, 0),
            Mapping.integer(o, Field.VIFR_VRF, 0),
            Mapping.integer(o, Field.VIFR_MCAST_VRF, Vif.NO_VRF),
            Mapping.mac(o, Field.VIFR_MAC, 0),
            Mapping.integer(o, Field.VIFR_IP, 0),
            Mapping.integer(o, Field.VIFR_MTU, 0),
            Mapping.integer(o, Field.VIFR_FLAGS, 0),
            Mapping.integer(o, Field.VIFR_NH_ID, 0),
            Mapping.integer(o, Field.VIFR_OS_IDX, 0),
            Mapping.integer(o, Field.VIFR_MIR_ID, -1),
            Mapping.bytes(o, Field.VIFR_IN_MIRROR_MD),
            Mapping.bytes(o, Field.VIFR_OUT_MIRROR_MD),
            Mapping.int64(o, Field.VIFR_IPACKETS, 0),
            Mapping.int64(o, Field.VIFR_IBYTES, 0),
            Mapping.int64(o, Field.VIFR_OPACKETS, 0),
            Mapping.int64(o, Field.VIFR_OBYTES, 0),
            Mapping.int64(o, Field.VIFR_DPACKETS, 0),
            Mapping.integer(o, Field.VIFR_REF_CNT, 0),
            Mapping.integer(o, Field.VIFR_MARKER, -1));
    }

    /**
     * {@inheritDoc}
     * <p>
     * ADD: the index (not negative) and a known type are required; transport 0..3, multicast VRF and
     * MTU within 16 bits, VRF, next hop not negative, mirror -1 or more, mirror metadata at most
     * {@link Vif#MAX_MIRROR_MD} bytes each. GET and DELETE: the index is required.
     */
    @Override
    public void validate() throws RequestException
    {
        switch (op)
        {
            case ADD:
                Mapping.required(Field.VIFR_IDX, idx);
                Mapping.range(Field.VIFR_IDX, idx, 0, Integer.MAX_VALUE);
                Mapping.required(Field.VIFR_TYPE, type);
                if (type < 0 || type >= VifType.MAX)
                {
                    throw Mapping.invalid(Field.VIFR_TYPE, "invalid type " + type);
                }
                Mapping.range(Field.VIFR_VRF, vrf, 0, Integer.MAX_VALUE);
                Mapping.range(Field.VIFR_MCAST_VRF, mcastVrf, 0, Vif.NO_VRF);
                Mapping.range(Field.VIFR_TRANSPORT, transport, 0, MAX_TRANSPORT);
                Mapping.range(Field.VIFR_MTU, mtu, 0, 65535);
                Mapping.range(Field.VIFR_NH_ID, nhId, 0, Integer.MAX_VALUE);
                Mapping.range(Field.VIFR_MIR_ID, mirId, -1, Integer.MAX_VALUE);
                mirrorMetadata(Field.VIFR_IN_MIRROR_MD, inMirrorMd);
                mirrorMetadata(Field.VIFR_OUT_MIRROR_MD, outMirrorMd);
                break;
            case GET:
            case DELETE:
                Mapping.required(Field.VIFR_IDX, idx);
                break;
            default:
                break;
        }
    }

    private static void mirrorMetadata(final Field f, final byte[] md) throws RequestException
    {
        if (md.length > Vif.MAX_MIRROR_MD)
        {
            throw Mapping.invalid(f, md.length + " bytes of mirror metadata, at most " + Vif.MAX_MIRROR_MD);
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code h_op} unless ADD, the index and type when given, every other field (counters included, as
     * Contrail answers them), the marker unless -1.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        if (idx != UNSET)
        {
            o.put(Field.VIFR_IDX, idx);
        }
        if (type != UNSET)
        {
            o.put(Field.VIFR_TYPE, type);
        }
        o.put(Field.VIFR_NAME, name)
            .put(Field.VIFR_TRANSPORT, transport)
            .put(Field.VIFR_VRF, vrf)
            .put(Field.VIFR_MCAST_VRF, mcastVrf)
            .put(Field.VIFR_MAC, Requests.macBytes(mac))
            .put(Field.VIFR_IP, ip)
            .put(Field.VIFR_MTU, mtu)
            .put(Field.VIFR_FLAGS, flags & 0xFFFFFFFFL)
            .put(Field.VIFR_NH_ID, nhId)
            .put(Field.VIFR_OS_IDX, osIdx)
            .put(Field.VIFR_MIR_ID, mirId)
            .put(Field.VIFR_IN_MIRROR_MD, inMirrorMd.clone())
            .put(Field.VIFR_OUT_MIRROR_MD, outMirrorMd.clone())
            .put(Field.VIFR_IPACKETS, ipackets)
            .put(Field.VIFR_IBYTES, ibytes)
            .put(Field.VIFR_OPACKETS, opackets)
            .put(Field.VIFR_OBYTES, obytes)
            .put(Field.VIFR_DPACKETS, dpackets);
        if (refCnt != 0)
        {
            o.put(Field.VIFR_REF_CNT, refCnt);
        }
        if (marker != -1)
        {
            o.put(Field.VIFR_MARKER, marker);
        }
        return o;
    }

    /**
     * Equal when every field is (the byte arrays by content).
     *
     * @param other another object.
     * @return true when equal.
     */
    @Override
    public boolean equals(final Object other)
    {
        return other instanceof InterfaceRequest r && toSandesh().equals(r.toSandesh());
    }

    @Override
    public int hashCode()
    {
        return toSandesh().hashCode();
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }

    /** Builds an {@link InterfaceRequest}; starts from Contrail's defaults and op ADD. */
    public static final class Builder
    {
        private Op op = Op.ADD;
        private int idx = UNSET;
        private int type = UNSET;
        private String name = "";
        private int transport;
        private int vrf;
        private int mcastVrf = Vif.NO_VRF;
        private long mac;
        private int ip;
        private int mtu;
        private int flags;
        private int nhId;
        private int osIdx;
        private int mirId = -1;
        private byte[] inMirrorMd = new byte[0];
        private byte[] outMirrorMd = new byte[0];
        private long ipackets;
        private long ibytes;
        private long opackets;
        private long obytes;
        private long dpackets;
        private int refCnt;
        private int marker = -1;

        private Builder()
        {
        }

        private Builder(final InterfaceRequest r)
        {
            op = r.op;
            idx = r.idx;
            type = r.type;
            name = r.name;
            transport = r.transport;
            vrf = r.vrf;
            mcastVrf = r.mcastVrf;
            mac = r.mac;
            ip = r.ip;
            mtu = r.mtu;
            flags = r.flags;
            nhId = r.nhId;
            osIdx = r.osIdx;
            mirId = r.mirId;
            inMirrorMd = r.inMirrorMd;
            outMirrorMd = r.outMirrorMd;
            ipackets = r.ipackets;
            ibytes = r.ibytes;
            opackets = r.opackets;
            obytes = r.obytes;
            dpackets = r.dpackets;
            refCnt = r.refCnt;
            marker = r.marker;
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
         * Sets {@code vifr_idx}.
         *
         * @param v the interface index.
         * @return this.
         */
        public Builder idx(final int v)
        {
            idx = v;
            return this;
        }

        /**
         * Sets {@code vifr_type}.
         *
         * @param v a {@link VifType}.
         * @return this.
         */
        public Builder type(final int v)
        {
            type = v;
            return this;
        }

        /**
         * Sets {@code vifr_name}.
         *
         * @param v the name.
         * @return this.
         */
        public Builder name(final String v)
        {
            name = v;
            return this;
        }

        /**
         * Sets {@code vifr_transport}.
         *
         * @param v the transport.
         * @return this.
         */
        public Builder transport(final int v)
        {
            transport = v;
            return this;
        }

        /**
         * Sets {@code vifr_vrf}.
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
         * Sets {@code vifr_mcast_vrf}.
         *
         * @param v the multicast VRF.
         * @return this.
         */
        public Builder mcastVrf(final int v)
        {
            mcastVrf = v;
            return this;
        }

        /**
         * Sets {@code vifr_mac}.
         *
         * @param v the MAC in the low 48 bits.
         * @return this.
         */
        public Builder mac(final long v)
        {
            mac = v;
            return this;
        }

        /**
         * Sets {@code vifr_ip}.
         *
         * @param v Contrail's u32 encoding (network-order bytes read little-endian).
         * @return this.
         */
        public Builder ip(final int v)
        {
            ip = v;
            return this;
        }

        /**
         * Sets {@code vifr_mtu}.
         *
         * @param v the MTU, 0 for the default.
         * @return this.
         */
        public Builder mtu(final int v)
        {
            mtu = v;
            return this;
        }

        /**
         * Sets {@code vifr_flags}.
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
         * Sets {@code vifr_nh_id}.
         *
         * @param v the next hop.
         * @return this.
         */
        public Builder nhId(final int v)
        {
            nhId = v;
            return this;
        }

        /**
         * Sets {@code vifr_os_idx}.
         *
         * @param v the OS interface index.
         * @return this.
         */
        public Builder osIdx(final int v)
        {
            osIdx = v;
            return this;
        }

        /**
         * Sets {@code vifr_mir_id}.
         *
         * @param v the mirror index, -1 for none.
         * @return this.
         */
        public Builder mirId(final int v)
        {
            mirId = v;
            return this;
        }

        /**
         * Sets {@code vifr_in_mirror_md}.
         *
         * @param v the metadata (not copied).
         * @return this.
         */
        public Builder inMirrorMd(final byte[] v)
        {
            inMirrorMd = v;
            return this;
        }

        /**
         * Sets {@code vifr_out_mirror_md}.
         *
         * @param v the metadata (not copied).
         * @return this.
         */
        public Builder outMirrorMd(final byte[] v)
        {
            outMirrorMd = v;
            return this;
        }

        /**
         * Sets the counters of an answer.
         *
         * @param in      {@code vifr_ipackets}.
         * @param inBytes {@code vifr_ibytes}.
         * @param out     {@code vifr_opackets}.
         * @param outBytes {@code vifr_obytes}.
         * @param drops   {@code vifr_dpackets}.
         * @return this.
         */
        public Builder counters(final long in, final long inBytes, final long out, final long outBytes,
            final long drops)
        {
            ipackets = in;
            ibytes = inBytes;
            opackets = out;
            obytes = outBytes;
            dpackets = drops;
            return this;
        }

        /**
         * Sets {@code vifr_ref_cnt} (answers).
         *
         * @param v references to the object.
         * @return this.
         */
        public Builder refCnt(final int v)
        {
            refCnt = v;
            return this;
        }

        /**
         * Sets {@code vifr_marker}.
         *
         * @param v the last index already dumped, -1 for all.
         * @return this.
         */
        public Builder marker(final int v)
        {
            marker = v;
            return this;
        }

        /**
         * The record.
         *
         * @return a new record.
         */
        public InterfaceRequest build()
        {
            return new InterfaceRequest(op, idx, type, name, transport, vrf, mcastVrf, mac, ip, mtu, flags, nhId,
                osIdx, mirId, inMirrorMd, outMirrorMd, ipackets, ibytes, opackets, obytes, dpackets, refCnt, marker);
        }
    }
}
