package io.vrouter.xmpp;

import java.util.List;

/**
 * A stanza of the controller channel, classified by {@link ContrailXmpp#classify(XmlElement)}.
 */
public sealed interface ChannelMessage
{
    /**
     * Node → controller: subscribe to a routing instance's routes.
     *
     * @param id         the iq id.
     * @param instance   routing instance name.
     * @param instanceId the node's VRF index for it.
     */
    record Subscribe(String id, String instance, int instanceId) implements ChannelMessage
    {
    }

    /**
     * Node → controller: stop receiving a routing instance's routes.
     *
     * @param id       the iq id.
     * @param instance routing instance name.
     */
    record Unsubscribe(String id, String instance) implements ChannelMessage
    {
    }

    /**
     * Node → controller: the route half of a publish (merged with the following {@link Collection}).
     *
     * @param id       the iq id.
     * @param instance routing instance name.
     * @param entry    the route.
     */
    record Publish(String id, String instance, RouteEntry entry) implements ChannelMessage
    {
    }

    /**
     * Node → controller: associate (add/change) or dissociate (withdraw) published routes.
     *
     * @param id          the iq id.
     * @param instance    routing instance name.
     * @param associate   prefixes added or changed.
     * @param dissociate  prefixes withdrawn.
     */
    record Collection(String id, String instance, List<String> associate, List<String> dissociate)
        implements ChannelMessage
    {
    }

    /**
     * Controller → node: routes of an instance and withdrawals.
     *
     * @param instance routing instance name.
     * @param af       address family of the node prefix.
     * @param safi     sub-family of the node prefix.
     * @param items    routes added or changed.
     * @param retracts prefixes withdrawn.
     */
    record RouteUpdate(String instance, int af, int safi, List<RouteEntry> items, List<String> retracts)
        implements ChannelMessage
    {
    }

    /**
     * Either side: end of RIB, everything current has been sent.
     */
    record EndOfRib() implements ChannelMessage
    {
    }

    /**
     * Controller → node: configuration objects added/changed ({@code update}) or removed ({@code delete}).
     *
     * @param delete true for a {@code delete} block.
     * @param nodes  the {@code node} elements (each with a {@code type} attribute and a {@code name} child).
     * @param links  the {@code link} elements.
     */
    record Config(boolean delete, List<XmlElement> nodes, List<XmlElement> links) implements ChannelMessage
    {
    }

    /**
     * Either side: the answer to an iq.
     *
     * @param id    the iq id answered.
     * @param error true for {@code type="error"}.
     * @param text  error text, or empty.
     */
    record IqResult(String id, boolean error, String text) implements ChannelMessage
    {
    }
}
