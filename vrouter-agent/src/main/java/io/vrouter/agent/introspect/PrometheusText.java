package io.vrouter.agent.introspect;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes metrics in the Prometheus text exposition format (version 0.0.4): per metric family a
 * {@code # HELP} and a {@code # TYPE} line, then its samples, label values escaped. Used by the node's
 * introspect {@code /metrics} and by the controller's admin {@code /metrics}.
 * <p>
 * Names follow Prometheus's conventions and are checked here: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, counters
 * end in {@code _total}, a family is declared once. Not thread-safe; one instance per answer.
 */
public final class PrometheusText
{
    /** The {@code Content-Type} of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final StringBuilder out = new StringBuilder(4096);
    private final Set<String> declared = new HashSet<>();
    private String current;

    /**
     * Starts a counter family (a value that only goes up; the name ends in {@code _total}).
     *
     * @param name the name.
     * @param help what it counts.
     * @return this.
     */
    public PrometheusText counter(final String name, final String help)
    {
        if (!name.endsWith("_total"))
        {
            throw new IllegalArgumentException("counter " + name + " does not end in _total");
        }
        return family(name, "counter", help);
    }

    /**
     * Starts a gauge family (a value that goes up and down).
     *
     * @param name the name.
     * @param help what it measures.
     * @return this.
     */
    public PrometheusText gauge(final String name, final String help)
    {
        if (name.endsWith("_total"))
        {
            throw new IllegalArgumentException("gauge " + name + " ends in _total");
        }
        return family(name, "gauge", help);
    }

    private PrometheusText family(final String name, final String type, final String help)
    {
        if (!NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("bad metric name " + name);
        }
        if (!declared.add(name))
        {
            throw new IllegalArgumentException("metric " + name + " declared twice");
        }
        current = name;
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++)
        {
            final char c = help.charAt(i);
            if (c == '\\')
            {
                out.append("\\\\");
            }
            else if (c == '\n')
            {
                out.append("\\n");
            }
            else
            {
                out.append(c);
            }
        }
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /**
     * A sample of the current family.
     *
     * @param value  the value.
     * @param labels label names and values, alternating.
     * @return this.
     */
    public PrometheusText sample(final long value, final String... labels)
    {
        if (current == null)
        {
            throw new IllegalStateException("sample before any family");
        }
        if (labels.length % 2 != 0)
        {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        for (int i = 0; i < labels.length; i += 2)
        {
            if (!LABEL.matcher(labels[i]).matches() || labels[i].startsWith("__"))
            {
                throw new IllegalArgumentException("bad label name " + labels[i]);
            }
        }
        out.append(current);
        if (labels.length > 0)
        {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2)
            {
                out.append(i == 0 ? "" : ",").append(labels[i]).append("=\"");
                escape(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    private void escape(final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    @Override
    public String toString()
    {
        return out.toString();
    }
}
