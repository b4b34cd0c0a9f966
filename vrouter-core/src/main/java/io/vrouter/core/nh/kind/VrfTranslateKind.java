package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.encap.TunnelType;

/**
 * VRF-translate next hops ({@code NH_VRF_TRANSLATE}): look the packet up again in the next hop's VRF. For a
 * VXLAN VNI the same next hop means "bridge the inner frame in that VRF" ({@code vxlan-input} handles it).
 */
final class VrfTranslateKind extends NextHopKind
{
    VrfTranslateKind()
    {
        super(NextHopType.VRF_TRANSLATE, NextHopType.name(NextHopType.VRF_TRANSLATE), "vrf");
    }

    @Override
    public int l3Node(final int flags)
    {
        return NextHopKinds.VRF_TRANSLATE_NODE;
    }

    @Override
    public NextHop build(final NextHopRequest request, final InterfaceTable interfaces, final NextHopTable nextHops)
        throws RequestException
    {
        return nextHop(request, new int[0], new int[0], null, TunnelType.NONE);
    }

    @Override
    public void list(final NextHopRequest nh, final StringBuilder out)
    {
        out.append(NextHopText.INDENT).append("Vrf:").append(nh.vrf()).append('\n');
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new VrfTranslateNode(dp));
    }
}
