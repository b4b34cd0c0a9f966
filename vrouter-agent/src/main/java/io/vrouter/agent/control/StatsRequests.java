package io.vrouter.agent.control;

import static io.vrouter.agent.api.NodeRequests.DROP_STATS;
import static io.vrouter.agent.api.NodeRequests.VRF_STATS;
import static io.vrouter.agent.api.NodeRequests.dropField;

import java.util.ArrayList;
import java.util.List;

import io.vrouter.core.VRouter;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;
import io.vrouter.core.status.VrfStat;

/**
 * Counter reads on the control socket, as Contrail's {@code vr_drop_stats_req} and
 * {@code vr_vrf_stats_req}: answered from the workers' counters without going through the conductor
 * (reads only; a value may be one batch old).
 * <ul>
 * <li>{@code vr_drop_stats_req} Get, optional {@code vds_core} (worker index, -1 or absent for the sum
 * of all workers): one object with {@code vds_core} and {@code vds_<reason>} for every
 * {@link DropReason} (lower-case enum name, e.g. {@code vds_invalid_label}).</li>
 * <li>{@code vr_vrf_stats_req} Get with {@code vsr_vrf}: one object with {@code vsr_vrf} and
 * {@code vsr_<stat>} for every {@link VrfStat}; Dump: one per VRF with a non-zero counter.</li>
 * </ul>
 */
public final class StatsRequests
{
    private StatsRequests()
    {
    }

    /**
     * Whether a type is answered here.
     *
     * @param type the object type.
     * @return true for the two statistics objects.
     */
    public static boolean handles(final String type)
    {
        return DROP_STATS.equals(type) || VRF_STATS.equals(type);
    }

    /**
     * Answers a statistics request.
     *
     * @param vrouter the forwarder whose workers are read.
     * @param request the request.
     * @return the answer.
     */
    public static Response execute(final VRouter vrouter, final SandeshObject request)
    {
        try
        {
            final Op op = request.op();
            if (DROP_STATS.equals(request.type()))
            {
                if (op != Op.GET && op != Op.DUMP)
                {
                    throw new RequestException(Errno.EOPNOTSUPP, DROP_STATS + ": only Get");
                }
                final List<Forwarder> workers = vrouter.forwarders();
                final int core = (int)request.getLong("vds_core", -1, -1, Integer.MAX_VALUE);
                if (core >= workers.size())
                {
                    throw new RequestException(Errno.ENOENT,
                        DROP_STATS + ".vds_core: no worker " + core + " (" + workers.size() + " workers)");
                }
                final SandeshObject o = new SandeshObject(DROP_STATS).put("vds_core", (long)core)
                    .put("vds_workers", (long)workers.size());
                for (final DropReason r : DropReason.BY_ID)
                {
                    o.put(dropField(r), core < 0 ? vrouter.drops(r) : workers.get(core).counters().drops(r));
                }
                return Response.of(0, List.of(o));
            }
            final int vrfs = vrouter.tables().config().vrfs();
            if (op == Op.GET)
            {
                final int vrf = (int)request.getLong("vsr_vrf", 0, 0, vrfs - 1);
                return Response.of(0, List.of(vrfStats(vrouter, vrf)));
            }
            if (op == Op.DUMP)
            {
                final List<SandeshObject> out = new ArrayList<>();
                for (int vrf = 0; vrf < vrfs; vrf++)
                {
                    if (anyVrfStat(vrouter, vrf))
                    {
                        out.add(vrfStats(vrouter, vrf));
                    }
                }
                return Response.of(out.size(), out);
            }
            throw new RequestException(Errno.EOPNOTSUPP, VRF_STATS + ": only Get and Dump");
        }
        catch (final RequestException e)
        {
            return Response.error(e);
        }
    }

    private static boolean anyVrfStat(final VRouter vrouter, final int vrf)
    {
        for (final Forwarder f : vrouter.forwarders())
        {
            final ForwardingCounters c = f.counters();
            for (final VrfStat s : VrfStat.BY_ID)
            {
                if (c.vrfStat(vrf, s) != 0)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static SandeshObject vrfStats(final VRouter vrouter, final int vrf)
    {
        final SandeshObject o = new SandeshObject(VRF_STATS).put("vsr_vrf", (long)vrf);
        for (final VrfStat s : VrfStat.BY_ID)
        {
            o.put("vsr_" + s.fieldName(), vrouter.vrfStat(vrf, s));
        }
        return o;
    }
}
