package io.vrouter.core.request;

/**
 * What every record's mapping from a {@link SandeshObject} shares: reading a field into a Java type
 * (refusing a value of the wrong kind or one that does not fit, naming the field) and the refusals
 * its validation throws. Refusals are {@code EINVAL} with the message {@code struct.field: reason},
 * as the programming path has always answered.
 */
final class Mapping
{
    private Mapping()
    {
    }

    /**
     * A 32-bit integer field, signed or unsigned on the wire ({@code -1} and {@code 4294967295} are
     * the same bits).
     */
    static int integer(final SandeshObject o, final SandeshField f, final int absent) throws RequestException
    {
        if (!o.has(f.fieldName()))
        {
            return absent;
        }
        final long v = o.getLong(f.fieldName(), 0);
        if (v < Integer.MIN_VALUE || v > 0xFFFFFFFFL)
        {
            throw invalid(f, v + " does not fit 32 bits");
        }
        return (int)v;
    }

    /** A 32-bit integer field that is unsigned on the wire: a negative value is refused. */
    static int unsigned32(final SandeshObject o, final SandeshField f, final int absent) throws RequestException
    {
        if (!o.has(f.fieldName()))
        {
            return absent;
        }
        final long v = o.getLong(f.fieldName(), 0);
        range(f, v, 0, 0xFFFFFFFFL);
        return (int)v;
    }

    /**
     * A 32-bit integer field whose absence means something: {@link SandeshRecord#UNSET} when absent;
     * the one value that would read as "absent" is refused when given.
     */
    static int optional(final SandeshObject o, final SandeshField f) throws RequestException
    {
        final int v = integer(o, f, SandeshRecord.UNSET);
        if (v == SandeshRecord.UNSET && o.has(f.fieldName()))
        {
            throw invalid(f, o.getLong(f.fieldName(), 0) + " is not a valid value");
        }
        return v;
    }

    /** A 64-bit integer field. */
    static long int64(final SandeshObject o, final SandeshField f, final long absent) throws RequestException
    {
        return o.getLong(f.fieldName(), absent);
    }

    /** A byte-list field, empty when absent (a copy: the record does not share the object's array). */
    static byte[] bytes(final SandeshObject o, final SandeshField f) throws RequestException
    {
        final byte[] b = o.getBytes(f.fieldName());
        return b == null ? new byte[0] : b.clone();
    }

    /** A MAC field: 6 bytes, read into the low 48 bits. */
    static long mac(final SandeshObject o, final SandeshField f, final long absent) throws RequestException
    {
        final byte[] b = o.getBytes(f.fieldName());
        if (b == null)
        {
            return absent;
        }
        if (b.length != 6)
        {
            throw invalid(f, "a MAC has 6 bytes, got " + b.length);
        }
        return Requests.mac(b, 0);
    }

    /** An integer-list field of 32-bit values, empty when absent, at most {@link Requests#MAX_LIST} long. */
    static int[] ints(final SandeshObject o, final SandeshField f) throws RequestException
    {
        final long[] l = o.getList(f.fieldName());
        if (l.length > Requests.MAX_LIST)
        {
            throw invalid(f, "has " + l.length + " elements, at most " + Requests.MAX_LIST);
        }
        final int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++)
        {
            if (l[i] < Integer.MIN_VALUE || l[i] > 0xFFFFFFFFL)
            {
                throw invalid(f, "element " + i + " (" + l[i] + ") does not fit 32 bits");
            }
            out[i] = (int)l[i];
        }
        return out;
    }

    /** A string field. */
    static String string(final SandeshObject o, final SandeshField f, final String absent)
    {
        return o.getString(f.fieldName(), absent);
    }

    /** An int list as the {@code long[]} a {@link SandeshObject} holds. */
    static long[] longs(final int[] values)
    {
        final long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = values[i];
        }
        return out;
    }

    /** A refusal of a field: EINVAL, naming it. */
    static RequestException invalid(final SandeshField f, final String why)
    {
        return new RequestException(Errno.EINVAL, f.path() + ": " + why);
    }

    /** Refuses a field that must be given and was not. */
    static void required(final SandeshField f, final int value) throws RequestException
    {
        if (value == SandeshRecord.UNSET)
        {
            throw invalid(f, "required");
        }
    }

    /** Refuses a value outside {@code [min, max]}. */
    static void range(final SandeshField f, final long value, final long min, final long max)
        throws RequestException
    {
        if (value < min || value > max)
        {
            throw invalid(f, value + " not in [" + min + ", " + max + "]");
        }
    }
}
