package io.vrouter.core.forward;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static io.vrouter.core.testing.Frames.hex;
import static io.vrouter.core.testing.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.vrouter.core.VRouter;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.flow.FlowTableConfig;
import io.vrouter.core.flow.PolicyTable;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.VxlanRequest;
import io.vrouter.core.status.CounterSource;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;
import io.vrouter.core.testing.TestTopology;

/**
 * Coverage-guided fuzzing (Jazzer) of the packet pipeline: any bytes, on any interface of a small node
 * programmed as Contrail's agent programs one, in batches of up to {@value #BATCH}. For every batch:
 * {@link Forwarder#process} throws nothing, each slot ends sent on an existing interface or dropped,
 * every dropped slot is counted under exactly one named reason on its ingress interface (no held
 * packets here: the policy decides every flow in line), and what the interfaces received is what they
 * sent plus what was dropped (rx = tx + drops, Invalid IF for frames from interfaces that do not exist).
 * <p>
 * Input: records of one selector byte (low 4 bits: the ingress vif; bit 7: this record starts a new
 * batch), a 16-bit big-endian length and the frame. One node serves every input of a run (building one
 * costs milliseconds and maps memory); its flow table is emptied before each input, so an input replays
 * alone. {@code mvn verify} runs the corpus
 * ({@code src/test/resources/io/vrouter/core/forward/ForwarderFuzzTestInputs/}: golden frames of each
 * path, and the crashes found); {@code bin/vrouter-fuzz packets 300} fuzzes (docs/reliability.md,
 * "Fuzzing").
 */
class ForwarderFuzzTest
{
    static final int BATCH = 8;
    static final int FABRIC = 0;
    static final int POD_A = 3;
    static final int POD_B = 4;
    static final int POD_P = 5;
    static final int VRF = 1;
    static final int POLICY_VRF = 2;
    static final long FABRIC_MAC = 0x020000000afaL;
    static final long PEER_MAC = 0x020000000bfbL;
    static final long POD_A_MAC = 0x02000000000aL;
    static final long POD_B_MAC = 0x02000000000bL;
    static final long POD_P_MAC = 0x02000000000cL;
    static final int LOCAL = ip("192.168.0.1");
    static final int REMOTE = ip("192.168.0.2");
    static final int A = ip("10.1.1.3");
    static final int B = ip("10.1.1.4");
    static final int C = ip("10.1.1.5");
    static final int P = ip("10.2.1.3");
    static final byte[] B6 = hex("fd000000000000000000000000000004");

    /**
     * The node: fabric vif 0, pods on vifs 3 and 4 in VRF 1, a pod with policy on vif 5 in VRF 2, routes
     * to each, a remote pod behind MPLSoUDP and one behind MPLSoGRE, labels, a VNI, an IPv6 route.
     */
    private static final FlowTable FLOWS = FlowTable.createAnonymous(new FlowTableConfig(256, 64, 1000, 1000, 64,
        TimeUnit.SECONDS.toNanos(180), TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(2)));
    private static final TestTopology NODE = node(FLOWS);
    private static final PacketBatch BATCH_SLOTS = NODE.forwarder().newBatch();

    static TestTopology node(final FlowTable flowTable)
    {
        final VRouter vrouter = new VRouter(TestTopology.smallConfig(), 1, flowTable,
            () -> 1_000_000_000L);
        final TestTopology t = new TestTopology(vrouter)
            .vif(FABRIC, VifType.PHYSICAL, 0, FABRIC_MAC, 1500, 0)
            .vif(POD_A, VifType.VIRTUAL, VRF, GATEWAY_MAC, 9000, 0)
            .vif(POD_B, VifType.VIRTUAL, VRF, GATEWAY_MAC, 1500, 0)
            .vif(POD_P, VifType.VIRTUAL, POLICY_VRF, GATEWAY_MAC, 9000, VifFlags.POLICY_ENABLED)
            .simpleNh(1, NextHopType.L2_RECEIVE, -1, VRF)
            .bridge(VRF, GATEWAY_MAC, 1)
            .simpleNh(3, NextHopType.L2_RECEIVE, -1, POLICY_VRF)
            .bridge(POLICY_VRF, GATEWAY_MAC, 3)
            .encapNh(10, 2, POD_A, POD_A_MAC, GATEWAY_MAC, NextHopFlags.VALID)
            .encapNh(11, 2, POD_B, POD_B_MAC, GATEWAY_MAC, NextHopFlags.VALID)
            .encapNh(12, 7, POD_B, POD_B_MAC, GATEWAY_MAC, NextHopFlags.VALID)
            .encapNh(13, 10, POD_B, POD_B_MAC, GATEWAY_MAC, NextHopFlags.VALID)
            // The agent gives a pod's interface next hop the pod's VRF (the flow of a packet from the fabric is
            // keyed in it).
            .program(NextHopRequest.builder().id(14).type(NextHopType.ENCAP).family(2).oif(POD_P).vrf(POLICY_VRF)
                .encap(TestTopology.l2(POD_P_MAC, GATEWAY_MAC)).flags(NextHopFlags.VALID | NextHopFlags.POLICY_ENABLED)
                .build())
            .bridge(VRF, POD_B_MAC, 12)
            .route4(VRF, A, 32, 10, -1, 0x2)
            .route4(VRF, B, 32, 11, -1, 0x2)
            .route4(VRF, P, 32, 14, -1, 0x2)
            .route4(POLICY_VRF, P, 32, 14, -1, 0x2)
            .route4(POLICY_VRF, A, 32, 10, -1, 0x2)
            .route6(VRF, B6, 128, 13, 0x2)
            .tunnelNh(20, FABRIC, LOCAL, REMOTE, NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP_MPLS, PEER_MAC,
                FABRIC_MAC)
            .tunnelNh(21, FABRIC, LOCAL, REMOTE, NextHopFlags.VALID | NextHopFlags.TUNNEL_GRE, PEER_MAC, FABRIC_MAC)
            .route4(VRF, C, 32, 20, 40, 0x1 | 0x2)
            .route4(POLICY_VRF, C, 32, 21, 41, 0x1 | 0x2)
            .simpleNh(2, NextHopType.RECEIVE, -1, 0)
            .route4(0, LOCAL, 32, 2, -1, 0)
            .simpleNh(40, NextHopType.VRF_TRANSLATE, -1, VRF)
            .label(16, 10)
            .label(17, 11)
            .label(18, 14);
        t.program(VxlanRequest.add(100, 40));
        try
        {
            vrouter.policy().program(
                List.of(new PolicyTable.Network(1, "red", new int[] {VRF, POLICY_VRF},
                    List.of(PolicyTable.Cidr.parse("10.0.0.0/8")))),
                List.of(PolicyTable.Rule.of(PolicyTable.Endpoint.ANYWHERE, PolicyTable.Endpoint.ANYWHERE,
                    PolicyTable.ANY_PROTOCOL, true, true)));
        }
        catch (final RequestException e)
        {
            throw new AssertionError("the test's policy is refused: " + e.getMessage(), e);
        }
        return t;
    }

    /**
     * Plays the input's frames through a fresh node, batch by batch, and checks each batch's accounting.
     *
     * @param data records of selector, length and frame.
     */
    @FuzzTest
    void anyBytesOnAnyVif(final byte[] data)
    {
        for (int i = 0; i < FLOWS.totalEntries(); i++)
        {
            FLOWS.delete(i, -1);
        }
        assertEquals(0, FLOWS.activeEntries(), "the flow table is empty before an input");
        final Forwarder forwarder = NODE.forwarder();
        final PacketBatch batch = BATCH_SLOTS;
        batch.clear();
        int pos = 0;
        while (pos < data.length)
        {
            final int selector = data[pos] & 0xFF;
            final int vif = selector & 0x0F;
            final int length = pos + 2 < data.length
                ? Math.min(((data[pos + 1] & 0xFF) << 8) | (data[pos + 2] & 0xFF), data.length - pos - 3) : 0;
            final int frame = Math.min(pos + 3, data.length);
            pos = frame + length;
            if (batch.count() > 0 && ((selector & 0x80) != 0 || batch.count() == Math.min(BATCH, batch.capacity())))
            {
                processAndCheck(forwarder, batch);
                batch.clear();
            }
            // A frame larger than a slot never reaches the pipeline (the port refuses it).
            batch.add(vif, data, frame, length);
        }
        if (batch.count() > 0)
        {
            processAndCheck(forwarder, batch);
        }
    }

    private static void processAndCheck(final Forwarder forwarder, final PacketBatch batch)
    {
        final ForwardingCounters counters = forwarder.counters();
        final int interfaces = TestTopology.smallConfig().interfaces();
        final long[] rx = new long[interfaces];
        final long[] tx = new long[interfaces];
        final long[] ifDrops = new long[interfaces];
        for (int v = 0; v < interfaces; v++)
        {
            rx[v] = counters.interfaceCounter(v, CounterSource.IF_IPACKETS);
            tx[v] = counters.interfaceCounter(v, CounterSource.IF_OPACKETS);
            ifDrops[v] = counters.interfaceCounter(v, CounterSource.IF_DROPS);
        }
        final long drops = counters.totalDrops();
        final long invalidIf = counters.drops(DropReason.INVALID_IF);
        final int inputs = batch.count();

        forwarder.process(batch);

        final int outputs = batch.outputCount();
        assertEquals(inputs + batch.copies(), outputs, "outputs are the inputs and their copies");
        int sent = 0;
        int dropped = 0;
        final long[] droppedOn = new long[interfaces];
        final long[] sentOn = new long[interfaces];
        for (int slot = 0; slot < outputs; slot++)
        {
            final int out = batch.outVif(slot);
            if (out == PacketBatch.DROPPED)
            {
                dropped++;
                droppedOn[batch.inVif(slot)]++;
            }
            else
            {
                assertTrue(out >= 0 && out < interfaces, "slot " + slot + " sent on vif " + out);
                assertTrue(exists(out), "slot " + slot + " sent on vif " + out + ", which does not exist");
                assertTrue(batch.length(slot) > 0, "slot " + slot + " sent empty");
                sent++;
                sentOn[out]++;
            }
        }
        final long counted = counters.totalDrops() - drops;
        assertEquals(dropped, counted, "every dropped slot is counted under one reason (" + forwarder.dropSummary()
            + ")");
        long received = 0;
        long transmitted = 0;
        for (int v = 0; v < interfaces; v++)
        {
            final long r = counters.interfaceCounter(v, CounterSource.IF_IPACKETS) - rx[v];
            final long s = counters.interfaceCounter(v, CounterSource.IF_OPACKETS) - tx[v];
            received += r;
            transmitted += s;
            assertEquals(sentOn[v], s, "vif " + v + " tx counter");
            assertEquals(droppedOn[v], counters.interfaceCounter(v, CounterSource.IF_DROPS) - ifDrops[v],
                "vif " + v + " drops counter");
        }
        final long fromNowhere = counters.drops(DropReason.INVALID_IF) - invalidIf;
        assertEquals(transmitted, sent);
        assertEquals(received + fromNowhere + batch.copies(), transmitted + counted,
            "rx = tx + drops (rx " + received + ", from no interface " + fromNowhere + ", copies " + batch.copies()
                + ", tx " + transmitted + ", drops " + counted + ")");
    }

    private static boolean exists(final int vif)
    {
        return vif == FABRIC || vif == POD_A || vif == POD_B || vif == POD_P;
    }
}
