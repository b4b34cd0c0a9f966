package io.vrouter.core.nh.kind;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.nh.NextHopType;

/**
 * VRF-translate next hops ({@code NH_VRF_TRANSLATE}): look the packet up again in the next hop's VRF. For a
 * VXLAN VNI the same next hop means "bridge the inner frame in that VRF" ({@code vxlan-input} handles it).
 */
final class VrfTranslateKind extends NextHopKind
{
    VrfTranslateKind()
    {
        super(NextHopType.VRF_TRANSLATE, NextHopType.name(NextHopType.VRF_TRANSLATE));
    }

    @Override
    public int l3Node(final int flags)
    {
        return NextHopKinds.VRF_TRANSLATE_NODE;
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new VrfTranslateNode(dp));
    }
}
