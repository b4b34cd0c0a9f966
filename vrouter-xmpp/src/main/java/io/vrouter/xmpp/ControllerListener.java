package io.vrouter.xmpp;

/**
 * What the node does with the controller channel's events. Called on the channel's event loop,
 * one at a time, in arrival order.
 */
public interface ControllerListener
{
    /**
     * Both stream headers are exchanged: the node (re-)subscribes and (re-)publishes everything here.
     */
    void onSessionUp();

    /**
     * The session ended (controller gone, hold time, protocol error). Forwarding continues on the
     * last state, which the node marks stale.
     */
    void onSessionDown();

    /**
     * Routes of a routing instance added, changed or withdrawn.
     *
     * @param update the update.
     */
    void onRoutes(ChannelMessage.RouteUpdate update);

    /**
     * Configuration objects added, changed or removed.
     *
     * @param config the block.
     */
    void onConfig(ChannelMessage.Config config);

    /**
     * The controller has sent everything it has: what was not refreshed since the session came up
     * is stale and can be swept.
     */
    void onEndOfRib();
}
