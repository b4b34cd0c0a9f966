package io.vrouter.agent.api;

/**
 * Where a route of a VRF came from, as the agent's introspect names a path's peer
 * ({@code PathSandeshData.peer}): the control node's address for a route learned over XMPP,
 * {@code LocalVmPort} for a local pod's own route, {@code Local} for what the node programs itself
 * (its address, a network's gateway and DNS) and for routes programmed through the control socket.
 *
 * @param peer       the peer's name.
 * @param preference the path preference the introspect shows.
 */
public record RoutePeer(String peer, int preference)
{
    /** A route the node programmed itself, or one programmed by hand. */
    public static final RoutePeer LOCAL = new RoutePeer("Local", 100);

    /** A local pod's own route. */
    public static final RoutePeer LOCAL_VM_PORT = new RoutePeer("LocalVmPort", 200);
}
