package io.vrouter.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

/**
 * Coverage-guided fuzzing (Jazzer) of what a controller or a node reads from the other end: the XMPP
 * framer with its route fast path ({@link RouteItemsDecoder}) and the general stanza decoder
 * ({@link ContrailXmpp#classify}). Any bytes after a valid stream header must end as framed units or as
 * one refusal ({@link XmppProtocolException}), never as another exception; the fast path must frame and
 * decide exactly as the general parser does.
 * <p>
 * {@code mvn verify} runs the corpus in {@code src/test/resources/io/vrouter/xmpp/XmppFramerFuzzTestInputs/}
 * (recorded stanzas and the crashes found so far); {@code bin/vrouter-fuzz xmpp-framer 300} fuzzes for
 * five minutes (docs/reliability.md, "Fuzzing").
 */
class XmppFramerFuzzTest
{
    private static final byte[] HEADER = ContrailXmpp.streamHeader("network-control@contrailsystems.com",
        "compute-1", "1").getBytes(StandardCharsets.UTF_8);
    private static final int MAX_STANZA = 64 * 1024;

    /**
     * The stream a node reads: the controller's header, then the input, split where the input's first
     * byte says (so chunk boundaries are fuzzed too).
     *
     * @param data the bytes after the stream header.
     */
    @FuzzTest
    void framerAndRouteDecoder(final byte[] data)
    {
        final int chunk = data.length == 0 ? 1 : 1 + (data[0] & 0x3F);
        final byte[] stream = new byte[HEADER.length + data.length];
        System.arraycopy(HEADER, 0, stream, 0, HEADER.length);
        System.arraycopy(data, 0, stream, HEADER.length, data.length);
        final List<String> fast = frame(true, stream, chunk);
        final List<String> general = frame(false, stream, chunk);
        assertEquals(general, fast, "the route fast path frames and decides as the general parser");
    }

    private static List<String> frame(final boolean fastPath, final byte[] stream, final int chunk)
    {
        final EmbeddedChannel ch = new EmbeddedChannel(new XmppFramer(MAX_STANZA, XmppFramer.DEFAULT_MAX_DEPTH,
            fastPath));
        final List<String> out = new ArrayList<>();
        try
        {
            for (int i = 0; i < stream.length; i += chunk)
            {
                ch.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(chunk, stream.length - i)));
                FramedUnits.drain(ch, out);
            }
            ch.finish();
            FramedUnits.drain(ch, out);
        }
        catch (final DecoderException e)
        {
            // The one way bad input may end: a protocol refusal with a message (anything else fails the run).
            if (!(e.getCause() instanceof XmppProtocolException refusal))
            {
                throw e;
            }
            assertNotNull(refusal.getMessage(), "a refusal says why");
            FramedUnits.drain(ch, out);
            out.add("refused: " + refusal.getMessage());
        }
        finally
        {
            ch.close();
            ch.releaseInbound();
            ch.releaseOutbound();
        }
        return out;
    }
}
