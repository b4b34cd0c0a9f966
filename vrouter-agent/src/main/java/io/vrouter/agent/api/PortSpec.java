package io.vrouter.agent.api;

import java.util.List;
import java.util.Objects;

/**
 * A pod port as Contrail's CNI / {@code vrouter-port-control} describes it: the daemon creates the
 * pod's interface (the pod end inside the pod's network namespace with its addresses, default route
 * via the gateway and MTU; the host end attached to the forwarder) and the {@code vif} for it.
 * Next hops, routes and labels that point at the port are programmed separately.
 *
 * @param name      host-side interface name (also the vif name), at most 15 characters.
 * @param netns     the pod's network namespace: a name under {@code /var/run/netns} or an absolute path.
 * @param podIfName interface name inside the pod, e.g. {@code eth0}.
 * @param mac       the pod interface's MAC address, {@code aa:bb:cc:dd:ee:ff}.
 * @param addresses the pod's addresses in CIDR form (IPv4 and/or IPv6), e.g. {@code 10.47.255.252/12}.
 * @param gateway   the default gateway inside the pod (IPv4), or empty for none.
 * @param vrf       the VRF of the vif.
 * @param mtu       the MTU set on both ends.
 * @param vifIndex  the vif index wanted, or -1 to let the daemon allocate one.
 * @param vifFlags  Contrail vif flags ({@code vifr_flags}), e.g. policy; 0 for Contrail's defaults.
 */
public record PortSpec(
    String name,
    String netns,
    String podIfName,
    String mac,
    List<String> addresses,
    String gateway,
    int vrf,
    int mtu,
    int vifIndex,
    int vifFlags)
{
    /**
     * Checks the fields that have no sensible default.
     *
     * @param name      host-side interface name.
     * @param netns     pod network namespace.
     * @param podIfName interface name inside the pod.
     * @param mac       MAC address.
     * @param addresses CIDR addresses.
     * @param gateway   gateway or empty.
     * @param vrf       VRF.
     * @param mtu       MTU.
     * @param vifIndex  vif index or -1.
     * @param vifFlags  vif flags.
     */
    public PortSpec
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(podIfName, "podIfName");
        Objects.requireNonNull(mac, "mac");
        addresses = List.copyOf(addresses);
        gateway = gateway == null ? "" : gateway;
    }

    /**
     * The first IPv4 address of a port's addresses, as a vif's {@code vifr_ip} holds it (Contrail's agent
     * gives a VM interface its IPv4 address).
     *
     * @param addresses CIDR addresses.
     * @return Contrail's u32 encoding (network-order bytes read little-endian), 0 when there is none.
     */
    public static int ipv4(final List<String> addresses)
    {
        for (final String a : addresses)
        {
            final String ip = a.contains("/") ? a.substring(0, a.indexOf('/')) : a;
            if (ip.matches("\\d{1,3}(\\.\\d{1,3}){3}"))
            {
                try
                {
                    return io.vrouter.core.request.Requests.ipv4LittleEndian(ip);
                }
                catch (final IllegalArgumentException e)
                {
                    // not an address after all (an octet over 255): look further
                }
            }
        }
        return 0;
    }
}
