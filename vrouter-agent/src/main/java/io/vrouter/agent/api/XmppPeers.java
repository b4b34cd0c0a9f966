package io.vrouter.agent.api;

import java.util.List;

/**
 * Answers the state of the node's controller sessions (the controller client knows). Called from the
 * introspect's thread.
 */
@FunctionalInterface
public interface XmppPeers
{
    /**
     * The sessions, in order (session 0 first).
     *
     * @return one entry per session the node keeps.
     */
    List<XmppPeer> peers();
}
