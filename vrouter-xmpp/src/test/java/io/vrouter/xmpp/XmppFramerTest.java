package io.vrouter.xmpp;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XmppFramerTest
{
    private static final String HEADER = ContrailXmpp.streamHeader("compute-1", ContrailXmpp.CONTROL_JID, null);

    private static final String PUBLISH =
        "<iq type=\"set\" from=\"compute-1\" to=\"network-control@contrailsystems.com/bgp-peer\" id=\"pubsub7\">" +
        "<pubsub xmlns=\"http://jabber.org/protocol/pubsub\">" +
        "<publish node=\"1/1/default-domain:k8s-default:k8s-default-pod-network:k8s-default-pod-network/" +
        "10.47.255.252/32\"><item><entry>" +
        "<nlri><af>1</af><safi>1</safi><address>10.47.255.252/32</address></nlri>" +
        "<next-hops><next-hop><af>1</af><address>192.168.1.11</address><label>25</label>" +
        "<tunnel-encapsulation-list><tunnel-encapsulation>gre</tunnel-encapsulation>" +
        "<tunnel-encapsulation>udp</tunnel-encapsulation></tunnel-encapsulation-list>" +
        "<virtual-network>default-domain:k8s-default:k8s-default-pod-network</virtual-network>" +
        "</next-hop></next-hops><version>1</version><sequence-number>0</sequence-number>" +
        "<local-preference>200</local-preference><med>0</med></entry></item></publish></pubsub></iq>";

    private static List<Object> feed(final EmbeddedChannel ch, final String text, final int chunk)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final List<Object> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += chunk)
        {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i)));
            Object o;
            while ((o = ch.readInbound()) != null)
            {
                out.add(o);
            }
        }
        return out;
    }

    @Test
    void splitsHeaderStanzasKeepalivesAndCloseAtEveryChunkSize()
    {
        final String stream = HEADER + "  \n" + PUBLISH + " " + "<iq type='result' id='x'/>" + "\n \n" +
            "</stream:stream>";
        List<Object> reference = null;
        for (final int chunk : new int[] {1, 2, 3, 7, 64, 100_000})
        {
            final List<Object> out = feed(new EmbeddedChannel(new XmppFramer()), stream, chunk);
            assertEquals(4, out.size(), "chunk " + chunk);
            final XmppInbound.StreamOpen open = assertInstanceOf(XmppInbound.StreamOpen.class, out.get(0));
            assertEquals("compute-1", open.header().attribute("from"));
            assertEquals("jabber:client", open.header().attribute("xmlns"));
            final XmlElement publish = assertInstanceOf(XmppInbound.Stanza.class, out.get(1)).element();
            assertEquals("iq", publish.name());
            assertEquals("25", publish.child("pubsub").child("publish").child("item").child("entry")
                .child("next-hops").child("next-hop").childText("label"));
            assertEquals("x", assertInstanceOf(XmppInbound.Stanza.class, out.get(2)).element().attribute("id"));
            assertInstanceOf(XmppInbound.StreamClose.class, out.get(3));
            if (reference == null)
            {
                reference = out;
            }
            assertEquals(reference, out, "same result for chunk " + chunk);
        }
    }

    @Test
    void quotedGreaterThanCommentsCdataAndEntities()
    {
        final List<Object> out = feed(new EmbeddedChannel(new XmppFramer()), HEADER +
            "<message a='x>y' b=\"&lt;&amp;&#65;&#x42;\"><!-- <b> --><body><![CDATA[<not/> a tag]]>&gt;</body>" +
            "</message>", 5);
        final XmlElement m = assertInstanceOf(XmppInbound.Stanza.class, out.get(1)).element();
        assertEquals("x>y", m.attribute("a"));
        assertEquals("<&AB", m.attribute("b"));
        assertEquals("<not/> a tag>", m.child("body").text());
        assertEquals(1, m.children().size());
    }

    @Test
    void refusesDoctypeBeforeTheStream()
    {
        final EmbeddedChannel ch = new EmbeddedChannel(new XmppFramer());
        final DecoderException e = assertThrows(DecoderException.class, () -> feed(ch,
            "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>]>" + HEADER, 1000));
        assertTrue(e.getCause().getMessage().contains("DTD"), e.getCause().getMessage());
    }

    @Test
    void refusesEntityDeclarationsAndUndefinedEntitiesInsideAStanza()
    {
        final DecoderException decl = assertThrows(DecoderException.class, () -> feed(
            new EmbeddedChannel(new XmppFramer()), HEADER + "<iq><!ENTITY a 'b'></iq>", 1000));
        assertTrue(decl.getCause().getMessage().contains("DTD"), decl.getCause().getMessage());
        final DecoderException undefined = assertThrows(DecoderException.class, () -> feed(
            new EmbeddedChannel(new XmppFramer()), HEADER + "<iq>&lol9;</iq>", 1000));
        assertTrue(undefined.getCause().getMessage().contains("undefined entity"),
            undefined.getCause().getMessage());
    }

    private static Throwable refusal(final byte[] bytes)
    {
        final EmbeddedChannel ch = new EmbeddedChannel(new XmppFramer());
        final DecoderException e = assertThrows(DecoderException.class,
            () -> ch.writeInbound(Unpooled.wrappedBuffer(bytes)));
        return e.getCause();
    }

    private static byte[] concat(final String before, final byte[] middle, final String after)
    {
        final byte[] a = before.getBytes(StandardCharsets.UTF_8);
        final byte[] c = after.getBytes(StandardCharsets.UTF_8);
        final byte[] out = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(c, 0, out, a.length + middle.length, c.length);
        return out;
    }

    @Test
    void refusesNulControlCharactersAndInvalidUtf8()
    {
        final String pre = HEADER + "<message><body>";
        final String post = "</body></message>";
        assertTrue(refusal(concat(pre, new byte[] {'a', 0, 'b'}, post)).getMessage().contains("control character 0x0"));
        assertTrue(refusal(concat(pre, new byte[] {0x07}, post)).getMessage().contains("control character 0x7"));
        for (final byte[] bad : List.of(new byte[] {(byte)0xFF}, new byte[] {(byte)0xC0, (byte)0x80},
            new byte[] {(byte)0xE0, (byte)0x80, (byte)0x80}, new byte[] {(byte)0xED, (byte)0xA0, (byte)0x80},
            new byte[] {(byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80}, new byte[] {(byte)0xC3},
            new byte[] {(byte)0x80}))
        {
            final Throwable t = refusal(concat(pre, bad, post));
            assertTrue(t.getMessage().contains("invalid UTF-8"), HexFormat.of().formatHex(bad) + ": " + t.getMessage());
        }
        assertTrue(refusal(concat("<?xml version='1.0'?><stream:stream from='a", new byte[] {0}, "'>"))
            .getMessage().contains("stream header refused"));
        assertTrue(refusal((pre + "&#0;" + post).getBytes(StandardCharsets.UTF_8)).getMessage()
            .contains("invalid character reference"));
        assertTrue(refusal((pre + "&#x1b;" + post).getBytes(StandardCharsets.UTF_8)).getMessage()
            .contains("invalid character reference"));
        final List<Object> fine = feed(new EmbeddedChannel(new XmppFramer()),
            pre + "caf\u00e9 \u20ac \ud83d\ude00\t" + post, 3);
        assertEquals(2, fine.size(), "valid multi-byte UTF-8, split at every third byte, passes: " + fine);
    }

    @Test
    void refusesDeepNestingAndHugeStanzas()
    {
        final String deep = "<a>".repeat(40) + "</a>".repeat(40);
        final DecoderException d = assertThrows(DecoderException.class, () -> feed(
            new EmbeddedChannel(new XmppFramer(4096, 32)), HEADER + deep, 1000));
        assertTrue(d.getCause().getMessage().contains("deeper than 32"), d.getCause().getMessage());

        final String huge = "<message><body>" + "x".repeat(10_000) + "</body></message>";
        final DecoderException h = assertThrows(DecoderException.class, () -> feed(
            new EmbeddedChannel(new XmppFramer(4096, 32)), HEADER + huge, 512));
        assertTrue(h.getCause().getMessage().contains("larger than 4096"), h.getCause().getMessage());
    }

    @Test
    void truncatedStanzaYieldsNothing()
    {
        final EmbeddedChannel ch = new EmbeddedChannel(new XmppFramer());
        final List<Object> out = feed(ch, HEADER + PUBLISH.substring(0, PUBLISH.length() - 10), 1000);
        assertEquals(1, out.size());
        ch.finish();
        assertNull(ch.readInbound());
    }

    @Test
    void refusesTextBetweenStanzasAndMismatchedTags()
    {
        final DecoderException t = assertThrows(DecoderException.class, () -> feed(
            new EmbeddedChannel(new XmppFramer()), HEADER + "hello", 1000));
        assertTrue(t.getCause().getMessage().contains("character data"), t.getCause().getMessage());
        final DecoderException m = assertThrows(DecoderException.class, () -> feed(
            new EmbeddedChannel(new XmppFramer()), HEADER + "<iq><a></b></iq>", 1000));
        assertTrue(m.getCause().getMessage().contains("mismatched"), m.getCause().getMessage());
        final DecoderException s = assertThrows(DecoderException.class, () -> feed(
            new EmbeddedChannel(new XmppFramer()), "<iq/>", 1000));
        assertTrue(s.getCause().getMessage().contains("stream:stream"), s.getCause().getMessage());
    }

    @Test
    void serializedElementsParseBackEqual()
    {
        final XmlElement e = XmlElement.builder("iq").attribute("id", "a'b\"<c>&")
            .leaf("text", "1 < 2 & \"q\"").child(XmlElement.builder("empty").build()).build();
        assertEquals(e, new XmlParser(8).parse(e.toXml()));
    }

    private static final String ITEMS =
        "<message from=\"network-control@contrailsystems.com\" to=\"compute-1/bgp-peer\">" +
        "<event xmlns=\"http://jabber.org/protocol/pubsub\"><items node=\"1/1/default-domain:k8s-default:vn:vn\">" +
        "<item id=\"10.47.255.252/32\"><entry><nlri><af>1</af><safi>1</safi><address>10.47.255.252/32</address>" +
        "</nlri><next-hops><next-hop><af>1</af><address>192.168.1.11</address><label>25</label>" +
        "<tunnel-encapsulation-list><tunnel-encapsulation>udp</tunnel-encapsulation></tunnel-encapsulation-list>" +
        "<virtual-network>default-domain:k8s-default:vn</virtual-network></next-hop></next-hops>" +
        "</entry></item><retract id=\"10.47.255.251/32\"/></items></event></message>";

    @Test
    void routeItemsComeReadAtEveryChunkSizeAsClassifyReadsThem()
    {
        final ChannelMessage expected = ContrailXmpp.classify(new XmlParser(32).parse(ITEMS));
        final String stream = HEADER + ITEMS + " " + ITEMS + ITEMS + "\n<iq type='result' id='x'/>";
        for (final int chunk : new int[] {1, 2, 9, 10, 11, 64, 100_000})
        {
            final List<Object> out = feed(new EmbeddedChannel(new XmppFramer()), stream, chunk);
            assertEquals(5, out.size(), "chunk " + chunk);
            for (int i = 1; i <= 3; i++)
            {
                assertEquals(expected, assertInstanceOf(XmppInbound.Classified.class, out.get(i)).message());
            }
            assertEquals("x", assertInstanceOf(XmppInbound.Stanza.class, out.get(4)).element().attribute("id"));
        }
    }

    @Test
    void aMessageEndInsideACommentOrAnotherShapeGoesThroughTheParser()
    {
        // A comment, or a nested element named like the stanza: the scan finds the real end and the
        // decoder, which reads no comments, leaves the stanza to the parser.
        final String commented = ITEMS.replace("<event ", "<!-- </message> --><event ");
        final String nested = "<message><body><message>hi</message></body></message>";
        final String stream = HEADER + commented + nested + ITEMS;
        for (final int chunk : new int[] {1, 7, 100_000})
        {
            final List<Object> out = feed(new EmbeddedChannel(new XmppFramer()), stream, chunk);
            assertEquals(4, out.size(), "chunk " + chunk);
            final XmlElement viaParser = assertInstanceOf(XmppInbound.Stanza.class, out.get(1)).element();
            assertEquals(ContrailXmpp.classify(new XmlParser(32).parse(ITEMS)), ContrailXmpp.classify(viaParser));
            assertEquals("hi", assertInstanceOf(XmppInbound.Stanza.class, out.get(2)).element().child("body")
                .childText("message"));
            assertInstanceOf(XmppInbound.Classified.class, out.get(3));
        }
    }

    @Test
    void aMessageStanzaIsHeldToTheSizeAndDepthLimitsToo()
    {
        final String big = ITEMS.replace("<retract", "<item id='1.1.1.1/32'><entry>" + "<x-pad/>".repeat(1000) +
            "</entry></item><retract");
        final DecoderException h = assertThrows(DecoderException.class, () -> feed(
            new EmbeddedChannel(new XmppFramer(4096, 32)), HEADER + big, 512));
        assertTrue(h.getCause().getMessage().contains("larger than 4096"), h.getCause().getMessage());
        final String deep = ITEMS.replace("<retract", "<item>" + "<a>".repeat(40) + "</a>".repeat(40) +
            "</item><retract");
        final DecoderException d = assertThrows(DecoderException.class, () -> feed(
            new EmbeddedChannel(new XmppFramer()), HEADER + deep, 1000));
        assertTrue(d.getCause().getMessage().contains("deeper than 32"), d.getCause().getMessage());
    }
}
