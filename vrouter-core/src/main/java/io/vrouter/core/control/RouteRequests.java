package io.vrouter.core.control;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import java.util.ArrayList;
import java.util.List;

import io.vrouter.core.Tables;
import io.vrouter.core.fib.Fib6Leaf;
import io.vrouter.core.fib.FibEntries;
import io.vrouter.core.fib.FibLeaf;
import io.vrouter.core.fib.Ip4Fib;
import io.vrouter.core.fib.Ip6Fib;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopType;

/**
 * {@code vr_route_req} for families inet and inet6: add, delete-by-replacement, get (LPM) and
 * dump, as Contrail's {@code vr_route_add}/{@code vr_route_delete} with the mtrie semantics of
 * reference §1.4.1.
 */
final class RouteRequests
{
    private RouteRequests()
    {
    }

    static Response inet(final Tables tables, final Op op, final SandeshObject r, final int family)
        throws RequestException
    {
        final int vrf = (int)r.getLong("rtr_vrf_id", 0, 0, tables.config().vrfs() - 1);
        final boolean v4 = family == Programmer.AF_INET;
        final int maxPlen = v4 ? 32 : 128;
        if (op == Op.DUMP)
        {
            return dump(tables, vrf, family);
        }
        final byte[] prefix = r.getBytes("rtr_prefix");
        final int width = maxPlen / 8;
        if (prefix == null || prefix.length != width)
        {
            throw new RequestException(Errno.EINVAL, "vr_route_req.rtr_prefix: family " + family + " needs " + width
                + " bytes, got " + (prefix == null ? 0 : prefix.length));
        }
        switch (op)
        {
            case ADD:
            {
                final int plen = (int)r.getLong("rtr_prefix_len", -1, 0, maxPlen);
                final int leaf = validatedLeaf(tables, r, family, vrf, plen);
                final int rc = v4
                    ? tables.fibs().add4(vrf, ip4(prefix), plen, leaf)
                    : tables.fibs().add6(vrf, hi(prefix), lo(prefix), plen, leaf);
                if (rc < 0)
                {
                    release(tables, family, leaf);
                    throw new RequestException(rc, "vr_route_req: the FIB refused the route (" + Errno.name(rc) + ")");
                }
                return Response.ok();
            }
            case DELETE:
            {
                final int plen = (int)r.getLong("rtr_prefix_len", -1, 0, maxPlen);
                final int replacePlen = (int)r.getLong("rtr_replace_plen", -1, -1, maxPlen);
                if (replacePlen >= plen)
                {
                    throw new RequestException(Errno.EINVAL, "vr_route_req.rtr_replace_plen: " + replacePlen
                        + " does not cover a /" + plen);
                }
                final int replacement = replacePlen < 0
                    ? (v4 ? FibLeaf.DISCARD : Fib6Leaf.DISCARD)
                    : validatedLeaf(tables, r, family, vrf, replacePlen);
                final int rc = v4
                    ? tables.fibs().delete4(vrf, ip4(prefix), plen, replacement)
                    : tables.fibs().delete6(vrf, hi(prefix), lo(prefix), plen, replacement);
                if (rc < 0)
                {
                    release(tables, family, replacement);
                    throw new RequestException(rc, "vr_route_req: no /" + plen + " route at that prefix in VRF " + vrf);
                }
                return Response.ok();
            }
            case GET:
            {
                final int leaf = v4
                    ? tables.fibs().lookup4(vrf, ip4(prefix))
                    : tables.fibs().lookup6(vrf, hi(prefix), lo(prefix));
                return Response.of(0, List.of(describe(tables, vrf, family, prefix, leaf)));
            }
            default:
                throw new RequestException(Errno.EOPNOTSUPP, "vr_route_req: op " + op + " not supported");
        }
    }

    private static int validatedLeaf(
        final Tables tables, final SandeshObject r, final int family, final int vrf, final int plen)
        throws RequestException
    {
        final int nhId = (int)r.require("rtr_nh_id");
        final NextHop nh = tables.nextHops().get(nhId);
        if (nh == null)
        {
            throw new RequestException(Errno.ENOENT, "vr_route_req.rtr_nh_id: no next hop " + nhId);
        }
        final int labelFlags = (int)r.getLong("rtr_label_flags", 0, 0, 0x1F);
        final boolean labelValid = (labelFlags & Programmer.LABEL_VALID) != 0;
        if (nh.type() == NextHopType.TUNNEL && !labelValid)
        {
            throw new RequestException(Errno.EINVAL, "vr_route_req.rtr_label_flags: a route via tunnel next hop "
                + nhId + " needs a label (flag L)");
        }
        final int label = labelValid ? (int)r.getLong("rtr_label", -1, 0, Programmer.MAX_MPLS_LABEL) : -1;
        final byte[] macBytes = r.getBytes("rtr_mac");
        long mac = 0;
        if (macBytes != null)
        {
            if (macBytes.length != 6)
            {
                throw new RequestException(Errno.EINVAL, "vr_route_req.rtr_mac: a MAC has 6 bytes");
            }
            mac = Programmer.mac(macBytes, 0);
            if (mac != 0 && tables.bridge().lookup(vrf, mac) == null)
            {
                throw new RequestException(Errno.ENOENT, "vr_route_req.rtr_mac: the stitched MAC is not in the "
                    + "bridge table of VRF " + vrf);
            }
        }
        return Programmer.leafFor(tables, family, plen, nhId, label, labelFlags, mac);
    }

    private static void release(final Tables tables, final int family, final int leaf)
    {
        if (family == Programmer.AF_INET)
        {
            tables.fibEntries().releaseLeaf4(leaf);
        }
        else
        {
            tables.fibEntries().releaseLeaf6(leaf);
        }
    }

    private static SandeshObject describe(
        final Tables tables, final int vrf, final int family, final byte[] prefix, final int leaf)
    {
        final FibEntries e = tables.fibEntries();
        final boolean v4 = family == Programmer.AF_INET;
        final SandeshObject o = new SandeshObject("vr_route_req")
            .put("rtr_family", family)
            .put("rtr_vrf_id", vrf)
            .put("rtr_prefix", prefix)
            .put("rtr_prefix_len", v4 ? FibLeaf.prefixLength(leaf) : Fib6Leaf.prefixLength(leaf))
            .put("rtr_nh_id", v4 ? FibLeaf.nhId(leaf, e) : Fib6Leaf.nhId(leaf, e))
            .put("rtr_label_flags", v4 ? FibLeaf.labelFlags(leaf, e) : Fib6Leaf.labelFlags(leaf, e))
            .put("rtr_label", v4 ? FibLeaf.label(leaf, e) : Fib6Leaf.label(leaf, e));
        final long mac = v4 ? FibLeaf.mac(leaf, e) : Fib6Leaf.mac(leaf, e);
        if (mac != 0)
        {
            o.put("rtr_mac", Programmer.macBytes(mac));
        }
        return o;
    }

    private static Response dump(final Tables tables, final int vrf, final int family)
    {
        final List<SandeshObject> out = new ArrayList<>();
        if (family == Programmer.AF_INET)
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
