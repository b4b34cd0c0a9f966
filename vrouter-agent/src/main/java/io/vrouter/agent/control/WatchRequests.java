package io.vrouter.agent.control;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.vrouter.core.VRouter;
import io.vrouter.core.request.CaptureRequest;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.TraceRequest;
import io.vrouter.core.watch.PacketWatch;

/**
 * The packet trace ({@code vr_trace_req}) and the interface capture ({@code vr_capture_req}) requests,
 * executed on the control thread against the forwarder's {@link PacketWatch}.
 */
public final class WatchRequests
{
    /** Most characters of trace text one answer carries (the newest packets that fit). */
    static final int MAX_TEXT = 512 * 1024;

    private WatchRequests()
    {
    }

    /**
     * Arms (ADD), shows (GET) or clears (DELETE) the trace.
     *
     * @param vr      the forwarder.
     * @param request the request.
     * @return the answer; ENOENT for an interface that does not exist.
     */
    public static Response execute(final VRouter vr, final TraceRequest request)
    {
        final PacketWatch watch = vr.watch();
        switch (request.op())
        {
            case ADD:
                if (request.vif() >= 0 && vr.tables().interfaces().get(request.vif()) == null)
                {
                    return new Response(Errno.ENOENT, "no vif 0/" + request.vif(), List.of());
                }
                watch.armTrace(request.count(), request.vif());
                return Response.ok();
            case DELETE:
                watch.clearTrace();
                return Response.ok();
            default:
            {
                final List<String> packets = watch.traced();
                final StringBuilder text = new StringBuilder();
                int first = packets.size();
                int size = 0;
                while (first > 0 && size + packets.get(first - 1).length() + 1 <= MAX_TEXT)
                {
                    first--;
                    size += packets.get(first).length() + 1;
                }
                if (first > 0)
                {
                    text.append("(").append(first).append(" older packets left out; trace clear forgets them)\n\n");
                }
                for (int i = first; i < packets.size(); i++)
                {
                    text.append(packets.get(i)).append('\n');
                }
                return Response.of(0, List.of(new TraceRequest(Op.RESPONSE, packets.size(), watch.traceVif(),
                    watch.traceRemaining(), text.toString())));
            }
        }
    }

    /**
     * Starts (ADD), reads (GET) or stops (DELETE) the capture.
     *
     * @param vr      the forwarder.
     * @param request the request.
     * @return the answer; ENOENT for an interface that does not exist, EBUSY when a capture runs
     *         already, EINVAL when the file cannot be written.
     */
    public static Response execute(final VRouter vr, final CaptureRequest request)
    {
        final PacketWatch watch = vr.watch();
        switch (request.op())
        {
            case ADD:
            {
                if (vr.tables().interfaces().get(request.vif()) == null)
                {
                    return new Response(Errno.ENOENT, "no vif 0/" + request.vif(), List.of());
                }
                if (watch.capturing())
                {
                    return new Response(Errno.EBUSY, "a capture of vif 0/" + watch.captureVif() + " is running",
                        List.of());
                }
                final PcapFileSink sink;
                try
                {
                    sink = new PcapFileSink(Path.of(request.file()));
                }
                catch (final IOException | RuntimeException e)
                {
                    return new Response(Errno.EINVAL, "cannot write " + request.file() + ": " + e.getMessage(),
                        List.of());
                }
                try
                {
                    watch.startCapture(request.vif(), request.count(), sink);
                }
                catch (final IllegalStateException e)
                {
                    sink.finished();
                    return new Response(Errno.EBUSY, e.getMessage(), List.of());
                }
                return Response.ok();
            }
            case DELETE:
            {
                final int vif = watch.captureVif();
                final long captured = watch.stopCapture();
                return Response.of(0, List.of(new CaptureRequest(Op.RESPONSE, vif, 0, "", captured, 0)));
            }
            default:
                return Response.of(0, List.of(new CaptureRequest(Op.RESPONSE, watch.captureVif(), 0, "",
                    watch.captured(), watch.capturing() ? 1 : 0)));
        }
    }
}
