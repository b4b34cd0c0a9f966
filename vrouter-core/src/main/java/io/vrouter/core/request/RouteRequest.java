package io.vrouter.core.request;

import java.util.Locale;

import io.vrouter.core.fib.RouteFlags;
import io.vrouter.wire.AddressFamily;

/**
 * {@code vr_route_req}: an inet or inet6 route (key VRF, prefix and length) or a bridge entry (key
 * VRF and MAC) to add, delete (an inet route is replaced by the covering route the request gives,
 * {@code rtr_replace_plen}), look up or dump; as an answer, a route.
 *
 * @param op          {@code h_op}.
 * @param family      {@code rtr_family} ({@link AddressFamily}); {@link #UNSET} when not given.
 * @param vrfId       {@code rtr_vrf_id}.
 * @param prefix      {@code rtr_prefix}: 4 or 16 bytes in network order; empty when not given.
 * @param prefixLen   {@code rtr_prefix_len}, -1 when not given.
 * @param replacePlen {@code rtr_replace_plen}: on DELETE, the length of the covering route whose next
 *                    hop and label take the deleted one's place; -1 for none (discard).
 * @param nhId        {@code rtr_nh_id}; {@link #UNSET} when not given.
 * @param labelFlags  {@code rtr_label_flags} ({@link RouteFlags}).
 * @param label       {@code rtr_label}: MPLS label or VNI with {@link RouteFlags#LABEL_VALID};
 *                    {@link #UNSET} when not given.
 * @param mac         {@code rtr_mac}: a bridge entry's MAC, an inet route's stitched MAC; {@link #NO_MAC}
 *                    when not given.
 */
public record RouteRequest(
    Op op,
    int family,
    int vrfId,
    byte[] prefix,
    int prefixLen,
    int replacePlen,
    int nhId,
    int labelFlags,
    int label,
    long mac) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_route_req";
    /** {@code rtr_mac} not given (a MAC is 48 bits; 0 is a MAC). */
    public static final long NO_MAC = -1;
    /** Largest {@code rtr_label_flags} of an inet or inet6 route (L, P, T, F, Ml). */
    public static final int MAX_INET_LABEL_FLAGS = 0x1F;
    /** Largest {@code rtr_label_flags} of a bridge entry. */
    public static final int MAX_BRIDGE_LABEL_FLAGS = 0xFF;

    /**
     * A record; a null prefix reads as empty.
     *
     * @param op          {@code h_op}.
     * @param family      {@code rtr_family}.
     * @param vrfId       {@code rtr_vrf_id}.
     * @param prefix      {@code rtr_prefix}.
     * @param prefixLen   {@code rtr_prefix_len}.
     * @param replacePlen {@code rtr_replace_plen}.
     * @param nhId        {@code rtr_nh_id}.
     * @param labelFlags  {@code rtr_label_flags}.
     * @param label       {@code rtr_label}.
     * @param mac         {@code rtr_mac}.
     */
    public RouteRequest
    {
        prefix = prefix == null ? new byte[0] : prefix;
    }

    /** The fields of {@code vr_route_req}. */
    public enum Field implements SandeshField
    {
        /** {@code rtr_family}. */
        RTR_FAMILY(FieldKind.INTEGER),
        /** {@code rtr_vrf_id}. */
        RTR_VRF_ID(FieldKind.INTEGER),
        /** {@code rtr_prefix}. */
        RTR_PREFIX(FieldKind.BYTES),
        /** {@code rtr_prefix_len}. */
        RTR_PREFIX_LEN(FieldKind.INTEGER),
        /** {@code rtr_replace_plen}. */
        RTR_REPLACE_PLEN(FieldKind.INTEGER),
        /** {@code rtr_nh_id}. */
        RTR_NH_ID(FieldKind.INTEGER),
        /** {@code rtr_label_flags}. */
        RTR_LABEL_FLAGS(FieldKind.INTEGER),
        /** {@code rtr_label}. */
        RTR_LABEL(FieldKind.INTEGER),
        /** {@code rtr_mac}. */
        RTR_MAC(FieldKind.BYTES),
        /** {@code rtr_marker}: Contrail's, accepted and not used. */
        RTR_MARKER(FieldKind.BYTES);

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
     * A DUMP of one family of a VRF.
     *
     * @param family an {@link AddressFamily}.
     * @param vrf    the VRF.
     * @return the request.
     */
    public static RouteRequest dump(final int family, final int vrf)
    {
        return builder().op(Op.DUMP).family(family).vrfId(vrf).build();
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
     * Whether the route carries a label ({@link RouteFlags#LABEL_VALID}).
     *
     * @return true when labelled.
     */
    public boolean labelled()
    {
        return (labelFlags & RouteFlags.LABEL_VALID) != 0;
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static RouteRequest from(final SandeshObject o) throws RequestException
    {
        return new RouteRequest(
            o.op(),
            Mapping.optional(o, Field.RTR_FAMILY),
            Mapping.integer(o, Field.RTR_VRF_ID, 0),
            Mapping.bytes(o, Field.RTR_PREFIX),
            Mapping.integer(o, Field.RTR_PREFIX_LEN, -1),
            Mapping.integer(o, Field.RTR_REPLACE_PLEN, -1),
            Mapping.optional(o, Field.RTR_NH_ID),
            Mapping.integer(o, Field.RTR_LABEL_FLAGS, 0),
            Mapping.optional(o, Field.RTR_LABEL),
            Mapping.mac(o, Field.RTR_MAC, NO_MAC));
    }

    /**
     * {@inheritDoc}
     * <p>
     * Every op: a known family and a VRF not negative. Inet and inet6, except DUMP: a prefix of the
     * family's width; ADD and DELETE: a length within it; DELETE: a covering length shorter than the
     * route's, or -1; ADD and a DELETE with a covering route: a next hop, label flags within L|P|T|F|Ml,
     * and with L an MPLS label. Bridge, except DUMP: the MAC; ADD: a next hop, label flags within 8 bits,
     * and with L a 24-bit label (0 when not given).
     */
    @Override
    public void validate() throws RequestException
    {
        Mapping.required(Field.RTR_FAMILY, family);
        if (!AddressFamily.isKnown(family))
        {
            throw Mapping.invalid(Field.RTR_FAMILY, "invalid family " + family);
        }
        Mapping.range(Field.RTR_VRF_ID, vrfId, 0, Integer.MAX_VALUE);
        if (op == Op.DUMP)
        {
            return;
        }
        if (mac != NO_MAC && (mac >>> 48) != 0)
        {
            throw Mapping.invalid(Field.RTR_MAC, "a MAC has 48 bits");
        }
        if (family == AddressFamily.BRIDGE)
        {
            if (mac == NO_MAC)
            {
                throw Mapping.invalid(Field.RTR_MAC, "a bridge route needs a 6-byte MAC");
            }
            if (op == Op.ADD)
            {
                Mapping.required(Field.RTR_NH_ID, nhId);
                Mapping.range(Field.RTR_LABEL_FLAGS, labelFlags, 0, MAX_BRIDGE_LABEL_FLAGS);
                if (labelled() && label != UNSET)
                {
                    Mapping.range(Field.RTR_LABEL, label, 0, RouteFlags.NO_LABEL);
                }
            }
            return;
        }
        final int maxPlen = maxPrefixLength(family);
        if (prefix.length != maxPlen / 8)
        {
            throw Mapping.invalid(Field.RTR_PREFIX, "family " + family + " needs " + maxPlen / 8 + " bytes, got "
                + prefix.length);
        }
        if (op == Op.ADD || op == Op.DELETE)
        {
            Mapping.range(Field.RTR_PREFIX_LEN, prefixLen, 0, maxPlen);
        }
        if (op == Op.DELETE)
        {
            Mapping.range(Field.RTR_REPLACE_PLEN, replacePlen, -1, maxPlen);
            if (replacePlen >= prefixLen)
            {
                throw Mapping.invalid(Field.RTR_REPLACE_PLEN, replacePlen + " does not cover a /" + prefixLen);
            }
        }
        if (op == Op.ADD || op == Op.DELETE && replacePlen >= 0)
        {
            Mapping.required(Field.RTR_NH_ID, nhId);
            Mapping.range(Field.RTR_LABEL_FLAGS, labelFlags, 0, MAX_INET_LABEL_FLAGS);
            if (labelled())
            {
                Mapping.required(Field.RTR_LABEL, label);
                Mapping.range(Field.RTR_LABEL, label, 0, RouteFlags.MAX_MPLS_LABEL);
            }
        }
    }

    /** The longest prefix of an inet family: 32 or 128. */
    private static int maxPrefixLength(final int family)
    {
        return family == AddressFamily.INET ? 32 : 128;
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code h_op} unless ADD, the VRF and the label flags always; every other field when given.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        if (family != UNSET)
        {
            o.put(Field.RTR_FAMILY, family);
        }
        o.put(Field.RTR_VRF_ID, vrfId);
        if (prefix.length > 0)
        {
            o.put(Field.RTR_PREFIX, prefix.clone());
        }
        if (prefixLen != -1)
        {
            o.put(Field.RTR_PREFIX_LEN, prefixLen);
        }
        if (replacePlen != -1)
        {
            o.put(Field.RTR_REPLACE_PLEN, replacePlen);
        }
        if (nhId != UNSET)
        {
            o.put(Field.RTR_NH_ID, nhId);
        }
        o.put(Field.RTR_LABEL_FLAGS, labelFlags);
        if (label != UNSET)
        {
            o.put(Field.RTR_LABEL, label);
        }
        if (mac != NO_MAC)
        {
            o.put(Field.RTR_MAC, Requests.macBytes(mac));
        }
        return o;
    }

    /**
     * Equal when every field is (the prefix by content).
     *
     * @param other another object.
     * @return true when equal.
     */
    @Override
    public boolean equals(final Object other)
    {
        return other instanceof RouteRequest r && toSandesh().equals(r.toSandesh());
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

    /** Builds a {@link RouteRequest}; starts with op ADD and nothing else set. */
    public static final class Builder
    {
        private Op op = Op.ADD;
        private int family = UNSET;
        private int vrfId;
        private byte[] prefix = new byte[0];
        private int prefixLen = -1;
        private int replacePlen = -1;
        private int nhId = UNSET;
        private int labelFlags;
        private int label = UNSET;
        private long mac = NO_MAC;

        private Builder()
        {
        }

        private Builder(final RouteRequest r)
        {
            op = r.op;
            family = r.family;
            vrfId = r.vrfId;
            prefix = r.prefix;
            prefixLen = r.prefixLen;
            replacePlen = r.replacePlen;
            nhId = r.nhId;
            labelFlags = r.labelFlags;
            label = r.label;
            mac = r.mac;
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
         * Sets {@code rtr_family}.
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
         * Sets {@code rtr_vrf_id}.
         *
         * @param v the VRF.
         * @return this.
         */
        public Builder vrfId(final int v)
        {
            vrfId = v;
            return this;
        }

        /**
         * Sets {@code rtr_prefix} and {@code rtr_prefix_len}.
         *
         * @param address 4 or 16 bytes (not copied).
         * @param length  the prefix length.
         * @return this.
         */
        public Builder prefix(final byte[] address, final int length)
        {
            prefix = address;
            prefixLen = length;
            return this;
        }

        /**
         * Sets {@code rtr_replace_plen}.
         *
         * @param v the covering route's length, -1 for none.
         * @return this.
         */
        public Builder replacePlen(final int v)
        {
            replacePlen = v;
            return this;
        }

        /**
         * Sets {@code rtr_nh_id}.
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
         * Sets {@code rtr_label_flags}.
         *
         * @param v {@link RouteFlags}.
         * @return this.
         */
        public Builder labelFlags(final int v)
        {
            labelFlags = v;
            return this;
        }

        /**
         * Sets {@code rtr_label}.
         *
         * @param v the label or VNI.
         * @return this.
         */
        public Builder label(final int v)
        {
            label = v;
            return this;
        }

        /**
         * Sets {@code rtr_mac}.
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
         * The record.
         *
         * @return a new record.
         */
        public RouteRequest build()
        {
            return new RouteRequest(op, family, vrfId, prefix, prefixLen, replacePlen, nhId, labelFlags, label, mac);
        }
    }
}
