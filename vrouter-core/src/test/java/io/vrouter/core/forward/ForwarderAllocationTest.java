package io.vrouter.core.forward;

import static io.vrouter.core.forward.ForwarderTest.A;
import static io.vrouter.core.forward.ForwarderTest.B;
import static io.vrouter.core.forward.ForwarderTest.C;
import static io.vrouter.core.forward.ForwarderTest.FABRIC;
import static io.vrouter.core.forward.ForwarderTest.LOCAL;
import static io.vrouter.core.forward.ForwarderTest.POD_A;
import static io.vrouter.core.forward.ForwarderTest.REMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.vrouter.core.testing.AllocationMeter;
import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;
import io.vrouter.wire.AddressFamily;

/**
 * The forwarding path allocates nothing per packet: after warm-up, forwarding a large number of
 * packets on every main path (pod to pod, pod to tunnel, fabric to pod, ARP proxy, drops) leaves
 * the thread's allocated-bytes counter where it was; so does mirroring (dynamic UDP with pcap header and
 * metadata, plain VXLAN).
 */
class ForwarderAllocationTest
{
    private static final int PORT_8099_NET = 0xA31F;
    private static final int WARMUP_ROUNDS = 20_000;
    private static final int MEASURED_ROUNDS = 20_000;

    @Test
    void shouldForwardWithoutAllocating()
    {
        final ForwarderTest fixture = new ForwarderTest();
        fixture.node();
        final Forwarder forwarder = fixture.t.forwarder();
        final PacketBatch batch = forwarder.newBatch();

        final byte[] podToPod = ForwarderTest.podToGateway(A, B, 64);
        final byte[] podToRemote = ForwarderTest.podToGateway(A, C, 64);
        final byte[] arp = Frames.arpRequest(ForwarderTest.POD_A_MAC, A, C);
        final byte[] ttlExpired = ForwarderTest.podToGateway(A, C, 1);
        final byte[] fromFabric = fixture.t.send(POD_A, podToRemote).get(0).bytes();
        final ByteBuffer bb = ByteBuffer.wrap(fromFabric);
        bb.putInt(26, REMOTE).putInt(30, LOCAL);
        fromFabric[24] = 0;
        fromFabric[25] = 0;
        final int c = Frames.checksum(fromFabric, 14, 20, 0);
        fromFabric[24] = (byte)(c >>> 8);
        fromFabric[25] = (byte)c;
        bb.putInt(42, (17 << 12) | (1 << 8) | 63);

        long forwarded = run(forwarder, batch, podToPod, podToRemote, arp, ttlExpired, fromFabric, WARMUP_ROUNDS);
        final AllocationMeter meter = new AllocationMeter()
            .measure(pass -> run(forwarder, batch, podToPod, podToRemote, arp, ttlExpired, fromFabric, MEASURED_ROUNDS),
                0, 1024);
        forwarded += meter.result();

        assertEquals((long)(WARMUP_ROUNDS + meter.passes() * MEASURED_ROUNDS) * 4 * 4, forwarded,
            "every packet but the TTL drops sent");
        assertTrue(meter.leastAllocated() < 1024, "forwarding " + MEASURED_ROUNDS * 20 + " packets allocated "
            + meter.leastAllocated() + " bytes in the quietest of " + meter.passes() + " passes");
    }

    @Test
    void shouldMirrorToUdpAndVxlanAnalyzersWithoutAllocating()
    {
        final ForwarderTest fixture = new ForwarderTest();
        fixture.node();
        fixture.t.program(NextHopRequest.builder().id(30).type(NextHopType.TUNNEL).family(AddressFamily.INET)
                .oif(FABRIC).encap(TestTopology.l2(ForwarderTest.PEER_MAC, ForwarderTest.FABRIC_MAC)).tunnel(1, 2)
                .tunnelPorts(PORT_8099_NET, PORT_8099_NET).flags(NextHopFlags.VALID | NextHopFlags.TUNNEL_UDP)
                .build())
            .tunnelNh(31, FABRIC, LOCAL, REMOTE, NextHopFlags.VALID | NextHopFlags.TUNNEL_VXLAN, ForwarderTest.PEER_MAC,
                ForwarderTest.FABRIC_MAC)
            .program(MirrorRequest.add(1, 30, 1, MirrorRequest.NO_VNI))
            .program(MirrorRequest.add(2, 31, 0, 7))
            .program(InterfaceRequest.builder().idx(POD_A).type(VifType.VIRTUAL).vrf(ForwarderTest.VRF)
                .mac(BridgeTable.GATEWAY_MAC).mtu(9000).flags(VifFlags.MIRROR_RX).mirId(1)
                .inMirrorMd(Frames.hex("0a0b0c0d")).build())
            .program(InterfaceRequest.builder().idx(ForwarderTest.POD_B).type(VifType.VIRTUAL).vrf(ForwarderTest.VRF)
                .mac(BridgeTable.GATEWAY_MAC).mtu(9000).flags(VifFlags.MIRROR_TX).mirId(2).build());
        final Forwarder forwarder = fixture.t.forwarder();
        final byte[] podToPod = ForwarderTest.podToGateway(A, B, 64);
        assertEquals(3, fixture.t.send(POD_A, podToPod).size(), "original, Mr copy (UDP) and Mt copy (VXLAN)");

        final PacketBatch batch = forwarder.newBatch();
        mirrorRounds(forwarder, batch, podToPod, WARMUP_ROUNDS);
        final AllocationMeter meter = new AllocationMeter().measure(
            pass -> mirrorRounds(forwarder, batch, podToPod, MEASURED_ROUNDS), 0, 1024);
        assertTrue(meter.leastAllocated() < 1024, "mirroring " + MEASURED_ROUNDS * 8 + " packets allocated "
            + meter.leastAllocated() + " bytes in the quietest of " + meter.passes() + " passes");
    }

    private static long mirrorRounds(final Forwarder forwarder, final PacketBatch batch, final byte[] frame,
        final int rounds)
    {
        for (int r = 0; r < rounds; r++)
        {
            batch.clear();
            for (int k = 0; k < 4; k++)
            {
                batch.add(POD_A, frame, 0, frame.length);
            }
            forwarder.process(batch);
        }
        return rounds;
    }

    private static long run(final Forwarder forwarder, final PacketBatch batch, final byte[] podToPod,
        final byte[] podToRemote, final byte[] arp, final byte[] ttlExpired, final byte[] fromFabric, final int rounds)
    {
        long sent = 0;
        for (int r = 0; r < rounds; r++)
        {
            batch.clear();
            for (int k = 0; k < 4; k++)
            {
                batch.add(POD_A, podToPod, 0, podToPod.length);
                batch.add(POD_A, podToRemote, 0, podToRemote.length);
                batch.add(POD_A, arp, 0, arp.length);
                batch.add(POD_A, ttlExpired, 0, ttlExpired.length);
                batch.add(FABRIC, fromFabric, 0, fromFabric.length);
            }
            forwarder.process(batch);
            for (int i = 0; i < batch.count(); i++)
            {
                if (batch.outVif(i) != PacketBatch.DROPPED)
                {
                    sent++;
                }
            }
        }
        return sent;
    }
}
