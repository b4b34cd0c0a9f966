package io.vrouter.agent.control;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vrouter.core.request.Parsed;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.request.SandeshRecord;

/**
 * The control socket's frames (docs/control.md, "Control socket"): a big-endian {@code u32} length,
 * a 14-byte header (magic {@code 0x5652}, version, frame type, flags, request id) and a body.
 * <p>
 * Two layers: wire bytes to and from {@link SandeshObject}s, the untyped form, and those to and from
 * the typed records ({@link SandeshRecord}) the node applies and answers with
 * ({@link RequestFrame#requests()}, {@link #answer(Response)}, {@link Answer#toResponse()}).
 * <p>
 * A request frame carries a list of {@link SandeshObject}s (type name, then fields each with a kind
 * tag: 1 integer, 2 byte list, 3 integer list, 4 string, as {@link io.vrouter.core.request.FieldKind}).
 * A response frame carries entries (request index, Contrail return code, message, objects); a large
 * answer is split over several frames with the same request id, all but the last flagged
 * {@link #FLAG_MORE}, and entries of one request index are concatenated. An error frame
 * ({@link #FLAG_ERROR}) refuses a whole request frame: nothing from it was applied.
 * <p>
 * Decoders never throw anything but {@link DecodeException}: every count is checked against the bytes
 * that remain before anything is allocated.
 */
public final class ControlCodec
{
    /** {@code "VR"}. */
    public static final int MAGIC = 0x5652;
    /** Protocol version. */
    public static final int VERSION = 1;
    /** Frame type: request. */
    public static final int TYPE_REQUEST = 1;
    /** Frame type: response. */
    public static final int TYPE_RESPONSE = 2;
    /** Response flag: more frames follow for this request id. */
    public static final int FLAG_MORE = 0x1;
    /** Response flag: the request frame was refused whole; the body is a code and a message. */
    public static final int FLAG_ERROR = 0x2;
    /** Bytes of the length prefix. */
    public static final int LENGTH_BYTES = 4;
    /** Bytes of the header after the length prefix. */
    public static final int HEADER_BYTES = 14;
    /** Largest frame (the length prefix's value) accepted by either side: 16 MiB. */
    public static final int MAX_FRAME = 16 << 20;
    /** Response frames are cut after about this many body bytes. */
    public static final int CHUNK_BYTES = 1 << 20;

    /** Field kind tag: integer ({@code i64}). */
    public static final int TAG_LONG = 1;
    /** Field kind tag: byte list ({@code u32} length, bytes). */
    public static final int TAG_BYTES = 2;
    /** Field kind tag: integer list ({@code u32} count, {@code i64} each). */
    public static final int TAG_LIST = 3;
    /** Field kind tag: string ({@code u32} length, UTF-8). */
    public static final int TAG_STRING = 4;

    /** Operation not permitted (peer not root). */
    public static final int EPERM = -1;
    /** Message too long (frame over {@link #MAX_FRAME}). */
    public static final int EMSGSIZE = -90;

    private ControlCodec()
    {
    }

    /**
     * A decoded request frame.
     *
     * @param id      the client's request id, echoed in the answer.
     * @param objects the requests in order.
     */
    public record RequestFrame(long id, List<SandeshObject> objects)
    {
        /**
         * The requests as typed records, each read and validated on its own: an object that does not
         * read (an unknown struct, a field of the wrong kind, a rule broken) carries its refusal, to be
         * answered in its place.
         *
         * @return one per object, in order.
         */
        public List<Parsed> requests()
        {
            final List<Parsed> out = new ArrayList<>(objects.size());
            for (final SandeshObject o : objects)
            {
                out.add(Parsed.of(o));
            }
            return out;
        }
    }

    /**
     * The answer to one request as it travels: Contrail's return code, the message of a refusal, the
     * objects (untyped).
     *
     * @param code    0, a DUMP count, or a negative errno.
     * @param message the reason of a refusal, empty otherwise.
     * @param objects the objects of a GET or DUMP.
     */
    public record Answer(int code, String message, List<SandeshObject> objects)
    {
        /**
         * The answer with typed objects.
         *
         * @return the response.
         * @throws RequestException if an object is not one the records read (naming it).
         */
        public Response toResponse() throws RequestException
        {
            final List<SandeshRecord> records = new ArrayList<>(objects.size());
            for (final SandeshObject o : objects)
            {
                records.add(SandeshRecord.parse(o));
            }
            return new Response(code, message, records);
        }
    }

    /**
     * One entry of a response frame: part (or all) of the answer to one request.
     *
     * @param index  the request's position in its frame.
     * @param answer the code, message and (a slice of) the objects.
     */
    public record Entry(int index, Answer answer)
    {
    }

    /**
     * A decoded response frame.
     *
     * @param id      the request id it answers.
     * @param flags   {@link #FLAG_MORE}, {@link #FLAG_ERROR}.
     * @param entries the entries (empty for an error frame).
     * @param error   for an error frame, the refusal (code and message); otherwise null.
     */
    public record ResponseFrame(long id, int flags, List<Entry> entries, Answer error)
    {
        /**
         * Whether more frames follow for this id.
         *
         * @return true if {@link #FLAG_MORE} is set.
         */
        public boolean more()
        {
            return (flags & FLAG_MORE) != 0;
        }
    }

    /**
     * A typed answer as it travels.
     *
     * @param r the response.
     * @return the answer with each record as its object.
     */
    public static Answer answer(final Response r)
    {
        final List<SandeshObject> objects = new ArrayList<>(r.objects().size());
        for (final SandeshRecord o : r.objects())
        {
            objects.add(o.toSandesh());
        }
        return new Answer(r.code(), r.message(), objects);
    }

    /**
     * Typed requests as they travel.
     *
     * @param records the requests.
     * @return each as its object.
     */
    public static List<SandeshObject> objects(final List<? extends SandeshRecord> records)
    {
        final List<SandeshObject> out = new ArrayList<>(records.size());
        for (final SandeshRecord r : records)
        {
            out.add(r.toSandesh());
        }
        return out;
    }

    /**
     * Encodes a request frame, length prefix included.
     *
     * @param id      request id.
     * @param objects the requests.
     * @return the frame bytes.
     * @throws IllegalArgumentException if the frame would exceed {@link #MAX_FRAME} or a name is too long.
     */
    public static byte[] encodeRequest(final long id, final List<SandeshObject> objects)
    {
        final Out out = new Out();
        out.header(TYPE_REQUEST, 0, id);
        out.u32(objects.size());
        for (final SandeshObject o : objects)
        {
            out.object(o);
        }
        return out.finish();
    }

    /**
     * Encodes an error frame refusing a whole request frame.
     *
     * @param id      the request id, 0 if unknown.
     * @param code    a negative errno.
     * @param message the reason.
     * @return the frame bytes.
     */
    public static byte[] encodeError(final long id, final int code, final String message)
    {
        final Out out = new Out();
        out.header(TYPE_RESPONSE, FLAG_ERROR, id);
        out.i32(code);
        out.longString(message);
        return out.finish();
    }

    /**
     * Encodes the answers to one request frame as one or more response frames of about
     * {@code chunkBytes} body bytes each; all but the last carry {@link #FLAG_MORE}.
     *
     * @param id         the request id.
     * @param responses  one answer per request, in order.
     * @param chunkBytes body bytes after which a frame is cut (at object boundaries).
     * @return the frames, length prefixes included.
     */
    public static List<byte[]> encodeResponses(final long id, final List<Answer> responses, final int chunkBytes)
    {
        final List<byte[]> frames = new ArrayList<>();
        final List<Entry> pending = new ArrayList<>();
        int pendingBytes = 0;
        for (int i = 0; i < responses.size(); i++)
        {
            final Answer r = responses.get(i);
            final List<SandeshObject> objects = r.objects();
            int from = 0;
            int sliceBytes = 0;
            for (int k = 0; k < objects.size(); k++)
            {
                sliceBytes += objectSize(objects.get(k));
                if (pendingBytes + sliceBytes >= chunkBytes)
                {
                    pending.add(new Entry(i, new Answer(r.code(), r.message(), objects.subList(from, k + 1))));
                    frames.add(responseFrame(id, FLAG_MORE, pending));
                    pending.clear();
                    pendingBytes = 0;
                    sliceBytes = 0;
                    from = k + 1;
                }
            }
            if (from < objects.size() || objects.isEmpty() || from == 0)
            {
                pending.add(new Entry(i, new Answer(r.code(), r.message(), objects.subList(from, objects.size()))));
                pendingBytes += sliceBytes + 16 + r.message().length();
            }
        }
        frames.add(responseFrame(id, 0, pending));
        return frames;
    }

    private static byte[] responseFrame(final long id, final int flags, final List<Entry> entries)
    {
        final Out out = new Out();
        out.header(TYPE_RESPONSE, flags, id);
        out.u32(entries.size());
        for (final Entry e : entries)
        {
            out.u32(e.index());
            out.i32(e.answer().code());
            out.longString(e.answer().message());
            out.u32(e.answer().objects().size());
            for (final SandeshObject o : e.answer().objects())
            {
                out.object(o);
            }
        }
        return out.finish();
    }

    /**
     * Reads a frame's length prefix.
     *
     * @param prefix at least 4 bytes at its position; the position is not moved.
     * @return the length of the rest of the frame.
     * @throws DecodeException if it is under the header size or over {@link #MAX_FRAME}.
     */
    public static int frameLength(final ByteBuffer prefix) throws DecodeException
    {
        final long length = prefix.getInt(prefix.position()) & 0xFFFFFFFFL;
        if (length > MAX_FRAME)
        {
            throw new DecodeException("frame of " + length + " bytes exceeds the maximum of " + MAX_FRAME);
        }
        if (length < HEADER_BYTES)
        {
            throw new DecodeException("frame of " + length + " bytes is shorter than the " + HEADER_BYTES
                + "-byte header");
        }
        return (int)length;
    }

    /**
     * Reads the request id of a frame body whose header may be broken (for the error answer).
     *
     * @param body the frame after its length prefix.
     * @return the id, or 0 if the body is too short.
     */
    public static long peekId(final ByteBuffer body)
    {
        return body.remaining() >= HEADER_BYTES ? body.getLong(body.position() + 6) : 0;
    }

    /**
     * Decodes a request frame body (after the length prefix), which must be consumed exactly.
     *
     * @param body the body.
     * @return the frame.
     * @throws DecodeException if anything is wrong.
     */
    public static RequestFrame decodeRequest(final ByteBuffer body) throws DecodeException
    {
        try
        {
            final In in = new In(body);
            final long id = in.header(TYPE_REQUEST);
            final int n = in.count(2 + 2);
            final List<SandeshObject> objects = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
            {
                objects.add(in.object());
            }
            in.end();
            return new RequestFrame(id, objects);
        }
        catch (final BufferUnderflowException e)
        {
            throw new DecodeException("truncated request frame");
        }
    }

    /**
     * Decodes a response frame body (after the length prefix), which must be consumed exactly.
     *
     * @param body the body.
     * @return the frame.
     * @throws DecodeException if anything is wrong.
     */
    public static ResponseFrame decodeResponse(final ByteBuffer body) throws DecodeException
    {
        try
        {
            final In in = new In(body);
            final long id = in.header(TYPE_RESPONSE);
            final int flags = in.flags;
            if ((flags & FLAG_ERROR) != 0)
            {
                final int code = body.getInt();
                final String message = in.longString();
                in.end();
                return new ResponseFrame(id, flags, List.of(), new Answer(code, message, List.of()));
            }
            final int n = in.count(4 + 4 + 4 + 4);
            final List<Entry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
            {
                final int index = in.index();
                final int code = body.getInt();
                final String message = in.longString();
                final int m = in.count(2 + 2);
                final List<SandeshObject> objects = new ArrayList<>(m);
                for (int k = 0; k < m; k++)
                {
                    objects.add(in.object());
                }
                entries.add(new Entry(index, new Answer(code, message, objects)));
            }
            in.end();
            return new ResponseFrame(id, flags, entries, null);
        }
        catch (final BufferUnderflowException e)
        {
            throw new DecodeException("truncated response frame");
        }
    }

    /**
     * An upper bound of an object's encoded size, for chunking.
     */
    private static int objectSize(final SandeshObject o)
    {
        int size = 4 + o.type().length() * 3;
        for (final Map.Entry<String, Object> f : o.fields().entrySet())
        {
            size += 2 + f.getKey().length() * 3 + 1;
            final Object v = f.getValue();
            if (v instanceof byte[])
            {
                size += 4 + ((byte[])v).length;
            }
            else if (v instanceof long[])
            {
                size += 4 + 8 * ((long[])v).length;
            }
            else if (v instanceof String)
            {
                size += 4 + ((String)v).length() * 3;
            }
            else
            {
                size += 8;
            }
        }
        return size;
    }

    /** Big-endian writer into a growing array; the length prefix is patched in by {@link #finish()}. */
    private static final class Out
    {
        private byte[] buf = new byte[256];
        private int pos;

        private void ensure(final int n)
        {
            if (pos + n > buf.length)
            {
                final long want = Math.max((long)buf.length * 2, (long)pos + n);
                if (want > LENGTH_BYTES + (long)MAX_FRAME + (1 << 20))
                {
                    throw new IllegalArgumentException(
                        "frame exceeds the maximum of " + MAX_FRAME + " bytes; send fewer objects");
                }
                buf = java.util.Arrays.copyOf(buf, (int)want);
            }
        }

        private void u8(final int v)
        {
            ensure(1);
            buf[pos++] = (byte)v;
        }

        private void u16(final int v)
        {
            ensure(2);
            buf[pos++] = (byte)(v >>> 8);
            buf[pos++] = (byte)v;
        }

        void i32(final int v)
        {
            ensure(4);
            buf[pos++] = (byte)(v >>> 24);
            buf[pos++] = (byte)(v >>> 16);
            buf[pos++] = (byte)(v >>> 8);
            buf[pos++] = (byte)v;
        }

        void u32(final int v)
        {
            i32(v);
        }

        private void i64(final long v)
        {
            i32((int)(v >>> 32));
            i32((int)v);
        }

        void header(final int type, final int flags, final long id)
        {
            i32(0);
            u16(MAGIC);
            u8(VERSION);
            u8(type);
            u16(flags);
            i64(id);
        }

        void shortString(final String s)
        {
            final byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > 0xFFFF)
            {
                throw new IllegalArgumentException("name longer than 65535 bytes");
            }
            u16(b.length);
            raw(b);
        }

        void longString(final String s)
        {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(final byte[] b)
        {
            i32(b.length);
            raw(b);
        }

        private void raw(final byte[] b)
        {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        void object(final SandeshObject o)
        {
            shortString(o.type());
            final Map<String, Object> fields = o.fields();
            if (fields.size() > 0xFFFF)
            {
                throw new IllegalArgumentException("more than 65535 fields");
            }
            u16(fields.size());
            for (final Map.Entry<String, Object> f : fields.entrySet())
            {
                shortString(f.getKey());
                final Object v = f.getValue();
                if (v instanceof Long)
                {
                    u8(TAG_LONG);
                    i64((Long)v);
                }
                else if (v instanceof byte[])
                {
                    u8(TAG_BYTES);
                    bytes((byte[])v);
                }
                else if (v instanceof long[])
                {
                    final long[] l = (long[])v;
                    u8(TAG_LIST);
                    i32(l.length);
                    for (final long x : l)
                    {
                        i64(x);
                    }
                }
                else
                {
                    u8(TAG_STRING);
                    longString((String)v);
                }
            }
        }

        byte[] finish()
        {
            final int length = pos - LENGTH_BYTES;
            if (length > MAX_FRAME)
            {
                throw new IllegalArgumentException(
                    "frame of " + length + " bytes exceeds the maximum of " + MAX_FRAME + "; send fewer objects");
            }
            final byte[] b = java.util.Arrays.copyOf(buf, pos);
            ByteBuffer.wrap(b).putInt(0, length);
            return b;
        }
    }

    /** Checked big-endian reader. */
    private static final class In
    {
        private final ByteBuffer body;
        private final CharsetDecoder utf8Decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        private int flags;

        In(final ByteBuffer body)
        {
            this.body = body;
        }

        long header(final int expectedType) throws DecodeException
        {
            if (body.remaining() < HEADER_BYTES)
            {
                throw new DecodeException("frame shorter than its header");
            }
            final int magic = body.getShort() & 0xFFFF;
            if (magic != MAGIC)
            {
                throw new DecodeException(String.format("bad magic 0x%04x (expected 0x%04x)", magic, MAGIC));
            }
            final int version = body.get() & 0xFF;
            if (version != VERSION)
            {
                throw new DecodeException("unsupported protocol version " + version);
            }
            final int type = body.get() & 0xFF;
            if (type != expectedType)
            {
                throw new DecodeException("frame type " + type + " where " + expectedType + " was expected");
            }
            flags = body.getShort() & 0xFFFF;
            final int known = expectedType == TYPE_RESPONSE ? FLAG_MORE | FLAG_ERROR : 0;
            if ((flags & ~known) != 0)
            {
                throw new DecodeException(String.format("unknown flags 0x%04x", flags));
            }
            return body.getLong();
        }

        /** A u32 count whose elements take at least {@code minBytes} (at least 1) each. */
        int count(final int minBytes) throws DecodeException
        {
            final long n = body.getInt() & 0xFFFFFFFFL;
            if (n * minBytes > body.remaining())
            {
                throw new DecodeException("count " + n + " larger than the " + body.remaining() + " bytes left allow");
            }
            return (int)n;
        }

        /** A u32 request index. */
        int index() throws DecodeException
        {
            final int n = body.getInt();
            if (n < 0)
            {
                throw new DecodeException("request index " + (n & 0xFFFFFFFFL) + " out of range");
            }
            return n;
        }

        String shortString() throws DecodeException
        {
            final int n = body.getShort() & 0xFFFF;
            return utf8(n);
        }

        String longString() throws DecodeException
        {
            return utf8(count(1));
        }

        private String utf8(final int n) throws DecodeException
        {
            if (n > body.remaining())
            {
                throw new DecodeException("string of " + n + " bytes, " + body.remaining() + " left");
            }
            final int start = body.position();
            boolean ascii = true;
            for (int i = 0; i < n; i++)
            {
                if (body.get(start + i) < 0)
                {
                    ascii = false;
                    break;
                }
            }
            final byte[] bytes = new byte[n];
            body.get(bytes);
            if (ascii)
            {
                return new String(bytes, StandardCharsets.US_ASCII);
            }
            try
            {
                return utf8Decoder.reset().decode(ByteBuffer.wrap(bytes)).toString();
            }
            catch (final CharacterCodingException e)
            {
                throw new DecodeException("string is not valid UTF-8");
            }
        }

        SandeshObject object() throws DecodeException
        {
            final String type = shortString();
            if (type.isEmpty())
            {
                throw new DecodeException("object with an empty type name");
            }
            final SandeshObject o = new SandeshObject(type);
            final int n = body.getShort() & 0xFFFF;
            for (int i = 0; i < n; i++)
            {
                final String name = shortString();
                if (name.isEmpty())
                {
                    throw new DecodeException(type + ": field with an empty name");
                }
                if (o.has(name))
                {
                    throw new DecodeException(type + "." + name + ": field appears twice");
                }
                final int tag = body.get() & 0xFF;
                switch (tag)
                {
                    case TAG_LONG:
                        o.put(name, body.getLong());
                        break;
                    case TAG_BYTES:
                    {
                        final byte[] b = new byte[count(1)];
                        body.get(b);
                        o.put(name, b);
                        break;
                    }
                    case TAG_LIST:
                    {
                        final long[] l = new long[count(8)];
                        for (int k = 0; k < l.length; k++)
                        {
                            l[k] = body.getLong();
                        }
                        o.put(name, l);
                        break;
                    }
                    case TAG_STRING:
                        o.put(name, longString());
                        break;
                    default:
                        throw new DecodeException(type + "." + name + ": unknown field kind tag " + tag);
                }
            }
            return o;
        }

        void end() throws DecodeException
        {
            if (body.hasRemaining())
            {
                throw new DecodeException(body.remaining() + " trailing bytes after the frame's content");
            }
        }
    }
}
