package io.vrouter.bench.flow;

import java.nio.ByteBuffer;
import java.util.List;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.flow.FlowKey;
import io.vrouter.core.flow.FlowStage;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.flow.FlowTableConfig;
import io.vrouter.core.flow.PolicyTable;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.testing.Frames;

/**
 * In-line flow setup on one core: a packet from network A to network B misses the table, the
 * compiled policy (8 rules, the pass rule last) decides, and both entries are installed; per new
 * flow. Each invocation sets up {@value #FLOWS} distinct flows (new source ports) in a Contrail-sized
 * table (512 K + overflow); the entries are deleted between invocations, outside the timing (but on
 * the benchmark thread: the ager's delete allocates a scratch key, which {@code -prof gc} counts —
 * the setup itself allocates nothing, see {@code FlowAllocationTest}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlowSetupBenchmark
{
    static final int FLOWS = 65536;

    private FlowTable table;
    private FlowStage stage;
    private UnsafeBuffer packet;
    private int base;
    private final FlowKey key = new FlowKey();
    private final int src = Frames.ip("10.1.0.5");
    private final int dst = Frames.ip("10.2.0.5");

    @Setup(Level.Trial)
    public void setUp() throws RequestException
    {
        table = FlowTable.createAnonymous(FlowTableConfig.defaults());
        final PolicyTable policy = new PolicyTable();
        final List<PolicyTable.Rule> rules = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++)
        {
            rules.add(new PolicyTable.Rule(PolicyTable.Endpoint.cidr("10.1.0.0/16"),
                PolicyTable.Endpoint.cidr("10.2.0.0/16"), 6, 0, 65535, 1000 + i, 1000 + i, false, false));
        }
        rules.add(PolicyTable.Rule.of(PolicyTable.Endpoint.network(1), PolicyTable.Endpoint.network(2),
            PolicyTable.ANY_PROTOCOL, true, true));
        policy.program(List.of(
            new PolicyTable.Network(1, "A", new int[] {1}, List.of(PolicyTable.Cidr.parse("10.1.0.0/16"))),
            new PolicyTable.Network(2, "B", new int[] {2}, List.of(PolicyTable.Cidr.parse("10.2.0.0/16")))), rules);
        stage = new FlowStage(table, policy, System::nanoTime);
        final byte[] frame = Frames.udp4(BridgeTable.GATEWAY_MAC, 0x02000000000aL, Frames.ip("10.1.0.5"),
            Frames.ip("10.2.0.5"), 64, 1, 53, 64, false);
        packet = new UnsafeBuffer(ByteBuffer.allocateDirect(frame.length));
        packet.putBytes(0, frame);
    }

    @TearDown(Level.Invocation)
    public void clear()
    {
        for (int i = 0; i < FLOWS; i++)
        {
            final int sport = (base + i) & 0xFFFF;
            key.set4(7, 17, src, dst, sport, 53);
            final int fi = table.lookup(key, key.hash());
            if (fi < 0)
            {
                throw new IllegalStateException("flow " + i + " was not set up");
            }
            final int ri = table.intField(fi, FlowTable.E_RFLOW);
            table.delete(fi, -1);
            table.delete(ri, -1);
        }
        base += FLOWS;
    }

    @Benchmark
    @OperationsPerInvocation(FLOWS)
    public int inlineSetup()
    {
        int ok = 0;
        for (int i = 0; i < FLOWS; i++)
        {
            packet.putShort(34, (short)(base + i), java.nio.ByteOrder.BIG_ENDIAN);
            final DropReason r = stage.decide(packet, 14, 4, 7, 1, 3, 3, false, 0, 106);
            if (r == null)
            {
                ok++;
            }
        }
        if (ok != FLOWS)
        {
            throw new IllegalStateException("only " + ok + " of " + FLOWS + " flows set up");
        }
        return ok;
    }
}
