/**
 * The node's forwarding state on disk ({@link io.vrouter.agent.state.StateStore}): every object the
 * forwarder was programmed with (interfaces, next hops, routes, labels, VNIs, mirrors, pod ports),
 * kept in an append-only, memory-mapped log as it is programmed, so that a daemon restarted without its
 * controller forwards again from it (ADR 0007).
 */
package io.vrouter.agent.state;
