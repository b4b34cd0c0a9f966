package io.vrouter.agent.control;

import java.util.ArrayList;
import java.util.List;

import io.vrouter.core.VRouter;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.request.DropStatsRequest;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.VrfStatsRequest;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;
import io.vrouter.core.status.VrfStat;

/**
 * Counter reads on the control socket, as Contrail's {@code vr_drop_stats_req} and
 * {@code vr_vrf_stats_req}: answered from the workers' counters without going through the conductor
 * (reads only; a value may be one batch old).
 * <ul>
 * <li>{@link DropStatsRequest} Get, {@code vds_core} the worker index or -1 (the default) for the sum of
 * all workers: one answer with the number of workers and a count for every {@link DropReason}.</li>
 * <li>{@link VrfStatsRequest} Get with {@code vsr_vrf}: one answer with a count for every
 * {@link VrfStat}; Dump: one per VRF with a non-zero counter.</li>
 * </ul>
 */
public final class StatsRequests
{
    private StatsRequests()
    {
    }

    /**
     * Answers a drop statistics request.
     *
     * @param vrouter      the forwarder whose workers are read.
     * @param request      the request.
     * @param countersFile the daemon's counters file, named in the answer, or null.
     * @param stateFile    the daemon's forwarding-state log, named in the answer, or null.
     * @return the answer.
     */
    public static Response execute(final VRouter vrouter, final DropStatsRequest request,
        final java.nio.file.Path countersFile, final java.nio.file.Path stateFile)
    {
        try
        {
            if (request.op() != Op.GET && request.op() != Op.DUMP)
            {
                throw new RequestException(Errno.EOPNOTSUPP, DropStatsRequest.TYPE + ": only Get");
            }
            request.validate();
            final List<Forwarder> workers = vrouter.forwarders();
            final int core = request.core();
            if (core >= workers.size())
            {
                throw new RequestException(Errno.ENOENT, DropStatsRequest.Field.VDS_CORE.path() + ": no worker " + core
                    + " (" + workers.size() + " workers)");
            }
            final long[] drops = new long[DropReason.COUNT];
            for (final DropReason r : DropReason.BY_ID)
            {
                drops[r.ordinal()] = core < 0 ? vrouter.drops(r) : workers.get(core).counters().drops(r);
            }
            return Response.of(0, List.of(new DropStatsRequest(Op.ADD, core, workers.size(), drops,
                countersFile == null ? "" : countersFile.toString(), stateFile == null ? "" : stateFile.toString())));
        }
        catch (final RequestException e)
        {
            return Response.error(e);
        }
    }

    /**
     * Answers a VRF statistics request.
     *
     * @param vrouter the forwarder whose workers are read.
     * @param request the request.
     * @return the answer.
     */
    public static Response execute(final VRouter vrouter, final VrfStatsRequest request)
    {
        try
        {
            request.validate();
            final int vrfs = vrouter.tables().config().vrfs();
            if (request.op() == Op.GET)
            {
                final int vrf = request.vrf();
                if (vrf >= vrfs)
                {
                    throw new RequestException(Errno.EINVAL, VrfStatsRequest.Field.VSR_VRF.path() + ": " + vrf
                        + " not in [0, " + (vrfs - 1) + "]");
                }
                return Response.of(0, List.of(vrfStats(vrouter, vrf)));
            }
            if (request.op() == Op.DUMP)
            {
                final List<VrfStatsRequest> out = new ArrayList<>();
                for (int vrf = 0; vrf < vrfs; vrf++)
                {
                    if (anyVrfStat(vrouter, vrf))
                    {
                        out.add(vrfStats(vrouter, vrf));
                    }
                }
                return Response.of(out.size(), out);
            }
            throw new RequestException(Errno.EOPNOTSUPP, VrfStatsRequest.TYPE + ": only Get and Dump");
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

    private static VrfStatsRequest vrfStats(final VRouter vrouter, final int vrf)
    {
        final long[] stats = new long[VrfStat.COUNT];
        for (final VrfStat s : VrfStat.BY_ID)
        {
            stats[s.ordinal()] = vrouter.vrfStat(vrf, s);
        }
        return new VrfStatsRequest(Op.ADD, vrf, stats);
    }
}
