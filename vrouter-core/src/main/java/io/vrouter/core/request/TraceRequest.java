package io.vrouter.core.request;

import java.util.Locale;

/**
 * {@code vr_trace_req} (this project's; VPP's {@code trace add} / {@code show trace}): ADD arms a trace
 * of the next {@code trace_count} packets, only those received on {@code trace_vif} when it is not -1;
 * GET answers the traced packets' text and how many packets the trace still waits for; DELETE disarms
 * it and forgets what it traced.
 *
 * @param op        {@code h_op}.
 * @param count     {@code trace_count}: packets to trace (ADD), 1 to 1000.
 * @param vif       {@code trace_vif}: the interface, or -1 for any.
 * @param remaining {@code trace_remaining} (answers): packets still awaited.
 * @param text      {@code trace_text} (answers): the traced packets, one block each, oldest first.
 */
public record TraceRequest(Op op, int count, int vif, int remaining, String text) implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_trace_req";
    /** Most packets one trace may ask for. */
    public static final int MAX_COUNT = 1000;

    /**
     * A record; a null text reads as empty.
     *
     * @param op        {@code h_op}.
     * @param count     {@code trace_count}.
     * @param vif       {@code trace_vif}.
     * @param remaining {@code trace_remaining}.
     * @param text      {@code trace_text}.
     */
    public TraceRequest
    {
        text = text == null ? "" : text;
    }

    /** The fields of {@code vr_trace_req}. */
    public enum Field implements SandeshField
    {
        /** {@code trace_count}. */
        TRACE_COUNT(FieldKind.INTEGER),
        /** {@code trace_vif}. */
        TRACE_VIF(FieldKind.INTEGER),
        /** {@code trace_remaining}. */
        TRACE_REMAINING(FieldKind.INTEGER),
        /** {@code trace_text}. */
        TRACE_TEXT(FieldKind.STRING);

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
     * Arms a trace.
     *
     * @param count packets.
     * @param vif   interface, or -1 for any.
     * @return the request.
     */
    public static TraceRequest add(final int count, final int vif)
    {
        return new TraceRequest(Op.ADD, count, vif, 0, "");
    }

    /**
     * A GET (show) or a DELETE (clear).
     *
     * @param op the op.
     * @return the request.
     */
    public static TraceRequest of(final Op op)
    {
        return new TraceRequest(op, 0, -1, 0, "");
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static TraceRequest from(final SandeshObject o) throws RequestException
    {
        return new TraceRequest(o.op(), Mapping.integer(o, Field.TRACE_COUNT, 0),
            Mapping.integer(o, Field.TRACE_VIF, -1), Mapping.integer(o, Field.TRACE_REMAINING, 0),
            Mapping.string(o, Field.TRACE_TEXT, ""));
    }

    /**
     * {@inheritDoc}
     * <p>
     * ADD: a count of 1 to {@link #MAX_COUNT}, a vif of -1 or more. GET, DELETE: nothing. Other ops are
     * refused.
     */
    @Override
    public void validate() throws RequestException
    {
        switch (op)
        {
            case ADD:
                Mapping.range(Field.TRACE_COUNT, count, 1, MAX_COUNT);
                Mapping.range(Field.TRACE_VIF, vif, -1, Integer.MAX_VALUE);
                break;
            case GET:
            case DELETE:
            case RESPONSE:
                break;
            default:
                throw new RequestException(Errno.EINVAL, TYPE + ": op " + op.xmlName() + " not supported");
        }
    }

    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE);
        if (op != Op.ADD)
        {
            o.put("h_op", op.code());
        }
        return o.put(Field.TRACE_COUNT, count)
            .put(Field.TRACE_VIF, vif)
            .put(Field.TRACE_REMAINING, remaining)
            .put(Field.TRACE_TEXT, text);
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }
}
