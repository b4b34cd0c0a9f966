package io.vrouter.core.forward;

import static io.vrouter.core.forward.ForwarderTest.A;
import static io.vrouter.core.forward.ForwarderTest.B;
import static io.vrouter.core.forward.ForwarderTest.C;
import static io.vrouter.core.forward.ForwarderTest.POD_A;
import static io.vrouter.core.forward.ForwarderTest.POD_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import io.vrouter.core.testing.TestTopology.Output;
import io.vrouter.core.watch.FrameSink;
import io.vrouter.core.watch.PacketWatch;

/**
 * The packet trace and the capture, through a real forwarder: what they record, and that forwarding is
 * the same with them armed as without.
 */
class PacketWatchTest
{
    @Test
    void shouldTraceTheNextPacketsNodeByNode()
    {
        final ForwarderTest f = new ForwarderTest();
        f.node();
        final PacketWatch watch = f.t.vrouter().watch();
        assertFalse(watch.active());
        watch.armTrace(2, -1);
        assertTrue(watch.active());
        final byte[] local = ForwarderTest.podToGateway(A, B, 64);
        final byte[] expired = ForwarderTest.podToGateway(A, C, 1);
        final List<Output> traced = f.t.send(POD_A, local, expired);
        assertFalse(watch.active(), "disarmed after 2 packets");
        final List<String> packets = watch.traced();
        assertEquals(2, packets.size(), String.join("\n", packets));
        final String first = packets.get(0);
        assertTrue(first.startsWith("Packet 1: worker 0, received on vif 0/" + POD_A), first);
        assertTrue(first.contains("ipv4 10.1.1.3 > 10.1.1.4 ttl 64"), first);
        assertTrue(first.contains("  ethernet-input: -> "), first);
        assertTrue(first.contains("ip4-lookup: -> "), first);
        assertTrue(first.contains("sent on vif 0/" + POD_B), first);
        assertTrue(first.contains("rewritten: ") && first.contains("ttl 63"), first);
        assertTrue(first.contains("result: sent on vif 0/" + POD_B), first);
        final String second = packets.get(1);
        assertTrue(second.contains("  ip-input: dropped: TTL Exceeded (vds_ttl_exceeded)\n"), second);
        assertTrue(second.contains("result: not sent"), second);

        // The same packets without a trace give the same outputs.
        final List<Output> plain = f.t.send(POD_A, local, expired);
        assertEquals(traced.size(), plain.size());
        for (int i = 0; i < plain.size(); i++)
        {
            assertEquals(traced.get(i).vif(), plain.get(i).vif());
            assertArrayEquals(traced.get(i).bytes(), plain.get(i).bytes());
        }
        assertEquals(2, watch.traced().size(), "nothing traced while disarmed");

        watch.armTrace(1, POD_B);
        f.t.send(POD_A, local);
        assertEquals(2, watch.traced().size(), "a packet of another vif is not traced");
        assertEquals(1, watch.traceRemaining());
        watch.clearTrace();
        assertEquals(0, watch.traced().size());
        assertFalse(watch.active());
        assertThrows(IllegalArgumentException.class, () -> watch.armTrace(0, -1));
    }

    @Test
    void shouldCaptureAnInterfacesReceivedAndSentFramesUpToACount()
    {
        final ForwarderTest f = new ForwarderTest();
        f.node();
        final PacketWatch watch = f.t.vrouter().watch();
        final List<String> seen = new ArrayList<>();
        final boolean[] finished = new boolean[1];
        watch.startCapture(POD_B, 3, new FrameSink()
        {
            @Override
            public void frame(final int vif, final boolean sent, final DirectBuffer buffer, final int offset,
                final int length)
            {
                seen.add((sent ? "tx " : "rx ") + vif + " " + length);
            }

            @Override
            public void finished()
            {
                finished[0] = true;
            }
        });
        assertThrows(IllegalStateException.class, () -> watch.startCapture(POD_A, 1, null));
        final byte[] aToB = ForwarderTest.podToGateway(A, B, 64);
        final byte[] bToA = ForwarderTest.podToGateway(B, A, 64);
        assertEquals(1, f.t.send(POD_A, aToB).size());
        assertEquals(List.of("tx " + POD_B + " " + aToB.length), seen);
        f.t.send(POD_A, ForwarderTest.podToGateway(A, C, 1));
        assertEquals(1, seen.size(), "a frame of another interface is not captured");
        f.t.send(POD_B, bToA);
        assertEquals(List.of("tx " + POD_B + " " + aToB.length, "rx " + POD_B + " " + bToA.length), seen);
        assertFalse(finished[0]);
        f.t.send(POD_A, aToB, aToB);
        assertEquals(3, seen.size(), "the count ends the capture");
        assertTrue(finished[0]);
        assertFalse(watch.capturing());
        assertFalse(watch.active());
        assertEquals(3, watch.captured());
    }
}
