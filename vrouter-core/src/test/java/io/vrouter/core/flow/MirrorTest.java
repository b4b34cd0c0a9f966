package io.vrouter.core.flow;

import static io.vrouter.core.flow.FlowNode.A;
import static io.vrouter.core.flow.FlowNode.B;
import static io.vrouter.core.flow.FlowNode.NET_A;
import static io.vrouter.core.flow.FlowNode.NET_B;
import static io.vrouter.core.flow.FlowNode.POD_A;
import static io.vrouter.core.flow.FlowNode.POD_B;
import static io.vrouter.core.flow.FlowNode.POD_C;
import static io.vrouter.core.flow.FlowNode.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vrouter.core.bridge.BridgeTable;
import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Rule;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.testing.TestTopology.Output;

/**
 * Interface mirror flags (Mr, Mt) copy frames to the mirror's next hop in a spare batch slot; a
 * mirror that cannot be served is counted and does not disturb the original.
 */
class MirrorTest
{
    static FlowNode node() throws Exception
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        n.policy(Rule.of(Endpoint.network(NET_A), Endpoint.network(NET_B), PolicyTable.ANY_PROTOCOL, true, true));
        n.t.encapNh(30, 7, POD_C, FlowNode.MAC_C, BridgeTable.GATEWAY_MAC, NextHopFlags.VALID);
        n.t.program(MirrorRequest.add(1, 30, 0, MirrorRequest.NO_VNI));
        return n;
    }

    @Test
    void shouldCopyReceivedFramesOfAnMrInterfaceUnchanged() throws Exception
    {
        final FlowNode n = node();
        n.t.program(InterfaceRequest.builder().idx(POD_A).type(VifType.VIRTUAL).name("a").vrf(1)
            .mac(BridgeTable.GATEWAY_MAC).mtu(9000).flags(VifFlags.POLICY_ENABLED | VifFlags.MIRROR_RX).mirId(1)
            .build());
        final byte[] in = udp(A, B, 1, 2);
        final List<Output> out = n.t.send(POD_A, in);
        assertEquals(2, out.size());
        assertEquals(POD_B, out.get(0).vif());
        assertEquals(POD_C, out.get(1).vif());
        assertArrayEquals(in, out.get(1).bytes(), "the copy is the frame as received");
    }

    @Test
    void shouldCopyTransmittedFramesOfAnMtInterfaceAsSent() throws Exception
    {
        final FlowNode n = node();
        n.t.program(InterfaceRequest.builder().idx(POD_B).type(VifType.VIRTUAL).name("b").vrf(2)
            .mac(BridgeTable.GATEWAY_MAC).mtu(9000).flags(VifFlags.POLICY_ENABLED | VifFlags.MIRROR_TX).mirId(1)
            .build());
        final List<Output> out = n.t.send(POD_A, udp(A, B, 1, 2));
        assertEquals(2, out.size());
        assertEquals(POD_C, out.get(1).vif());
        assertArrayEquals(out.get(0).bytes(), out.get(1).bytes(), "the copy is the frame as sent");
    }

    @Test
    void shouldCountAMirrorWithoutNextHopAndStillForward() throws Exception
    {
        final FlowNode n = node();
        n.t.program(InterfaceRequest.builder().idx(POD_A).type(VifType.VIRTUAL).name("a").vrf(1)
            .mac(BridgeTable.GATEWAY_MAC).mtu(9000).flags(VifFlags.POLICY_ENABLED | VifFlags.MIRROR_RX).mirId(2)
            .build());
        final List<Output> out = n.t.send(POD_A, udp(A, B, 1, 2));
        assertEquals(1, out.size());
        assertEquals(POD_B, out.get(0).vif());
        assertEquals(1, n.drops(DropReason.CLONE_FAIL));
    }
}
