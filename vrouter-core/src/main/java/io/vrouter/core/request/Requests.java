package io.vrouter.core.request;

import io.vrouter.core.control.Programmer;

/**
 * Builders for the requests every programming front end sends (the node agent, the control-socket
 * tools, the end-to-end tests): IPv4 /32 routes, next hops, and the field encodings Contrail uses
 * (addresses as bytes, u32 address fields little-endian, 14-byte L2 rewrites).
 */
public final class Requests
{
    private Requests()
    {
    }

    /**
     * An ADD of a next hop with id, type and VRF (the caller adds the type's fields).
     *
     * @param id   next-hop id.
     * @param type {@code nhr_type}.
     * @param vrf  {@code nhr_vrf}.
     * @return the request.
     */
    public static SandeshObject nextHop(final int id, final int type, final int vrf)
    {
        return new SandeshObject("vr_nexthop_req").put("h_op", 0L).put("nhr_id", (long)id).put("nhr_type", (long)type)
            .put("nhr_vrf", (long)vrf);
    }

    /**
     * An ADD of an IPv4 route.
     *
     * @param vrf        VRF.
     * @param prefix     dotted quad, or {@code a.b.c.d/len} (a bare address is a /32).
     * @param nh         next-hop id.
     * @param label      MPLS label, or -1 for none.
     * @param labelFlags {@code rtr_label_flags}.
     * @return the request.
     */
    public static SandeshObject route4(final int vrf, final String prefix, final int nh, final int label,
        final int labelFlags)
    {
        final SandeshObject o = route4Key(vrf, prefix).put("h_op", 0L).put("rtr_nh_id", (long)nh)
            .put("rtr_label_flags", (long)labelFlags);
        if (label >= 0)
        {
            o.put("rtr_label", (long)label);
        }
        return o;
    }

    /**
     * The key fields of an IPv4 route (family, VRF, prefix, length), without an op.
     *
     * @param vrf    VRF.
     * @param prefix dotted quad, or {@code a.b.c.d/len}.
     * @return the request.
     */
    public static SandeshObject route4Key(final int vrf, final String prefix)
    {
        final int slash = prefix.indexOf('/');
        final String address = slash < 0 ? prefix : prefix.substring(0, slash);
        final long plen = slash < 0 ? 32 : Long.parseLong(prefix.substring(slash + 1));
        return new SandeshObject("vr_route_req").put("rtr_family", 2L).put("rtr_vrf_id", (long)vrf)
            .put("rtr_prefix", ipv4(address)).put("rtr_prefix_len", plen);
    }

    /**
     * An IPv4 address as its four bytes.
     *
     * @param address dotted quad.
     * @return the bytes in network order.
     * @throws IllegalArgumentException when it is not a dotted quad.
     */
    public static byte[] ipv4(final String address)
    {
        final String[] p = address.split("\\.", -1);
        if (p.length != 4)
        {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        final byte[] b = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            final int v;
            try
            {
                v = Integer.parseInt(p[i]);
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            if (v < 0 || v > 255)
            {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            b[i] = (byte)v;
        }
        return b;
    }

    /**
     * Contrail's u32 address fields ({@code nhr_tun_sip}, {@code nhr_tun_dip}, {@code vifr_ip}): the
     * network-order bytes read as a little-endian integer.
     *
     * @param address dotted quad.
     * @return the field value.
     */
    public static long ipv4LittleEndian(final String address)
    {
        final byte[] b = ipv4(address);
        return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
    }

    /**
     * A 14-byte Ethernet rewrite for IPv4 ({@code nhr_encap}).
     *
     * @param dst destination MAC as 48 bits.
     * @param src source MAC as 48 bits.
     * @return the bytes.
     */
    public static byte[] l2Rewrite(final long dst, final long src)
    {
        final byte[] b = new byte[14];
        System.arraycopy(Programmer.macBytes(dst), 0, b, 0, 6);
        System.arraycopy(Programmer.macBytes(src), 0, b, 6, 6);
        b[12] = 0x08;
        return b;
    }
}
