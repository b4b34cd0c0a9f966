package io.vrouter.agent.api;

import java.util.List;
import java.util.Map;

/**
 * Answers where each route of a VRF came from (the controller session's agent knows; the forwarder
 * does not). Called from the introspect's thread; an implementation hands the question to the thread
 * that owns its state.
 */
@FunctionalInterface
public interface RouteOrigins
{
    /**
     * The peers of a VRF's routes: one for most routes, one per control node for a route learned from
     * several (the forwarder holds it once).
     *
     * @param vrf the VRF.
     * @return {@code address/len} → peers, never empty; a prefix not in it was programmed by hand ({@link
     *         RoutePeer#LOCAL}).
     */
    Map<String, List<RoutePeer>> peers(int vrf);
}
