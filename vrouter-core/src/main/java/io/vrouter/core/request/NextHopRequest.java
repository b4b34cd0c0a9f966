package io.vrouter.core.request;

import java.util.Locale;

import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.wire.AddressFamily;

/**
 * {@code vr_nexthop_req}: a next hop to add or change, the key of a GET or DELETE, a DUMP after a
 * marker, or, as an answer, a next hop. The rules of each next-hop type (a tunnel's outer header
 * and tunnel type, a composite's members) are the programming path's, with the tables: see
 * {@code Programmer.validateNextHop}.
 *
 * @param op             {@code h_op}.
 * @param id             {@code nhr_id}; {@link #UNSET} when not given.
 * @param type           {@code nhr_type} ({@link NextHopType}); {@link #UNSET} when not given.
 * @param family         {@code nhr_family}: 0, or an {@link AddressFamily}.
 * @param flags          {@code nhr_flags} ({@link NextHopFlags}).
 * @param vrf            {@code nhr_vrf}.
 * @param encapOifId     {@code nhr_encap_oif_id}: the outgoing interface is the first.
 * @param encap          {@code nhr_encap}: the L2 rewrite, or a tunnel's outer Ethernet header.
 * @param tunSip         {@code nhr_tun_sip}: Contrail's u32 address (network-order bytes read little-endian).
 * @param tunDip         {@code nhr_tun_dip}, likewise.
 * @param tunSport       {@code nhr_tun_sport}: a UDP tunnel's source port in network byte order (as u16).
 * @param tunDport       {@code nhr_tun_dport}, likewise.
 * @param nhList         {@code nhr_nh_list}: a composite's members.
 * @param labelList      {@code nhr_label_list}: a label per member (-1 none), or empty.
 * @param ecmpConfigHash {@code nhr_ecmp_config_hash}.
 * @param refCnt {@code nhr_ref_cnt} (answers): references to the object, see {@code References}.
 * @param marker         {@code nhr_marker}: a DUMP answers the next hops after it; -1 for all.
 */
public record NextHopRequest(
    Op op,
    int id,
    int type,
    int family,
    int flags,
    int vrf,
    int[] encapOifId,
    byte[] encap,
    int tunSip,
    int tunDip,
    int tunSport,
    int tunDport,
    int[] nhList,
    int[] labelList,
    int ecmpConfigHash,
    int refCnt,
    int marker) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_nexthop_req";

    /**
     * A record; null arrays read as empty, the tunnel ports as their 16 bits.
     *
     * @param op             {@code h_op}.
     * @param id             {@code nhr_id}.
     * @param type           {@code nhr_type}.
     * @param family         {@code nhr_family}.
     * @param flags          {@code nhr_flags}.
     * @param vrf            {@code nhr_vrf}.
     * @param encapOifId     {@code nhr_encap_oif_id}.
     * @param encap          {@code nhr_encap}.
     * @param tunSip         {@code nhr_tun_sip}.
     * @param tunDip         {@code nhr_tun_dip}.
     * @param tunSport       {@code nhr_tun_sport}.
     * @param tunDport       {@code nhr_tun_dport}.
     * @param nhList         {@code nhr_nh_list}.
     * @param labelList      {@code nhr_label_list}.
     * @param ecmpConfigHash {@code nhr_ecmp_config_hash}.
     * @param refCnt {@code nhr_ref_cnt}.
     * @param marker         {@code nhr_marker}.
     */
    public NextHopRequest
    {
        encapOifId = encapOifId == null ? new int[0] : encapOifId;
        encap = encap == null ? new byte[0] : encap;
        nhList = nhList == null ? new int[0] : nhList;
        labelList = labelList == null ? new int[0] : labelList;
        // Contrail's nh tool sends a port above 32767 as a negative i16: the same 16 bits.
        tunSport &= 0xFFFF;
        tunDport &= 0xFFFF;
    }

    /** The fields of {@code vr_nexthop_req}. */
    public enum Field implements SandeshField
    {
        /** {@code nhr_id}. */
        NHR_ID(FieldKind.INTEGER),
        /** {@code nhr_type}. */
        NHR_TYPE(FieldKind.INTEGER),
        /** {@code nhr_family}. */
        NHR_FAMILY(FieldKind.INTEGER),
        /** {@code nhr_vrf}. */
        NHR_VRF(FieldKind.INTEGER),
        /** {@code nhr_flags}. */
        NHR_FLAGS(FieldKind.INTEGER),
        /** {@code nhr_encap_oif_id}. */
        NHR_ENCAP_OIF_ID(FieldKind.LIST),
        /** {@code nhr_encap}. */
        NHR_ENCAP(FieldKind.BYTES),
        /** {@code nhr_tun_sip}. */
        NHR_TUN_SIP(FieldKind.INTEGER),
        /** {@code nhr_tun_dip}. */
        NHR_TUN_DIP(FieldKind.INTEGER),
        /** {@code nhr_tun_sport}. */
        NHR_TUN_SPORT(FieldKind.INTEGER),
        /** {@code nhr_tun_dport}. */
        NHR_TUN_DPORT(FieldKind.INTEGER),
        /** {@code nhr_nh_list}. */
        NHR_NH_LIST(FieldKind.LIST),
        /** {@code nhr_label_list}. */
        NHR_LABEL_LIST(FieldKind.LIST),
        /** {@code nhr_ecmp_config_hash}. */
        NHR_ECMP_CONFIG_HASH(FieldKind.INTEGER),
        /** {@code nhr_marker}. */
        NHR_MARKER(FieldKind.INTEGER),
        /** {@code nhr_ref_cnt} (answers). */
        NHR_REF_CNT(FieldKind.INTEGER),
        /** {@code nhr_rw_dst_mac}: Contrail's, accepted and not used. */
        NHR_RW_DST_MAC(FieldKind.BYTES),
        /** {@code nhr_tun_sip6}: Contrail's, accepted and not used. */
        NHR_TUN_SIP6(FieldKind.BYTES),
        /** {@code nhr_tun_dip6}: Contrail's, accepted and not used. */
        NHR_TUN_DIP6(FieldKind.BYTES),
        /** {@code nhr_pbb_mac}: Contrail's, accepted and not used. */
        NHR_PBB_MAC(FieldKind.BYTES),
        /** {@code nhr_encap_valid}: Contrail's, accepted and not used. */
        NHR_ENCAP_VALID(FieldKind.LIST);

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
     * A GET of one next hop.
     *
     * @param id the next-hop id.
     * @return the request.
     */
    public static NextHopRequest get(final int id)
    {
        return builder().op(Op.GET).id(id).build();
    }

    /**
     * A DELETE of one next hop.
     *
     * @param id the next-hop id.
     * @return the request.
     */
    public static NextHopRequest delete(final int id)
    {
        return builder().op(Op.DELETE).id(id).build();
    }

    /**
     * A DUMP of every next hop.
     *
     * @return the request.
     */
    public static NextHopRequest dump()
    {
        return builder().op(Op.DUMP).build();
    }

    /**
     * A builder with op ADD and nothing else set.
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

    /**
     * The outgoing interface.
     *
     * @return the first {@code nhr_encap_oif_id}, or -1 when there is none.
     */
    public int oif()
    {
        return encapOifId.length > 0 ? encapOifId[0] : -1;
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static NextHopRequest from(final SandeshObject o) throws RequestException
    {
        return new NextHopRequest(
            o.op(),
            Mapping.optional(o, Field.NHR_ID),
            Mapping.optional(o, Field.NHR_TYPE),
            Mapping.integer(o, Field.NHR_FAMILY, 0),
            Mapping.integer(o, Field.NHR_FLAGS, 0),
            Mapping.integer(o, Field.NHR_VRF, 0),
            Mapping.ints(o, Field.NHR_ENCAP_OIF_ID),
            Mapping.bytes(o, Field.NHR_ENCAP),
            Mapping.integer(o, Field.NHR_TUN_SIP, 0),
            Mapping.integer(o, Field.NHR_TUN_DIP, 0),
            port(o, Field.NHR_TUN_SPORT),
            port(o, Field.NHR_TUN_DPORT),
            Mapping.ints(o, Field.NHR_NH_LIST),
            Mapping.ints(o, Field.NHR_LABEL_LIST),
            Mapping.integer(o, Field.NHR_ECMP_CONFIG_HASH, 0),
            Mapping.integer(o, Field.NHR_REF_CNT, 0),
            Mapping.integer(o, Field.NHR_MARKER, -1));
    }

    /** A u16 port that Contrail's tools may send as a negative i16. */
    private static int port(final SandeshObject o, final Field f) throws RequestException
    {
        final long v = Mapping.int64(o, f, 0);
        Mapping.range(f, v, Short.MIN_VALUE, 0xFFFF);
        return (int)v;
    }

    /**
     * {@inheritDoc}
     * <p>
     * ADD: the id (not negative) and a type other than DEAD are required; the family is 0, inet,
     * inet6 or bridge; the VRF is not negative. GET and DELETE: the id is required. The rules of each
     * type are {@code Programmer.validateNextHop}'s.
     */
    @Override
    public void validate() throws RequestException
    {
        switch (op)
        {
            case ADD:
                Mapping.required(Field.NHR_ID, id);
                Mapping.range(Field.NHR_ID, id, 0, Integer.MAX_VALUE);
                Mapping.required(Field.NHR_TYPE, type);
                if (type < 0 || type >= NextHopType.MAX || type == NextHopType.DEAD)
                {
                    throw Mapping.invalid(Field.NHR_TYPE, "invalid type " + type);
                }
                if (family != AddressFamily.UNSPEC && !AddressFamily.isKnown(family))
                {
                    throw Mapping.invalid(Field.NHR_FAMILY, "invalid family " + family);
                }
                Mapping.range(Field.NHR_VRF, vrf, 0, Integer.MAX_VALUE);
                break;
            case GET:
            case DELETE:
                Mapping.required(Field.NHR_ID, id);
                break;
            default:
                break;
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code h_op} unless ADD, id and type when given, family, VRF and flags; the outgoing interface,
     * the rewrite, the member and label lists when not empty; a tunnel's addresses (and a UDP tunnel's
     * ports) always, other next hops' when not 0; the ECMP hash when not 0; the marker unless -1.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        if (id != UNSET)
        {
            o.put(Field.NHR_ID, id);
        }
        if (type != UNSET)
        {
            o.put(Field.NHR_TYPE, type);
        }
        o.put(Field.NHR_FAMILY, family).put(Field.NHR_VRF, vrf).put(Field.NHR_FLAGS, flags & 0xFFFFFFFFL);
        if (encapOifId.length > 0)
        {
            o.put(Field.NHR_ENCAP_OIF_ID, Mapping.longs(encapOifId));
        }
        if (encap.length > 0)
        {
            o.put(Field.NHR_ENCAP, encap.clone());
        }
        final boolean tunnel = type == NextHopType.TUNNEL;
        if (tunnel || tunSip != 0 || tunDip != 0)
        {
            o.put(Field.NHR_TUN_SIP, tunSip & 0xFFFFFFFFL).put(Field.NHR_TUN_DIP, tunDip & 0xFFFFFFFFL);
        }
        if (tunnel && (flags & NextHopFlags.TUNNEL_TYPE_MASK) == NextHopFlags.TUNNEL_UDP || tunSport != 0
            || tunDport != 0)
        {
            o.put(Field.NHR_TUN_SPORT, tunSport).put(Field.NHR_TUN_DPORT, tunDport);
        }
        if (nhList.length > 0)
        {
            o.put(Field.NHR_NH_LIST, Mapping.longs(nhList));
        }
        if (labelList.length > 0)
        {
            o.put(Field.NHR_LABEL_LIST, Mapping.longs(labelList));
        }
        if (ecmpConfigHash != 0)
        {
            o.put(Field.NHR_ECMP_CONFIG_HASH, ecmpConfigHash);
        }
        if (refCnt != 0)
        {
            o.put(Field.NHR_REF_CNT, refCnt);
        }
        if (marker != -1)
        {
            o.put(Field.NHR_MARKER, marker);
        }
        return o;
    }

    /**
     * Equal when every field is (the arrays by content).
     *
     * @param other another object.
     * @return true when equal.
     */
    @Override
    public boolean equals(final Object other)
    {
        return other instanceof NextHopRequest r && toSandesh().equals(r.toSandesh());
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

    /** Builds a {@link NextHopRequest}; starts with op ADD and nothing else set. */
    public static final class Builder
    {
        private Op op = Op.ADD;
        private int id = UNSET;
        private int type = UNSET;
        private int family;
        private int flags;
        private int vrf;
        private int[] encapOifId = new int[0];
        private byte[] encap = new byte[0];
        private int tunSip;
        private int tunDip;
        private int tunSport;
        private int tunDport;
        private int[] nhList = new int[0];
        private int[] labelList = new int[0];
        private int ecmpConfigHash;
        private int refCnt;
        private int marker = -1;

        private Builder()
        {
        }

        private Builder(final NextHopRequest r)
        {
            op = r.op;
            id = r.id;
            type = r.type;
            family = r.family;
            flags = r.flags;
            vrf = r.vrf;
            encapOifId = r.encapOifId;
            encap = r.encap;
            tunSip = r.tunSip;
            tunDip = r.tunDip;
            tunSport = r.tunSport;
            tunDport = r.tunDport;
            nhList = r.nhList;
            labelList = r.labelList;
            ecmpConfigHash = r.ecmpConfigHash;
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
         * Sets {@code nhr_id}.
         *
         * @param v the id.
         * @return this.
         */
        public Builder id(final int v)
        {
            id = v;
            return this;
        }

        /**
         * Sets {@code nhr_type}.
         *
         * @param v a {@link NextHopType}.
         * @return this.
         */
        public Builder type(final int v)
        {
            type = v;
            return this;
        }

        /**
         * Sets {@code nhr_family}.
         *
         * @param v an {@link AddressFamily}, or 0.
         * @return this.
         */
        public Builder family(final int v)
        {
            family = v;
            return this;
        }

        /**
         * Sets {@code nhr_flags}.
         *
         * @param v {@link NextHopFlags}.
         * @return this.
         */
        public Builder flags(final int v)
        {
            flags = v;
            return this;
        }

        /**
         * Sets {@code nhr_vrf}.
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
         * Sets {@code nhr_encap_oif_id} to one interface.
         *
         * @param v the outgoing interface.
         * @return this.
         */
        public Builder oif(final int v)
        {
            encapOifId = new int[] {v};
            return this;
        }

        /**
         * Sets {@code nhr_encap}.
         *
         * @param v the bytes (not copied).
         * @return this.
         */
        public Builder encap(final byte[] v)
        {
            encap = v;
            return this;
        }

        /**
         * Sets {@code nhr_tun_sip} and {@code nhr_tun_dip}.
         *
         * @param sip the source in Contrail's u32 encoding.
         * @param dip the destination, likewise.
         * @return this.
         */
        public Builder tunnel(final int sip, final int dip)
        {
            tunSip = sip;
            tunDip = dip;
            return this;
        }

        /**
         * Sets {@code nhr_tun_sport} and {@code nhr_tun_dport}.
         *
         * @param sport the source port in network byte order.
         * @param dport the destination port in network byte order.
         * @return this.
         */
        public Builder tunnelPorts(final int sport, final int dport)
        {
            tunSport = sport;
            tunDport = dport;
            return this;
        }

        /**
         * Sets {@code nhr_nh_list} and {@code nhr_label_list}.
         *
         * @param members the members (not copied).
         * @param labels  a label per member, or empty (not copied).
         * @return this.
         */
        public Builder members(final int[] members, final int[] labels)
        {
            nhList = members;
            labelList = labels;
            return this;
        }

        /**
         * Sets {@code nhr_ecmp_config_hash}.
         *
         * @param v the hash fields.
         * @return this.
         */
        public Builder ecmpConfigHash(final int v)
        {
            ecmpConfigHash = v;
            return this;
        }

        /**
         * Sets {@code nhr_ref_cnt} (answers).
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
         * Sets {@code nhr_marker}.
         *
         * @param v the last id already dumped, -1 for all.
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
        public NextHopRequest build()
        {
            return new NextHopRequest(op, id, type, family, flags, vrf, encapOifId, encap, tunSip, tunDip, tunSport,
                tunDport, nhList, labelList, ecmpConfigHash, refCnt, marker);
        }
    }
}
