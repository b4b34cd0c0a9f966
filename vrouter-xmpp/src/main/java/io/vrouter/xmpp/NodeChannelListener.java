package io.vrouter.xmpp;

/**
 * What the controller does with one node's channel events. Called on that channel's event loop.
 * A method may refuse a request by throwing {@link XmppProtocolException}; the controller then
 * answers with an error (subscribe) or closes the session (anything else), and nothing changes.
 * <p>
 * Every event names the session it came from ({@link ControllerSession#node()} is the node's
 * name): a node may open a new session before its old one has ended (a half-open connection, a
 * reconnect), and the events of a replaced session must not touch the state of the live one.
 */
public interface NodeChannelListener
{
    /**
     * The node's stream is open (and, under TLS, its certificate names it).
     *
     * @param node    the node's name (its JID).
     * @param session the session, for sending.
     */
    void onNodeUp(String node, ControllerSession session);

    /**
     * The node subscribed to a routing instance.
     *
     * @param session    the node's session.
     * @param instance   routing instance.
     * @param instanceId the node's VRF index for it.
     */
    void onSubscribe(ControllerSession session, String instance, int instanceId);

    /**
     * The node unsubscribed.
     *
     * @param session  the node's session.
     * @param instance routing instance.
     */
    void onUnsubscribe(ControllerSession session, String instance);

    /**
     * The node published (associate) or withdrew (dissociate) a route.
     *
     * @param session  the node's session.
     * @param instance routing instance.
     * @param entry    the route (for a withdraw, the last published one).
     * @param withdraw true for a withdraw.
     */
    void onRoute(ControllerSession session, String instance, RouteEntry entry, boolean withdraw);

    /**
     * The node has published everything.
     *
     * @param session the node's session.
     */
    void onEndOfRib(ControllerSession session);

    /**
     * Everything a read from the node brought has been handled: send what was batched.
     *
     * @param session the node's session.
     */
    default void onReadComplete(final ControllerSession session)
    {
    }

    /**
     * The node's session ended. When the node has opened another session since, this one's end
     * changes nothing.
     *
     * @param session the session that ended.
     */
    void onNodeDown(ControllerSession session);
}
