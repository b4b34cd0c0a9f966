package io.vrouter.core.nh.kind;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.status.VrfStat;
import io.vrouter.encap.EntropyHash;
import io.vrouter.encap.VxlanEncap;

/**
 * {@code vxlan-encap}: VXLAN (RFC 7348), the label being the VNI; the shared behaviour and contract are
 * {@link TunnelEncapNode}'s. A mirror copy is encapsulated with the mirror entry's VNI and the L2 hash of
 * the copy. Counts the VRF's VXLAN tunnels.
 */
final class VxlanEncapNode extends TunnelEncapNode
{
    VxlanEncapNode(final Datapath dp)
    {
        super(NextHopKinds.VXLAN_NODE, "vxlan-encap", dp, VrfStat.VXLAN_TUNNELS);
    }

    @Override
    int encapPacket(final UnsafeBuffer buf, final int l3, final int length, final NextHop nh, final int label,
        final int ttl, final int sport, final int vrf, final boolean ipv6)
    {
        return VxlanEncap.encap(buf, l3, length, nh.outer(), label, dp.ipId(), sport);
    }

    @Override
    int encapFrame(final UnsafeBuffer buf, final int frame, final int length, final NextHop nh, final int label,
        final int sport, final int vrf)
    {
        return VxlanEncap.encap(buf, frame, length, nh.outer(), label, dp.ipId(), sport);
    }

    @Override
    void mirrorCopy(final PacketBatch batch, final int copy, final NextHop nh)
    {
        final int inner = batch.l3(copy);
        if (inner < VxlanEncap.OVERHEAD)
        {
            dp.dropCopy(batch, copy);
            return;
        }
        final UnsafeBuffer out = batch.buffer(copy);
        final int innerLength = batch.l3Length(copy);
        dp.counters().countVrf(nh.vrf(), VrfStat.VXLAN_TUNNELS);
        final int start = VxlanEncap.encap(out, inner, innerLength, nh.outer(), batch.label(copy), dp.ipId(),
            EntropyHash.l2SourcePort(out, batch.offset(copy), nh.vrf()));
        dp.sendCopy(batch, copy, nh.oif(), start, innerLength + inner - start);
    }
}
