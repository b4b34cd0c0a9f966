package io.vrouter.agent.test;

import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.PortSpec;
import io.vrouter.core.VRouter;
import io.vrouter.core.VRouterConfig;
import io.vrouter.core.control.RequestException;
import io.vrouter.core.control.Response;
import io.vrouter.core.control.SandeshObject;
import io.vrouter.core.flow.PolicyTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link NodeService} over a real in-process {@link VRouter}, for control-plane tests: requests go
 * to {@code VRouter.program} on the caller's thread; a port add programs the vif as the daemon does
 * but creates no kernel interfaces (the tests that need those start real daemons).
 */
public final class InProcessNode implements NodeService
{
    private final VRouter vrouter = new VRouter(VRouterConfig.defaults());
    private final Map<String, PortSpec> ports = new LinkedHashMap<>();
    private final Map<String, Integer> vifs = new LinkedHashMap<>();
    private int nextVif = 3;

    @Override
    public synchronized List<Response> program(final List<SandeshObject> requests)
    {
        final List<Response> out = new ArrayList<>();
        for (final SandeshObject r : requests)
        {
            out.add(vrouter.program(r));
        }
        return out;
    }

    @Override
    public synchronized Response programPolicy(
        final List<PolicyTable.Network> networks, final List<PolicyTable.Rule> rules)
    {
        try
        {
            vrouter.policy().program(networks, rules);
            return Response.ok();
        }
        catch (final RequestException e)
        {
            return Response.error(e);
        }
    }

    @Override
    public synchronized Response routeNetworks(final int vrf, final List<PolicyTable.RouteNetwork> routes)
    {
        try
        {
            vrouter.policy().updateRoutes(vrf, routes);
            return Response.ok();
        }
        catch (final RequestException e)
        {
            return Response.error(e);
        }
    }

    @Override
    public synchronized Response clearRouteNetworks(final int vrf)
    {
        try
        {
            vrouter.policy().clearRoutes(vrf);
            return Response.ok();
        }
        catch (final RequestException e)
        {
            return Response.error(e);
        }
    }

    /**
     * The flow policy's network for a VRF.
     *
     * @param vrf the VRF.
     * @return the network id, or a negative value when the VRF belongs to none.
     */
    public int policyNetworkOf(final int vrf)
    {
        return vrouter.policy().networkOfVrf(vrf);
    }

    @Override
    public synchronized Response addPort(final PortSpec spec)
    {
        if (ports.containsKey(spec.name()))
        {
            return new Response(-17, "port " + spec.name() + " exists", List.of());
        }
        final int vif = spec.vifIndex() >= 0 ? spec.vifIndex() : nextVif++;
        final String[] m = spec.mac().split(":");
        final byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            mac[i] = (byte)Integer.parseInt(m[i], 16);
        }
        final SandeshObject vifReq = new SandeshObject("vr_interface_req").put("h_op", 0).put("vifr_idx", vif)
            .put("vifr_type", 3).put("vifr_name", spec.name()).put("vifr_vrf", spec.vrf()).put("vifr_mac", mac)
            .put("vifr_mtu", spec.mtu()).put("vifr_flags", spec.vifFlags());
        final Response r = vrouter.program(vifReq);
        if (r.code() < 0)
        {
            return r;
        }
        ports.put(spec.name(), spec);
        vifs.put(spec.name(), vif);
        return new Response(0, "", List.of(vifReq));
    }

    @Override
    public synchronized Response deletePort(final String name)
    {
        final Integer vif = vifs.remove(name);
        if (vif == null)
        {
            return new Response(-2, "no port " + name, List.of());
        }
        ports.remove(name);
        return vrouter.program(new SandeshObject("vr_interface_req").put("h_op", 2).put("vifr_idx", vif));
    }

    @Override
    public synchronized List<PortSpec> ports()
    {
        return List.copyOf(ports.values());
    }

    @Override
    public VRouter vrouter()
    {
        return vrouter;
    }

    /**
     * The next hop and label of the route a VRF holds for a host address.
     *
     * @param vrf VRF.
     * @param ip  dotted quad.
     * @return {@code nh=<id> label=<label>}, or {@code none} when there is no route.
     */
    public synchronized String route(final int vrf, final String ip)
    {
        final String[] p = ip.split("\\.");
        final byte[] prefix = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            prefix[i] = (byte)Integer.parseInt(p[i]);
        }
        final Response r = vrouter.program(new SandeshObject("vr_route_req").put("h_op", 1).put("rtr_family", 2)
            .put("rtr_vrf_id", vrf).put("rtr_prefix", prefix).put("rtr_prefix_len", 32));
        if (r.code() < 0 || r.objects().isEmpty())
        {
            return "none";
        }
        final SandeshObject o = r.objects().get(0);
        final long nh = (Long)o.get("rtr_nh_id");
        if (nh == 0 || (Long)o.get("rtr_prefix_len") != 32)
        {
            return "none";
        }
        final Object label = o.get("rtr_label");
        return "nh=" + nh + " label=" + ((((Long)o.get("rtr_label_flags")) & 1) != 0 ? label : "-");
    }

    /**
     * A next hop's type.
     *
     * @param id next-hop id.
     * @return {@code nhr_type}, or -1.
     */
    public synchronized long nextHopType(final int id)
    {
        final Response r = vrouter.program(new SandeshObject("vr_nexthop_req").put("h_op", 1).put("nhr_id", id));
        return r.code() < 0 ? -1 : (Long)r.objects().get(0).get("nhr_type");
    }
}
