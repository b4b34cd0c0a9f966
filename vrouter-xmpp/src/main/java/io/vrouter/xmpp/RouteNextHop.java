package io.vrouter.xmpp;

import java.util.List;

/**
 * One next hop of a route as Contrail's {@code EntryType} carries it (reference §4.4): the address
 * of the node that hosts the destination (its router id), the MPLS label of the destination
 * interface there, the encapsulations that node accepts, and the destination's virtual network.
 *
 * @param af             address family of {@code address} (1 = IPv4).
 * @param address        the hosting node's router id.
 * @param mac            the hosting node's router MAC, or empty.
 * @param label          MPLS label (or VNI) of the destination interface.
 * @param encapsulations accepted encapsulations in preference order ({@code gre}, {@code udp}, {@code vxlan}).
 * @param virtualNetwork fully qualified name of the destination's virtual network.
 */
public record RouteNextHop(
    int af, String address, String mac, int label, List<String> encapsulations, String virtualNetwork)
{
    /**
     * Normalizes the lists and empty strings.
     *
     * @param af             address family.
     * @param address        router id.
     * @param mac            router MAC or empty.
     * @param label          label.
     * @param encapsulations encapsulations.
     * @param virtualNetwork virtual network.
     */
    public RouteNextHop
    {
        mac = mac == null ? "" : mac;
        encapsulations = List.copyOf(encapsulations);
        virtualNetwork = virtualNetwork == null ? "" : virtualNetwork;
    }

    XmlElement toXml()
    {
        final XmlElement.Builder encaps = XmlElement.builder("tunnel-encapsulation-list");
        for (final String e : encapsulations)
        {
            encaps.leaf("tunnel-encapsulation", e);
        }
        final XmlElement.Builder b = XmlElement.builder("next-hop")
            .leaf("af", Integer.toString(af))
            .leaf("address", address);
        if (!mac.isEmpty())
        {
            b.leaf("mac", mac);
        }
        return b.leaf("label", Integer.toString(label))
            .child(encaps.build())
            .leaf("virtual-network", virtualNetwork)
            .build();
    }

    static RouteNextHop fromXml(final XmlElement e)
    {
        final XmlElement encaps = e.child("tunnel-encapsulation-list");
        final List<String> list = encaps == null ? List.of() :
            encaps.children("tunnel-encapsulation").stream().map(x -> x.text().trim()).toList();
        return new RouteNextHop(
            ContrailXmpp.intChild(e, "af", 1),
            ContrailXmpp.requiredChild(e, "address"),
            e.childText("mac"),
            ContrailXmpp.intChild(e, "label", 0),
            list,
            e.childText("virtual-network"));
    }
}
