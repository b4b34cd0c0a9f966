package io.vrouter.agent.api;

/**
 * One of the node's controller sessions, as the agent's introspect shows an XMPP server
 * ({@code AgentXmppData}).
 *
 * @param controllerIp the control node as the node names it: its address, with the port when it is not 5269.
 * @param state        {@code Established}, {@code Connecting} or {@code Idle} (waiting to reconnect).
 * @param peerName     the control node's name from its stream header, empty before the first session.
 * @param peerAddress  {@code host:port} connected or being connected to.
 * @param config       whether configuration comes from it (every established session: the node merges both).
 * @param flapCount    how many times an established session with it was lost.
 * @param flapMillis   when the last loss was (epoch milliseconds), 0 for never.
 * @param stateMillis  when the state last changed (epoch milliseconds).
 * @param lastEvent    what changed it last.
 */
public record XmppPeer(String controllerIp, String state, String peerName, String peerAddress, boolean config,
    int flapCount, long flapMillis, long stateMillis, String lastEvent)
{
}
