package io.vrouter.xmpp;

import io.netty.channel.ChannelHandlerContext;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The controller's end of one node's channel: answers the stream header, acknowledges subscribes,
 * merges each {@code publish} with the {@code collection} that follows it (as Contrail's control
 * node does) and hands the result to a {@link NodeChannelListener}. A route for an instance the
 * node has not subscribed to closes the session, as in Contrail.
 * <p>
 * A node is who its credentials say: when the session requires a certificate, a stream whose
 * {@code from} is not a name of the peer's verified TLS certificate ({@link PeerIdentity}), or a
 * stream without one (plain TCP), is refused with one log line before the listener hears of it.
 */
public final class ControllerSession extends XmppSession
{
    /**
     * The user event fired down the channel's pipeline (from its head) once a node's stream is
     * accepted: a listener's guard counts the connection as proved from then on.
     */
    public static final Object STREAM_ACCEPTED = new Object()
    {
        @Override
        public String toString()
        {
            return "STREAM_ACCEPTED";
        }
    };

    private static final AtomicLong STREAM_IDS = new AtomicLong();

    private final NodeChannelListener listener;
    private final Map<String, RouteEntry> pending = new HashMap<>();
    private final Map<String, RouteEntry> published = new HashMap<>();
    private final Map<String, Integer> subscribed = new HashMap<>();
    private final boolean requireCertificate;
    private String node;

    /**
     * A session that trusts the stream's {@code from} unless the peer shows a TLS certificate (then
     * the certificate must name it): for in-process channels and a controller run with
     * {@code --insecure}.
     *
     * @param listener where events go.
     */
    public ControllerSession(final NodeChannelListener listener)
    {
        this(listener, false);
    }

    /**
     * A session.
     *
     * @param listener           where events go.
     * @param requireCertificate whether the node must prove its name with a verified TLS certificate.
     */
    public ControllerSession(final NodeChannelListener listener, final boolean requireCertificate)
    {
        this.listener = listener;
        this.requireCertificate = requireCertificate;
    }

    /**
     * Sends routes of an instance to the node.
     *
     * @param update the routes and withdrawals.
     */
    public void sendRoutes(final ChannelMessage.RouteUpdate update)
    {
        send(new RouteItemsStanza(node, update));
    }

    /**
     * Sends end-of-RIB to the node.
     */
    public void sendEndOfRib()
    {
        send(ContrailXmpp.endOfRib(ContrailXmpp.CONTROL_JID, node + "/" + ContrailXmpp.BGP_PEER));
    }

    /**
     * The node's name once its stream is open.
     *
     * @return the name, or null.
     */
    public String node()
    {
        return node;
    }

    @Override
    protected void onConnected(final ChannelHandlerContext ctx)
    {
    }

    @Override
    protected void onStreamOpen(final ChannelHandlerContext ctx, final XmlElement header)
    {
        final String from = header.attribute("from");
        if (from == null || from.isBlank())
        {
            close("stream header without 'from'");
            return;
        }
        final String refusal = PeerIdentity.refusal(ctx.pipeline(), from, requireCertificate);
        if (refusal != null)
        {
            close(refusal + " (from " + ctx.channel().remoteAddress() + ")");
            return;
        }
        node = from;
        ctx.pipeline().fireUserEventTriggered(STREAM_ACCEPTED);
        ctx.writeAndFlush(ContrailXmpp.streamHeader(ContrailXmpp.CONTROL_JID, from,
            Long.toString(STREAM_IDS.incrementAndGet())));
        listener.onNodeUp(node, this);
    }

    @Override
    protected void onMessage(final ChannelMessage message)
    {
        try
        {
            switch (message)
            {
                case ChannelMessage.Subscribe s -> subscribe(s);
                case ChannelMessage.Unsubscribe u ->
                {
                    subscribed.remove(u.instance());
                    listener.onUnsubscribe(this, u.instance());
                    send(ContrailXmpp.result(ContrailXmpp.CONTROL_JID, node, u.id(), null));
                }
                case ChannelMessage.Publish p ->
                {
                    requireSubscribed(p.instance());
                    pending.put(p.instance() + "\n" + p.entry().prefix(), p.entry());
                }
                case ChannelMessage.Collection c -> collection(c);
                case ChannelMessage.EndOfRib e -> listener.onEndOfRib(this);
                case ChannelMessage.IqResult r ->
                {
                }
                default -> throw new XmppProtocolException(
                    "a node sent a controller-only message: " + message.getClass().getSimpleName());
            }
        }
        catch (final XmppProtocolException e)
        {
            close(e.getMessage());
        }
    }

    private void subscribe(final ChannelMessage.Subscribe s)
    {
        try
        {
            listener.onSubscribe(this, s.instance(), s.instanceId());
        }
        catch (final XmppProtocolException e)
        {
            send(ContrailXmpp.result(ContrailXmpp.CONTROL_JID, node, s.id(), e.getMessage()));
            return;
        }
        subscribed.put(s.instance(), s.instanceId());
        send(ContrailXmpp.result(ContrailXmpp.CONTROL_JID, node, s.id(), null));
    }

    private void collection(final ChannelMessage.Collection c)
    {
        requireSubscribed(c.instance());
        for (final String prefix : c.associate())
        {
            final String key = c.instance() + "\n" + prefix;
            final RouteEntry entry = pending.remove(key);
            if (entry == null)
            {
                throw new XmppProtocolException("associate " + prefix + " without a preceding publish");
            }
            published.put(key, entry);
            listener.onRoute(this, c.instance(), entry, false);
        }
        for (final String prefix : c.dissociate())
        {
            final String key = c.instance() + "\n" + prefix;
            pending.remove(key);
            final RouteEntry entry = published.remove(key);
            if (entry != null)
            {
                listener.onRoute(this, c.instance(), entry, true);
            }
        }
    }

    private void requireSubscribed(final String instance)
    {
        if (!subscribed.containsKey(instance))
        {
            throw new XmppProtocolException("route for " + instance + ", which the node has not subscribed to");
        }
    }

    @Override
    protected void onReadComplete()
    {
        if (node != null)
        {
            listener.onReadComplete(this);
        }
    }

    @Override
    protected void onClosed(final boolean wasOpen)
    {
        if (node != null)
        {
            listener.onNodeDown(this);
        }
    }
}
