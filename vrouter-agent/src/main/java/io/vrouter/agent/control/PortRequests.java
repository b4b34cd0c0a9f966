package io.vrouter.agent.control;

import java.util.ArrayList;
import java.util.List;

import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.PortSpec;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.PortRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;

/**
 * {@link PortRequest} ({@code vr_port_req}): pod port add, delete, get and dump on the control socket,
 * mapped to {@link NodeService#addPort}, {@link NodeService#deletePort} and {@link NodeService#ports}.
 * The request's fields are {@link PortRequest}'s; a malformed one is refused (its own validation)
 * before the node is called.
 */
public final class PortRequests
{
    private PortRequests()
    {
    }

    /**
     * Executes one port request.
     *
     * @param node    the node.
     * @param request the request.
     * @return the answer; a malformed request is refused with -EINVAL and nothing happens.
     */
    public static Response execute(final NodeService node, final PortRequest request)
    {
        try
        {
            request.validate();
        }
        catch (final RequestException e)
        {
            return Response.error(e);
        }
        switch (request.op())
        {
            case ADD:
                return node.addPort(spec(request));
            case DELETE:
                return node.deletePort(request.name());
            case DUMP:
            {
                final List<PortRequest> out = new ArrayList<>();
                for (final PortSpec p : node.ports())
                {
                    out.add(toRequest(p));
                }
                return Response.of(out.size(), out);
            }
            case GET:
            {
                for (final PortSpec p : node.ports())
                {
                    if (p.name().equals(request.name()))
                    {
                        return Response.of(0, List.of(toRequest(p)));
                    }
                }
                return new Response(Errno.ENOENT, PortRequest.TYPE + ": no port " + request.name(), List.of());
            }
            default:
                return new Response(Errno.EOPNOTSUPP, PortRequest.TYPE + ": op " + request.op() + " not supported",
                    List.of());
        }
    }

    /**
     * A port as a {@link PortRequest} (the DUMP/GET answer, and what the CLI sends to add it).
     *
     * @param p the port.
     * @return an ADD of it.
     */
    public static PortRequest toRequest(final PortSpec p)
    {
        return PortRequest.add(p.name(), p.netns(), p.podIfName(), p.mac(), p.addresses(), p.gateway(), p.vrf(),
            p.mtu(), p.vifIndex(), p.vifFlags());
    }

    /**
     * The port an ADD asks for.
     *
     * @param r the request, validated.
     * @return the port.
     */
    public static PortSpec spec(final PortRequest r)
    {
        return new PortSpec(r.name(), r.netns(), r.ifname(), r.mac(), r.addresses(), r.gateway(), r.vrf(), r.mtu(),
            r.vifIdx(), r.vifFlags());
    }
}
