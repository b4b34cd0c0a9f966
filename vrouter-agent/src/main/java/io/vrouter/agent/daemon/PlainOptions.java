package io.vrouter.agent.daemon;

import java.lang.reflect.Field;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import picocli.CommandLine.Option;

/**
 * The daemon's command line read without picocli when it is nothing but its own options with plain values,
 * as every start by a supervisor or the lab is: picocli's model of a command (about 170 classes compiled for
 * Java 5, which the JVM's AOT cache cannot keep, and a reflective walk of the annotations) costs 150 to 250 ms
 * of a start that a restart without the controller waits for (ADR 0010). The options are those the
 * {@link Option} annotations of the command declare, read here from the same annotations, so there is one
 * declaration. Anything else (help, version, an unknown or repeated option, a value that is missing, starts with
 * {@code -} or is not a plain number) is left to picocli, which answers it with its own messages; the fields
 * are then set by picocli alone, on a fresh object.
 */
final class PlainOptions
{
    private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,8}");

    private PlainOptions()
    {
    }

    /**
     * Sets the command's option fields from the arguments, or says that picocli must read them.
     *
     * @param command the command object, its fields annotated with {@link Option}.
     * @param args    the command line.
     * @return true when every argument was read; false when picocli must read the command line (the fields may
     *         then be partly set: use a fresh object).
     */
    static boolean read(final Object command, final String[] args)
    {
        final Map<String, Field> byName = new HashMap<>();
        for (final Field f : command.getClass().getDeclaredFields())
        {
            final Option o = f.getAnnotation(Option.class);
            if (o != null)
            {
                for (final String n : o.names())
                {
                    byName.put(n, f);
                }
            }
        }
        final Set<Field> seen = new HashSet<>();
        int i = 0;
        while (i < args.length)
        {
            final String a = args[i++];
            final int eq = a.startsWith("--") ? a.indexOf('=') : -1;
            final Field f = byName.get(eq < 0 ? a : a.substring(0, eq));
            if (f == null || (!seen.add(f) && f.getType() != List.class))
            {
                return false;
            }
            try
            {
                if (f.getType() == boolean.class)
                {
                    if (eq >= 0)
                    {
                        return false;
                    }
                    f.setBoolean(command, true);
                    continue;
                }
                final String value = eq >= 0 ? a.substring(eq + 1) : i < args.length ? args[i++] : null;
                if (value == null || value.startsWith("-") || !set(command, f, value))
                {
                    return false;
                }
            }
            catch (final IllegalAccessException e)
            {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static boolean set(final Object command, final Field f, final String value) throws IllegalAccessException
    {
        final Class<?> type = f.getType();
        if (type == String.class)
        {
            f.set(command, value);
        }
        else if (type == Integer.class)
        {
            if (!NUMBER.matcher(value).matches())
            {
                return false;
            }
            f.set(command, Integer.valueOf(value));
        }
        else if (type == Path.class)
        {
            try
            {
                f.set(command, Path.of(value));
            }
            catch (final InvalidPathException e)
            {
                return false;
            }
        }
        else if (type == List.class)
        {
            ((List<String>)f.get(command)).add(value);
        }
        else
        {
            return false;
        }
        return true;
    }
}
