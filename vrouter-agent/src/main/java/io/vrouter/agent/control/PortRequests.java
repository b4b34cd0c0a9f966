package io.vrouter.agent.control;

import java.util.ArrayList;
import java.util.List;

import io.vrouter.agent.api.NodeRequests;
import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.PortSpec;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;

/**
 * {@code vr_port_req}: pod port add, delete and dump on the control socket, mapped to
 * {@link NodeService#addPort}, {@link NodeService#deletePort} and {@link NodeService#ports}.
 * Fields: {@code h_op}, {@code port_name}, {@code port_netns}, {@code port_ifname}, {@code port_mac}
 * (string {@code aa:bb:cc:dd:ee:ff} or 6 bytes), {@code port_ip} (comma list of CIDRs),
 * {@code port_gw}, {@code port_vrf}, {@code port_mtu}, {@code port_vif_idx}, {@code port_vif_flags}.
 */
public final class PortRequests
{
    private PortRequests()
    {
    }

    /**
     * Executes one {@code vr_port_req}.
     *
     * @param node    the node.
     * @param request the request.
     * @return the answer; a malformed request is refused with -EINVAL and nothing happens.
     */
    public static Response execute(final NodeService node, final SandeshObject request)
    {
        try
        {
            final Op op = request.op();
            switch (op)
            {
                case ADD:
                    return node.addPort(spec(request));
                case DELETE:
                    return node.deletePort(requireString(request, "port_name"));
                case DUMP:
                {
                    final List<SandeshObject> out = new ArrayList<>();
                    for (final PortSpec p : node.ports())
                    {
                        out.add(toObject(p));
                    }
                    return Response.of(out.size(), out);
                }
                case GET:
                {
                    final String name = requireString(request, "port_name");
                    for (final PortSpec p : node.ports())
                    {
                        if (p.name().equals(name))
                        {
                            return Response.of(0, List.of(toObject(p)));
                        }
                    }
                    return new Response(Errno.ENOENT, "vr_port_req: no port " + name, List.of());
                }
                default:
                    return new Response(Errno.EOPNOTSUPP, "vr_port_req: op " + op + " not supported", List.of());
            }
        }
        catch (final RequestException e)
        {
            return Response.error(e);
        }
    }

    /**
     * The port as a {@code vr_port_req} object (the DUMP/GET answer and the CLI's request).
     *
     * @param p the port.
     * @return the object, without {@code h_op}.
     */
    public static SandeshObject toObject(final PortSpec p)
    {
        return new SandeshObject(NodeRequests.PORT)
            .put("port_name", p.name())
            .put("port_netns", p.netns())
            .put("port_ifname", p.podIfName())
            .put("port_mac", p.mac())
            .put("port_ip", String.join(",", p.addresses()))
            .put("port_gw", p.gateway())
            .put("port_vrf", (long)p.vrf())
            .put("port_mtu", (long)p.mtu())
            .put("port_vif_idx", (long)p.vifIndex())
            .put("port_vif_flags", (long)p.vifFlags());
    }

    /**
     * Reads a port from a {@code vr_port_req}.
     *
     * @param r the request.
     * @return the port.
     * @throws RequestException with -EINVAL naming the field when a field is missing or malformed.
     */
    public static PortSpec spec(final SandeshObject r) throws RequestException
    {
        final String name = requireString(r, "port_name");
        if (name.length() > 15)
        {
            throw new RequestException(Errno.EINVAL, "vr_port_req.port_name: '" + name + "' longer than 15");
        }
        final String ips = string(r, "port_ip", "");
        final List<String> addresses = new ArrayList<>();
        for (final String a : ips.split(","))
        {
            if (!a.isBlank())
            {
                addresses.add(a.trim());
            }
        }
        return new PortSpec(
            name,
            requireString(r, "port_netns"),
            string(r, "port_ifname", "eth0"),
            mac(r),
            addresses,
            string(r, "port_gw", ""),
            (int)r.getLong("port_vrf", 0, 0, 65535),
            (int)r.getLong("port_mtu", 1500, 68, 65535),
            (int)r.getLong("port_vif_idx", -1, -1, Integer.MAX_VALUE),
            (int)r.getLong("port_vif_flags", 0, 0, 0xFFFFFFFFL));
    }

    private static String mac(final SandeshObject r) throws RequestException
    {
        final Object v = r.get("port_mac");
        if (v instanceof byte[])
        {
            final byte[] b = (byte[])v;
            if (b.length != 6)
            {
                throw new RequestException(Errno.EINVAL, "vr_port_req.port_mac: " + b.length + " bytes, not 6");
            }
            return SandeshObject.format(b);
        }
        final String s = requireString(r, "port_mac");
        if (!s.matches("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}"))
        {
            throw new RequestException(Errno.EINVAL, "vr_port_req.port_mac: '" + s + "' is not aa:bb:cc:dd:ee:ff");
        }
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    private static String string(final SandeshObject r, final String field, final String defaultValue)
        throws RequestException
    {
        final Object v = r.get(field);
        if (v == null)
        {
            return defaultValue;
        }
        if (!(v instanceof String))
        {
            throw new RequestException(Errno.EINVAL, "vr_port_req." + field + ": expected a string");
        }
        return (String)v;
    }

    private static String requireString(final SandeshObject r, final String field) throws RequestException
    {
        final String s = string(r, field, null);
        if (s == null || s.isEmpty())
        {
            throw new RequestException(Errno.EINVAL, "vr_port_req." + field + ": required");
        }
        return s;
    }
}
