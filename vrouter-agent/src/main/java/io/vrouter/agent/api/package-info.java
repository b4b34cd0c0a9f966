/**
 * The contract between the daemon's front ends (control socket, introspect, later the controller
 * session) and the node it drives: {@link io.vrouter.agent.api.NodeService}; and what the daemon shares
 * with its clients, so that the operator CLI needs none of the server's classes: where a node is reached
 * ({@link io.vrouter.agent.api.NodeEndpoints}). The requests the daemon answers itself (ports, counters)
 * are typed records of the request model, like the forwarder's ({@code io.vrouter.core.request}).
 */
package io.vrouter.agent.api;
