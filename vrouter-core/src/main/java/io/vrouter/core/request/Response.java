package io.vrouter.core.request;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to one request: Contrail's {@code vr_response.resp_code} and, for GET and DUMP,
 * the objects returned. A refusal carries a message naming the field that was wrong.
 *
 * @param code    0, a count for DUMP, or a negative errno.
 * @param message human-readable reason for a refusal, empty on success.
 * @param objects objects returned by GET/DUMP.
 */
public record Response(int code, String message, List<SandeshRecord> objects)
{
    /**
     * Success without objects.
     *
     * @return the response.
     */
    public static Response ok()
    {
        return new Response(0, "", List.of());
    }

    /**
     * Success with objects.
     *
     * @param code    0 or a count.
     * @param objects the objects.
     * @return the response.
     */
    public static Response of(final int code, final List<? extends SandeshRecord> objects)
    {
        return new Response(code, "", List.copyOf(objects));
    }

    /**
     * A refusal.
     *
     * @param e the validation failure.
     * @return the response.
     */
    public static Response error(final RequestException e)
    {
        return new Response(e.code(), e.getMessage(), List.of());
    }

    /**
     * The objects, each of a type the caller knows the request answers with.
     *
     * @param type the record type.
     * @param <T>  the record type.
     * @return the objects.
     * @throws ClassCastException if one is of another type.
     */
    public <T extends SandeshRecord> List<T> objects(final Class<T> type)
    {
        final List<T> out = new ArrayList<>(objects.size());
        for (final SandeshRecord o : objects)
        {
            out.add(type.cast(o));
        }
        return out;
    }

    /**
     * The first object (the answer of a GET), of a type the caller knows.
     *
     * @param type the record type.
     * @param <T>  the record type.
     * @return the object.
     * @throws IndexOutOfBoundsException if there is none.
     * @throws ClassCastException        if it is of another type.
     */
    public <T extends SandeshRecord> T first(final Class<T> type)
    {
        return type.cast(objects.get(0));
    }
}
