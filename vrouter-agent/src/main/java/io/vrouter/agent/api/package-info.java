/**
 * The contract between the daemon's front ends (control socket, introspect, later the controller
 * session) and the node it drives: {@link io.vrouter.agent.api.NodeService}.
 */
package io.vrouter.agent.api;
