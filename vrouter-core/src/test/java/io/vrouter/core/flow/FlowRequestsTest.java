package io.vrouter.core.flow;

import static io.vrouter.core.flow.FlowNode.A;
import static io.vrouter.core.flow.FlowNode.B;
import static io.vrouter.core.flow.FlowNode.POD_B;
import static io.vrouter.core.flow.FlowNode.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;

/**
 * {@code vr_flow_req}: add with index -1, change, delete, list, table get; bad requests refused whole
 * with Contrail's codes; NAT rewrites with valid checksums.
 */
class FlowRequestsTest
{
    static long le(final int address)
    {
        return Integer.reverseBytes(address) & 0xFFFFFFFFL;
    }

    static long lePort(final int port)
    {
        return Short.reverseBytes((short)port) & 0xFFFF;
    }

    static SandeshObject flow(final int src, final int dst, final int sport, final int dport, final int action,
        final int flags)
    {
        return new SandeshObject("vr_flow_req").put("fr_op", 0L).put("fr_index", -1L).put("fr_family", 2L)
            .put("fr_flow_sip_l", le(src)).put("fr_flow_dip_l", le(dst)).put("fr_flow_proto", 17L)
            .put("fr_flow_sport", lePort(sport)).put("fr_flow_dport", lePort(dport)).put("fr_flow_nh_id", 0L)
            .put("fr_action", action).put("fr_flags", flags).put("fr_flow_vrf", 1L);
    }

    @Test
    void shouldAddChangeListAndDeleteByRequest()
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        final Response add = n.vrouter.program(flow(A, B, 1, 2, FlowAction.FORWARD, 1));
        assertEquals(0, add.code(), add.message());
        final int index = (int)(long)(Long)add.objects().get(0).get("fr_index");
        assertEquals(POD_B, n.send(udp(A, B, 1, 2), FlowNode.A), "programmed flow forwards without any policy");
        assertEquals(0, n.vrouter.program(flow(A, B, 1, 2, FlowAction.DROP, 1).put("fr_index", index)).code());
        assertEquals(-1, n.send(udp(A, B, 1, 2), FlowNode.A));
        assertEquals(1, n.drops(DropReason.FLOW_ACTION_DROP));
        final Response list = n.vrouter.program(new SandeshObject("vr_flow_req").put("fr_op", 1L));
        assertEquals(1, list.code());
        assertEquals(le(A), list.objects().get(0).get("fr_flow_sip_l"));
        final Response info = n.vrouter.program(new SandeshObject("vr_flow_req").put("fr_op", 2L));
        assertEquals(1L, info.objects().get(0).get("ftable_used_entries"));
        assertEquals(Errno.EEXIST, n.vrouter.program(flow(A, B, 1, 2, FlowAction.FORWARD, 1)).code(),
            "the same key twice");
        assertEquals(0, n.vrouter.program(flow(A, B, 1, 2, FlowAction.FORWARD, 0).put("fr_index", index)).code());
        assertEquals(0, n.table.activeEntries());
        assertEquals(Errno.ENOENT, n.vrouter.program(flow(A, B, 1, 2, FlowAction.FORWARD, 0).put("fr_index", index))
            .code());
    }

    @Test
    void shouldRefuseBadRequestsWholeWithContrailCodes()
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        final int index = (int)(long)(Long)n.vrouter.program(flow(A, B, 1, 2, FlowAction.FORWARD, 1)).objects().get(0)
            .get("fr_index");
        final List<SandeshObject> bad = List.of(
            flow(A, B, 3, 4, 9, 1),
            flow(A, B, 3, 4, FlowAction.FORWARD, 1).put("fr_family", 7L),
            flow(A, B, 3, 4, FlowAction.FORWARD, 1).put("fr_index", 1L << 30),
            flow(A, B, 3, 4, FlowAction.FORWARD, 1).put("fr_flow_proto", 300L),
            flow(A, B, 3, 4, FlowAction.FORWARD, 1).put("fr_flow_nh_id", 1L << 24),
            flow(A, B, 3, 4, FlowAction.FORWARD, 1).put("fr_flow_sip_l", 1L << 40),
            flow(A, B, 3, 4, FlowAction.FORWARD, 0x1 | FlowAction.FLAG_SNAT),
            flow(A, B, 3, 4, FlowAction.FORWARD, 0x1 | FlowAction.FLAG_RFLOW_VALID).put("fr_rindex", 7L),
            flow(A, B, 3, 4, FlowAction.FORWARD, 0x1 | 0x10000));
        for (final SandeshObject r : bad)
        {
            assertEquals(Errno.EINVAL, n.vrouter.program(r).code(), r.toString());
        }
        assertEquals(Errno.ENOENT, n.vrouter.program(flow(A, B, 3, 4, FlowAction.FORWARD,
            0x1 | FlowAction.FLAG_MIRROR).put("fr_mir_id", 3L)).code(), "mirror not configured");
        assertEquals(Errno.EEXIST, n.vrouter.program(flow(A, B, 1, 2, FlowAction.DROP, 1).put("fr_index", index)
            .put("fr_gen_id", 99L)).code(), "generation mismatch");
        assertEquals(Errno.EINVAL, n.vrouter.program(flow(A, B, 5, 2, FlowAction.DROP, 1).put("fr_index", index))
            .code(), "index holds another key");
        assertEquals(1, n.table.activeEntries(), "nothing was added");
        assertEquals(FlowAction.FORWARD, n.table.intField(index, FlowTable.E_ACTION), "nothing was changed");
    }

    @Test
    void shouldSourceNatWithTheReverseKeyAndFixChecksums()
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        final int natted = Frames.ip("192.0.2.9");
        // Reverse flow: B -> natted (what replies look like), then the forward flow with SNAT.
        final Response rev = n.vrouter.program(flow(B, natted, 2, 1, FlowAction.NAT, 1 | FlowAction.FLAG_DNAT));
        final long ri = (Long)rev.objects().get(0).get("fr_index");
        final Response fwd = n.vrouter.program(flow(A, B, 1, 2, FlowAction.NAT, 1 | FlowAction.FLAG_SNAT
            | FlowAction.FLAG_RFLOW_VALID).put("fr_rindex", ri));
        assertEquals(0, fwd.code(), fwd.message());
        final List<TestTopology.Output> out = n.t.send(FlowNode.POD_A, udp(A, B, 1, 2));
        assertEquals(1, out.size());
        final byte[] f = out.get(0).bytes();
        assertEquals(natted, java.nio.ByteBuffer.wrap(f).getInt(14 + 12), "source rewritten");
        assertEquals(0, Frames.checksum(f, 14, 20, 0), "IPv4 header checksum valid");
        final int udpLength = f.length - 34;
        final long pseudo = ((natted >>> 16) & 0xFFFF) + (natted & 0xFFFF) + ((B >>> 16) & 0xFFFF) + (B & 0xFFFF) + 17
            + udpLength;
        assertEquals(0, Frames.checksum(f, 34, udpLength, pseudo), "UDP checksum valid");
        assertTrue(n.table.isActive((int)ri));
    }
}
