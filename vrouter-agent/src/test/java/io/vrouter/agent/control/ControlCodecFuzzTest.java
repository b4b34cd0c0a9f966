package io.vrouter.agent.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.vrouter.core.VRouter;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.flow.FlowTableConfig;
import io.vrouter.core.request.CaptureRequest;
import io.vrouter.core.request.DropStatsRequest;
import io.vrouter.core.request.Parsed;
import io.vrouter.core.request.PodRequest;
import io.vrouter.core.request.PortRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.request.TraceRequest;
import io.vrouter.core.request.VrfStatsRequest;
import io.vrouter.core.testing.TestTopology;

/**
 * Coverage-guided fuzzing (Jazzer) of the control socket's codec, as the daemon and the CLI read frames:
 * any frame body (after the length prefix) decodes or is refused with a {@link DecodeException}; a decoded
 * request frame's objects read into typed requests or carry their refusal, and the forwarder's requests
 * among them program a fresh forwarder without an exception (a refusal is an answer, not a throw); the
 * frame re-encodes to bytes that decode to the same frame. A response frame decodes or is refused, and its
 * objects read into records or are refused with a {@link RequestException}.
 * <p>
 * {@code mvn verify} runs the corpus in
 * {@code src/test/resources/io/vrouter/agent/control/ControlCodecFuzzTestInputs/} (frames of the vtest
 * messages, answers, and the crashes found); {@code bin/vrouter-fuzz control 300} and
 * {@code bin/vrouter-fuzz responses 300} fuzz (docs/reliability.md, "Fuzzing").
 */
class ControlCodecFuzzTest
{
    /**
     * A request frame as the daemon reads it.
     *
     * @param body the frame after its length prefix.
     */
    @FuzzTest
    void requestFrames(final byte[] body)
    {
        final ControlCodec.RequestFrame frame;
        try
        {
            frame = ControlCodec.decodeRequest(ByteBuffer.wrap(body));
        }
        catch (final DecodeException e)
        {
            assertNotNull(e.getMessage(), "a refusal says why");
            return;
        }
        final List<Parsed> requests = frame.requests();
        assertEquals(frame.objects().size(), requests.size());
        final VRouter vrouter = new VRouter(TestTopology.smallConfig(), 1, FlowTable.createAnonymous(
            new FlowTableConfig(64, 16, 1000, 1000, 16, TimeUnit.SECONDS.toNanos(180), TimeUnit.SECONDS.toNanos(10),
                TimeUnit.SECONDS.toNanos(2))), () -> 1_000_000_000L);
        for (final Parsed p : requests)
        {
            if (p.ok() && forwarders(p.record()))
            {
                final Response r = vrouter.program(p.record());
                assertNotNull(r, "an answer for " + p.record().struct());
            }
        }
        final byte[] again = reencode(frame);
        final ControlCodec.RequestFrame decoded;
        try
        {
            decoded = ControlCodec.decodeRequest(ByteBuffer.wrap(again));
        }
        catch (final DecodeException e)
        {
            throw new AssertionError("a decoded frame re-encodes to a frame that does not decode: " + e.getMessage(),
                e);
        }
        assertEquals(frame.id(), decoded.id());
        assertArrayEquals(again, reencode(decoded), "encoding is stable");
    }

    /**
     * A response frame as the CLI reads it.
     *
     * @param body the frame after its length prefix.
     */
    @FuzzTest
    void responseFrames(final byte[] body)
    {
        final ControlCodec.ResponseFrame frame;
        try
        {
            frame = ControlCodec.decodeResponse(ByteBuffer.wrap(body));
        }
        catch (final DecodeException e)
        {
            assertNotNull(e.getMessage(), "a refusal says why");
            return;
        }
        final List<ControlCodec.Answer> answers = new ArrayList<>();
        if (frame.error() != null)
        {
            answers.add(frame.error());
        }
        for (final ControlCodec.Entry e : frame.entries())
        {
            answers.add(e.answer());
        }
        for (final ControlCodec.Answer a : answers)
        {
            try
            {
                assertNotNull(a.toResponse());
            }
            catch (final RequestException e)
            {
                assertNotNull(e.getMessage(), "a refusal says why");
            }
        }
    }

    private static byte[] reencode(final ControlCodec.RequestFrame frame)
    {
        final byte[] withPrefix = ControlCodec.encodeRequest(frame.id(), frame.objects());
        return Arrays.copyOfRange(withPrefix, ControlCodec.LENGTH_BYTES, withPrefix.length);
    }

    /** Whether the daemon gives a request to the forwarder (ControlServer.execute). */
    private static boolean forwarders(final SandeshRecord r)
    {
        return !(r instanceof PortRequest || r instanceof PodRequest || r instanceof DropStatsRequest
            || r instanceof VrfStatsRequest || r instanceof TraceRequest || r instanceof CaptureRequest);
    }
}
