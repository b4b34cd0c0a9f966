package io.vrouter.bench.forward;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static io.vrouter.core.testing.Frames.ip;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
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
import org.openjdk.jmh.infra.Blackhole;

import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;

/**
 * The whole forwarding path on one core, per packet, in batches of 64:
 * <ul>
 * <li>{@code podToFabric}: a 64-byte-payload UDP packet from a pod to the gateway MAC, bridge
 * lookup (L2-receive), IPv4 checks, TTL decrement, LPM in a VRF holding {@code routes} /32 routes
 * of remote pods, tunnel next hop, MPLSoUDP encapsulation with the entropy port.</li>
 * <li>{@code fabricToPod}: the same packet arriving MPLSoUDP from the fabric, outer checks, receive
 * next hop, decapsulation, label to interface next hop, MAC rewrite.</li>
 * <li>{@code podToFabricPolicy}: {@code podToFabric} with the policy flag on the pod interface: every
 * packet is keyed and looked up in the flow table (a hit: the flow was set up in line by the first
 * packet), and the tunnel's UDP source port comes from the flow instead of a per-packet hash. The 64 packets of a
 * vector are one flow's (a burst): the flow node keys them all and looks the run's key up once.</li>
 * <li>{@code podToFabricFlows64} and {@code podToFabricPolicyFlows64}: the same two paths with every packet of the
 * vector a different flow (64 UDP source ports): 64 keys, 64 hashes, 64 lookups in the flow table per vector.</li>
 * <li>{@code baselineTouch}: the least a forwarder can do: read the destination address of each
 * packet and hand it to the output of the batch. The distance to it is the cost of the pipeline.</li>
 * </ul>
 * Between invocations only the bytes the pipeline changes are restored (the Ethernet header the
 * encapsulation overwrote, the TTL and checksum; or the rewritten Ethernet header), as a port's
 * receive would write a fresh frame. Run with {@code -prof gc}: the allocation rate per operation
 * must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ForwardingPathBenchmark
{
    private static final int BATCH = 64;
    private static final int FABRIC = 0;
    private static final int POD = 3;
    private static final int VRF = 1;
    private static final int LOCAL = ip("192.168.0.1");
    private static final int REMOTE = ip("192.168.0.2");
    private static final long POD_MAC = 0x02000000000aL;

    @Param({"1000", "100000"})
    public int routes;

    private Forwarder forwarder;
    private Forwarder policyForwarder;
    private PacketBatch policyBatch;
    private PacketBatch flowsBatch;
    private PacketBatch policyFlowsBatch;
    private PacketBatch podBatch;
    private PacketBatch fabricBatch;
    private byte[] podFrame;
    private byte[] fabricFrame;

    @Setup(Level.Trial)
    public void setUp() throws io.vrouter.core.request.RequestException
    {
        final TestTopology t = topology(0);
        final TestTopology p = topology(io.vrouter.core.iface.VifFlags.POLICY_ENABLED);
        p.vrouter().policy().program(java.util.List.of(new io.vrouter.core.flow.PolicyTable.Network(1, "pods",
            new int[] {VRF}, java.util.List.of(io.vrouter.core.flow.PolicyTable.Cidr.parse("10.0.0.0/8")))),
            java.util.List.of());
        final int base = ip("10.64.0.0");
        forwarder = t.forwarder();
        policyForwarder = p.forwarder();
        podFrame = Frames.udp4(GATEWAY_MAC, POD_MAC, ip("10.1.1.3"), base + routes / 2, 64, 1000, 2000, 64, false);
        fabricFrame = t.send(POD, podFrame).get(0).bytes();
        final ByteBuffer bb = ByteBuffer.wrap(fabricFrame);
        bb.putInt(26, REMOTE).putInt(30, LOCAL);
        fabricFrame[24] = 0;
        fabricFrame[25] = 0;
        final int c = Frames.checksum(fabricFrame, 14, 20, 0);
        fabricFrame[24] = (byte)(c >>> 8);
        fabricFrame[25] = (byte)c;
        bb.putInt(42, (16 << 12) | (1 << 8) | 63);
        podBatch = PodBatches.fill(forwarder.newBatch(), POD, podFrame, BATCH);
        fabricBatch = PodBatches.fill(forwarder.newBatch(), FABRIC, fabricFrame, BATCH);
        policyBatch = PodBatches.fill(policyForwarder.newBatch(), POD, podFrame, BATCH);
        flowsBatch = forwarder.newBatch();
        policyFlowsBatch = policyForwarder.newBatch();
        for (int i = 0; i < BATCH; i++)
        {
            final byte[] f = Frames.udp4(GATEWAY_MAC, POD_MAC, ip("10.1.1.3"), base + routes / 2, 64, 3000 + i, 2000,
                64, false);
            flowsBatch.add(POD, f, 0, f.length);
            policyFlowsBatch.add(POD, f, 0, f.length);
        }
        forwarder.process(podBatch);
        forwarder.process(fabricBatch);
        policyForwarder.process(policyBatch);
        forwarder.process(flowsBatch);
        policyForwarder.process(policyFlowsBatch);
        if (flowsBatch.outVif(BATCH - 1) != FABRIC || policyFlowsBatch.outVif(BATCH - 1) != FABRIC)
        {
            throw new IllegalStateException("64 flows do not forward: " + policyForwarder.dropSummary());
        }
        if (podBatch.outVif(0) != FABRIC || fabricBatch.outVif(0) != POD || policyBatch.outVif(0) != FABRIC)
        {
            throw new IllegalStateException("benchmark topology does not forward: " + forwarder.dropSummary() + " / "
                + policyForwarder.dropSummary());
        }
        if (p.vrouter().flows().activeEntries() != 2 * (1 + BATCH))
        {
            throw new IllegalStateException("policy topology did not set up 65 flow pairs");
        }
    }

    private TestTopology topology(final int podFlags)
    {
        final TestTopology t = new TestTopology(new VRouterConfig(64, 1024, 16, 1024, 1024, 16, 16, 1 << 18, BATCH,
            2048, false, true));
        t.vif(FABRIC, VifType.PHYSICAL, 0, 0x020000000afaL, 1500, 0)
            .vif(POD, VifType.VIRTUAL, VRF, GATEWAY_MAC, 9000, podFlags)
            .simpleNh(1, NextHopType.L2_RECEIVE, -1, VRF)
            .bridge(VRF, GATEWAY_MAC, 1)
            .encapNh(10, 2, POD, POD_MAC, GATEWAY_MAC, NextHopFlags.VALID)
            .tunnelNh(20, FABRIC, LOCAL, REMOTE, NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS, 0x020000000bfbL,
                0x020000000afaL)
            .simpleNh(2, NextHopType.RECEIVE, -1, 0)
            .route4(0, LOCAL, 32, 2, -1, 0)
            .label(16, 10);
        final int base = ip("10.64.0.0");
        for (int i = 0; i < routes; i++)
        {
            t.route4(VRF, base + i, 32, 20, 100 + (i & 0xFFFF), 0x1 | 0x2);
        }
        t.route4(VRF, ip("10.1.1.3"), 32, 10, -1, 0x2);
        return t;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int podToFabric()
    {
        return fromPod(forwarder, podBatch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int podToFabricPolicy()
    {
        return fromPod(policyForwarder, policyBatch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int podToFabricFlows64()
    {
        return fromPod(forwarder, flowsBatch);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int podToFabricPolicyFlows64()
    {
        return fromPod(policyForwarder, policyFlowsBatch);
    }

    /** A vector of pod frames restored as a port's receive would write them, then forwarded. */
    private int fromPod(final Forwarder f, final PacketBatch b)
    {
        PodBatches.restorePodFrames(b, POD, podFrame, BATCH);
        f.process(b);
        return b.outVif(BATCH - 1);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int fabricToPod()
    {
        final PacketBatch b = fabricBatch;
        for (int i = 0; i < BATCH; i++)
        {
            final UnsafeBuffer buf = b.buffer(i);
            buf.putBytes(PacketBatch.HEADROOM + 32, fabricFrame, 32, 14);
            b.commit(i, FABRIC, fabricFrame.length);
        }
        forwarder.process(b);
        return b.outVif(BATCH - 1);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void baselineTouch(final Blackhole bh)
    {
        final PacketBatch b = podBatch;
        for (int i = 0; i < BATCH; i++)
        {
            b.commit(i, POD, podFrame.length);
            final int dst = b.buffer(i).getInt(b.offset(i) + 30, java.nio.ByteOrder.BIG_ENDIAN);
            b.result(i, dst & 3, b.offset(i), b.length(i));
        }
        bh.consume(b.outVif(BATCH - 1));
    }
}
