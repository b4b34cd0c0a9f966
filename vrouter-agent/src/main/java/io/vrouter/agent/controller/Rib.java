package io.vrouter.agent.controller;

import io.vrouter.core.request.Requests;
import io.vrouter.wire.AddressFamily;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The node agent's routing information base: per VRF, every IPv4 and IPv6 route the agent has
 * programmed into the forwarder, with the data it programmed. It exists for the delete: the
 * forwarder's delete is a replacement (reference §1.4.1), so the agent sends with it the covering
 * route's length and data, which only the agent knows, as Contrail's agent does
 * ({@code RouteKSyncEntry::DeleteMsg} walks the lengths below the deleted one).
 * <p>
 * Prefixes are text ({@code 10.1.0.0/16}, {@code 2001:db8::/32}), as the agent receives them; bits past
 * the length are ignored, as the forwarder ignores them, so {@code 10.1.1.7/24} and {@code 10.1.1.0/24} are
 * the same route. Used on the agent's single event thread only.
 */
final class Rib
{
    /**
     * What a route add programmed.
     *
     * @param nh         {@code rtr_nh_id}.
     * @param label      {@code rtr_label}, or -1 when the add carried none.
     * @param labelFlags {@code rtr_label_flags}.
     * @param mac        {@code rtr_mac} as 48 bits, or 0 when the add carried none.
     */
    record Route(int nh, int label, int labelFlags, long mac)
    {
    }

    /**
     * The route that covers a prefix: the longest shorter prefix containing it.
     *
     * @param prefixLength the covering route's length ({@code rtr_replace_plen}).
     * @param route        the covering route's data.
     */
    record Cover(int prefixLength, Route route)
    {
    }

    /** A prefix with the bits past its length cleared; IPv4 addresses are in the low 32 bits of {@code lo}. */
    private record Prefix(int family, long hi, long lo, int length)
    {
        /** This prefix's address cut to a shorter length. */
        Prefix shortened(final int shorter)
        {
            return family == AddressFamily.INET
                ? new Prefix(family, 0, lo & mask4(shorter), shorter)
                : new Prefix(family, hi & maskHi(shorter), lo & maskLo(shorter), shorter);
        }
    }

    private final Map<Integer, Map<Prefix, Route>> vrfs = new HashMap<>();

    /**
     * Records a route the forwarder has taken (an add of a prefix already held replaces its data).
     *
     * @param vrf    VRF.
     * @param prefix {@code address/length}.
     * @param route  what the add programmed.
     * @throws IllegalArgumentException when the prefix is not an IPv4 or IPv6 prefix.
     */
    void put(final int vrf, final String prefix, final Route route)
    {
        final Prefix key = parse(prefix);
        vrfs.computeIfAbsent(vrf, v -> new HashMap<>()).put(key, route);
    }

    /**
     * What the forwarder was given for a prefix.
     *
     * @param vrf    VRF.
     * @param prefix {@code address/length}.
     * @return what the route's add programmed, or null when the VRF holds no such route.
     * @throws IllegalArgumentException when the prefix is not an IPv4 or IPv6 prefix.
     */
    Route get(final int vrf, final String prefix)
    {
        final Map<Prefix, Route> routes = vrfs.get(vrf);
        return routes == null ? null : routes.get(parse(prefix));
    }

    /**
     * Forgets a route.
     *
     * @param vrf    VRF.
     * @param prefix {@code address/length}.
     * @return what the route's add had programmed, or null when the VRF held no such route.
     * @throws IllegalArgumentException when the prefix is not an IPv4 or IPv6 prefix.
     */
    Route remove(final int vrf, final String prefix)
    {
        final Prefix key = parse(prefix);
        final Map<Prefix, Route> routes = vrfs.get(vrf);
        if (routes == null)
        {
            return null;
        }
        final Route removed = routes.remove(key);
        if (routes.isEmpty())
        {
            vrfs.remove(vrf);
        }
        return removed;
    }

    /**
     * The route that covers a prefix: among the VRF's routes of the same family, the longest one strictly
     * shorter than the prefix that contains it (a route at the prefix itself does not count).
     *
     * @param vrf    VRF.
     * @param prefix {@code address/length}.
     * @return the cover, or null when there is none (the forwarder then leaves the range discard).
     * @throws IllegalArgumentException when the prefix is not an IPv4 or IPv6 prefix.
     */
    Cover cover(final int vrf, final String prefix)
    {
        final Prefix key = parse(prefix);
        final Map<Prefix, Route> routes = vrfs.get(vrf);
        if (routes == null)
        {
            return null;
        }
        for (int length = key.length() - 1; length >= 0; length--)
        {
            final Route route = routes.get(key.shortened(length));
            if (route != null)
            {
                return new Cover(length, route);
            }
        }
        return null;
    }

    /**
     * Forgets every route of a VRF (its network is gone).
     *
     * @param vrf VRF.
     */
    void removeVrf(final int vrf)
    {
        vrfs.remove(vrf);
    }

    /**
     * The number of routes a VRF holds.
     *
     * @param vrf VRF.
     * @return the count, 0 for a VRF never seen.
     */
    int size(final int vrf)
    {
        final Map<Prefix, Route> routes = vrfs.get(vrf);
        return routes == null ? 0 : routes.size();
    }

    private static Prefix parse(final String prefix)
    {
        final int slash = prefix.indexOf('/');
        if (slash <= 0 || slash == prefix.length() - 1)
        {
            throw new IllegalArgumentException("not a prefix (address/length): " + prefix);
        }
        final String address = prefix.substring(0, slash);
        final int length;
        try
        {
            length = Integer.parseInt(prefix.substring(slash + 1));
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("not a prefix length: " + prefix);
        }
        if (address.indexOf(':') < 0)
        {
            if (length < 0 || length > 32)
            {
                throw new IllegalArgumentException("an IPv4 prefix is /0 to /32: " + prefix);
            }
            final byte[] b;
            try
            {
                b = Requests.ipv4(address);
            }
            catch (final IllegalArgumentException e)
            {
                throw new IllegalArgumentException("not an IPv4 prefix: " + prefix);
            }
            final long value = (b[0] & 0xFFL) << 24 | (b[1] & 0xFFL) << 16 | (b[2] & 0xFFL) << 8 | (b[3] & 0xFFL);
            return new Prefix(AddressFamily.INET, 0, value & mask4(length), length);
        }
        if (length < 0 || length > 128)
        {
            throw new IllegalArgumentException("an IPv6 prefix is /0 to /128: " + prefix);
        }
        final byte[] b = ipv6(address, prefix);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++)
        {
            hi = hi << 8 | (b[i] & 0xFFL);
            lo = lo << 8 | (b[8 + i] & 0xFFL);
        }
        return new Prefix(AddressFamily.INET6, hi & maskHi(length), lo & maskLo(length), length);
    }

    /** The 16 bytes of an IPv6 literal; never a name lookup. */
    private static byte[] ipv6(final String address, final String prefix)
    {
        final InetAddress parsed;
        try
        {
            parsed = InetAddress.ofLiteral(address);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("not an IPv6 prefix: " + prefix);
        }
        if (parsed instanceof Inet6Address v6)
        {
            return v6.getAddress();
        }
        // An IPv4-mapped literal (::ffff:a.b.c.d) comes back as its IPv4 address: the route is still IPv6.
        final byte[] b = new byte[16];
        b[10] = (byte)0xFF;
        b[11] = (byte)0xFF;
        System.arraycopy(((Inet4Address)parsed).getAddress(), 0, b, 12, 4);
        return b;
    }

    private static long mask4(final int length)
    {
        return length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
    }

    private static long maskHi(final int length)
    {
        return length >= 64 ? -1L : (length == 0 ? 0 : -1L << (64 - length));
    }

    private static long maskLo(final int length)
    {
        return length <= 64 ? 0 : (length == 128 ? -1L : -1L << (128 - length));
    }
}
