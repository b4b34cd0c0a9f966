package io.vrouter.core.control;

import java.util.ArrayList;
import java.util.List;

import io.vrouter.core.table.Tables;
import io.vrouter.core.fib.Fib6Leaf;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.Ip4Fib;
import io.vrouter.core.fib.Ip6Fib;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.wire.AddressFamily;

/**
 * {@code vr_route_req} for families inet and inet6: add, delete-by-replacement, get (LPM) and
 * dump, as Contrail's {@code vr_route_add}/{@code vr_route_delete} with the mtrie semantics of
 * reference §1.4.1. The request's own rules (prefix width and length, the covering length, label
 * flags and label) are {@link RouteRequest#validate()}'s.
 */
final class RouteRequests
{
    private RouteRequests()
    {
    }

    static Response inet(final Tables tables, final RouteRequest r) throws RequestException
    {
        final int vrf = r.vrfId();
        final int family = r.family();
        final boolean v4 = family == AddressFamily.INET;
        if (r.op() == Op.DUMP)
        {
            return dump(tables, vrf, family);
        }
        final byte[] prefix = r.prefix();
        switch (r.op())
        {
            case ADD:
            {
                final int plen = r.prefixLen();
                final int leaf = validatedLeaf(tables, r, plen);
                final int rc = v4
                    ? tables.fibs().add4(vrf, ip4(prefix), plen, leaf)
                    : tables.fibs().add6(vrf, hi(prefix), lo(prefix), plen, leaf);
                if (rc < 0)
                {
                    release(tables, family, leaf);
                    throw new RequestException(rc, RouteRequest.TYPE + ": the FIB refused the route ("
                        + Errno.name(rc) + ")");
                }
                return Response.ok();
            }
            case DELETE:
            {
                final int plen = r.prefixLen();
                final int replacement = r.replacePlen() < 0
                    ? (v4 ? FibLeaf.DISCARD : Fib6Leaf.DISCARD)
                    : validatedLeaf(tables, r, r.replacePlen());
                final int rc = v4
                    ? tables.fibs().delete4(vrf, ip4(prefix), plen, replacement)
                    : tables.fibs().delete6(vrf, hi(prefix), lo(prefix), plen, replacement);
                if (rc < 0)
                {
                    release(tables, family, replacement);
                    throw new RequestException(rc, RouteRequest.TYPE + ": no /" + plen
                        + " route at that prefix in VRF " + vrf);
                }
                return Response.ok();
            }
            case GET:
            {
                final int leaf = v4
                    ? tables.fibs().lookup4(vrf, ip4(prefix))
                    : tables.fibs().lookup6(vrf, hi(prefix), lo(prefix));
                return Response.of(0, List.of(describe(tables, vrf, family, prefix.clone(), leaf)));
            }
            default:
                throw new RequestException(Errno.EOPNOTSUPP, RouteRequest.TYPE + ": op " + r.op() + " not supported");
        }
    }

    /**
     * The leaf of the route a request adds (or puts in a deleted one's place), after its references to
     * the tables: the next hop exists, a route through a tunnel carries a label, a stitched MAC is in the
     * VRF's bridge table.
     */
    private static int validatedLeaf(final Tables tables, final RouteRequest r, final int plen)
        throws RequestException
    {
        final int nhId = r.nhId();
        final NextHop nh = tables.nextHops().get(nhId);
        if (nh == null)
        {
            throw new RequestException(Errno.ENOENT, RouteRequest.Field.RTR_NH_ID.path() + ": no next hop " + nhId);
        }
        if (nh.type() == NextHopType.TUNNEL && !r.labelled())
        {
            throw new RequestException(Errno.EINVAL, RouteRequest.Field.RTR_LABEL_FLAGS.path()
                + ": a route via tunnel next hop " + nhId + " needs a label (flag L)");
        }
        final long mac = r.mac() == RouteRequest.NO_MAC ? 0 : r.mac();
        if (mac != 0 && tables.bridge().lookup(r.vrfId(), mac) == null)
        {
            throw new RequestException(Errno.ENOENT, RouteRequest.Field.RTR_MAC.path()
                + ": the stitched MAC is not in the bridge table of VRF " + r.vrfId());
        }
        return Programmer.leafFor(tables, r.family(), plen, nhId, r.labelled() ? r.label() : -1, r.labelFlags(),
            mac);
    }

    private static void release(final Tables tables, final int family, final int leaf)
    {
        if (family == AddressFamily.INET)
        {
            tables.fibEntries().releaseLeaf4(leaf);
        }
        else
        {
            tables.fibEntries().releaseLeaf6(leaf);
        }
    }

    private static RouteRequest describe(
        final Tables tables, final int vrf, final int family, final byte[] prefix, final int leaf)
    {
        final FibEntries e = tables.fibEntries();
        final boolean v4 = family == AddressFamily.INET;
        final long mac = v4 ? FibLeaf.mac(leaf, e) : Fib6Leaf.mac(leaf, e);
        return RouteRequest.builder()
            .family(family)
            .vrfId(vrf)
            .prefix(prefix, v4 ? FibLeaf.prefixLength(leaf) : Fib6Leaf.prefixLength(leaf))
            .nhId(v4 ? FibLeaf.nhId(leaf, e) : Fib6Leaf.nhId(leaf, e))
            .labelFlags(v4 ? FibLeaf.labelFlags(leaf, e) : Fib6Leaf.labelFlags(leaf, e))
            .label(v4 ? FibLeaf.label(leaf, e) : Fib6Leaf.label(leaf, e))
            .mac(mac == 0 ? RouteRequest.NO_MAC : mac)
            .build();
    }

    private static Response dump(final Tables tables, final int vrf, final int family)
    {
        final List<RouteRequest> out = new ArrayList<>();
        if (family == AddressFamily.INET)
        {
            final Ip4Fib fib = tables.fibs().ip4(vrf);
            if (fib != null)
            {
                fib.forEachRoute((prefix, plen, leaf) ->
                {
                    final byte[] p = {(byte)(prefix >>> 24), (byte)(prefix >>> 16), (byte)(prefix >>> 8), (byte)prefix};
                    out.add(describe(tables, vrf, family, p, leaf));
                });
            }
        }
        else
        {
            final Ip6Fib fib = tables.fibs().ip6(vrf);
            if (fib != null)
            {
                fib.forEachRoute((hi, lo, plen, leaf) ->
                {
                    final byte[] p = new byte[16];
                    for (int i = 0; i < 8; i++)
                    {
                        p[i] = (byte)(hi >>> (56 - 8 * i));
                        p[8 + i] = (byte)(lo >>> (56 - 8 * i));
                    }
                    out.add(describe(tables, vrf, family, p, leaf));
                });
            }
        }
        return Response.of(out.size(), out);
    }

    static int ip4(final byte[] b)
    {
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    static long hi(final byte[] b)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    static long lo(final byte[] b)
    {
        long v = 0;
        for (int i = 8; i < 16; i++)
        {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
