package io.vrouter.core.nh.kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vrouter.core.datapath.Datapath;
import io.vrouter.core.graph.Graph;
import io.vrouter.core.iface.InterfaceTable;
import io.vrouter.core.nh.NextHop;
import io.vrouter.core.nh.NextHopTable;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.RequestException;
import io.vrouter.encap.TunnelType;

/**
 * Composite next hops ({@code NH_COMPOSITE}) with ECMP members: a routed packet takes one member, chosen by
 * its flow (sticky once the flow has one) or by the hash of its fields. Rules: every member exists, is not
 * the composite itself and is not a composite; a label per member, or none.
 */
final class CompositeKind extends NextHopKind
{
    CompositeKind()
    {
        super(NextHopType.COMPOSITE, NextHopType.name(NextHopType.COMPOSITE), "Composite");
    }

    @Override
    public NextHop build(final NextHopRequest request, final InterfaceTable interfaces, final NextHopTable nextHops)
        throws RequestException
    {
        final int[] list = request.nhList();
        final int[] labelList = request.labelList();
        if (labelList.length != 0 && labelList.length != list.length)
        {
            throw RequestException.refuse(Errno.EINVAL, NextHopRequest.Field.NHR_LABEL_LIST,
                labelList.length + " labels for " + list.length + " members");
        }
        final int[] members = new int[list.length];
        final int[] labels = new int[list.length];
        for (int i = 0; i < list.length; i++)
        {
            final NextHop m = nextHops.get(list[i]);
            if (m == null || list[i] == request.id())
            {
                throw RequestException.refuse(Errno.EINVAL, NextHopRequest.Field.NHR_NH_LIST,
                    "member " + list[i] + " does not exist");
            }
            if (m.type() == NextHopType.COMPOSITE)
            {
                throw RequestException.refuse(Errno.EINVAL, NextHopRequest.Field.NHR_NH_LIST,
                    "member " + list[i] + " is itself a composite");
            }
            members[i] = list[i];
            labels[i] = labelList.length == 0 ? -1 : labelList[i];
        }
        return nextHop(request, members, labels, null, TunnelType.NONE);
    }

    @Override
    public int l3Node(final int flags)
    {
        return NextHopKinds.COMPOSITE_NODE;
    }

    @Override
    void addNodes(final Graph graph, final Datapath dp)
    {
        graph.add(new CompositeNode(dp));
    }

    @Override
    public void describe(final NextHop nh, final NextHopRequest.Builder answer)
    {
        if (nh.members().length > 0)
        {
            answer.members(nh.members().clone(), nh.labels().clone());
        }
    }

    @Override
    public void list(final NextHopRequest nh, final StringBuilder out)
    {
        final int[] members = nh.nhList();
        final int[] labels = nh.labelList();
        out.append(NextHopText.INDENT).append("Sub NH(label):");
        for (int i = 0; i < members.length; i++)
        {
            out.append(' ').append(members[i]).append('(').append(i < labels.length ? labels[i] : -1).append(')');
        }
        out.append('\n');
    }

    @Override
    public void introspect(final NextHopRequest nh, final Map<String, Object> out,
        final NextHopDirectory directory)
    {
        final List<String> itfs = new ArrayList<>();
        for (final int member : nh.nhList())
        {
            final NextHopRequest sub = directory.nextHop(member);
            final String name = sub == null ? null : directory.interfaceName(sub.oif());
            itfs.add(name == null ? "nh" + member : name);
        }
        out.put("itfs", itfs);
    }
}
