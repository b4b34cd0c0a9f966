package io.vrouter.agent.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.request.SandeshRecord;

/**
 * A blocking control-socket client (the CLI, the tests, the benchmarks). One call sends one request
 * frame and reads the answer frames until the last; requests that would not fit one frame are sent
 * as several frames, each applied on its own (every request is still applied whole or not at all).
 * Typed requests go out as their objects and the answers' objects come back as records
 * ({@link #call}); {@link #callObjects} sends and returns the untyped objects as they travel. Not
 * thread-safe.
 */
public final class ControlClient implements AutoCloseable
{
    /** Requests per frame when a call carries many. */
    public static final int FRAME_OBJECTS = 1024;
    /** Frames sent ahead of the answers. */
    public static final int WINDOW = 8;

    private final SocketChannel channel;
    private final Path path;
    private long nextId = 1;

    private ControlClient(final SocketChannel channel, final Path path)
    {
        this.channel = channel;
        this.path = path;
    }

    /**
     * Connects to a daemon.
     *
     * @param socketPath the daemon's socket.
     * @return the client.
     * @throws ControlException "vrouterd is not running (no socket at ...)" when there is no socket or
     *                          nobody listens on it; EPERM when the file refuses us.
     */
    public static ControlClient connect(final Path socketPath)
    {
        if (!Files.exists(socketPath))
        {
            throw new ControlException(Errno.ENOENT, "vrouterd is not running (no socket at " + socketPath + ")");
        }
        SocketChannel ch = null;
        try
        {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socketPath));
            return new ControlClient(ch, socketPath);
        }
        catch (final IOException e)
        {
            closeQuietly(ch);
            final String m = String.valueOf(e.getMessage());
            if (m.contains("ermission denied"))
            {
                throw new ControlException(ControlCodec.EPERM,
                    "permission denied on " + socketPath + " (the control socket is root-only)", e);
            }
            throw new ControlException(Errno.ENOENT,
                "vrouterd is not running (nobody listening on " + socketPath + ": " + m + ")", e);
        }
    }

    /**
     * Sends requests and waits for their answers. Lists longer than {@link #FRAME_OBJECTS} (or than
     * one 16 MiB frame holds) go as several frames, pipelined up to {@link #WINDOW} frames ahead;
     * each frame is decoded whole by the daemon before any of it is applied, and each request is
     * applied whole or not at all, but a later frame's refusal does not undo an earlier frame.
     *
     * @param requests the requests, in order.
     * @return one response per request, in order (DUMP answers assembled from every chunk).
     * @throws ControlException if the daemon refused a frame whole, the connection broke or an answer's
     *                          object is not one the records read.
     */
    public List<Response> call(final List<? extends SandeshRecord> requests)
    {
        return typed(callObjects(ControlCodec.objects(requests)));
    }

    /**
     * Sends objects as they are and waits for the answers as they travel (see {@link #call}).
     *
     * @param requests the objects, in order.
     * @return one answer per object, in order (DUMP answers assembled from every chunk).
     * @throws ControlException if the daemon refused a frame whole or the connection broke.
     */
    public List<ControlCodec.Answer> callObjects(final List<SandeshObject> requests)
    {
        final List<ControlCodec.Answer> out = new ArrayList<>(requests.size());
        final java.util.ArrayDeque<long[]> inFlight = new java.util.ArrayDeque<>();
        int from = 0;
        boolean first = true;
        while (from < requests.size() || first || !inFlight.isEmpty())
        {
            while ((from < requests.size() || first) && inFlight.size() < WINDOW)
            {
                first = false;
                int to = Math.min(requests.size(), from + FRAME_OBJECTS);
                byte[] frame = null;
                while (frame == null)
                {
                    try
                    {
                        frame = ControlCodec.encodeRequest(nextId, requests.subList(from, to));
                    }
                    catch (final IllegalArgumentException e)
                    {
                        if (to - from <= 1)
                        {
                            throw new ControlException(ControlCodec.EMSGSIZE, e.getMessage(), e);
                        }
                        to = from + (to - from) / 2;
                    }
                }
                send(frame);
                inFlight.addLast(new long[] {nextId++, to - from});
                from = to;
            }
            final long[] next = inFlight.removeFirst();
            out.addAll(receive(next[0], (int)next[1]));
        }
        return out;
    }

    /**
     * Sends one raw frame (tests) and reads the answer.
     *
     * @param id       the id the frame carries.
     * @param frame    the bytes, length prefix included.
     * @param expected number of requests in it.
     * @return the responses.
     * @throws ControlException on an error frame or a broken connection.
     */
    public List<Response> roundTrip(final long id, final byte[] frame, final int expected)
    {
        send(frame);
        return typed(receive(id, expected));
    }

    private static List<Response> typed(final List<ControlCodec.Answer> answers)
    {
        final List<Response> out = new ArrayList<>(answers.size());
        for (final ControlCodec.Answer a : answers)
        {
            try
            {
                out.add(a.toResponse());
            }
            catch (final RequestException e)
            {
                throw new ControlException(Errno.EINVAL, "malformed answer from vrouterd: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private void send(final byte[] frame)
    {
        try
        {
            final ByteBuffer b = ByteBuffer.wrap(frame);
            while (b.hasRemaining())
            {
                channel.write(b);
            }
        }
        catch (final IOException e)
        {
            throw new ControlException(Errno.ENOENT,
                "connection to vrouterd on " + path + " broke: " + e.getMessage(), e);
        }
    }

    private List<ControlCodec.Answer> receive(final long id, final int expected)
    {
        try
        {
            final List<List<SandeshObject>> objects = new ArrayList<>(expected);
            final ControlCodec.Answer[] heads = new ControlCodec.Answer[expected];
            for (int i = 0; i < expected; i++)
            {
                objects.add(new ArrayList<>());
            }
            while (true)
            {
                final ControlCodec.ResponseFrame f = ControlCodec.decodeResponse(readFrame());
                if (f.error() != null)
                {
                    throw new ControlException(f.error().code(), f.error().message());
                }
                if (f.id() != id)
                {
                    throw new ControlException(Errno.EINVAL,
                        "answer for request " + f.id() + " while waiting for " + id);
                }
                for (final ControlCodec.Entry e : f.entries())
                {
                    if (e.index() >= expected)
                    {
                        throw new ControlException(Errno.EINVAL, "answer for request index " + e.index());
                    }
                    if (heads[e.index()] == null)
                    {
                        heads[e.index()] = e.answer();
                    }
                    objects.get(e.index()).addAll(e.answer().objects());
                }
                if (!f.more())
                {
                    break;
                }
            }
            final List<ControlCodec.Answer> out = new ArrayList<>(expected);
            for (int i = 0; i < expected; i++)
            {
                if (heads[i] == null)
                {
                    throw new ControlException(Errno.EINVAL, "no answer for request " + i);
                }
                out.add(new ControlCodec.Answer(heads[i].code(), heads[i].message(), objects.get(i)));
            }
            return out;
        }
        catch (final IOException e)
        {
            throw new ControlException(Errno.ENOENT,
                "connection to vrouterd on " + path + " broke: " + e.getMessage(), e);
        }
        catch (final DecodeException e)
        {
            throw new ControlException(Errno.EINVAL, "malformed answer from vrouterd: " + e.getMessage(), e);
        }
    }

    private ByteBuffer readFrame() throws IOException, DecodeException
    {
        final ByteBuffer prefix = ByteBuffer.allocate(ControlCodec.LENGTH_BYTES);
        readFully(prefix);
        prefix.flip();
        final ByteBuffer body = ByteBuffer.allocate(ControlCodec.frameLength(prefix));
        readFully(body);
        return body.flip();
    }

    private void readFully(final ByteBuffer b) throws IOException
    {
        while (b.hasRemaining())
        {
            if (channel.read(b) < 0)
            {
                throw new IOException("vrouterd closed the connection");
            }
        }
    }

    /**
     * Closes the connection.
     */
    @Override
    public void close()
    {
        closeQuietly(channel);
    }

    private static void closeQuietly(final SocketChannel ch)
    {
        if (ch != null)
        {
            try
            {
                ch.close();
            }
            catch (final IOException ignored)
            {
                // nothing left to do
            }
        }
    }
}
