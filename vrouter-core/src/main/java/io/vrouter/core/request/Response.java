package io.vrouter.core.request;

import java.util.List;

/**
 * The answer to one request: Contrail's {@code vr_response.resp_code} and, for GET and DUMP,
 * the objects returned. A refusal carries a message naming the field that was wrong.
 *
 * @param code    0, a count for DUMP, or a negative errno.
 * @param message human-readable reason for a refusal, empty on success.
 * @param objects objects returned by GET/DUMP.
 */
public record Response(int code, String message, List<SandeshObject> objects)
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
    public static Response of(final int code, final List<SandeshObject> objects)
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
}
