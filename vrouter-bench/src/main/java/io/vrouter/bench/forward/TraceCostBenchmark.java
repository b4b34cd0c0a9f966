package io.vrouter.bench.forward;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static io.vrouter.core.testing.Frames.ip;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;
import io.vrouter.core.watch.PacketWatch;

/**
 * What the packet trace ({@code vrouterctl trace add}) costs the forwarding path when it is not tracing:
 * {@code podToFabric} of {@link ForwardingPathBenchmark} (a pod's UDP packet to the gateway MAC, bridge lookup,
 * IPv4 checks, LPM among 1,000 routes, MPLSoUDP encapsulation; batches of 64) with the forwarder's
 * {@link PacketWatch} in one of four states ({@code trace}):
 * <ul>
 * <li>{@code never}: no trace was ever armed. The only trace code on the path is {@link PacketWatch#active()},
 * one volatile read per batch, whose branch the JIT has never seen taken.</li>
 * <li>{@code cleared}: before measuring, traces were armed and run to completion many times (the watched path
 * and the tracer ran and were compiled, the branch's profile has seen it taken), then cleared: the state after
 * an operator's {@code trace add} / {@code trace show} / {@code trace clear}. Equal to {@code never} within the
 * error means a used and cleared trace leaves no cost behind.</li>
 * <li>{@code armedElsewhere}: a trace armed on another interface (the fabric, which sends nothing here), so every
 * batch takes the watched path but no packet is traced: what an armed, not matching trace costs.</li>
 * <li>{@code tracing}: every packet traced (re-armed whenever it runs out): the cost of tracing itself, for
 * scale; the recorded text allocates.</li>
 * </ul>
 * The path without the trace check at all is this benchmark built with the check taken out
 * ({@code if (watch.active())} made {@code if (false)} in {@code Forwarder.process}, in a throwaway worktree), run
 * right after this one with {@code -p trace=never} (the commands are in docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TraceCostBenchmark
{
    private static final int BATCH = 64;
    private static final int FABRIC = 0;
    private static final int POD = 3;
    private static final int VRF = 1;
    private static final int ROUTES = 1000;
    private static final int WARM_TRACES = 500;
    private static final long POD_MAC = 0x02000000000aL;

    @Param({"never", "cleared", "armedElsewhere", "tracing"})
    public String trace;

    private Forwarder forwarder;
    private PacketWatch watch;
    private PacketBatch batch;
    private byte[] podFrame;
    private boolean rearm;

    @Setup(Level.Trial)
    public void setUp()
    {
        final TestTopology t = new TestTopology(new VRouterConfig(64, 1024, 16, 1024, 1024, 16, 16, 1 << 18, BATCH,
            2048, false, true));
        final int local = ip("192.168.0.1");
        t.vif(FABRIC, VifType.PHYSICAL, 0, 0x020000000afaL, 1500, 0)
            .vif(POD, VifType.VIRTUAL, VRF, GATEWAY_MAC, 9000, 0)
            .simpleNh(1, NextHopType.L2_RECEIVE, -1, VRF)
            .bridge(VRF, GATEWAY_MAC, 1)
            .tunnelNh(20, FABRIC, local, ip("192.168.0.2"), NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS,
                0x020000000bfbL, 0x020000000afaL)
            .simpleNh(2, NextHopType.RECEIVE, -1, 0)
            .route4(0, local, 32, 2, -1, 0);
        final int base = ip("10.64.0.0");
        for (int i = 0; i < ROUTES; i++)
        {
            t.route4(VRF, base + i, 32, 20, 100 + i, 0x1 | 0x2);
        }
        forwarder = t.forwarder();
        watch = t.vrouter().watch();
        podFrame = Frames.udp4(GATEWAY_MAC, POD_MAC, ip("10.1.1.3"), base + ROUTES / 2, 64, 1000, 2000, 64, false);
        batch = PodBatches.fill(forwarder.newBatch(), POD, podFrame, BATCH);
        switch (trace)
        {
            case "never":
                break;
            case "cleared":
                for (int i = 0; i < WARM_TRACES; i++)
                {
                    watch.armTrace(PacketWatch.MAX_TRACE_COUNT, POD);
                    while (watch.traceRemaining() > 0)
                    {
                        podToFabric();
                    }
                    watch.clearTrace();
                }
                break;
            case "armedElsewhere":
                watch.armTrace(PacketWatch.MAX_TRACE_COUNT, FABRIC);
                break;
            case "tracing":
                rearm = true;
                watch.armTrace(PacketWatch.MAX_TRACE_COUNT, POD);
                break;
            default:
                throw new IllegalArgumentException("trace " + trace);
        }
        podToFabric();
        if (batch.outVif(0) != FABRIC)
        {
            throw new IllegalStateException("benchmark topology does not forward: " + forwarder.dropSummary());
        }
        final boolean armed = "armedElsewhere".equals(trace) || "tracing".equals(trace);
        if (watch.active() != armed)
        {
            throw new IllegalStateException("trace " + trace + ": the watch is " + (watch.active() ? "" : "not ")
                + "armed");
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int podToFabric()
    {
        final PacketBatch b = batch;
        PodBatches.restorePodFrames(b, POD, podFrame, BATCH);
        forwarder.process(b);
        if (rearm && watch.traceRemaining() == 0)
        {
            watch.clearTrace();
            watch.armTrace(PacketWatch.MAX_TRACE_COUNT, POD);
        }
        return b.outVif(BATCH - 1);
    }

    /** Packets the watch holds traced (for the test of this benchmark's states). */
    int tracedPackets()
    {
        return watch.traced().size();
    }
}
