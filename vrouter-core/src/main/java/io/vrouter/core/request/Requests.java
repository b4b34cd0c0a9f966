package io.vrouter.core.request;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.fib.RouteFlags;
import io.vrouter.wire.AddressFamily;
import io.vrouter.wire.MacAddress;

/**
 * Builders for the requests every programming front end sends (the node agent, the control-socket
 * tools, the end-to-end tests): IPv4 routes and next hops, and the field encodings Contrail uses
 * (addresses as bytes, u32 address fields little-endian, MACs as 6 bytes, 14-byte L2 rewrites).
 */
public final class Requests
{
    /**
     * Most elements of any list field a request carries ({@code nhr_nh_list} and {@code nhr_label_list}:
     * a composite's members, {@code nhr_encap_oif_id}, ...): a longer list is refused with
     * {@code EINVAL} naming the field.
     */
    public static final int MAX_LIST = 1024;

    private Requests()
    {
    }

    /**
     * An ADD of a next hop with id, type and VRF (the caller adds the type's fields).
     *
     * @param id   next-hop id.
     * @param type {@code nhr_type}.
     * @param vrf  {@code nhr_vrf}.
     * @return the builder.
     */
    public static NextHopRequest.Builder nextHop(final int id, final int type, final int vrf)
    {
        return NextHopRequest.builder().id(id).type(type).vrf(vrf);
    }

    /**
     * An ADD of an IPv4 route.
     *
     * @param vrf        VRF.
     * @param prefix     dotted quad, or {@code a.b.c.d/len} (a bare address is a /32).
     * @param nh         next-hop id.
     * @param label      MPLS label, or -1 for none.
     * @param labelFlags {@code rtr_label_flags} ({@link RouteFlags}).
     * @return the request.
     */
    public static RouteRequest route4(final int vrf, final String prefix, final int nh, final int label,
        final int labelFlags)
    {
        final RouteRequest.Builder b = route4Key(vrf, prefix).nhId(nh).labelFlags(labelFlags);
        if (label >= 0)
        {
            b.label(label);
        }
        return b.build();
    }

    /**
     * The key of an IPv4 route (family, VRF, prefix, length), op ADD until the caller sets another.
     *
     * @param vrf    VRF.
     * @param prefix dotted quad, or {@code a.b.c.d/len}.
     * @return the builder.
     */
    public static RouteRequest.Builder route4Key(final int vrf, final String prefix)
    {
        final int slash = prefix.indexOf('/');
        final String address = slash < 0 ? prefix : prefix.substring(0, slash);
        final int plen = slash < 0 ? 32 : Integer.parseInt(prefix.substring(slash + 1));
        return RouteRequest.builder().family(AddressFamily.INET).vrfId(vrf).prefix(ipv4(address), plen);
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
    public static int ipv4LittleEndian(final String address)
    {
        final byte[] b = ipv4(address);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
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
        System.arraycopy(macBytes(dst), 0, b, 0, 6);
        System.arraycopy(macBytes(src), 0, b, 6, 6);
        b[12] = 0x08;
        return b;
    }

    /**
     * Reads a MAC from bytes.
     *
     * @param b      bytes.
     * @param offset first byte.
     * @return the MAC in the low 48 bits.
     */
    public static long mac(final byte[] b, final int offset)
    {
        return MacAddress.read(new UnsafeBuffer(b), offset);
    }

    /**
     * A MAC as 6 bytes.
     *
     * @param mac MAC in the low 48 bits.
     * @return the bytes.
     */
    public static byte[] macBytes(final long mac)
    {
        final byte[] b = new byte[MacAddress.LENGTH];
        MacAddress.write(new UnsafeBuffer(b), 0, mac);
        return b;
    }
}
