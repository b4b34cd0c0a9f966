package io.vrouter.xmpp;

import java.util.ArrayList;
import java.util.List;

/**
 * Contrail's controller-channel messages (reference §4): the names, the stanza builders for both
 * directions and {@link #classify(XmlElement)}, which turns a received stanza into a
 * {@link ChannelMessage} or refuses it.
 */
public final class ContrailXmpp
{
    /** The control node's JID. */
    public static final String CONTROL_JID = "network-control@contrailsystems.com";
    /** Resource for routes. */
    public static final String BGP_PEER = "bgp-peer";
    /** Resource for configuration. */
    public static final String CONFIG = "config";
    /** The pubsub namespace. */
    public static final String PUBSUB_NS = "http://jabber.org/protocol/pubsub";
    /** The node name Contrail uses for end-of-RIB. */
    public static final String END_OF_RIB = "0/0/EndOfRib";
    /** Default XMPP port. */
    public static final int DEFAULT_PORT = 5269;

    private ContrailXmpp()
    {
    }

    /**
     * The opening of a stream (never closed until the session ends).
     *
     * @param from this side's JID.
     * @param to   the peer's JID.
     * @param id   stream id (the server's answer carries one), or null.
     * @return the text to send.
     */
    public static String streamHeader(final String from, final String to, final String id)
    {
        final StringBuilder out = new StringBuilder(256);
        out.append("<?xml version='1.0'?><stream:stream from='");
        XmlElement.escape(from, out);
        out.append("' to='");
        XmlElement.escape(to, out);
        if (id != null)
        {
            out.append("' id='");
            XmlElement.escape(id, out);
        }
        out.append("' version='1.0' xml:lang='en' xmlns='jabber:client' ")
            .append("xmlns:stream='http://etherx.jabber.org/streams' >");
        return out.toString();
    }

    /**
     * The node prefix of an instance's routes, {@code 1/1/<instance>}.
     *
     * @param af       address family.
     * @param safi     sub-family.
     * @param instance routing instance name.
     * @return node name.
     */
    public static String instanceNode(final int af, final int safi, final String instance)
    {
        return af + "/" + safi + "/" + instance;
    }

    /**
     * Subscribe to an instance (node → controller).
     *
     * @param from       node JID.
     * @param id         iq id.
     * @param instance   routing instance.
     * @param instanceId the node's VRF index.
     * @return the stanza.
     */
    public static XmlElement subscribe(final String from, final String id, final String instance, final int instanceId)
    {
        return iq(from, CONTROL_JID + "/" + BGP_PEER, id, XmlElement.builder("subscribe")
            .attribute("node", instance)
            .child(XmlElement.builder("options").leaf("instance-id", Integer.toString(instanceId)).build())
            .build());
    }

    /**
     * Unsubscribe from an instance.
     *
     * @param from     node JID.
     * @param id       iq id.
     * @param instance routing instance.
     * @return the stanza.
     */
    public static XmlElement unsubscribe(final String from, final String id, final String instance)
    {
        return iq(from, CONTROL_JID + "/" + BGP_PEER, id,
            XmlElement.builder("unsubscribe").attribute("node", instance).build());
    }

    /**
     * The two stanzas that publish (or withdraw) a route: {@code publish} then {@code collection}.
     *
     * @param from     node JID.
     * @param seq      sequence used for the ids ({@code pubsubN}, {@code collectionN}).
     * @param instance routing instance.
     * @param entry    the route.
     * @param withdraw true to dissociate (withdraw) instead of associate.
     * @return the two stanzas in order.
     */
    public static List<XmlElement> publish(
        final String from, final long seq, final String instance, final RouteEntry entry, final boolean withdraw)
    {
        final String node = instanceNode(entry.af(), entry.safi(), instance) + "/" + entry.prefix();
        final XmlElement publish = iq(from, CONTROL_JID + "/" + BGP_PEER, "pubsub" + seq,
            XmlElement.builder("publish").attribute("node", node)
                .child(XmlElement.builder("item").child(entry.toXml()).build())
                .build());
        final XmlElement collection = iq(from, CONTROL_JID + "/" + BGP_PEER, "collection" + seq,
            XmlElement.builder("collection").attribute("node", instance)
                .child(XmlElement.builder(withdraw ? "dissociate" : "associate").attribute("node", node).build())
                .build());
        return List.of(publish, collection);
    }

    /**
     * End of RIB as a message.
     *
     * @param from sender JID.
     * @param to   receiver JID.
     * @return the stanza.
     */
    public static XmlElement endOfRib(final String from, final String to)
    {
        return XmlElement.builder("message").attribute("from", from).attribute("to", to)
            .child(XmlElement.builder("event").attribute("xmlns", PUBSUB_NS)
                .child(XmlElement.builder("items").attribute("node", END_OF_RIB).build())
                .build())
            .build();
    }

    /**
     * Routes and withdrawals of one instance (controller → node).
     *
     * @param to       node JID.
     * @param instance routing instance.
     * @param af       address family.
     * @param safi     sub-family.
     * @param items    routes.
     * @param retracts withdrawn prefixes.
     * @return the stanza.
     */
    public static XmlElement routeUpdate(
        final String to,
        final String instance,
        final int af,
        final int safi,
        final List<RouteEntry> items,
        final List<String> retracts)
    {
        final XmlElement.Builder b = XmlElement.builder("items").attribute("node", instanceNode(af, safi, instance));
        for (final RouteEntry e : items)
        {
            b.child(XmlElement.builder("item").attribute("id", e.prefix()).child(e.toXml()).build());
        }
        for (final String r : retracts)
        {
            b.child(XmlElement.builder("retract").attribute("id", r).build());
        }
        return XmlElement.builder("message").attribute("from", CONTROL_JID).attribute("to", to + "/" + BGP_PEER)
            .child(XmlElement.builder("event").attribute("xmlns", PUBSUB_NS).child(b.build()).build())
            .build();
    }

    /**
     * A configuration block (controller → node).
     *
     * @param to     node JID.
     * @param id     iq id.
     * @param delete true for {@code delete}, false for {@code update}.
     * @param nodes  {@code node} elements.
     * @param links  {@code link} elements.
     * @return the stanza.
     */
    public static XmlElement config(
        final String to, final String id, final boolean delete, final List<XmlElement> nodes,
        final List<XmlElement> links)
    {
        final XmlElement.Builder block = XmlElement.builder(delete ? "delete" : "update");
        nodes.forEach(block::child);
        links.forEach(block::child);
        return XmlElement.builder("iq").attribute("type", "set").attribute("from", CONTROL_JID)
            .attribute("to", to + "/" + CONFIG).attribute("id", id)
            .child(XmlElement.builder("config").child(block.build()).build())
            .build();
    }

    /**
     * The answer to an iq.
     *
     * @param from  sender.
     * @param to    receiver.
     * @param id    the id answered.
     * @param error null for success, else the error text.
     * @return the stanza.
     */
    public static XmlElement result(final String from, final String to, final String id, final String error)
    {
        final XmlElement.Builder b = XmlElement.builder("iq").attribute("type", error == null ? "result" : "error")
            .attribute("from", from).attribute("to", to).attribute("id", id);
        if (error != null)
        {
            b.child(XmlElement.builder("error").attribute("type", "modify")
                .leaf("text", error).build());
        }
        return b.build();
    }

    /**
     * Classifies a received stanza.
     *
     * @param stanza the stanza.
     * @return the message.
     * @throws XmppProtocolException when it does not follow the schema.
     */
    public static ChannelMessage classify(final XmlElement stanza)
    {
        switch (stanza.name())
        {
            case "iq":
                return classifyIq(stanza);
            case "message":
                return classifyMessage(stanza);
            default:
                throw new XmppProtocolException("unexpected stanza <" + stanza.name() + ">");
        }
    }

    private static ChannelMessage classifyIq(final XmlElement iq)
    {
        final String type = iq.attribute("type");
        final String id = iq.attribute("id") == null ? "" : iq.attribute("id");
        if ("result".equals(type) || "error".equals(type))
        {
            final XmlElement error = iq.child("error");
            return new ChannelMessage.IqResult(id, "error".equals(type),
                error == null || error.childText("text") == null ? "" : error.childText("text"));
        }
        if (!"set".equals(type))
        {
            throw new XmppProtocolException("iq of type '" + type + "' is not part of the channel");
        }
        final XmlElement config = iq.child("config");
        if (config != null)
        {
            final XmlElement update = config.child("update");
            final XmlElement delete = config.child("delete");
            if ((update == null) == (delete == null) || config.children().size() != 1)
            {
                throw new XmppProtocolException("config must hold exactly one update or delete block");
            }
            final XmlElement block = update != null ? update : delete;
            for (final XmlElement child : block.children())
            {
                if (!child.name().equals("node") && !child.name().equals("link"))
                {
                    throw new XmppProtocolException("unexpected <" + child.name() + "> in a config block");
                }
                if (child.name().equals("node") && (child.attribute("type") == null || child.childText("name") == null))
                {
                    throw new XmppProtocolException("config node without type or name");
                }
            }
            return new ChannelMessage.Config(delete != null, block.children("node"), block.children("link"));
        }
        final XmlElement pubsub = iq.child("pubsub");
        if (pubsub == null || pubsub.children().size() != 1)
        {
            throw new XmppProtocolException("iq set must hold one pubsub operation or a config block");
        }
        final XmlElement op = pubsub.children().get(0);
        final String node = op.attribute("node");
        if (node == null || node.isEmpty())
        {
            throw new XmppProtocolException("<" + op.name() + "> without a node");
        }
        switch (op.name())
        {
            case "subscribe":
            {
                final XmlElement options = op.child("options");
                final String instanceId = options == null ? null : options.childText("instance-id");
                if (instanceId == null)
                {
                    throw new XmppProtocolException("subscribe to " + node + " without an instance-id");
                }
                return new ChannelMessage.Subscribe(id, node, parseInt(instanceId, "instance-id"));
            }
            case "unsubscribe":
                return new ChannelMessage.Unsubscribe(id, node);
            case "publish":
            {
                if (END_OF_RIB.equals(node) || op.child("item") == null)
                {
                    return new ChannelMessage.EndOfRib();
                }
                final String[] parts = splitRouteNode(node);
                final XmlElement entry = op.child("item").child("entry");
                if (entry == null)
                {
                    throw new XmppProtocolException("publish item without entry");
                }
                final RouteEntry route = RouteEntry.fromXml(entry);
                if (!route.prefix().equals(parts[3]))
                {
                    throw new XmppProtocolException(
                        "publish node " + node + " does not match prefix " + route.prefix());
                }
                if (route.nextHops().size() != 1)
                {
                    throw new XmppProtocolException("a node publishes exactly one next hop per route");
                }
                return new ChannelMessage.Publish(id, parts[2], route);
            }
            case "collection":
            {
                final List<String> associate = new ArrayList<>();
                final List<String> dissociate = new ArrayList<>();
                for (final XmlElement c : op.children())
                {
                    final String target = c.attribute("node");
                    if (target == null)
                    {
                        throw new XmppProtocolException("<" + c.name() + "> without a node");
                    }
                    final String[] parts = splitRouteNode(target);
                    if (!parts[2].equals(node))
                    {
                        throw new XmppProtocolException("collection " + node + " names a route of " + parts[2]);
                    }
                    switch (c.name())
                    {
                        case "associate" -> associate.add(parts[3]);
                        case "dissociate" -> dissociate.add(parts[3]);
                        default -> throw new XmppProtocolException("unexpected <" + c.name() + "> in a collection");
                    }
                }
                return new ChannelMessage.Collection(id, node, associate, dissociate);
            }
            default:
                throw new XmppProtocolException("unknown pubsub operation <" + op.name() + ">");
        }
    }

    private static ChannelMessage classifyMessage(final XmlElement message)
    {
        final XmlElement event = message.child("event");
        final XmlElement items = event == null ? null : event.child("items");
        if (items == null)
        {
            return new ChannelMessage.EndOfRib();
        }
        final String node = items.attribute("node");
        if (node == null)
        {
            throw new XmppProtocolException("items without a node");
        }
        if (END_OF_RIB.equals(node))
        {
            return new ChannelMessage.EndOfRib();
        }
        final int[] afSafi = itemsNode(node);
        final List<RouteEntry> routes = new ArrayList<>();
        final List<String> retracts = new ArrayList<>();
        for (final XmlElement child : items.children())
        {
            switch (child.name())
            {
                case "item" ->
                {
                    final XmlElement entry = child.child("entry");
                    if (entry == null)
                    {
                        throw new XmppProtocolException("item without entry");
                    }
                    routes.add(RouteEntry.fromXml(entry));
                }
                case "retract" ->
                {
                    final String prefix = child.attribute("id");
                    if (prefix == null)
                    {
                        throw new XmppProtocolException("retract without id");
                    }
                    checkPrefix(prefix);
                    retracts.add(prefix);
                }
                default -> throw new XmppProtocolException("unexpected <" + child.name() + "> in items");
            }
        }
        return new ChannelMessage.RouteUpdate(node.substring(afSafi[2]), afSafi[0], afSafi[1], routes, retracts);
    }

    /**
     * Reads an {@code items} node, {@code <af>/<safi>/<instance>}.
     *
     * @param node the attribute.
     * @return af, safi, and where the instance name starts.
     * @throws XmppProtocolException when it has another shape.
     */
    static int[] itemsNode(final String node)
    {
        final int first = node.indexOf('/');
        final int second = first < 0 ? -1 : node.indexOf('/', first + 1);
        if (second < 0 || second == node.length() - 1)
        {
            throw new XmppProtocolException("items node '" + node + "' is not <af>/<safi>/<instance>");
        }
        return new int[] {parseInt(node.substring(0, first), "af"), parseInt(node.substring(first + 1, second), "safi"),
            second + 1};
    }

    /**
     * Splits {@code <af>/<safi>/<instance>/<address>/<length>}.
     *
     * @return af, safi, instance, prefix.
     */
    private static String[] splitRouteNode(final String node)
    {
        final int first = node.indexOf('/');
        final int second = first < 0 ? -1 : node.indexOf('/', first + 1);
        final int last = node.lastIndexOf('/');
        final int beforeLast = last < 0 ? -1 : node.lastIndexOf('/', last - 1);
        if (second < 0 || beforeLast <= second)
        {
            throw new XmppProtocolException("route node '" + node + "' is not <af>/<safi>/<instance>/<prefix>");
        }
        parseInt(node.substring(0, first), "af");
        parseInt(node.substring(first + 1, second), "safi");
        final String prefix = node.substring(beforeLast + 1);
        checkPrefix(prefix);
        return new String[] {node.substring(0, first), node.substring(first + 1, second),
            node.substring(second + 1, beforeLast), prefix};
    }

    static void checkPrefix(final String prefix)
    {
        final int slash = prefix.indexOf('/');
        if (slash <= 0 || slash == prefix.length() - 1)
        {
            throw new XmppProtocolException("'" + prefix + "' is not a prefix");
        }
        final int length = parseInt(prefix.substring(slash + 1), "prefix length");
        final boolean v6 = prefix.indexOf(':') >= 0;
        if (length < 0 || length > (v6 ? 128 : 32))
        {
            throw new XmppProtocolException("'" + prefix + "' has an invalid length");
        }
        final String address = prefix.substring(0, slash);
        if (!v6)
        {
            final String[] octets = address.split("\\.", -1);
            if (octets.length != 4)
            {
                throw new XmppProtocolException("'" + prefix + "' is not an IPv4 prefix");
            }
            for (final String o : octets)
            {
                final int v = parseInt(o, "address");
                if (v < 0 || v > 255)
                {
                    throw new XmppProtocolException("'" + prefix + "' is not an IPv4 prefix");
                }
            }
        }
        else if (!address.matches("[0-9a-fA-F:.]+"))
        {
            throw new XmppProtocolException("'" + prefix + "' is not an IPv6 prefix");
        }
    }

    static String requiredChild(final XmlElement e, final String name)
    {
        final String text = e.childText(name);
        if (text == null || text.isEmpty())
        {
            throw new XmppProtocolException("<" + e.name() + "> without <" + name + ">");
        }
        return text;
    }

    static int intChild(final XmlElement e, final String name, final int absent)
    {
        final String text = e.childText(name);
        return text == null ? absent : parseInt(text, name);
    }

    private static int parseInt(final String text, final String what)
    {
        if (text.isEmpty() || text.length() > 10)
        {
            throw new XmppProtocolException(what + " '" + text + "' is not a number");
        }
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException e)
        {
            throw new XmppProtocolException(what + " '" + text + "' is not a number");
        }
    }

    private static XmlElement iq(final String from, final String to, final String id, final XmlElement operation)
    {
        return XmlElement.builder("iq").attribute("type", "set").attribute("from", from).attribute("to", to)
            .attribute("id", id)
            .child(XmlElement.builder("pubsub").attribute("xmlns", PUBSUB_NS).child(operation).build())
            .build();
    }
}
