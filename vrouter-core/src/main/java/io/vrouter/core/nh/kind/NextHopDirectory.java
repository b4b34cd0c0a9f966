package io.vrouter.core.nh.kind;

import io.vrouter.core.request.NextHopRequest;

/**
 * What a next hop's introspect description may look up about the rest of the node: interface names and
 * the other next hops (a composite names its members' interfaces). Provided by the introspect server.
 */
public interface NextHopDirectory
{
    /**
     * An interface's name.
     *
     * @param vif interface index.
     * @return its name, or null when the node has no interface of that index.
     */
    String interfaceName(int vif);

    /**
     * Another next hop, as GET answers it.
     *
     * @param id next-hop id.
     * @return the next hop, or null when there is none.
     */
    NextHopRequest nextHop(int id);
}
