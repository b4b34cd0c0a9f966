package io.vrouter.xmpp;

/**
 * What the controller does with one node's channel events. Called on that channel's event loop.
 * A method may refuse a request by throwing {@link XmppProtocolException}; the controller then
 * answers with an error (subscribe) or closes the session (anything else), and nothing changes.
 */
public interface NodeChannelListener
{
    /**
     * The node's stream is open.
     *
     * @param node    the node's name (its JID).
     * @param session the session, for sending.
     */
    void onNodeUp(String node, ControllerSession session);

    /**
     * The node subscribed to a routing instance.
     *
     * @param node       the node.
     * @param instance   routing instance.
     * @param instanceId the node's VRF index for it.
     */
    void onSubscribe(String node, String instance, int instanceId);

    /**
     * The node unsubscribed.
     *
     * @param node     the node.
     * @param instance routing instance.
     */
    void onUnsubscribe(String node, String instance);

    /**
     * The node published (associate) or withdrew (dissociate) a route.
     *
     * @param node     the node.
     * @param instance routing instance.
     * @param entry    the route (for a withdraw, the last published one).
     * @param withdraw true for a withdraw.
     */
    void onRoute(String node, String instance, RouteEntry entry, boolean withdraw);

    /**
     * The node has published everything.
     *
     * @param node the node.
     */
    void onEndOfRib(String node);

    /**
     * Everything a read from the node brought has been handled: send what was batched.
     *
     * @param node the node.
     */
    default void onReadComplete(final String node)
    {
    }

    /**
     * The node's session ended.
     *
     * @param node the node.
     */
    void onNodeDown(String node);
}
