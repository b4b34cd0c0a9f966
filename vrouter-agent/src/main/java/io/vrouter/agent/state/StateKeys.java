package io.vrouter.agent.state;

import java.util.HexFormat;

import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.PortRequest;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.request.VxlanRequest;
import io.vrouter.wire.AddressFamily;

/**
 * The store's key of a programmed object: its table and its identity there ({@code vif/3},
 * {@code nh/101}, {@code rt/2/inet/0a000003/32}, {@code rt/2/bridge/02000000000a}, {@code mpls/17},
 * {@code vxlan/5}, {@code mirror/1}, {@code port/tapeth0-1}). An ADD of a key replaces the object, a
 * DELETE removes it, the other operations (GET, DUMP) and the other records (flows, counters) are not
 * state.
 */
public final class StateKeys
{
    /** Prefix of pod ports' keys. */
    public static final String PORT = "port/";

    private StateKeys()
    {
    }

    /**
     * The key of a record that changes state, or null for one that does not (GET, DUMP, flows...).
     *
     * @param r the record.
     * @return the key or null.
     */
    public static String of(final SandeshRecord r)
    {
        if (r.op() != Op.ADD && r.op() != Op.DELETE)
        {
            return null;
        }
        return switch (r)
        {
            case InterfaceRequest i -> "vif/" + i.idx();
            case NextHopRequest n -> "nh/" + n.id();
            case RouteRequest rt -> route(rt);
            case MplsRequest m -> "mpls/" + m.label();
            case VxlanRequest v -> "vxlan/" + v.vnid();
            case MirrorRequest m -> "mirror/" + m.index();
            case PortRequest p -> PORT + p.name();
            default -> null;
        };
    }

    /**
     * Whether a string read from disk has a key's syntax: a known table prefix, then 1 to 255 bytes of
     * printable ASCII in all, no spaces.
     *
     * @param key the string.
     * @return true for a well-formed key.
     */
    public static boolean valid(final String key)
    {
        if (key == null || key.isEmpty() || key.length() > 255)
        {
            return false;
        }
        for (int i = 0; i < key.length(); i++)
        {
            final char c = key.charAt(i);
            if (c <= 0x20 || c >= 0x7f)
            {
                return false;
            }
        }
        for (final String prefix : PREFIXES)
        {
            if (key.startsWith(prefix) && key.length() > prefix.length())
            {
                return true;
            }
        }
        return false;
    }

    private static final String[] PREFIXES = {"vif/", "nh/", "rt/", "mpls/", "vxlan/", "mirror/", PORT};

    private static String route(final RouteRequest r)
    {
        if (r.family() == AddressFamily.BRIDGE)
        {
            return "rt/" + r.vrfId() + "/bridge/" + String.format("%012x", r.mac());
        }
        final byte[] prefix = r.prefix() == null ? new byte[0] : r.prefix();
        return "rt/" + r.vrfId() + "/" + (r.family() == AddressFamily.INET6 ? "inet6" : "inet") + "/"
            + HexFormat.of().formatHex(prefix) + "/" + r.prefixLen();
    }

    /**
     * The order objects are removed in when the controller's resync leaves them unclaimed: what refers
     * to others first (routes, labels, VNIs, mirrors), then next hops, interfaces and ports last.
     *
     * @param key a key.
     * @return its rank, lower first.
     */
    public static int removalRank(final String key)
    {
        if (key.startsWith("rt/"))
        {
            return 0;
        }
        if (key.startsWith("mpls/") || key.startsWith("vxlan/") || key.startsWith("mirror/"))
        {
            return 1;
        }
        if (key.startsWith("nh/"))
        {
            return 2;
        }
        return key.startsWith("vif/") ? 3 : 4;
    }
}
