package io.vrouter.agent.api;

/**
 * The node's host port ({@code vhost0} in Contrail): a TAP device left in the node's own network namespace,
 * through which the forwarder exchanges plain IP packets with the node's kernel, which routes them on the
 * underlay (fabric forwarding and fabric SNAT; docs/adr/0008-fabric-host-port.md).
 *
 * @param name      the device's name in the node's namespace.
 * @param vif       the vif index the device's frames arrive on and are sent through.
 * @param kernelMac the kernel side's MAC address (the destination of frames the forwarder writes).
 * @param neighbor  the link-local next hop the kernel routes through the device (a permanent neighbour entry
 *                  with the forwarder's MAC, so the kernel never ARPs on it).
 */
public record HostPort(String name, int vif, long kernelMac, String neighbor)
{
}
