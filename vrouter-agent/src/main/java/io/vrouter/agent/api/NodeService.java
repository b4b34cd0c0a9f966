package io.vrouter.agent.api;

import io.vrouter.core.VRouter;
import io.vrouter.core.flow.FabricSnat;
import io.vrouter.core.flow.PolicyTable;
import io.vrouter.core.flow.ServiceTable;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.PodRequest;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshRecord;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a running node offers its front ends (the control socket, the introspect endpoint, later the
 * controller session). Every method is safe to call from any thread: requests are handed to the
 * conductor, the single writer of the forwarding tables, and the call returns once they are applied.
 */
public interface NodeService
{
    /**
     * Applies requests in order on the conductor, each one whole or not at all, and answers each
     * with Contrail's return code (GET and DUMP answers carry objects).
     *
     * @param requests the requests, any of the types {@code VRouter.program} accepts.
     * @return one response per request, in order.
     */
    List<Response> program(List<? extends SandeshRecord> requests);

    /**
     * Creates a pod port: the interface pair, the pod end configured inside the pod's namespace, and
     * the vif. On any failure nothing is left behind.
     *
     * @param spec the port.
     * @return code 0 and the created interface ({@code InterfaceRequest}) as the one object, or a negative errno
     *         with a message (-EEXIST duplicate name, -ENOENT missing namespace, -EINVAL bad field).
     */
    Response addPort(PortSpec spec);

    /**
     * Removes a pod port: the vif first (so the forwarder stops using it), then the interfaces.
     *
     * @param name the port's host-side name.
     * @return code 0, or -ENOENT when there is no such port.
     */
    Response deletePort(String name);

    /**
     * The ports currently added.
     *
     * @return a snapshot.
     */
    List<PortSpec> ports();

    /**
     * Replaces the flow policy (networks and rules, {@code PolicyTable.program}) on the conductor,
     * whole or not at all.
     *
     * @param networks the networks: id, name, VRFs, subnets.
     * @param rules    the rules in evaluation order.
     * @return 0, or Contrail's errno with the reason; -EOPNOTSUPP where there is no flow table.
     */
    default Response programPolicy(final List<PolicyTable.Network> networks, final List<PolicyTable.Rule> rules)
    {
        return new Response(Errno.EOPNOTSUPP, "this node has no flow policy", List.of());
    }

    /**
     * Replaces the ClusterIP services new flows are translated by ({@code ServiceTable.program}) on the
     * conductor, whole or not at all; existing flows keep their backend.
     *
     * @param entries the entries: VRF, address, protocol, port, target port, backends.
     * @return 0, or Contrail's errno with the reason; -EOPNOTSUPP where there is no flow table.
     */
    default Response programServices(final List<ServiceTable.Entry> entries)
    {
        return new Response(Errno.EOPNOTSUPP, "this node has no flow table", List.of());
    }

    /**
     * Sets or removes the virtual networks of a VRF's routes in the flow policy
     * ({@code PolicyTable.updateRoutes}) on the conductor, whole or not at all; in-line flows whose
     * verdict may change are flushed.
     *
     * @param vrf    the VRF the routes are in.
     * @param routes prefixes and their network ids ({@code RouteNetworks.NONE} removes a prefix).
     * @return 0, or Contrail's errno with the reason; -EOPNOTSUPP where there is no flow table.
     */
    default Response routeNetworks(final int vrf, final List<PolicyTable.RouteNetwork> routes)
    {
        return new Response(Errno.EOPNOTSUPP, "this node has no flow policy", List.of());
    }

    /**
     * Removes every route network of a VRF ({@code PolicyTable.clearRoutes}) on the conductor.
     *
     * @param vrf the VRF.
     * @return 0, or Contrail's errno; -EOPNOTSUPP where there is no flow table.
     */
    default Response clearRouteNetworks(final int vrf)
    {
        return new Response(Errno.EOPNOTSUPP, "this node has no flow policy", List.of());
    }

    /**
     * Records the name of a VRF (the controller session does, as it creates VRFs for routing instances).
     *
     * @param vrf  the VRF index.
     * @param name its names, or null to forget them.
     */
    default void nameVrf(final int vrf, final VrfName name)
    {
    }

    /**
     * The VRF names recorded so far.
     *
     * @return index → names; empty when no controller session made any.
     */
    default Map<Integer, VrfName> vrfNames()
    {
        return Map.of();
    }

    /**
     * The daemon's shared-memory counters file, which the CLI learns here.
     *
     * @return the file, or null when the node keeps no counters file.
     */
    default java.nio.file.Path countersFile()
    {
        return null;
    }

    /**
     * The daemon's forwarding-state log, which the CLI learns here ({@code vrouterctl state}).
     *
     * @return the file, or null when the node keeps none.
     */
    default java.nio.file.Path stateFile()
    {
        return null;
    }

    /**
     * Tells the node who attaches pods' interfaces for a CNI plugin ({@code vr_pod_req}): the controller
     * session's agent does, when pods' interfaces are the runtime's ({@code pods.cni}).
     *
     * @param handler answers a pod request, or null for none.
     */
    default void attachPods(final Function<PodRequest, Response> handler)
    {
    }

    /**
     * A CNI plugin's request for a pod's interface ({@code vr_pod_req}).
     *
     * @param request the request, validated.
     * @return the answer: the pod's interface, or a negative errno with the reason (EOPNOTSUPP where no
     *         controller session attaches pods).
     */
    default Response pod(final PodRequest request)
    {
        return new Response(Errno.EOPNOTSUPP, "this node has no controller session to attach pods", List.of());
    }

    /**
     * Tells the node who knows where its routes came from (the controller session's agent does).
     *
     * @param origins the answerer, or null for none.
     */
    default void attachRouteOrigins(final RouteOrigins origins)
    {
    }

    /**
     * Tells the node who knows the state of its controller sessions (the controller client does).
     *
     * @param peers the answerer, or null for none.
     */
    default void attachXmppPeers(final XmppPeers peers)
    {
    }

    /**
     * Who knows the state of the node's controller sessions.
     *
     * @return the answerer, or null when the node has no controller.
     */
    default XmppPeers xmppPeers()
    {
        return null;
    }

    /**
     * Who knows where the node's routes came from.
     *
     * @return the answerer, or null when no controller session programs this node.
     */
    default RouteOrigins routeOrigins()
    {
        return null;
    }

    /**
     * Daemon-level I/O counters the forwarder does not keep (fabric socket, port devices), each only
     * ever growing.
     *
     * @return name (lower-case, underscores) to value; empty when the node has no devices of its own.
     */
    default Map<String, Long> ioCounters()
    {
        return Map.of();
    }

    /**
     * One above the highest next-hop id restored from the state store at start (0 when nothing was
     * restored): a node agent allocating next hops starts there, so that its resync never rewrites a
     * restored next hop that routes still use with a different one.
     *
     * @return the first free id above the restored ones.
     */
    default int restoredNextHopCeiling()
    {
        return 0;
    }

    /**
     * The objects restored from the state store at start that nothing has programmed since (neither
     * added again nor deleted), what refers to others first: routes, then labels, VNIs and mirrors,
     * next hops, interfaces, and pod ports (as {@code vr_port_req}) last. After a controller's full
     * resync these are what it no longer has.
     *
     * @return the leftovers, as the ADDs that programmed them.
     */
    default List<SandeshRecord> restoredLeftovers()
    {
        return List.of();
    }

    /**
     * Says the leftovers were removed (after a resync): the node forgets what it restored and evicts
     * the flows whose next hops or interfaces are gone.
     */
    default void restoredSwept()
    {
    }

    /**
     * The node's host port ({@code vhost0}), when the daemon has one ({@code fabric.vhost}).
     *
     * @return it, or null.
     */
    default HostPort hostPort()
    {
        return null;
    }

    /**
     * Routes a prefix in the node's kernel to the host port (a fabric-forwarded pod's address), or removes
     * that route.
     *
     * @param prefix IPv4 CIDR.
     * @param add    true to add (replace), false to remove.
     * @return ok, or the error.
     */
    default Response hostRoute(final String prefix, final boolean add)
    {
        return new Response(Errno.EOPNOTSUPP, "this node has no host port", List.of());
    }

    /**
     * Steers the replies of fabric SNAT flows in the node's kernel to the host port: TCP and UDP packets to
     * the node's fabric address with a destination port in the node's range. A range of 0-0 removes it.
     *
     * @param address the node's fabric address.
     * @param low     first port, or 0 to remove.
     * @param high    last port, or 0 to remove.
     * @return ok, or the error.
     */
    default Response hostSnatPorts(final String address, final int low, final int high)
    {
        return new Response(Errno.EOPNOTSUPP, "this node has no host port", List.of());
    }

    /**
     * Programs the forwarder's fabric SNAT (on the conductor), whole or not at all.
     *
     * @param config the configuration, or null to turn it off.
     * @return ok, or the refusal.
     */
    default Response programFabricSnat(final FabricSnat.Config config)
    {
        return new Response(Errno.EOPNOTSUPP, "this node has no flow policy", List.of());
    }

    /**
     * The forwarder, for read-only views (dumps, counters). Writers go through {@link #program}.
     *
     * @return the forwarder.
     */
    VRouter vrouter();
}
