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
import io.vrouter.core.VRouterConfig;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;

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
    private List<List<SandeshObject>> requests;

    /**
     * The requests, built once.
     */
    @Setup(Level.Trial)
    public void buildRequests()
    {
        requests = new ArrayList<>();
        List<SandeshObject> cur = new ArrayList<>(batch);
        for (int i = 0; i < ROUTES; i++)
        {
            cur.add(new SandeshObject("vr_route_req").put("h_op", 0L).put("rtr_family", 2L).put("rtr_vrf_id", 1L)
                .put("rtr_prefix", new byte[] {10, (byte)(i >> 16), (byte)(i >> 8), (byte)i})
                .put("rtr_prefix_len", 32L).put("rtr_nh_id", 5L).put("rtr_label", (long)(16 + (i & 1023)))
                .put("rtr_label_flags", 1L));
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
        check(vr.program(new SandeshObject("vr_interface_req").put("vifr_idx", 1L).put("vifr_type", 3L)
            .put("vifr_name", "tap1").put("vifr_transport", 2L).put("vifr_vrf", 1L).put("vifr_mac", new byte[6])));
        check(vr.program(new SandeshObject("vr_nexthop_req").put("nhr_id", 5L).put("nhr_type", 2L)
            .put("nhr_family", 2L).put("nhr_vrf", 1L).put("nhr_encap_oif_id", new long[] {1}).put("nhr_flags", 1L)
            .put("nhr_encap", new byte[14])));
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
        for (final List<SandeshObject> r : requests)
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
