package io.vrouter.core.request;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One programming object as Contrail's agent sends it: a sandesh struct name
 * ({@code vr_interface_req}, {@code vr_nexthop_req}, ...) and its fields by their sandesh names.
 * <p>
 * Field values are {@link Long} (every integer type), {@code byte[]} (byte lists: MACs,
 * {@code nhr_encap}, {@code rtr_prefix}), {@code long[]} (integer lists) or {@link String}. This is
 * the control-side model shared by the replay harness, the control socket and the tools; it is
 * never on the per-packet path.
 */
public final class SandeshObject
{
    private final String type;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    /**
     * An empty object of a type.
     *
     * @param type sandesh struct name.
     */
    public SandeshObject(final String type)
    {
        this.type = type;
    }

    /**
     * The struct name.
     *
     * @return e.g. {@code vr_route_req}.
     */
    public String type()
    {
        return type;
    }

    /**
     * Sets a field.
     *
     * @param name  sandesh field name.
     * @param value Long, byte[], long[] or String.
     * @return this.
     */
    public SandeshObject put(final String name, final Object value)
    {
        if (!(value instanceof Long || value instanceof byte[] || value instanceof long[] || value instanceof String))
        {
            throw new IllegalArgumentException("unsupported value type for " + name + ": " + value);
        }
        fields.put(name, value);
        return this;
    }

    /**
     * Sets an integer field.
     *
     * @param name  field.
     * @param value value.
     * @return this.
     */
    public SandeshObject put(final String name, final long value)
    {
        fields.put(name, value);
        return this;
    }

    /**
     * Sets a field by its descriptor.
     *
     * @param field the field.
     * @param value Long, byte[], long[] or String.
     * @return this.
     */
    public SandeshObject put(final SandeshField field, final Object value)
    {
        return put(field.fieldName(), value);
    }

    /**
     * Sets an integer field by its descriptor.
     *
     * @param field the field.
     * @param value value.
     * @return this.
     */
    public SandeshObject put(final SandeshField field, final long value)
    {
        return put(field.fieldName(), value);
    }

    /**
     * Whether the field is present.
     *
     * @param name field.
     * @return true if set.
     */
    public boolean has(final String name)
    {
        return fields.containsKey(name);
    }

    /**
     * The raw value.
     *
     * @param name field.
     * @return the value or null.
     */
    public Object get(final String name)
    {
        return fields.get(name);
    }

    /**
     * All fields in insertion order.
     *
     * @return an unmodifiable view.
     */
    public Map<String, Object> fields()
    {
        return Collections.unmodifiableMap(fields);
    }

    /**
     * An integer field, or a default when absent.
     *
     * @param name         field.
     * @param defaultValue value when absent.
     * @return the value.
     * @throws RequestException if present but not an integer.
     */
    public long getLong(final String name, final long defaultValue) throws RequestException
    {
        final Object v = fields.get(name);
        if (v == null)
        {
            return defaultValue;
        }
        if (v instanceof Long)
        {
            return (Long)v;
        }
        if (v instanceof long[] && ((long[])v).length == 1)
        {
            return ((long[])v)[0];
        }
        throw new RequestException(Errno.EINVAL, type + "." + name + ": expected an integer");
    }

    /**
     * An integer field that must be present.
     *
     * @param name field.
     * @return the value.
     * @throws RequestException if absent or not an integer.
     */
    public long require(final String name) throws RequestException
    {
        if (!fields.containsKey(name))
        {
            throw new RequestException(Errno.EINVAL, type + "." + name + ": required");
        }
        return getLong(name, 0);
    }

    /**
     * An integer field within a range.
     *
     * @param name         field.
     * @param defaultValue value when absent.
     * @param min          smallest allowed.
     * @param max          largest allowed.
     * @return the value.
     * @throws RequestException if out of range.
     */
    public long getLong(final String name, final long defaultValue, final long min, final long max)
        throws RequestException
    {
        final long v = getLong(name, defaultValue);
        if (v < min || v > max)
        {
            throw new RequestException(
                Errno.EINVAL, type + "." + name + ": " + v + " not in [" + min + ", " + max + "]");
        }
        return v;
    }

    /**
     * A byte-list field.
     *
     * @param name field.
     * @return the bytes or null when absent.
     * @throws RequestException if present but not a byte list.
     */
    public byte[] getBytes(final String name) throws RequestException
    {
        final Object v = fields.get(name);
        if (v == null)
        {
            return null;
        }
        if (v instanceof byte[])
        {
            return (byte[])v;
        }
        throw new RequestException(Errno.EINVAL, type + "." + name + ": expected a byte list");
    }

    /**
     * An integer-list field (a single integer counts as a list of one).
     *
     * @param name field.
     * @return the list, empty when absent.
     * @throws RequestException if present but not integers.
     */
    public long[] getList(final String name) throws RequestException
    {
        final Object v = fields.get(name);
        if (v == null)
        {
            return new long[0];
        }
        if (v instanceof long[])
        {
            return (long[])v;
        }
        if (v instanceof Long)
        {
            return new long[] {(Long)v};
        }
        throw new RequestException(Errno.EINVAL, type + "." + name + ": expected a list of integers");
    }

    /**
     * A string field.
     *
     * @param name         field.
     * @param defaultValue value when absent.
     * @return the string.
     */
    public String getString(final String name, final String defaultValue)
    {
        final Object v = fields.get(name);
        if (v == null)
        {
            return defaultValue;
        }
        if (v instanceof byte[])
        {
            return new String((byte[])v, java.nio.charset.StandardCharsets.UTF_8);
        }
        return String.valueOf(v);
    }

    /**
     * The request op ({@code h_op}), ADD when absent.
     *
     * @return the op.
     * @throws RequestException if the value is not an op.
     */
    public Op op() throws RequestException
    {
        final long code = getLong("h_op", Op.ADD.code());
        for (final Op op : Op.values())
        {
            if (op.code() == code)
            {
                return op;
            }
        }
        throw new RequestException(Errno.EINVAL, type + ".h_op: unknown op " + code);
    }

    /**
     * Renders a field value the way vtest XML writes it.
     *
     * @param value a field value.
     * @return text.
     */
    public static String format(final Object value)
    {
        if (value instanceof byte[])
        {
            final byte[] b = (byte[])value;
            final StringBuilder sb = new StringBuilder();
            for (int i = 0; i < b.length; i++)
            {
                if (i > 0)
                {
                    sb.append(':');
                }
                sb.append(String.format("%02x", b[i] & 0xFF));
            }
            return sb.toString();
        }
        if (value instanceof long[])
        {
            final long[] l = (long[])value;
            final StringBuilder sb = new StringBuilder();
            for (int i = 0; i < l.length; i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                sb.append(l[i]);
            }
            return sb.toString();
        }
        return String.valueOf(value);
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof SandeshObject))
        {
            return false;
        }
        final SandeshObject other = (SandeshObject)o;
        if (!type.equals(other.type) || !fields.keySet().equals(other.fields.keySet()))
        {
            return false;
        }
        for (final Map.Entry<String, Object> e : fields.entrySet())
        {
            if (!Arrays.deepEquals(new Object[] {e.getValue()}, new Object[] {other.fields.get(e.getKey())}))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode()
    {
        return type.hashCode() * 31 + fields.keySet().hashCode();
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(type).append('{');
        boolean first = true;
        for (final Map.Entry<String, Object> e : fields.entrySet())
        {
            if (!first)
            {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getKey()).append('=').append(format(e.getValue()));
        }
        return sb.append('}').toString();
    }
}
