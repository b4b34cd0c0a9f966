package io.vrouter.core.request;

import java.util.Locale;

/**
 * {@code vr_capture_req} (this project's; Contrail's {@code vifdump}): ADD starts a capture of one
 * interface's received and sent frames into a pcap file the daemon writes, ending after
 * {@code cap_count} frames; GET answers whether it runs and how many frames it took; DELETE stops it.
 *
 * @param op       {@code h_op}.
 * @param vif      {@code cap_vif}: the interface (ADD).
 * @param count    {@code cap_count}: frames to capture (ADD), at least 1.
 * @param file     {@code cap_file}: the pcap file's absolute path (ADD).
 * @param captured {@code cap_captured} (answers): frames written so far.
 * @param running  {@code cap_running} (answers): 1 while the capture runs.
 */
public record CaptureRequest(Op op, int vif, long count, String file, long captured, int running)
    implements SandeshRecord
{
    /** The struct name. */
    public static final String TYPE = "vr_capture_req";

    /**
     * A record; a null file reads as empty.
     *
     * @param op       {@code h_op}.
     * @param vif      {@code cap_vif}.
     * @param count    {@code cap_count}.
     * @param file     {@code cap_file}.
     * @param captured {@code cap_captured}.
     * @param running  {@code cap_running}.
     */
    public CaptureRequest
    {
        file = file == null ? "" : file;
    }

    /** The fields of {@code vr_capture_req}. */
    public enum Field implements SandeshField
    {
        /** {@code cap_vif}. */
        CAP_VIF(FieldKind.INTEGER),
        /** {@code cap_count}. */
        CAP_COUNT(FieldKind.INTEGER),
        /** {@code cap_file}. */
        CAP_FILE(FieldKind.STRING),
        /** {@code cap_captured}. */
        CAP_CAPTURED(FieldKind.INTEGER),
        /** {@code cap_running}. */
        CAP_RUNNING(FieldKind.INTEGER);

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
     * Starts a capture.
     *
     * @param vif   the interface.
     * @param count frames.
     * @param file  absolute path of the pcap file.
     * @return the request.
     */
    public static CaptureRequest start(final int vif, final long count, final String file)
    {
        return new CaptureRequest(Op.ADD, vif, count, file, 0, 0);
    }

    /**
     * A GET (status) or a DELETE (stop).
     *
     * @param op the op.
     * @return the request.
     */
    public static CaptureRequest of(final Op op)
    {
        return new CaptureRequest(op, -1, 0, "", 0, 0);
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    static CaptureRequest from(final SandeshObject o) throws RequestException
    {
        return new CaptureRequest(o.op(), Mapping.integer(o, Field.CAP_VIF, -1),
            Mapping.int64(o, Field.CAP_COUNT, 0), Mapping.string(o, Field.CAP_FILE, ""),
            Mapping.int64(o, Field.CAP_CAPTURED, 0), Mapping.integer(o, Field.CAP_RUNNING, 0));
    }

    /**
     * {@inheritDoc}
     * <p>
     * ADD: a vif of 0 or more, a count of at least 1, an absolute file path. GET, DELETE: nothing.
     */
    @Override
    public void validate() throws RequestException
    {
        switch (op)
        {
            case ADD:
                Mapping.range(Field.CAP_VIF, vif, 0, Integer.MAX_VALUE);
                Mapping.range(Field.CAP_COUNT, count, 1, Long.MAX_VALUE);
                if (!file.startsWith("/"))
                {
                    throw Mapping.invalid(Field.CAP_FILE, "'" + file + "' is not an absolute path");
                }
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
        return o.put(Field.CAP_VIF, vif)
            .put(Field.CAP_COUNT, count)
            .put(Field.CAP_FILE, file)
            .put(Field.CAP_CAPTURED, captured)
            .put(Field.CAP_RUNNING, running);
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }
}
