package io.vrouter.agent.api;

/**
 * What the controller session knows about a VRF that the forwarder does not: its routing-instance
 * name, its virtual network and VXLAN id (shown by the introspect, {@code ist vr vrf}).
 *
 * @param name           routing instance, {@code domain:project:vn:vn}.
 * @param virtualNetwork virtual network, {@code domain:project:vn}.
 * @param vxlanId        the network's VXLAN id (its network id).
 */
public record VrfName(String name, String virtualNetwork, int vxlanId)
{
}
