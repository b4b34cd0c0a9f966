package io.vrouter.core.request;

import java.util.function.Function;

/**
 * One object as read at an edge (a control-socket frame, a vtest message): the typed record, or the
 * refusal that reading it met. A refusal is answered like any other (its errno and message), in
 * its place among the requests around it.
 *
 * @param source  the object as read.
 * @param record  the validated record, or null when refused.
 * @param refusal why it was refused, or null.
 */
public record Parsed(SandeshObject source, SandeshRecord record, RequestException refusal)
{
    /**
     * Reads an object.
     *
     * @param o the object.
     * @return its record, or its refusal.
     */
    public static Parsed of(final SandeshObject o)
    {
        try
        {
            return new Parsed(o, SandeshRecord.parse(o), null);
        }
        catch (final RequestException e)
        {
            return new Parsed(o, null, e);
        }
    }

    /**
     * Whether it was read.
     *
     * @return true when {@link #record()} is set.
     */
    public boolean ok()
    {
        return record != null;
    }

    /**
     * The answer to the object: the refusal, or what programming the record answers.
     *
     * @param program applies a record (e.g. {@code VRouter::program}).
     * @return the answer.
     */
    public Response answer(final Function<? super SandeshRecord, Response> program)
    {
        return record != null ? program.apply(record) : Response.error(refusal);
    }
}
