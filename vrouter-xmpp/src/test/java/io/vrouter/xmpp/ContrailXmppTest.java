package io.vrouter.xmpp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContrailXmppTest
{
    private static final String VRF = "default-domain:k8s-default:k8s-default-pod-network:k8s-default-pod-network";
    private static final XmlParser PARSER = new XmlParser(32);

    private static RouteEntry route(final String prefix, final int label)
    {
        return new RouteEntry(1, 1, prefix, List.of(new RouteNextHop(1, "192.168.1.11", "", label,
            List.of("gre", "udp"), "default-domain:k8s-default:k8s-default-pod-network")), 0, 200);
    }

    /** Serializes and parses back, as the peer would see it. */
    private static ChannelMessage wire(final XmlElement stanza)
    {
        return ContrailXmpp.classify(PARSER.parse(stanza.toXml()));
    }

    @Test
    void publishAndCollectionAsTheReferenceShowsThem()
    {
        final List<XmlElement> stanzas =
            ContrailXmpp.publish("compute-1", 7, VRF, route("10.47.255.252/32", 25), false);
        assertEquals("1/1/" + VRF + "/10.47.255.252/32",
            stanzas.get(0).child("pubsub").child("publish").attribute("node"));
        assertEquals("pubsub7", stanzas.get(0).attribute("id"));
        assertEquals("collection7", stanzas.get(1).attribute("id"));
        final ChannelMessage.Publish p = assertInstanceOf(ChannelMessage.Publish.class, wire(stanzas.get(0)));
        assertEquals(VRF, p.instance());
        assertEquals(route("10.47.255.252/32", 25), p.entry());
        final ChannelMessage.Collection c = assertInstanceOf(ChannelMessage.Collection.class, wire(stanzas.get(1)));
        assertEquals(List.of("10.47.255.252/32"), c.associate());
        assertEquals(List.of(), c.dissociate());
        final ChannelMessage.Collection w = assertInstanceOf(ChannelMessage.Collection.class,
            wire(ContrailXmpp.publish("compute-1", 8, VRF, route("10.47.255.252/32", 25), true).get(1)));
        assertEquals(List.of("10.47.255.252/32"), w.dissociate());
    }

    @Test
    void itemsWithEcmpAndRetract()
    {
        final RouteEntry ecmp = new RouteEntry(1, 1, "10.47.255.250/32", List.of(
            new RouteNextHop(1, "192.168.1.11", "", 17, List.of("udp"), "vn"),
            new RouteNextHop(1, "192.168.1.12", "", 18, List.of("udp"), "vn")), 3, 200);
        final ChannelMessage.RouteUpdate u = assertInstanceOf(ChannelMessage.RouteUpdate.class,
            wire(ContrailXmpp.routeUpdate("compute-1", VRF, 1, 1, List.of(ecmp), List.of("10.47.255.249/32"))));
        assertEquals(VRF, u.instance());
        assertEquals(List.of(ecmp), u.items());
        assertEquals(List.of("10.47.255.249/32"), u.retracts());
    }

    @Test
    void subscribeEndOfRibConfigAndResults()
    {
        final ChannelMessage.Subscribe s = assertInstanceOf(ChannelMessage.Subscribe.class,
            wire(ContrailXmpp.subscribe("compute-1", "subscribe1", VRF, 3)));
        assertEquals(3, s.instanceId());
        assertEquals(VRF, s.instance());
        assertInstanceOf(ChannelMessage.EndOfRib.class,
            wire(ContrailXmpp.endOfRib("compute-1", ContrailXmpp.CONTROL_JID + "/bgp-peer")));
        final XmlElement vn =
            XmlElement.builder("node").attribute("type", "virtual-network").leaf("name", "RED").build();
        final ChannelMessage.Config c = assertInstanceOf(ChannelMessage.Config.class,
            wire(ContrailXmpp.config("compute-1", "c1", true, List.of(vn), List.of())));
        assertTrue(c.delete());
        assertEquals(List.of(vn), c.nodes());
        final ChannelMessage.IqResult r = assertInstanceOf(ChannelMessage.IqResult.class,
            wire(ContrailXmpp.result("a", "b", "subscribe1", "unknown instance")));
        assertTrue(r.error());
        assertEquals("unknown instance", r.text());
    }

    @Test
    void refusesWhatIsNotTheSchema()
    {
        final String[] bad = {
            "<presence/>",
            "<iq type='get' id='1'/>",
            "<iq type='set' id='1'><pubsub><frobnicate node='x'/></pubsub></iq>",
            "<iq type='set' id='1'><pubsub><subscribe node='x'/></pubsub></iq>",
            "<iq type='set' id='1'><pubsub><subscribe node='x'><options><instance-id>abc</instance-id>" +
                "</options></subscribe></pubsub></iq>",
            "<iq type='set' id='1'><pubsub><collection node='x'><associate node='1/1/y/10.0.0.1/32'/>" +
                "</collection></pubsub></iq>",
            "<iq type='set' id='1'><pubsub><collection node='x'><associate node='1/1/x/10.0.0.300/32'/>" +
                "</collection></pubsub></iq>",
            "<iq type='set' id='1'><config><update><bogus/></update></config></iq>",
            "<message><event><items node='garbage'/></event></message>",
            "<message><event><items node='1/1/x'><retract/></items></event></message>",
            "<message><event><items node='1/1/x'><item><entry><nlri><address>10.0.0.1/33</address></nlri>" +
                "<next-hops><next-hop><address>1.1.1.1</address></next-hop></next-hops></entry></item>" +
                "</items></event></message>",
            "<message><event><items node='1/1/x'><item><entry><nlri><address>10.0.0.1/32</address></nlri>" +
                "<next-hops></next-hops></entry></item></items></event></message>",
        };
        for (final String b : bad)
        {
            assertThrows(XmppProtocolException.class, () -> ContrailXmpp.classify(PARSER.parse(b)), b);
        }
        final String tooManyHops = "<message><event><items node='1/1/x'><item id='10.0.0.1/32'><entry><nlri>" +
            "<af>1</af><safi>1</safi><address>10.0.0.1/32</address></nlri><next-hops>" + ("<next-hop><af>1</af>" +
            "<address>1.1.1.1</address><label>16</label></next-hop>").repeat(RouteEntry.MAX_NEXT_HOPS + 1) +
            "</next-hops></entry></item></items></event></message>";
        final XmppProtocolException many = assertThrows(XmppProtocolException.class,
            () -> ContrailXmpp.classify(PARSER.parse(tooManyHops)));
        assertTrue(many.getMessage().contains("at most " + RouteEntry.MAX_NEXT_HOPS), many.getMessage());
        final byte[] bytes = tooManyHops.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(null, new RouteItemsDecoder(32).decode(bytes, 0, bytes.length),
            "the fast path leaves it to classify, which refuses it");
        final List<XmlElement> twoHops = ContrailXmpp.publish("c", 1, VRF, new RouteEntry(1, 1, "10.0.0.1/32",
            List.of(new RouteNextHop(1, "1.1.1.1", "", 16, List.of("udp"), "vn"),
                new RouteNextHop(1, "1.1.1.2", "", 16, List.of("udp"), "vn")), 0, 100), false);
        final XmppProtocolException e = assertThrows(XmppProtocolException.class, () -> wire(twoHops.get(0)));
        assertTrue(e.getMessage().contains("exactly one next hop"), e.getMessage());
    }
}
