package io.vrouter.core.request;

import java.util.Set;

/**
 * How a sandesh field's value is written in text (vtest XML, the CLI): integers, byte lists
 * (colon-separated hex, e.g. MACs and {@code nhr_encap}), integer lists (comma-separated) or
 * strings. Field names are those of Contrail's {@code vr.sandesh}.
 */
public enum FieldKind
{
    /** Any integer type (i8 to u64), decimal, may be negative. */
    INTEGER,
    /** A byte list: colon-separated hex bytes. */
    BYTES,
    /** A list of integers: comma-separated decimals. */
    LIST,
    /** A string. */
    STRING;

    private static final Set<String> BYTE_FIELDS = Set.of(
        "vifr_mac", "vifr_src_mac", "vifr_in_mirror_md", "vifr_out_mirror_md", "vifr_fat_flow_src_prefix_h",
        "nhr_encap", "nhr_rw_dst_mac", "nhr_tun_sip6", "nhr_tun_dip6", "nhr_pbb_mac",
        "rtr_prefix", "rtr_mac", "rtr_marker",
        "fr_pcap_meta_data", "mirr_vni_md", "vifr_ip6");
    private static final Set<String> LIST_FIELDS = Set.of(
        "nhr_encap_oif_id", "nhr_nh_list", "nhr_label_list", "nhr_encap_valid", "vifr_fat_flow_protocol_port",
        "vifr_queue_ierrors_to_lcore");
    private static final Set<String> STRING_FIELDS = Set.of("vifr_name", "vifr_os_name", "h_op_name");

    /**
     * The kind of a field by its sandesh name.
     *
     * @param field field name.
     * @return its kind; unknown fields are integers.
     */
    public static FieldKind of(final String field)
    {
        if (BYTE_FIELDS.contains(field))
        {
            return BYTES;
        }
        if (LIST_FIELDS.contains(field))
        {
            return LIST;
        }
        if (STRING_FIELDS.contains(field))
        {
            return STRING;
        }
        return INTEGER;
    }

    /**
     * {@code vr_flow_req.fr_op} by Contrail's name ({@code flow_set}, {@code flow_list},
     * {@code flow_table_get}) or number.
     */
    private static long flowOp(final String text)
    {
        switch (text.toLowerCase(java.util.Locale.ROOT))
        {
            case "flow_set":
                return 0;
            case "flow_list":
                return 1;
            case "flow_table_get":
                return 2;
            default:
                return Long.decode(text);
        }
    }

    /**
     * Parses a field's text into a {@link SandeshObject} value.
     *
     * @param field field name.
     * @param text  the text.
     * @return Long, byte[], long[] or String.
     * @throws RequestException with EINVAL naming the field if the text does not parse.
     */
    public static Object parse(final String field, final String text) throws RequestException
    {
        final String t = text.trim();
        try
        {
            if ("h_op".equals(field))
            {
                return (long)Op.parse(t).code();
            }
            if ("fr_op".equals(field))
            {
                return flowOp(t);
            }
            switch (of(field))
            {
                case BYTES:
                {
                    if (t.isEmpty())
                    {
                        return new byte[0];
                    }
                    final String[] parts = t.split(":");
                    final byte[] b = new byte[parts.length];
                    for (int i = 0; i < parts.length; i++)
                    {
                        final int v = Integer.parseInt(parts[i].trim(), 16);
                        if (v < 0 || v > 255)
                        {
                            throw new NumberFormatException("byte out of range: " + parts[i]);
                        }
                        b[i] = (byte)v;
                    }
                    return b;
                }
                case LIST:
                {
                    if (t.isEmpty())
                    {
                        return new long[0];
                    }
                    final String[] parts = t.split(",");
                    final long[] l = new long[parts.length];
                    for (int i = 0; i < parts.length; i++)
                    {
                        l[i] = Long.parseLong(parts[i].trim());
                    }
                    return l;
                }
                case STRING:
                    return t;
                default:
                    return Long.decode(t);
            }
        }
        catch (final IllegalArgumentException e)
        {
            throw new RequestException(Errno.EINVAL, field + ": cannot parse '" + text + "': " + e.getMessage());
        }
    }
}
