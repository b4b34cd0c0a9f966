package io.vrouter.xmpp;

import java.util.List;

/**
 * A route as an {@code item}'s {@code entry} carries it (reference §4.4, §4.5). A route published
 * by a node has exactly one next hop; a route sent by the controller may have several, which the
 * node turns into an ECMP next hop.
 *
 * @param af              address family (1 = IPv4, 2 = IPv6).
 * @param safi            sub-family (1 = unicast).
 * @param prefix          the prefix, {@code 10.47.255.252/32}.
 * @param nextHops        next hops, at least one.
 * @param sequence        mobility sequence number.
 * @param localPreference local preference (100 low, 200 high).
 */
public record RouteEntry(int af, int safi, String prefix, List<RouteNextHop> nextHops, int sequence,
    int localPreference)
{
    /** Most next hops of one route (ECMP members): a route with more is refused. */
    public static final int MAX_NEXT_HOPS = 64;

    /**
     * Copies the list and checks it has 1 to {@link #MAX_NEXT_HOPS} next hops.
     *
     * @param af              address family.
     * @param safi            sub-family.
     * @param prefix          prefix.
     * @param nextHops        next hops.
     * @param sequence        sequence number.
     * @param localPreference local preference.
     */
    public RouteEntry
    {
        nextHops = List.copyOf(nextHops);
        if (nextHops.isEmpty())
        {
            throw new XmppProtocolException("route " + prefix + " has no next hop");
        }
        if (nextHops.size() > MAX_NEXT_HOPS)
        {
            throw new XmppProtocolException("route " + prefix + " has " + nextHops.size() + " next hops, at most " +
                MAX_NEXT_HOPS);
        }
    }

    /**
     * The {@code entry} element.
     *
     * @return XML.
     */
    public XmlElement toXml()
    {
        final XmlElement.Builder hops = XmlElement.builder("next-hops");
        for (final RouteNextHop nh : nextHops)
        {
            hops.child(nh.toXml());
        }
        return XmlElement.builder("entry")
            .child(XmlElement.builder("nlri")
                .leaf("af", Integer.toString(af))
                .leaf("safi", Integer.toString(safi))
                .leaf("address", prefix)
                .build())
            .child(hops.build())
            .leaf("version", "1")
            .leaf("sequence-number", Integer.toString(sequence))
            .leaf("local-preference", Integer.toString(localPreference))
            .leaf("med", "0")
            .build();
    }

    /**
     * Reads an {@code entry} element.
     *
     * @param entry the element.
     * @return the route.
     * @throws XmppProtocolException when a required field is missing or malformed.
     */
    public static RouteEntry fromXml(final XmlElement entry)
    {
        final XmlElement nlri = entry.child("nlri");
        if (nlri == null)
        {
            throw new XmppProtocolException("entry without nlri");
        }
        final String prefix = ContrailXmpp.requiredChild(nlri, "address");
        ContrailXmpp.checkPrefix(prefix);
        final XmlElement hops = entry.child("next-hops");
        if (hops == null)
        {
            throw new XmppProtocolException("entry " + prefix + " without next-hops");
        }
        return new RouteEntry(
            ContrailXmpp.intChild(nlri, "af", 1),
            ContrailXmpp.intChild(nlri, "safi", 1),
            prefix,
            hops.children("next-hop").stream().map(RouteNextHop::fromXml).toList(),
            ContrailXmpp.intChild(entry, "sequence-number", 0),
            ContrailXmpp.intChild(entry, "local-preference", 100));
    }
}
