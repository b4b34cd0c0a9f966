package io.vrouter.bench.controller;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.vrouter.agent.api.NodeService;
import io.vrouter.agent.api.PortSpec;
import io.vrouter.agent.controller.NodeAgent;
import io.vrouter.agent.controller.PodNamespaces;
import io.vrouter.core.VRouter;
import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.tools.controller.Cluster;
import io.vrouter.tools.controller.Controller;
import io.vrouter.tools.controller.ControllerServer;
import io.vrouter.tools.controller.Resource;
import io.vrouter.wire.AddressFamily;
import io.vrouter.xmpp.ChannelMessage;
import io.vrouter.xmpp.ControllerClient;
import io.vrouter.xmpp.ControllerListener;
import io.vrouter.xmpp.NodeSession;
import io.vrouter.xmpp.RouteEntry;
import io.vrouter.xmpp.RouteNextHop;

/**
 * Route programming from the controller (issue 5's benchmark), over real XMPP sessions on loopback
 * TCP: a publishing node has put N routes of one routing instance into the controller; the
 * operation places a pod of that network on each of two other nodes, whose agents then get the
 * network, subscribe, receive the N routes and install them (tunnel next hop, label) into real
 * in-process forwarders. Timed until both FIBs hold all N. The baseline in the same run is the same
 * N routes programmed straight into one forwarder ({@code VRouter.program}, no channel).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class RouteFanoutBenchmark
{
    private static final String INSTANCE = "default-domain:k8s-default:bench:bench";

    /** A controller, two node agents with forwarders and a publishing node, over loopback TCP. */
    @State(Scope.Benchmark)
    public static class Fanout
    {
        @Param({"100000"})
        int routes;

        private Controller controller;
        private ControllerServer server;
        private final List<ControllerClient> clients = new ArrayList<>();
        private final List<CountingNode> nodes = new ArrayList<>();
        private NodeSession publisher;
        private List<Resource> trigger;

        /** A forwarder behind a NodeService that counts route adds. */
        static final class CountingNode implements NodeService
        {
            final VRouter vrouter = new VRouter(VRouterConfig.defaults());
            final AtomicLong routeAdds = new AtomicLong();
            private int nextVif = 1;

            @Override
            public synchronized List<Response> program(final List<? extends SandeshRecord> requests)
            {
                final List<Response> out = new ArrayList<>(requests.size());
                for (final SandeshRecord r : requests)
                {
                    final Response response = vrouter.program(r);
                    if (response.code() == 0 && r instanceof RouteRequest && r.op() == Op.ADD)
                    {
                        routeAdds.incrementAndGet();
                    }
                    out.add(response);
                }
                return out;
            }

            @Override
            public synchronized Response addPort(final PortSpec spec)
            {
                final InterfaceRequest vif = InterfaceRequest.builder().idx(nextVif++).type(3).name(spec.name())
                    .vrf(spec.vrf()).mac(BridgeTable.GATEWAY_MAC).build();
                final Response r = vrouter.program(vif);
                return r.code() < 0 ? r : new Response(0, "", List.of(vif));
            }

            @Override
            public Response deletePort(final String name)
            {
                return Response.ok();
            }

            @Override
            public List<PortSpec> ports()
            {
                return List.of();
            }

            @Override
            public VRouter vrouter()
            {
                return vrouter;
            }
        }

        /** Subscribes once the controller has configured the network, then signals. */
        private static final class Publisher implements ControllerListener
        {
            final AtomicReference<ControllerClient> client = new AtomicReference<>();
            final CountDownLatch subscribed = new CountDownLatch(1);

            @Override
            public void onSessionUp()
            {
                client.get().session().endOfRib();
            }

            @Override
            public void onSessionDown()
            {
            }

            @Override
            public void onRoutes(final ChannelMessage.RouteUpdate update)
            {
            }

            @Override
            public void onConfig(final ChannelMessage.Config config)
            {
                if (!config.delete() && config.nodes().stream().anyMatch(n -> "virtual-network".equals(n.attribute(
                    "type"))))
                {
                    client.get().session().subscribe(INSTANCE, 1);
                    subscribed.countDown();
                }
            }

            @Override
            public void onEndOfRib()
            {
            }
        }

        @Setup(Level.Iteration)
        public void setUp() throws Exception
        {
            controller = new Controller(new Cluster(), null);
            server = new ControllerServer(controller, new InetSocketAddress("127.0.0.1", 0), 90, null, true);
            final PodNamespaces none = new PodNamespaces()
            {
                @Override
                public void ensure(final String name)
                {
                }

                @Override
                public void remove(final String name)
                {
                }
            };
            for (int i = 1; i <= 2; i++)
            {
                final CountingNode node = new CountingNode();
                final AtomicReference<ControllerClient> ref = new AtomicReference<>();
                final NodeAgent agent = new NodeAgent(node, "192.168.1." + (10 + i), "eth0", 0, 100, 1500, none,
                    () -> ref.get().session());
                agent.start();
                final ControllerClient c = new ControllerClient("node-" + i, List.of(server.address()), 90, null,
                    agent);
                ref.set(c);
                clients.add(c);
                nodes.add(node);
                c.start();
            }
            final Publisher p = new Publisher();
            final ControllerClient pc = new ControllerClient("node-src", List.of(server.address()), 90, null, p);
            p.client.set(pc);
            clients.add(pc);
            pc.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!ready(controller.nodes()))
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("nodes not ready: " + controller.nodes());
                }
                Thread.sleep(20);
            }
            controller.apply(Resource.parseAll("kind: VirtualNetwork\nmetadata: {name: bench}\n" +
                "spec: {cidr: 10.0.0.0/8}\n---\n" + pod("node-src"), "bench"), "default");
            if (!p.subscribed.await(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("publisher never configured");
            }
            publisher = pc.session();
            final List<RouteEntry> entries = new ArrayList<>(routes);
            for (int i = 0; i < routes; i++)
            {
                final int a = 0x0B000000 + i;
                entries.add(new RouteEntry(1, 1, (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." +
                    (a & 255) + "/32", List.of(new RouteNextHop(1, "192.168.1.99", "", 16 + (i & 1023), List.of("udp"),
                    "default-domain:k8s-default:bench")), 0, 200));
            }
            publisher.publishAll(INSTANCE, entries);
            final long held = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (controller.routeCount(INSTANCE) < routes)
            {
                if (System.nanoTime() > held)
                {
                    throw new IllegalStateException("the controller holds " + controller.routeCount(INSTANCE));
                }
                Thread.sleep(10);
            }
            trigger = Resource.parseAll(pod("node-1") + "---\n" + pod("node-2"), "bench");
            // The publisher's 100 k publishes and the controller's parsing of them are set-up (another
            // process in a deployment): their garbage is collected here, not inside the measured fan-out.
            System.gc();
        }

        private static String pod(final String node)
        {
            return "kind: Pod\nmetadata:\n  name: pod-" + node + "\n  annotations:\n" +
                "    opencontrail.org/network: '{\"name\": \"bench\"}'\nspec: {nodeName: " + node + "}\n";
        }

        @TearDown(Level.Iteration)
        public void tearDown()
        {
            clients.forEach(ControllerClient::close);
            clients.clear();
            nodes.clear();
            server.close();
        }
    }

    /** The baseline: a fresh forwarder with a fabric interface and one tunnel next hop. */
    @State(Scope.Benchmark)
    public static class Direct
    {
        VRouter vrouter;
        List<RouteRequest> requests;

        @Setup(Level.Iteration)
        public void setUp()
        {
            vrouter = new VRouter(VRouterConfig.defaults());
            final Response vif = vrouter.program(InterfaceRequest.builder().idx(0).type(2).name("eth0")
                .mac(0x020000000001L).build());
            final Response nh = vrouter.program(NextHopRequest.builder().id(10).type(3).family(AddressFamily.INET)
                .flags(0x41).oif(0).encap(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0}).tunnel(1, 2).build());
            if (vif.code() != 0 || nh.code() != 0)
            {
                throw new IllegalStateException("setup refused: " + vif + " " + nh);
            }
            requests = new ArrayList<>();
            for (int i = 0; i < 100_000; i++)
            {
                final int a = 0x0B000000 + i;
                requests.add(RouteRequest.builder().family(AddressFamily.INET).vrfId(1)
                    .prefix(new byte[] {(byte)(a >>> 24), (byte)(a >>> 16), (byte)(a >>> 8), (byte)a}, 32).nhId(10)
                    .labelFlags(3).label(16 + (i & 1023)).build());
            }
        }
    }

    private static boolean ready(final String nodes)
    {
        return nodes.matches("(?s).*node-src +Ready.*") && nodes.matches("(?s).*node-1 +Ready.*") &&
            nodes.matches("(?s).*node-2 +Ready.*");
    }

    /**
     * The controller holds N routes of one instance; two pods of that network are placed on node-1 and
     * node-2: each node gets the network's configuration, makes the VRF, subscribes, and receives and
     * installs the N routes. Timed from the apply until both FIBs hold them.
     *
     * @param f the set-up.
     * @return route adds seen on node-1.
     * @throws InterruptedException when interrupted.
     */
    @Benchmark
    public long controllerToTwoFibs(final Fanout f) throws InterruptedException
    {
        final long before0 = f.nodes.get(0).routeAdds.get();
        final long before1 = f.nodes.get(1).routeAdds.get();
        f.controller.apply(f.trigger, "default");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (f.nodes.get(0).routeAdds.get() - before0 < f.routes || f.nodes.get(1).routeAdds.get(
            ) - before1 < f.routes)
        {
            if (System.nanoTime() > deadline)
            {
                final long got0 = f.nodes.get(0).routeAdds.get() - before0;
                final long got1 = f.nodes.get(1).routeAdds.get() - before1;
                throw new IllegalStateException("routes missing after 120 s: " + got0 + ", " + got1 + " / " + f.routes);
            }
            Thread.sleep(1);
        }
        return f.nodes.get(0).routeAdds.get();
    }

    @Benchmark
    public int baselineDirectIntoOneFib(final Direct d)
    {
        int failed = 0;
        String first = "";
        for (final RouteRequest r : d.requests)
        {
            final Response response = d.vrouter.program(r);
            if (response.code() != 0)
            {
                first = failed++ == 0 ? response.code() + " " + response.message() : first;
            }
        }
        if (failed != 0)
        {
            throw new IllegalStateException(failed + " routes refused, the first: " + first);
        }
        return failed;
    }
}
