package io.vrouter.xmpp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The route fast paths against the general ones: {@link RouteItemsStanza} writes exactly the bytes
 * of {@link ContrailXmpp#routeUpdate} serialized, and {@link RouteItemsDecoder} either gives the
 * message {@link ContrailXmpp#classify} gives or gives up.
 */
class RouteItemsCodecTest
{
    private static final String INSTANCE = "default-domain:k8s-default:k8s-default-pod-network:k8s-default-pod-network";
    private static final String VN = "default-domain:k8s-default:k8s-default-pod-network";

    private static RouteEntry route(final String prefix, final RouteNextHop... hops)
    {
        return new RouteEntry(1, 1, prefix, List.of(hops), 3, 200);
    }

    private static RouteNextHop hop(final String address, final int label, final String... encaps)
    {
        return new RouteNextHop(1, address, "", label, List.of(encaps), VN);
    }

    private static byte[] fast(final ChannelMessage.RouteUpdate update)
    {
        final ByteBuf out = Unpooled.buffer();
        new RouteItemsStanza("compute-1", update).writeTo(out);
        final byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    private static byte[] general(final ChannelMessage.RouteUpdate update)
    {
        return ContrailXmpp.routeUpdate("compute-1", update.instance(), update.af(), update.safi(), update.items(),
            update.retracts()).toXml().getBytes(StandardCharsets.UTF_8);
    }

    private static ChannelMessage classify(final String xml)
    {
        return ContrailXmpp.classify(new XmlParser(XmppFramer.DEFAULT_MAX_DEPTH).parse(xml));
    }

    private static ChannelMessage decode(final String xml)
    {
        final byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        return new RouteItemsDecoder(XmppFramer.DEFAULT_MAX_DEPTH).decode(bytes, 0, bytes.length);
    }

    private static List<ChannelMessage.RouteUpdate> updates()
    {
        final List<ChannelMessage.RouteUpdate> out = new ArrayList<>();
        out.add(new ChannelMessage.RouteUpdate(INSTANCE, 1, 1, List.of(route("10.47.255.252/32",
            hop("192.168.1.11", 25, "gre", "udp"))), List.of()));
        out.add(new ChannelMessage.RouteUpdate(INSTANCE, 1, 1, List.of(), List.of("10.47.255.251/32", "10.0.0.0/8")));
        out.add(new ChannelMessage.RouteUpdate(INSTANCE, 1, 1, List.of(), List.of()));
        out.add(new ChannelMessage.RouteUpdate(INSTANCE, 1, 1, List.of(
            route("2.0.0.252/32", hop("192.168.1.11", 16, "udp"), hop("192.168.1.12", 17, "udp")),
            new RouteEntry(1, 1, "100.0.0.0/24", List.of(new RouteNextHop(1, "192.168.1.13", "00:00:5e:00:01:00", 0,
                List.of(), "")), 0, 100),
            new RouteEntry(2, 1, "fd00::5/128", List.of(hop("192.168.1.14", 1_048_575, "vxlan")), 7, 100)),
            List.of("10.1.2.3/32")));
        // Escaping and non-ASCII text: the fast writer's slow branch must match the element writer.
        out.add(new ChannelMessage.RouteUpdate("default-domain:k8s-ns:r&d <\"net\">:'r&d'", 1, 1, List.of(
            new RouteEntry(1, 1, "10.9.9.9/32", List.of(new RouteNextHop(1, "192.168.1.15", "", 99, List.of("udp"),
                "default-domain:k8s-ns:réseau-é")), 0, 200)), List.of()));
        out.add(new ChannelMessage.RouteUpdate("default-domain:k8s-équipe:réseau:réseau", 1, 1, List.of(
            new RouteEntry(1, 1, "10.9.9.8/32", List.of(new RouteNextHop(1, "192.168.1.15", "", 98, List.of("udp"),
                "default-domain:k8s-équipe:réseau")), 0, 200)), List.of()));
        final Random random = new Random(7);
        final List<RouteEntry> many = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            final int a = random.nextInt();
            final String prefix = (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255) + "/" +
                random.nextInt(33);
            final RouteNextHop nh = hop("192.168.1." + random.nextInt(256), random.nextInt(1 << 20),
                random.nextBoolean() ? "udp" : "gre");
            many.add(new RouteEntry(1, 1, prefix, List.of(nh), random.nextInt(1000), random.nextBoolean() ? 100 : 200));
        }
        out.add(new ChannelMessage.RouteUpdate(INSTANCE, 1, 1, many, List.of("1.2.3.4/32")));
        return out;
    }

    @Test
    void writesTheSameBytesAsTheElementTree()
    {
        for (final ChannelMessage.RouteUpdate u : updates())
        {
            assertEquals(new String(general(u), StandardCharsets.UTF_8), new String(fast(u), StandardCharsets.UTF_8));
        }
    }

    @Test
    void decodesWhatItWritesToWhatClassifyGives()
    {
        for (final ChannelMessage.RouteUpdate u : updates())
        {
            final String xml = new String(fast(u), StandardCharsets.UTF_8);
            final ChannelMessage viaTree = classify(xml);
            if (xml.contains("&"))
            {
                assertNull(decode(xml), "entity references are left to the parser");
                continue;
            }
            assertEquals(viaTree, decode(xml), xml.substring(0, Math.min(200, xml.length())));
            assertEquals(u, decode(xml));
        }
    }

    @Test
    void readsOtherSpellingsOfTheSameMessage()
    {
        // Contrail's control node writes single quotes, attributes in another order, whitespace between
        // elements, fields in another order and elements this node does not use.
        final String xml = "<message to='compute-1/bgp-peer' from='network-control@contrailsystems.com'>\n" +
            "  <event xmlns='http://jabber.org/protocol/pubsub'>\n" +
            "    <items node='1/1/" + INSTANCE + "'>\n" +
            "      <item id='10.47.255.252/32'>\n" +
            "        <entry>\n" +
            "          <next-hops>\n" +
            "            <next-hop><label> 25 </label><address>192.168.1.11</address>" +
            "<tunnel-encapsulation-list><tunnel-encapsulation> udp </tunnel-encapsulation><x-unknown a='1'>" +
            "<deeper/>text</x-unknown></tunnel-encapsulation-list><af>1</af><virtual-network/><mac></mac>" +
            "</next-hop>\n" +
            "            <extra/>\n" +
            "          </next-hops>\n" +
            "          <local-preference>100</local-preference>\n" +
            "          <nlri><address>10.47.255.252/32</address><safi>1</safi></nlri>\n" +
            "          <security-group-list><security-group>8000002</security-group></security-group-list>\n" +
            "        </entry >\n" +
            "      </item>\n" +
            "      <retract id=\"10.47.255.251/32\" />\n" +
            "    </items>\n" +
            "  </event>\n" +
            "</message>";
        final ChannelMessage viaTree = classify(xml);
        final ChannelMessage fast = decode(xml);
        assertNotNull(fast);
        assertEquals(viaTree, fast);
        final ChannelMessage.RouteUpdate u = assertInstanceOf(ChannelMessage.RouteUpdate.class, fast);
        assertEquals(List.of("udp"), u.items().get(0).nextHops().get(0).encapsulations());
        assertEquals(25, u.items().get(0).nextHops().get(0).label());
        assertEquals(List.of("10.47.255.251/32"), u.retracts());
    }

    @Test
    void givesUpOnWhatItDoesNotReadAndTheGeneralPathDecides()
    {
        final String item = "<item id='10.0.0.1/32'><entry><nlri><address>10.0.0.1/32</address></nlri><next-hops>" +
            "<next-hop><address>192.168.1.11</address><label>16</label></next-hop></next-hops></entry></item>";
        final String head = "<message><event><items node='1/1/" + INSTANCE + "'>";
        final String tail = "</items></event></message>";
        assertNotNull(decode(head + item + tail), "the plain form is read");
        final List<String> others = List.of(
            head + item.replace("16", "&#49;6") + tail,
            head + "<!-- note -->" + item + tail,
            head + item.replace("192.168.1.11", "<![CDATA[192.168.1.11]]>") + tail,
            head + item.replace("<label>16</label>", "<label>16</label><label>17</label>") + tail,
            head + item.replace("<label>16</label>", "<label>+16</label>") + tail,
            head + item.replace("<address>192.168.1.11</address>", "") + tail,
            head + item.replace("10.0.0.1/32</address>", "10.0.0.1/33</address>") + tail,
            head + item.replace("<next-hops>", "<next-hops>stray text") + tail,
            head + "<item/>" + tail,
            head + "<retract/>" + tail,
            head + "<route/>" + tail,
            head + item.replace("</entry>", "</entr>") + tail,
            head + item + "</items></event><event/></message>",
            "<message><event><items node='0/0/EndOfRib'/></event></message>",
            "<message><event><items node='1-1-x'>" + item + tail,
            "<message><event><items node='1/1/x' node='1/1/y'>" + item + tail,
            "<message/>",
            "<message><event><items node='1/1/x'>" + item,
            head + item.replace("10.0.0.1/32</address>", "2001:db8::/200</address>") + tail);
        for (final String xml : others)
        {
            assertNull(decode(xml), xml);
            // Whatever the general path makes of it stands: the same message, or a refusal.
            try
            {
                classify(xml);
            }
            catch (final XmppProtocolException expected)
            {
                assertNotNull(expected.getMessage());
            }
        }
        assertThrows(XmppProtocolException.class, () -> classify(others.get(5)), "address is required");
        // A '>' in an attribute value is plain XML: read, and read the same.
        final String quoted = "<message from='a>b'><event><items node='1/1/x'>" + item + tail;
        assertEquals(classify(quoted), decode(quoted));
    }
}
