package io.vrouter.xmpp;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The route fast path against the framer without it, on mutated route messages: for every input the
 * two framers must yield the same messages and refuse at the same point for the same reason. What a
 * hostile or broken controller sends is decided as the general parser decides it.
 * <p>
 * The number of mutated messages is a short sweep by default ({@value #SHORT_ROUNDS}) and the full one
 * ({@value #FULL_ROUNDS}) under {@code mvn verify -Pfull-sweep}, which sets {@code vrouter.sweep=full} as for
 * the FIB differential tests. The seed is fixed, so a default run is the first part of a full one, and
 * {@code -Dxmpp.fuzz.seed=...} runs another sequence. Both are printed when the test starts.
 */
class RouteItemsFastPathFuzzTest
{
    private static final int SHORT_ROUNDS = 1000;
    private static final int FULL_ROUNDS = 4000;
    private static final long DEFAULT_SEED = 20261202;
    private static final String HEADER = ContrailXmpp.streamHeader("network-control@contrailsystems.com",
        "compute-1", "1");
    private static final byte[] ALPHABET = "<>/&;'\"= \n!?-[]#x0123456789.:aeimnst".getBytes(StandardCharsets.US_ASCII);

    private static final String[] TOKENS = {"</message>", "</message >", "</message\n>", "</messages>", "<message>",
        "<message/>", "/>", "<!-- x -->", "<!--", "-->", "<![CDATA[a]]>", "]]>", "&amp;", "&lt;", "&#60;",
        "<item/>", "<retract id='1.2.3.4/32'/>", "<entry>", "</entry>", "<?pi?>", "<!DOCTYPE x>", "\u00e9",
        "'", "\"", "<a b='</message>'>", "</stream:stream>"};

    private static String seedMessage()
    {
        final List<RouteEntry> routes = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            routes.add(new RouteEntry(1, 1, "10.47.255." + (250 + i) + "/32", List.of(new RouteNextHop(1,
                "192.168.1.1" + i, i == 1 ? "00:00:5e:00:01:00" : "", 16 + i, List.of("gre", "udp"),
                "default-domain:k8s-default:vn")), i, 200));
        }
        final ChannelMessage.RouteUpdate u = new ChannelMessage.RouteUpdate("default-domain:k8s-default:vn:vn", 1,
            1, routes, List.of("10.47.255.249/32"));
        return ContrailXmpp.routeUpdate("compute-1", u.instance(), 1, 1, u.items(), u.retracts()).toXml();
    }

    /** What a framer makes of a stream: each unit as a comparable string, then the refusal if any. */
    private static List<String> frame(final boolean fastPath, final byte[] stream, final int chunk)
    {
        final EmbeddedChannel ch = new EmbeddedChannel(new XmppFramer(4096, XmppFramer.DEFAULT_MAX_DEPTH, fastPath));
        final List<String> out = new ArrayList<>();
        try
        {
            for (int i = 0; i < stream.length; i += chunk)
            {
                ch.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(chunk, stream.length - i)));
                FramedUnits.drain(ch, out);
            }
            // The peer goes away: what the framer still holds is decided now.
            ch.finish();
            FramedUnits.drain(ch, out);
        }
        catch (final DecoderException e)
        {
            FramedUnits.drain(ch, out);
            out.add("refused: " + (e.getCause() == null ? e : e.getCause().getMessage()));
        }
        finally
        {
            // After a refusal the framer still holds the bytes it had cumulated: closing the channel releases them
            // (a refusal met again while closing is only recorded by the channel, and the answer is already out).
            ch.close();
            ch.releaseInbound();
            ch.releaseOutbound();
        }
        return out;
    }

    @Test
    void mutatedRouteMessagesAreFramedAndReadAsWithoutTheFastPath()
    {
        final byte[] seed = seedMessage().getBytes(StandardCharsets.UTF_8);
        final byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
        final byte[] tail = " <iq type='result' id='end'/>".getBytes(StandardCharsets.UTF_8);
        final int rounds = "full".equals(System.getProperty("vrouter.sweep")) ? FULL_ROUNDS : SHORT_ROUNDS;
        final long randomSeed = Long.getLong("xmpp.fuzz.seed", DEFAULT_SEED);
        System.out.println("RouteItemsFastPathFuzzTest: " + rounds + " rounds (" + (rounds == FULL_ROUNDS ?
            "full sweep" : "short sweep; -Pfull-sweep runs " + FULL_ROUNDS) + "), seed " + randomSeed +
            " (-Dxmpp.fuzz.seed=" + randomSeed + " replays it)");
        final Random random = new Random(randomSeed);
        int readFast = 0;
        int refused = 0;
        for (int round = 0; round < rounds; round++)
        {
            final byte[] mutated = mutate(seed, random, 1 + random.nextInt(3));
            final byte[] stream = new byte[header.length + mutated.length * 2 + tail.length];
            System.arraycopy(header, 0, stream, 0, header.length);
            System.arraycopy(mutated, 0, stream, header.length, mutated.length);
            // The mutated message twice: a wrong cut after the first shows in the second.
            System.arraycopy(mutated, 0, stream, header.length + mutated.length, mutated.length);
            System.arraycopy(tail, 0, stream, header.length + 2 * mutated.length, tail.length);
            final int chunk = random.nextBoolean() ? 1 + random.nextInt(16) : 1 + random.nextInt(8192);
            final List<String> general = frame(false, stream, chunk);
            final List<String> fast = frame(true, stream, chunk);
            final String what = "round " + round + ", chunk " + chunk + ": " +
                new String(mutated, StandardCharsets.UTF_8);
            assertEquals(general, fast, what);
            readFast += fast.stream().filter(s -> s.startsWith("message RouteUpdate")).count() > 0 ? 1 : 0;
            refused += fast.stream().anyMatch(s -> s.startsWith("refused") || s.startsWith("unclassifiable")) ? 1 : 0;
        }
        // The mutations reach both sides of the fast path: some messages still read, many refused.
        assertTrue(readFast > rounds / 20, "messages still read after mutation: " + readFast);
        assertTrue(refused > rounds / 20, "mutations refused: " + refused);
    }

    private static byte[] mutate(final byte[] seed, final Random random, final int mutations)
    {
        byte[] b = seed.clone();
        for (int m = 0; m < mutations; m++)
        {
            final int at = random.nextInt(b.length);
            final byte with = ALPHABET[random.nextInt(ALPHABET.length)];
            switch (random.nextInt(4))
            {
                case 3 ->
                {
                    // A whole piece of markup: end tags of the message, comments, CDATA, references.
                    final byte[] token = TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
                    final byte[] longer = new byte[b.length + token.length];
                    System.arraycopy(b, 0, longer, 0, at);
                    System.arraycopy(token, 0, longer, at, token.length);
                    System.arraycopy(b, at, longer, at + token.length, b.length - at);
                    b = longer;
                }
                case 0 -> b[at] = with;
                case 1 ->
                {
                    final byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
                default ->
                {
                    final byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = with;
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
            }
        }
        return b;
    }
}
