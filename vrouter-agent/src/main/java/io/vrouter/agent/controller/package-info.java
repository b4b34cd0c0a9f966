/**
 * The node's side of the controller channel: turns the controller's configuration (networks, pod
 * interfaces, policies) and routes into forwarder programming, publishes the node's own routes,
 * and keeps forwarding on stale state while the controller is away.
 */
package io.vrouter.agent.controller;
