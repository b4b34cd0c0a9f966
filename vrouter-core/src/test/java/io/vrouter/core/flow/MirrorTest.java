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
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.flow.PolicyTable.Endpoint;
import io.vrouter.core.flow.PolicyTable.Rule;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.testing.Frames;
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
        n.t.program(new SandeshObject("vr_mirror_req").put("h_op", 0L).put("mirr_index", 1L).put("mirr_nhid", 30L));
        return n;
    }

    @Test
    void shouldCopyReceivedFramesOfAnMrInterfaceUnchanged() throws Exception
    {
        final FlowNode n = node();
        n.t.program(new SandeshObject("vr_interface_req").put("h_op", 0L).put("vifr_idx", POD_A)
            .put("vifr_type", VifType.VIRTUAL).put("vifr_name", "a").put("vifr_vrf", 1)
            .put("vifr_mac", Frames.hex("00005e000100")).put("vifr_mtu", 9000)
            .put("vifr_flags", VifFlags.POLICY_ENABLED | VifFlags.MIRROR_RX).put("vifr_mir_id", 1L));
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
        n.t.program(new SandeshObject("vr_interface_req").put("h_op", 0L).put("vifr_idx", POD_B)
            .put("vifr_type", VifType.VIRTUAL).put("vifr_name", "b").put("vifr_vrf", 2)
            .put("vifr_mac", Frames.hex("00005e000100")).put("vifr_mtu", 9000)
            .put("vifr_flags", VifFlags.POLICY_ENABLED | VifFlags.MIRROR_TX).put("vifr_mir_id", 1L));
        final List<Output> out = n.t.send(POD_A, udp(A, B, 1, 2));
        assertEquals(2, out.size());
        assertEquals(POD_C, out.get(1).vif());
        assertArrayEquals(out.get(0).bytes(), out.get(1).bytes(), "the copy is the frame as sent");
    }

    @Test
    void shouldCountAMirrorWithoutNextHopAndStillForward() throws Exception
    {
        final FlowNode n = node();
        n.t.program(new SandeshObject("vr_interface_req").put("h_op", 0L).put("vifr_idx", POD_A)
            .put("vifr_type", VifType.VIRTUAL).put("vifr_name", "a").put("vifr_vrf", 1)
            .put("vifr_mac", Frames.hex("00005e000100")).put("vifr_mtu", 9000)
            .put("vifr_flags", VifFlags.POLICY_ENABLED | VifFlags.MIRROR_RX).put("vifr_mir_id", 2L));
        final List<Output> out = n.t.send(POD_A, udp(A, B, 1, 2));
        assertEquals(1, out.size());
        assertEquals(POD_B, out.get(0).vif());
        assertEquals(1, n.drops(DropReason.CLONE_FAIL));
    }
}
