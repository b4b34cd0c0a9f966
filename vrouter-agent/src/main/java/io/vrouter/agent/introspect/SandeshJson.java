package io.vrouter.agent.introspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.request.SandeshRecord;

/**
 * JSON for sandesh objects, the same for the introspect and {@code vrouterctl --json}: one JSON
 * object per sandesh object with {@code "type"} and every field by its sandesh name; integers as
 * numbers, integer lists as arrays, strings as strings and byte lists as colon-separated hex
 * (as vtest XML writes them, e.g. {@code "rtr_prefix": "0a:00:00:00"}). A typed record is written as
 * its {@link SandeshObject} ({@link SandeshRecord#toSandesh()}).
 */
public final class SandeshJson
{
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SandeshJson()
    {
    }

    /**
     * The shared mapper (pretty-printing).
     *
     * @return the mapper.
     */
    public static ObjectMapper mapper()
    {
        return MAPPER;
    }

    /**
     * One object as a JSON-ready map.
     *
     * @param o the object.
     * @return {@code type} then the fields.
     */
    public static Map<String, Object> toMap(final SandeshObject o)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", o.type());
        for (final Map.Entry<String, Object> f : o.fields().entrySet())
        {
            final Object v = f.getValue();
            m.put(f.getKey(), v instanceof byte[] ? SandeshObject.format(v) : v);
        }
        return m;
    }

    /**
     * One record as a JSON-ready map.
     *
     * @param r the record.
     * @return {@code type} then the fields.
     */
    public static Map<String, Object> toMap(final SandeshRecord r)
    {
        return toMap(r.toSandesh());
    }

    /**
     * Records as JSON-ready maps.
     *
     * @param records the records.
     * @return the maps.
     */
    public static List<Map<String, Object>> toMaps(final List<? extends SandeshRecord> records)
    {
        final List<Map<String, Object>> out = new ArrayList<>(records.size());
        for (final SandeshRecord r : records)
        {
            out.add(toMap(r));
        }
        return out;
    }

    /**
     * Writes a value as pretty JSON.
     *
     * @param value maps, lists, numbers, strings.
     * @return the text, ending with a newline.
     */
    public static String write(final Object value)
    {
        try
        {
            return MAPPER.writeValueAsString(value) + "\n";
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalArgumentException("cannot render JSON: " + e.getMessage(), e);
        }
    }
}
