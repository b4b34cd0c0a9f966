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
import io.vrouter.core.request.FlowRequest;
import io.vrouter.core.request.FlowTableData;
import io.vrouter.core.request.Response;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;
import io.vrouter.wire.AddressFamily;

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

    static int lePort(final int port)
    {
        return Short.reverseBytes((short)port) & 0xFFFF;
    }

    static FlowRequest.Builder flow(final int src, final int dst, final int sport, final int dport, final int action,
        final int flags)
    {
        return FlowRequest.builder().frOp(FlowRequest.OP_SET).index(-1).family(AddressFamily.INET)
            .source(le(src), 0).destination(le(dst), 0).proto(17).ports(lePort(sport), lePort(dport)).nhId(0)
            .action(action).flags(flags).vrf(1);
    }

    @Test
    void shouldAddChangeListAndDeleteByRequest()
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        final Response add = n.vrouter.program(flow(A, B, 1, 2, FlowAction.FORWARD, 1).build());
        assertEquals(0, add.code(), add.message());
        final int index = add.first(FlowRequest.class).index();
        assertEquals(POD_B, n.send(udp(A, B, 1, 2), FlowNode.A), "programmed flow forwards without any policy");
        assertEquals(0, n.vrouter.program(flow(A, B, 1, 2, FlowAction.DROP, 1).index(index).build()).code());
        assertEquals(-1, n.send(udp(A, B, 1, 2), FlowNode.A));
        assertEquals(1, n.drops(DropReason.FLOW_ACTION_DROP));
        final Response list = n.vrouter.program(FlowRequest.list(-1));
        assertEquals(1, list.code());
        assertEquals(le(A), list.first(FlowRequest.class).sipL());
        final Response info = n.vrouter.program(FlowRequest.tableGet());
        assertEquals(1L, info.first(FlowTableData.class).used());
        assertEquals(Errno.EEXIST, n.vrouter.program(flow(A, B, 1, 2, FlowAction.FORWARD, 1).build()).code(),
            "the same key twice");
        assertEquals(0, n.vrouter.program(flow(A, B, 1, 2, FlowAction.FORWARD, 0).index(index).build()).code());
        assertEquals(0, n.table.activeEntries());
        assertEquals(Errno.ENOENT, n.vrouter.program(flow(A, B, 1, 2, FlowAction.FORWARD, 0).index(index).build())
            .code());
    }

    @Test
    void shouldRefuseBadRequestsWholeWithContrailCodes()
    {
        final FlowNode n = new FlowNode(FlowTableConfig.sized(1024));
        final int index = n.vrouter.program(flow(A, B, 1, 2, FlowAction.FORWARD, 1).build())
            .first(FlowRequest.class).index();
        final List<FlowRequest> bad = List.of(
            flow(A, B, 3, 4, 9, 1).build(),
            flow(A, B, 3, 4, FlowAction.FORWARD, 1).family(7).build(),
            flow(A, B, 3, 4, FlowAction.FORWARD, 1).index(1 << 30).build(),
            flow(A, B, 3, 4, FlowAction.FORWARD, 1).proto(300).build(),
            flow(A, B, 3, 4, FlowAction.FORWARD, 1).nhId(1 << 24).build(),
            flow(A, B, 3, 4, FlowAction.FORWARD, 1).source(1L << 40, 0).build(),
            flow(A, B, 3, 4, FlowAction.FORWARD, 0x1 | FlowAction.FLAG_SNAT).build(),
            flow(A, B, 3, 4, FlowAction.FORWARD, 0x1 | FlowAction.FLAG_RFLOW_VALID).rindex(7).build(),
            flow(A, B, 3, 4, FlowAction.FORWARD, 0x1 | 0x10000).build());
        for (final FlowRequest r : bad)
        {
            assertEquals(Errno.EINVAL, n.vrouter.program(r).code(), r.toString());
        }
        assertEquals(Errno.ENOENT, n.vrouter.program(flow(A, B, 3, 4, FlowAction.FORWARD,
            0x1 | FlowAction.FLAG_MIRROR).mirId(3).build()).code(), "mirror not configured");
        assertEquals(Errno.EEXIST, n.vrouter.program(flow(A, B, 1, 2, FlowAction.DROP, 1).index(index).genId(99)
            .build()).code(), "generation mismatch");
        assertEquals(Errno.EINVAL, n.vrouter.program(flow(A, B, 5, 2, FlowAction.DROP, 1).index(index).build())
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
        final Response rev = n.vrouter.program(flow(B, natted, 2, 1, FlowAction.NAT, 1 | FlowAction.FLAG_DNAT)
            .build());
        final int ri = rev.first(FlowRequest.class).index();
        final Response fwd = n.vrouter.program(flow(A, B, 1, 2, FlowAction.NAT, 1 | FlowAction.FLAG_SNAT
            | FlowAction.FLAG_RFLOW_VALID).rindex(ri).build());
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
        assertTrue(n.table.isActive(ri));
    }
}
