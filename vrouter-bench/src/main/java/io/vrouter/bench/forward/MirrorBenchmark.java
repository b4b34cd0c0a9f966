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

import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.wire.AddressFamily;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;

/**
 * The cost of mirroring on the pod to fabric path (64-byte-payload UDP, MPLSoUDP to a remote pod, batches of
 * 64), per original packet: {@code mirror=none} forwards only; {@code udp} also copies every packet (vif Mr)
 * through a plain UDP tunnel to an analyzer; {@code dynamic} does the same with the dynamic flag, so each copy
 * also gets Contrail's pcap header and 8 bytes of vif metadata. Run with {@code -prof gc}: 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MirrorBenchmark
{
    private static final int BATCH = 64;
    private static final int FABRIC = 0;
    private static final int POD = 3;
    private static final int VRF = 1;
    private static final int LOCAL = ip("192.168.0.1");
    private static final int REMOTE = ip("192.168.0.2");
    private static final int ANALYZER = ip("192.168.0.9");
    private static final long POD_MAC = 0x02000000000aL;
    private static final long FABRIC_MAC = 0x020000000afaL;
    private static final long PEER_MAC = 0x020000000bfbL;

    @Param({"none", "udp", "dynamic"})
    public String mirror;

    private Forwarder forwarder;
    private PacketBatch batch;
    private byte[] podFrame;

    @Setup(Level.Trial)
    public void setUp()
    {
        final TestTopology t = new TestTopology(new VRouterConfig(64, 1024, 16, 1024, 1024, 16, 16, 1 << 18, BATCH,
            2048, false, true));
        final boolean mirrored = !"none".equals(mirror);
        t.vif(FABRIC, VifType.PHYSICAL, 0, FABRIC_MAC, 1500, 0)
            .simpleNh(1, NextHopType.L2_RECEIVE, -1, VRF)
            .bridge(VRF, GATEWAY_MAC, 1)
            .tunnelNh(20, FABRIC, LOCAL, REMOTE, NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS, PEER_MAC,
                FABRIC_MAC)
            .program(NextHopRequest.builder().id(30).type(NextHopType.TUNNEL).family(AddressFamily.INET).oif(FABRIC)
                .encap(TestTopology.l2(PEER_MAC, FABRIC_MAC))
                .tunnel(Integer.reverseBytes(LOCAL), Integer.reverseBytes(ANALYZER))
                .tunnelPorts(Short.reverseBytes((short)8099), Short.reverseBytes((short)8099))
                .flags(NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP).build())
            .program(MirrorRequest.add(1, 30, "dynamic".equals(mirror) ? 1 : 0, MirrorRequest.NO_VNI))
            .program(InterfaceRequest.builder().idx(POD).type(VifType.VIRTUAL).vrf(VRF).mac(GATEWAY_MAC).mtu(9000)
                .flags(mirrored ? VifFlags.MIRROR_RX : 0).mirId(1).inMirrorMd(Frames.hex("0102030405060708")).build())
            .route4(VRF, ip("10.64.0.1"), 32, 20, 100, 0x1 | 0x2);
        forwarder = t.forwarder();
        podFrame = Frames.udp4(GATEWAY_MAC, POD_MAC, ip("10.1.1.3"), ip("10.64.0.1"), 64, 1000, 2000, 64, false);
        if (t.send(POD, podFrame).size() != (mirrored ? 2 : 1))
        {
            throw new IllegalStateException("benchmark topology does not mirror: " + forwarder.dropSummary());
        }
        batch = PodBatches.fill(forwarder.newBatch(), POD, podFrame, BATCH);
        forwarder.process(batch);
        if (batch.outVif(0) != FABRIC)
        {
            throw new IllegalStateException("benchmark topology does not forward: " + forwarder.dropSummary());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int podToFabric()
    {
        final PacketBatch b = batch;
        PodBatches.restorePodFrames(b, POD, podFrame, BATCH);
        forwarder.process(b);
        return b.outVif(BATCH - 1);
    }
}
