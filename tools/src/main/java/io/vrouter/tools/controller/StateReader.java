package io.vrouter.tools.controller;

import java.util.List;
import java.util.Map;

/**
 * Typed access to a parsed YAML tree that names what is wrong: every refusal is an
 * {@link IllegalArgumentException} whose message starts with the field's path
 * ({@code networks[2].cidr: ...}), so a bad state file is reported as file, field and reason.
 */
final class StateReader
{
    private StateReader()
    {
    }

    static IllegalArgumentException refuse(final String path, final String reason)
    {
        return new IllegalArgumentException(path + ": " + reason);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(final Object value, final String path)
    {
        if (!(value instanceof Map<?, ?>))
        {
            throw refuse(path, "expected a mapping, got " + describe(value));
        }
        return (Map<String, Object>)value;
    }

    static List<?> list(final Map<String, Object> m, final String key, final String path)
    {
        final Object v = m.get(key);
        if (!(v instanceof List<?> l))
        {
            throw refuse(path + key, "expected a list, got " + describe(v));
        }
        return l;
    }

    static String string(final Map<String, Object> m, final String key, final String path, final boolean blankOk)
    {
        final Object v = m.get(key);
        if (!(v instanceof String s))
        {
            throw refuse(path + key, "expected a string, got " + describe(v));
        }
        if (!blankOk && s.isBlank())
        {
            throw refuse(path + key, "must not be empty");
        }
        return s;
    }

    static int integer(final Map<String, Object> m, final String key, final String path, final long min,
        final long max)
    {
        final Object v = m.get(key);
        if (!(v instanceof Integer i))
        {
            throw refuse(path + key, "expected an integer, got " + describe(v));
        }
        if (i < min || i > max)
        {
            throw refuse(path + key, i + " is outside " + min + ".." + max);
        }
        return i;
    }

    static boolean bool(final Map<String, Object> m, final String key, final String path)
    {
        final Object v = m.get(key);
        if (!(v instanceof Boolean b))
        {
            throw refuse(path + key, "expected true or false, got " + describe(v));
        }
        return b;
    }

    static String describe(final Object v)
    {
        if (v == null)
        {
            return "nothing";
        }
        final String text = String.valueOf(v);
        return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " '" +
            (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
}
