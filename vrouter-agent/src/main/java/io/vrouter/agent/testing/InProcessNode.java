package io.vrouter.agent.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.vrouter.agent.api.HostPort;
import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.PortSpec;
import io.vrouter.agent.api.RouteOrigins;
import io.vrouter.agent.api.XmppPeers;
import io.vrouter.agent.api.VrfName;
import io.vrouter.core.VRouter;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.flow.FabricSnat;
import io.vrouter.core.flow.PolicyTable;
import io.vrouter.core.flow.ServiceTable;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Requests;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.wire.MacAddress;

/**
 * A {@link NodeService} over a real in-process {@link VRouter}, the daemon's contract without its
 * kernel side: requests run on a single-thread conductor, as in the daemon; a port add programs the
 * pod's vif as the daemon does but creates no interface or namespace (the tests that need those start
 * real daemons). Refusals as the daemon's: a duplicate port name is -EEXIST, a namespace named
 * {@code missing} -ENOENT, deleting an unknown port -ENOENT.
 */
public final class InProcessNode implements NodeService, AutoCloseable
{
    private final VRouter vrouter;
    private final ExecutorService conductor = Executors.newSingleThreadExecutor(r ->
    {
        final Thread t = new Thread(r, "test-conductor");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, PortSpec> ports = new LinkedHashMap<>();
    private final Map<String, Integer> vifs = new LinkedHashMap<>();
    private int nextVif = 3;
    private volatile HostPort hostPort;
    private final List<String> kernelChanges = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile RouteOrigins routeOrigins;
    private volatile XmppPeers xmppPeers;
    private final Map<Integer, VrfName> vrfNames = new ConcurrentHashMap<>();

    /**
     * A node over a forwarder with Contrail's default sizes.
     */
    public InProcessNode()
    {
        this(new VRouter(VRouterConfig.defaults()));
    }

    /**
     * A node over a forwarder.
     *
     * @param vrouter the forwarder.
     */
    public InProcessNode(final VRouter vrouter)
    {
        this.vrouter = vrouter;
    }

    @Override
    public void nameVrf(final int vrf, final VrfName name)
    {
        if (name == null)
        {
            vrfNames.remove(vrf);
        }
        else
        {
            vrfNames.put(vrf, name);
        }
    }

    @Override
    public Map<Integer, VrfName> vrfNames()
    {
        return Map.copyOf(vrfNames);
    }

    @Override
    public void attachRouteOrigins(final RouteOrigins origins)
    {
        this.routeOrigins = origins;
    }

    @Override
    public RouteOrigins routeOrigins()
    {
        return routeOrigins;
    }

    @Override
    public void attachXmppPeers(final XmppPeers peers)
    {
        this.xmppPeers = peers;
    }

    @Override
    public XmppPeers xmppPeers()
    {
        return xmppPeers;
    }

    @Override
    public List<Response> program(final List<? extends SandeshRecord> requests)
    {
        final List<SandeshRecord> copy = List.copyOf(requests);
        return onConductor(() ->
        {
            final List<Response> out = new ArrayList<>(copy.size());
            for (final SandeshRecord r : copy)
            {
                out.add(vrouter.program(r));
            }
            return out;
        });
    }

    @Override
    public Response programPolicy(final List<PolicyTable.Network> networks, final List<PolicyTable.Rule> rules)
    {
        return policyChange(() -> vrouter.policy().program(networks, rules));
    }

    @Override
    public Response routeNetworks(final int vrf, final List<PolicyTable.RouteNetwork> routes)
    {
        return policyChange(() -> vrouter.policy().updateRoutes(vrf, routes));
    }

    @Override
    public Response programServices(final List<ServiceTable.Entry> entries)
    {
        final List<ServiceTable.Entry> copy = List.copyOf(entries);
        return policyChange(() -> vrouter.policy().services().program(copy));
    }

    @Override
    public Response clearRouteNetworks(final int vrf)
    {
        return policyChange(() -> vrouter.policy().clearRoutes(vrf));
    }

    /**
     * Gives the node a host port ({@code vhost0}) the agent programs like the daemon's; the kernel side is not
     * there: what the agent asks of the kernel is recorded ({@link #kernelChanges()}). Call before the agent
     * starts. Pod vifs are allocated from 3, so the host port's index should be below that or far above.
     *
     * @param port the host port.
     * @return this.
     */
    public InProcessNode hostPort(final HostPort port)
    {
        this.hostPort = port;
        return this;
    }

    @Override
    public HostPort hostPort()
    {
        return hostPort;
    }

    /**
     * What the node agent asked of the node's kernel, in order: {@code route add PREFIX}, {@code route del PREFIX},
     * {@code snat ADDRESS LOW-HIGH} ({@code 0-0} to remove).
     *
     * @return the requests.
     */
    public List<String> kernelChanges()
    {
        return List.copyOf(kernelChanges);
    }

    @Override
    public Response hostRoute(final String prefix, final boolean add)
    {
        if (hostPort == null)
        {
            return NodeService.super.hostRoute(prefix, add);
        }
        kernelChanges.add((add ? "route add " : "route del ") + prefix);
        return Response.ok();
    }

    @Override
    public Response hostSnatPorts(final String address, final int low, final int high)
    {
        if (hostPort == null)
        {
            return NodeService.super.hostSnatPorts(address, low, high);
        }
        kernelChanges.add("snat " + address + " " + low + "-" + high);
        return Response.ok();
    }

    @Override
    public Response programFabricSnat(final FabricSnat.Config config)
    {
        return policyChange(() -> vrouter.policy().fabricSnat().program(config));
    }

    /**
     * The flow policy's network for a VRF.
     *
     * @param vrf the VRF.
     * @return the network id, or a negative value when the VRF belongs to none.
     */
    public int policyNetworkOf(final int vrf)
    {
        return onConductor(() -> vrouter.policy().networkOfVrf(vrf));
    }

    @Override
    public Response addPort(final PortSpec spec)
    {
        return onConductor(() ->
        {
            if (ports.containsKey(spec.name()))
            {
                return new Response(Errno.EEXIST, "port " + spec.name() + " exists", List.of());
            }
            if ("missing".equals(spec.netns()))
            {
                return new Response(Errno.ENOENT, "no namespace " + spec.netns(), List.of());
            }
            final int vif = spec.vifIndex() >= 0 ? spec.vifIndex() : nextVif++;
            final Response r = vrouter.program(InterfaceRequest.builder().idx(vif).type(VifType.VIRTUAL)
                .name(spec.name()).vrf(spec.vrf()).mcastVrf(spec.vrf()).ip(PortSpec.ipv4(spec.addresses()))
                .mac(MacAddress.parse(spec.mac())).mtu(spec.mtu()).flags(spec.vifFlags()).build());
            if (r.code() < 0)
            {
                return r;
            }
            ports.put(spec.name(), spec);
            vifs.put(spec.name(), vif);
            // As the daemon answers: the vif as the forwarder now holds it.
            return vrouter.program(InterfaceRequest.get(vif));
        });
    }

    @Override
    public Response deletePort(final String name)
    {
        return onConductor(() ->
        {
            final Integer vif = vifs.remove(name);
            if (vif == null)
            {
                return new Response(Errno.ENOENT, "no port " + name, List.of());
            }
            ports.remove(name);
            return vrouter.program(InterfaceRequest.delete(vif));
        });
    }

    @Override
    public List<PortSpec> ports()
    {
        return onConductor(() -> List.copyOf(ports.values()));
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
     * @return {@code nh=<id> label=<label>}, or {@code none} when there is no /32 route.
     */
    public String route(final int vrf, final String ip)
    {
        final Response r = program(List.of(Requests.route4Key(vrf, ip).op(Op.GET).build())).get(0);
        if (r.code() < 0 || r.objects().isEmpty())
        {
            return "none";
        }
        final RouteRequest o = r.first(RouteRequest.class);
        final long nh = o.nhId();
        if (nh == 0 || o.prefixLen() != 32)
        {
            return "none";
        }
        return "nh=" + nh + " label=" + (o.labelled() ? String.valueOf(o.label()) : "-");
    }

    /**
     * A next hop's type.
     *
     * @param id next-hop id.
     * @return {@code nhr_type}, or -1.
     */
    public long nextHopType(final int id)
    {
        final Response r = program(List.of(NextHopRequest.get(id))).get(0);
        return r.code() < 0 ? -1 : r.first(NextHopRequest.class).type();
    }

    /**
     * Stops the conductor.
     */
    @Override
    public void close()
    {
        conductor.shutdownNow();
    }

    /** A flow-policy change on the conductor: 0, or the refusal's code and message. */
    private Response policyChange(final PolicyAction action)
    {
        return onConductor(() ->
        {
            try
            {
                action.run();
                return Response.ok();
            }
            catch (final RequestException e)
            {
                return Response.error(e);
            }
        });
    }

    /** A change to the flow policy that may be refused. */
    @FunctionalInterface
    private interface PolicyAction
    {
        void run() throws RequestException;
    }

    private <T> T onConductor(final Callable<T> task)
    {
        final Future<T> f = conductor.submit(task);
        try
        {
            return f.get();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (final ExecutionException e)
        {
            throw new IllegalStateException(e.getCause());
        }
    }
}
