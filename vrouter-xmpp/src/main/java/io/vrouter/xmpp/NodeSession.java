package io.vrouter.xmpp;

import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The node's end of the controller channel: opens the stream as Contrail's agent does and hands
 * the controller's routes, configuration and end-of-RIB to a {@link ControllerListener}. A stanza
 * only a node may send (subscribe, publish) arriving from the controller is a protocol error.
 */
public final class NodeSession extends XmppSession
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeSession.class);

    private final String nodeName;
    private final ControllerListener listener;
    private long sequence;

    /**
     * A session.
     *
     * @param nodeName the node's JID (its host name).
     * @param listener where events go.
     */
    public NodeSession(final String nodeName, final ControllerListener listener)
    {
        this.nodeName = nodeName;
        this.listener = listener;
    }

    /**
     * Subscribes to a routing instance.
     *
     * @param instance   routing instance name.
     * @param instanceId the node's VRF index for it.
     */
    public void subscribe(final String instance, final int instanceId)
    {
        send(ContrailXmpp.subscribe(nodeName, "subscribe" + (++sequence), instance, instanceId));
    }

    /**
     * Unsubscribes from a routing instance.
     *
     * @param instance routing instance name.
     */
    public void unsubscribe(final String instance)
    {
        send(ContrailXmpp.unsubscribe(nodeName, "unsubscribe" + (++sequence), instance));
    }

    /**
     * Publishes (or withdraws) a local route.
     *
     * @param instance routing instance name.
     * @param entry    the route, one next hop.
     * @param withdraw true to withdraw.
     */
    public void publish(final String instance, final RouteEntry entry, final boolean withdraw)
    {
        for (final XmlElement stanza : ContrailXmpp.publish(nodeName, ++sequence, instance, entry, withdraw))
        {
            send(stanza);
        }
    }

    /**
     * A route to publish into an instance, or to withdraw from it.
     *
     * @param instance routing instance name.
     * @param entry    the route (one next hop).
     * @param withdraw true to withdraw it.
     */
    public record Publication(String instance, RouteEntry entry, boolean withdraw)
    {
    }

    /**
     * Publishes and withdraws routes of any instances as one batch (one flush), in order.
     *
     * @param publications the routes.
     */
    public void publish(final List<Publication> publications)
    {
        final List<XmlElement> stanzas = new ArrayList<>(publications.size() * 2);
        for (final Publication p : publications)
        {
            stanzas.addAll(ContrailXmpp.publish(nodeName, ++sequence, p.instance(), p.entry(), p.withdraw()));
        }
        sendAll(stanzas);
    }

    /**
     * Publishes many routes of one instance as one batch (one flush).
     *
     * @param instance routing instance name.
     * @param entries  the routes, one next hop each.
     */
    public void publishAll(final String instance, final List<RouteEntry> entries)
    {
        final List<XmlElement> stanzas = new ArrayList<>(entries.size() * 2);
        for (final RouteEntry e : entries)
        {
            stanzas.addAll(ContrailXmpp.publish(nodeName, ++sequence, instance, e, false));
        }
        sendAll(stanzas);
    }

    /**
     * Tells the controller this node has published everything.
     */
    public void endOfRib()
    {
        send(ContrailXmpp.endOfRib(nodeName, ContrailXmpp.CONTROL_JID + "/" + ContrailXmpp.BGP_PEER));
    }

    @Override
    protected void onConnected(final ChannelHandlerContext ctx)
    {
        ctx.writeAndFlush(ContrailXmpp.streamHeader(nodeName, ContrailXmpp.CONTROL_JID, null));
    }

    @Override
    protected void onStreamOpen(final ChannelHandlerContext ctx, final XmlElement header)
    {
        LOG.info("XMPP session with the controller is up (stream id {})", header.attribute("id"));
        listener.onSessionUp();
    }

    @Override
    protected void onMessage(final ChannelMessage message)
    {
        switch (message)
        {
            case ChannelMessage.RouteUpdate u -> listener.onRoutes(u);
            case ChannelMessage.Config c -> listener.onConfig(c);
            case ChannelMessage.EndOfRib e -> listener.onEndOfRib();
            case ChannelMessage.IqResult r ->
            {
                if (r.error())
                {
                    LOG.warn("controller refused {}: {}", r.id(), r.text());
                }
            }
            default -> close("the controller sent a node-only message: " + message.getClass().getSimpleName());
        }
    }

    @Override
    protected void onClosed(final boolean wasOpen)
    {
        if (wasOpen)
        {
            listener.onSessionDown();
        }
    }
}
