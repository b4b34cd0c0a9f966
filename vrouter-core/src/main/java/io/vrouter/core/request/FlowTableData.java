package io.vrouter.core.request;

import java.util.Locale;

/**
 * {@code vr_flow_table_data}: the answer to {@code flow_table_get}, the flow table's size and
 * counters.
 *
 * @param size     {@code ftable_size}: bytes.
 * @param entries  {@code ftable_entries}: entries in all.
 * @param used     {@code ftable_used_entries}: active entries.
 * @param created  {@code ftable_created}: entries created since start.
 * @param added    {@code ftable_added}.
 * @param deleted  {@code ftable_deleted}.
 * @param changed  {@code ftable_changed}.
 * @param hold     {@code ftable_hold_entries}.
 * @param overflow {@code ftable_oflow_entries}: overflow entries in use.
 * @param filePath {@code ftable_file_path}: the table's file, which {@code flow -l} maps read-only
 *                 (empty for a table without one).
 */
public record FlowTableData(long size, long entries, long used, long created, long added, long deleted,
    long changed, long hold, long overflow, String filePath) implements SandeshRecord
{
    /**
     * A record; a null path is empty.
     *
     * @param size     bytes.
     * @param entries  entries in all.
     * @param used     active entries.
     * @param created  created since start.
     * @param added    added.
     * @param deleted  deleted.
     * @param changed  changed.
     * @param hold     hold entries.
     * @param overflow overflow entries in use.
     * @param filePath the table's file.
     */
    public FlowTableData
    {
        filePath = filePath == null ? "" : filePath;
    }

    /** The struct name. */
    public static final String TYPE = "vr_flow_table_data";

    /** The fields of {@code vr_flow_table_data}. */
    public enum Field implements SandeshField
    {
        /** {@code ftable_size}. */
        FTABLE_SIZE,
        /** {@code ftable_entries}. */
        FTABLE_ENTRIES,
        /** {@code ftable_used_entries}. */
        FTABLE_USED_ENTRIES,
        /** {@code ftable_created}. */
        FTABLE_CREATED,
        /** {@code ftable_added}. */
        FTABLE_ADDED,
        /** {@code ftable_deleted}. */
        FTABLE_DELETED,
        /** {@code ftable_changed}. */
        FTABLE_CHANGED,
        /** {@code ftable_hold_entries}. */
        FTABLE_HOLD_ENTRIES,
        /** {@code ftable_oflow_entries}. */
        FTABLE_OFLOW_ENTRIES,
        /** {@code ftable_file_path}. */
        FTABLE_FILE_PATH;

        private final String fieldName = name().toLowerCase(Locale.ROOT);

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
            return this == FTABLE_FILE_PATH ? FieldKind.STRING : FieldKind.INTEGER;
        }
    }

    @Override
    public String struct()
    {
        return TYPE;
    }

    /**
     * {@inheritDoc}
     * <p>
     * An answer only: ADD, the default.
     */
    @Override
    public Op op()
    {
        return Op.ADD;
    }

    static FlowTableData from(final SandeshObject o) throws RequestException
    {
        return new FlowTableData(
            Mapping.int64(o, Field.FTABLE_SIZE, 0),
            Mapping.int64(o, Field.FTABLE_ENTRIES, 0),
            Mapping.int64(o, Field.FTABLE_USED_ENTRIES, 0),
            Mapping.int64(o, Field.FTABLE_CREATED, 0),
            Mapping.int64(o, Field.FTABLE_ADDED, 0),
            Mapping.int64(o, Field.FTABLE_DELETED, 0),
            Mapping.int64(o, Field.FTABLE_CHANGED, 0),
            Mapping.int64(o, Field.FTABLE_HOLD_ENTRIES, 0),
            Mapping.int64(o, Field.FTABLE_OFLOW_ENTRIES, 0),
            Mapping.string(o, Field.FTABLE_FILE_PATH, ""));
    }

    /**
     * {@inheritDoc}
     * <p>
     * An answer: nothing to check.
     */
    @Override
    public void validate()
    {
    }

    /**
     * {@inheritDoc}
     * <p>
     * Every field, the path when there is one.
     */
    @Override
    public SandeshObject toSandesh()
    {
        final SandeshObject o = new SandeshObject(TYPE)
            .put(Field.FTABLE_SIZE, size)
            .put(Field.FTABLE_ENTRIES, entries)
            .put(Field.FTABLE_USED_ENTRIES, used)
            .put(Field.FTABLE_CREATED, created)
            .put(Field.FTABLE_ADDED, added)
            .put(Field.FTABLE_DELETED, deleted)
            .put(Field.FTABLE_CHANGED, changed)
            .put(Field.FTABLE_HOLD_ENTRIES, hold)
            .put(Field.FTABLE_OFLOW_ENTRIES, overflow);
        if (!filePath.isEmpty())
        {
            o.put(Field.FTABLE_FILE_PATH, filePath);
        }
        return o;
    }

    @Override
    public String toString()
    {
        return toSandesh().toString();
    }
}
