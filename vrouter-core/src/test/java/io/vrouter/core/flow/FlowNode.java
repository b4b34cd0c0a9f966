package io.vrouter.core.flow;

import static io.vrouter.core.bridge.BridgeTable.GATEWAY_MAC;
import static io.vrouter.core.testing.Frames.ip;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.vrouter.core.VRouter;
import io.vrouter.core.iface.VifFlags;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.nh.NextHopFlags;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.testing.Frames;
import io.vrouter.core.testing.TestTopology;
import io.vrouter.core.testing.TestTopology.Output;

/**
 * A node with three networks A, B, C, one pod each in its own VRF (1, 2, 3), routes leaked so every
 * pod can reach every other, every pod interface with the policy flag. Clock injectable.
 */
final class FlowNode
{
    static final int POD_A = 1;
    static final int POD_B = 2;
    static final int POD_C = 3;
    static final int POD_A2 = 4;
    static final int NET_A = 100;
    static final int NET_B = 200;
    static final int NET_C = 300;
    static final int A = ip("10.1.0.5");
    static final int A2 = ip("10.1.0.6");
    static final int B = ip("10.2.0.5");
    static final int C = ip("10.3.0.5");
    static final long MAC_A = 0x02000000000aL;
    static final long MAC_B = 0x02000000000bL;
    static final long MAC_C = 0x02000000000cL;

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final FlowTable table;
    final VRouter vrouter;
    final TestTopology t;

    FlowNode(final FlowTableConfig config)
    {
        table = FlowTable.createAnonymous(config);
        vrouter = new VRouter(TestTopology.smallConfig(), 1, table, clock::get);
        t = new TestTopology(vrouter);
        for (int vrf = 1; vrf <= 3; vrf++)
        {
            t.simpleNh(vrf, NextHopType.L2_RECEIVE, -1, vrf).bridge(vrf, GATEWAY_MAC, vrf);
        }
        t.vif(POD_A, VifType.VIRTUAL, 1, GATEWAY_MAC, 9000, VifFlags.POLICY_ENABLED)
            .vif(POD_B, VifType.VIRTUAL, 2, GATEWAY_MAC, 9000, VifFlags.POLICY_ENABLED)
            .vif(POD_C, VifType.VIRTUAL, 3, GATEWAY_MAC, 9000, VifFlags.POLICY_ENABLED)
            .vif(POD_A2, VifType.VIRTUAL, 1, GATEWAY_MAC, 9000, VifFlags.POLICY_ENABLED)
            .encapNh(11, 2, POD_A, MAC_A, GATEWAY_MAC, NextHopFlags.VALID)
            .encapNh(12, 2, POD_B, MAC_B, GATEWAY_MAC, NextHopFlags.VALID)
            .encapNh(13, 2, POD_C, MAC_C, GATEWAY_MAC, NextHopFlags.VALID)
            .encapNh(14, 2, POD_A2, MAC_A, GATEWAY_MAC, NextHopFlags.VALID);
        for (int vrf = 1; vrf <= 3; vrf++)
        {
            t.route4(vrf, A, 32, 11, -1, 0x2).route4(vrf, B, 32, 12, -1, 0x2).route4(vrf, C, 32, 13, -1, 0x2)
                .route4(vrf, A2, 32, 14, -1, 0x2);
        }
    }

    /**
     * Gives each pod interface its own next hop as its key next hop ({@code vifr_nh_id}), as the node
     * agent programs them: packets from different pods are keyed with different next hops.
     *
     * @return this.
     */
    FlowNode ownKeyNextHops()
    {
        final int[][] pods = {{POD_A, 1, 11}, {POD_B, 2, 12}, {POD_C, 3, 13}, {POD_A2, 1, 14}};
        for (final int[] p : pods)
        {
            t.program(InterfaceRequest.builder().idx(p[0]).type(VifType.VIRTUAL).name("vif" + p[0]).vrf(p[1])
                .mac(GATEWAY_MAC).mtu(9000).flags(VifFlags.POLICY_ENABLED).transport(0).nhId(p[2]).build());
        }
        return this;
    }

    void policy(final PolicyTable.Rule... rules) throws RequestException
    {
        vrouter.policy().program(List.of(
            new PolicyTable.Network(NET_A, "A", new int[] {1}, List.of(PolicyTable.Cidr.parse("10.1.0.0/16"))),
            new PolicyTable.Network(NET_B, "B", new int[] {2}, List.of(PolicyTable.Cidr.parse("10.2.0.0/16"))),
            new PolicyTable.Network(NET_C, "C", new int[] {3}, List.of(PolicyTable.Cidr.parse("10.3.0.0/16")))),
            List.of(rules));
    }

    static int podOf(final int address)
    {
        if (address == A)
        {
            return POD_A;
        }
        if (address == A2)
        {
            return POD_A2;
        }
        return address == B ? POD_B : POD_C;
    }

    /** Sends one frame from the pod owning {@code src}; returns the output vif or -1 if dropped. */
    int send(final byte[] frame, final int src)
    {
        final List<Output> out = t.send(podOf(src), frame);
        return out.isEmpty() ? -1 : out.get(0).vif();
    }

    long drops(final DropReason r)
    {
        return vrouter.drops(r);
    }

    static byte[] udp(final int src, final int dst, final int sport, final int dport)
    {
        return Frames.udp4(GATEWAY_MAC, MAC_A, src, dst, 64, sport, dport, 16, false);
    }

    static byte[] tcp(final int src, final int dst, final int sport, final int dport, final int flags)
    {
        final byte[] l4 = new byte[20];
        final ByteBuffer bb = ByteBuffer.wrap(l4);
        bb.putShort((short)sport).putShort((short)dport).putInt(1).putInt(0);
        bb.put((byte)(5 << 4)).put((byte)flags).putShort((short)1000);
        return ipv4(src, dst, 6, l4);
    }

    static byte[] icmpEcho(final int src, final int dst, final int type, final int id)
    {
        final byte[] l4 = new byte[8];
        final ByteBuffer bb = ByteBuffer.wrap(l4);
        bb.put((byte)type).put((byte)0).putShort((short)0).putShort((short)id).putShort((short)1);
        final int c = Frames.checksum(l4, 0, 8, 0);
        l4[2] = (byte)(c >>> 8);
        l4[3] = (byte)c;
        return ipv4(src, dst, 1, l4);
    }

    static byte[] ipv4(final int src, final int dst, final int proto, final byte[] l4)
    {
        final byte[] f = new byte[14 + 20 + l4.length];
        final ByteBuffer bb = ByteBuffer.wrap(f);
        Frames.putMac(bb, GATEWAY_MAC);
        Frames.putMac(bb, MAC_A);
        bb.putShort((short)0x0800);
        bb.put((byte)0x45).put((byte)0).putShort((short)(20 + l4.length)).putShort((short)1).putShort((short)0);
        bb.put((byte)64).put((byte)proto).putShort((short)0).putInt(src).putInt(dst);
        final int c = Frames.checksum(f, 14, 20, 0);
        f[24] = (byte)(c >>> 8);
        f[25] = (byte)c;
        bb.put(l4);
        return f;
    }
}
