package io.vrouter.bench.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

import io.vrouter.agent.control.ControlClient;
import io.vrouter.agent.control.ControlServer;
import io.vrouter.agent.testing.InProcessNode;
import io.vrouter.core.VRouter;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.wire.AddressFamily;

/**
 * Programming 100 k IPv4 routes through the control socket: a {@link ControlClient} sends
 * {@code vr_route_req} Adds in requests of {@code batch} routes over a real UNIX-domain socket in a
 * temporary directory to a {@link ControlServer} applying them to an in-process {@link VRouter}
 * through a single-thread conductor; every answer is checked. Single-shot: each measured invocation
 * programs all 100 k routes into a fresh forwarder (encode, socket, decode, conductor hand-off, FIB
 * insert, answers back). Target: under one second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(1)
public class ControlSocketRoutesBenchmark
{
    /** Routes programmed per invocation. */
    public static final int ROUTES = 100_000;

    /** Routes per request frame. */
    @Param({"100000", "1000"})
    public int batch;

    private Path dir;
    private InProcessNode node;
    private ControlServer server;
    private ControlClient client;
    private List<List<RouteRequest>> requests;

    /**
     * The requests, built once.
     */
    @Setup(Level.Trial)
    public void buildRequests()
    {
        requests = new ArrayList<>();
        List<RouteRequest> cur = new ArrayList<>(batch);
        for (int i = 0; i < ROUTES; i++)
        {
            cur.add(RouteRequest.builder().family(AddressFamily.INET).vrfId(1)
                .prefix(new byte[] {10, (byte)(i >> 16), (byte)(i >> 8), (byte)i}, 32).nhId(5).label(16 + (i & 1023))
                .labelFlags(1).build());
            if (cur.size() == batch)
            {
                requests.add(cur);
                cur = new ArrayList<>(batch);
            }
        }
        if (!cur.isEmpty())
        {
            requests.add(cur);
        }
    }

    /**
     * A fresh forwarder, server and client per iteration.
     *
     * @throws IOException if the socket cannot be created.
     */
    @Setup(Level.Iteration)
    public void start() throws IOException
    {
        dir = Files.createTempDirectory("vrouter-ctl-bench");
        final VRouter vr = new VRouter(VRouterConfig.defaults());
        check(vr.program(InterfaceRequest.builder().idx(1).type(3).name("tap1").transport(2).vrf(1).build()));
        check(vr.program(NextHopRequest.builder().id(5).type(NextHopType.ENCAP).family(AddressFamily.INET).vrf(1)
            .oif(1).flags(1).encap(new byte[14]).build()));
        node = new InProcessNode(vr);
        server = new ControlServer(node, dir.resolve("vrouterd.sock"));
        server.start();
        client = ControlClient.connect(dir.resolve("vrouterd.sock"));
    }

    /**
     * Stops everything and removes the directory.
     *
     * @throws IOException if the directory cannot be removed.
     */
    @TearDown(Level.Iteration)
    public void stop() throws IOException
    {
        client.close();
        server.close();
        node.close();
        Files.deleteIfExists(dir.resolve("vrouterd.sock"));
        Files.deleteIfExists(dir);
    }

    /**
     * Programs all routes.
     *
     * @return the number of routes acknowledged.
     */
    @Benchmark
    public int program100kRoutes()
    {
        int ok = 0;
        for (final List<RouteRequest> r : requests)
        {
            for (final Response resp : client.call(r))
            {
                if (resp.code() != 0)
                {
                    throw new IllegalStateException("route refused: " + resp);
                }
                ok++;
            }
        }
        if (ok != ROUTES)
        {
            throw new IllegalStateException(ok + " routes acknowledged");
        }
        return ok;
    }

    private static void check(final Response r)
    {
        if (r.code() != 0)
        {
            throw new IllegalStateException(r.toString());
        }
    }
}
