package io.vrouter.tools.cli;

import java.util.List;

import io.vrouter.core.VRouter;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.NextHopRequest;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import io.vrouter.wire.AddressFamily;

/**
 * The operator's view of one forwarder instance: interfaces, next hops, the routes of every VRF
 * that has any, the label map, drop and VRF counters, read through the same DUMP requests a
 * control-socket client sends and printed by {@link Formats}.
 */
public final class Views
{
    private Views()
    {
    }

    /**
     * Everything, as {@code vif --list; nh --list; rt --dump N (each VRF); mpls --dump; flow -l; dropstats;
     * vrfstats}.
     *
     * @param vrouter the forwarder.
     * @return the text.
     */
    public static String all(final VRouter vrouter)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(Formats.vifList(dump(vrouter, InterfaceRequest.dump(), InterfaceRequest.class))).append('\n');
        sb.append(Formats.nhList(dump(vrouter, NextHopRequest.dump(), NextHopRequest.class)));
        for (int vrf = 0; vrf < vrouter.tables().config().vrfs(); vrf++)
        {
            for (final int family : new int[] {AddressFamily.INET, AddressFamily.INET6})
            {
                final boolean present = family == AddressFamily.INET
                    ? vrouter.tables().fibs().ip4(vrf) != null
                    : vrouter.tables().fibs().ip6(vrf) != null;
                if (present)
                {
                    sb.append(Formats.rtDump(vrf, family, dump(vrouter, RouteRequest.dump(family, vrf),
                        RouteRequest.class))).append('\n');
                }
            }
        }
        sb.append(Formats.mplsDump(dump(vrouter, MplsRequest.dump(), MplsRequest.class))).append('\n');
        if (vrouter.flows().activeEntries() > 0)
        {
            sb.append(FlowListing.format(vrouter.flows()));
        }
        final long[] drops = new long[DropReason.COUNT];
        for (final DropReason r : DropReason.BY_ID)
        {
            drops[r.ordinal()] = vrouter.drops(r);
        }
        final String dropText = Formats.dropstats(drops);
        sb.append(dropText.isEmpty() ? "(no drops)\n" : dropText).append('\n');
        for (int vrf = 0; vrf < vrouter.tables().config().vrfs(); vrf++)
        {
            final long[] counts = new long[VrfStat.COUNT];
            long total = 0;
            for (final VrfStat s : VrfStat.BY_ID)
            {
                counts[s.ordinal()] = vrouter.vrfStat(vrf, s);
                total += counts[s.ordinal()];
            }
            if (total != 0)
            {
                sb.append(Formats.vrfstats(vrf, counts));
            }
        }
        return sb.toString();
    }

    private static <T extends SandeshRecord> List<T> dump(final VRouter vrouter, final SandeshRecord request,
        final Class<T> type)
    {
        final Response r = vrouter.program(request);
        if (r.code() < 0)
        {
            throw new IllegalStateException(request.struct() + " dump refused: " + r.message());
        }
        return r.objects(type);
    }
}
