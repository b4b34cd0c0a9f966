package io.vrouter.core.request;

import java.util.HashMap;
import java.util.Map;

/**
 * How a sandesh field's value is written in text (vtest XML, the CLI): integers, byte lists
 * (colon-separated hex, e.g. MACs and {@code nhr_encap}), integer lists (comma-separated) or
 * strings. Which field has which kind is declared by its record's field enum ({@link SandeshField});
 * a field no record declares is an integer.
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

    /**
     * The declared field of a struct.
     *
     * @param type  struct name.
     * @param field field name.
     * @return the field, or null when no record declares it.
     */
    public static SandeshField field(final String type, final String field)
    {
        final Map<String, SandeshField> fields = Registry.FIELDS.get(type);
        return fields == null ? null : fields.get(field);
    }

    /**
     * The kind of a field.
     *
     * @param type  struct name.
     * @param field field name.
     * @return its kind; undeclared fields are integers.
     */
    public static FieldKind of(final String type, final String field)
    {
        final SandeshField f = field(type, field);
        return f == null ? INTEGER : f.kind();
    }

    /**
     * Parses a field's text into a {@link SandeshObject} value.
     *
     * @param type  struct name.
     * @param field field name.
     * @param text  the text.
     * @return Long, byte[], long[] or String.
     * @throws RequestException with EINVAL naming the field if the text does not parse.
     */
    public static Object parse(final String type, final String field, final String text) throws RequestException
    {
        final String t = text.trim();
        try
        {
            if ("h_op".equals(field))
            {
                return (long)Op.parse(t).code();
            }
            final SandeshField f = field(type, field);
            if (f == FlowRequest.Field.FR_OP)
            {
                return (long)FlowRequest.parseOp(t);
            }
            switch (f == null ? INTEGER : f.kind())
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

    /**
     * Every record's fields by struct and name, built on first use (not in this enum's own
     * initialisation, which the records' field enums need first).
     */
    private static final class Registry
    {
        static final Map<String, Map<String, SandeshField>> FIELDS = build();

        private Registry()
        {
        }

        private static Map<String, Map<String, SandeshField>> build()
        {
            final Map<String, Map<String, SandeshField>> out = new HashMap<>();
            for (final String type : SandeshRecord.TYPES)
            {
                final Map<String, SandeshField> byName = new HashMap<>();
                for (final SandeshField f : SandeshRecord.fields(type))
                {
                    byName.put(f.fieldName(), f);
                }
                out.put(type, Map.copyOf(byName));
            }
            return Map.copyOf(out);
        }
    }
}
