package io.vrouter.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import io.vrouter.core.control.Programmer;
import io.vrouter.core.flow.FlowAger;
import io.vrouter.core.flow.FlowRequests;
import io.vrouter.core.flow.FlowStage;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.flow.FlowTableConfig;
import io.vrouter.core.flow.PolicyTable;
import io.vrouter.core.forward.FlowHook;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.status.CounterSource;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.ForwardingCounters;
import io.vrouter.core.status.VrfStat;
import io.vrouter.core.table.Tables;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.watch.PacketWatch;

/**
 * One forwarder instance: its tables, the programming entry point and its workers.
 * <p>
 * {@link #program(SandeshRecord)} must be called from one thread at a time (the conductor); it is
 * the tables' only writer. {@link #newForwarder()} creates a worker's pipeline with its own
 * counters; counter reads here sum over every worker.
 * <p>
 * Flows: every instance has a flow table (by default an anonymous one of Contrail's size; the daemon
 * passes a file-backed one from {@link FlowTable#open}) and a {@link PolicyTable}; workers set up
 * flows in line from the policy; the conductor ages them with {@link #newFlowAger()}.
 */
public final class VRouter implements CounterSource
{
    private final Tables tables;
    private final Programmer programmer;
    private final List<Forwarder> forwarders = new CopyOnWriteArrayList<>();
    private final int plannedWorkers;
    private final FlowTable flowTable;
    private final PolicyTable policy;
    private final LongSupplier clock;
    private FlowHook flowHook = FlowHook.NONE;
    private final PacketWatch watch = new PacketWatch();

    /**
     * A forwarder with empty tables and one planned worker.
     *
     * @param config sizes and options.
     */
    public VRouter(final VRouterConfig config)
    {
        this(config, 1);
    }

    /**
     * A forwarder with empty tables.
     *
     * @param config  sizes and options.
     * @param workers number of workers that will be created (interleaves outer IPv4 IDs).
     */
    public VRouter(final VRouterConfig config, final int workers)
    {
        this(config, workers, FlowTable.createAnonymous(FlowTableConfig.defaults()), System::nanoTime);
    }

    /**
     * A forwarder with empty tables and a given flow table and clock.
     *
     * @param config    sizes and options.
     * @param workers   number of workers that will be created.
     * @param flowTable the flow table (file-backed in the daemon: {@link FlowTable#open}).
     * @param clock     nanosecond clock for flow aging (injectable for tests).
     */
    public VRouter(final VRouterConfig config, final int workers, final FlowTable flowTable, final LongSupplier clock)
    {
        this.tables = Tables.create(config);
        this.programmer = new Programmer(tables, this);
        this.plannedWorkers = workers;
        this.flowTable = flowTable;
        this.policy = new PolicyTable(flowTable);
        this.clock = clock;
        this.programmer.flowRequests(new FlowRequests(flowTable, tables.nextHops(), tables.mirrors(),
            tables.config().vrfs(), clock));
    }

    /**
     * The flow table.
     *
     * @return it.
     */
    public FlowTable flows()
    {
        return flowTable;
    }

    /**
     * The policy (networks and rules); program it from the conductor.
     *
     * @return it.
     */
    public PolicyTable policy()
    {
        return policy;
    }

    /**
     * An ager over this instance's flow table and clock; run {@link FlowAger#scan(int)} periodically
     * from one thread (the conductor).
     *
     * @return a new ager.
     */
    public FlowAger newFlowAger()
    {
        return new FlowAger(flowTable, clock);
    }

    /**
     * The tables.
     *
     * @return the tables.
     */
    public Tables tables()
    {
        return tables;
    }

    /**
     * Installs an external flow decision instead of the flow stage (before workers are created);
     * {@link FlowHook#NONE}, the default, means the built-in flow stage decides.
     *
     * @param hook the hook.
     */
    public void flowHook(final FlowHook hook)
    {
        this.flowHook = hook;
    }

    /**
     * Applies a programming request (conductor thread).
     *
     * @param request the request.
     * @return the answer with Contrail's return code.
     */
    public Response program(final SandeshRecord request)
    {
        return programmer.apply(request);
    }

    /**
     * Creates a worker's pipeline.
     *
     * @return the forwarder.
     */
    public Forwarder newForwarder()
    {
        return newForwarder(new ForwardingCounters(tables.config().interfaces(), tables.config().vrfs()));
    }

    /**
     * Creates a worker's pipeline writing into given counters (the daemon's shared-memory counters).
     *
     * @param counters counters sized for this forwarder's interfaces and VRFs.
     * @return the forwarder.
     */
    public Forwarder newForwarder(final ForwardingCounters counters)
    {
        final int index = forwarders.size();
        final Forwarder f = new Forwarder(tables, counters, flowHook,
            flowHook == FlowHook.NONE ? new FlowStage(flowTable, policy, clock, tables.config().maxFrame()) : null,
            index, Math.max(plannedWorkers, index + 1));
        f.watch(watch);
        forwarders.add(f);
        return f;
    }

    /**
     * The packet trace and the capture every worker of this instance watches for.
     *
     * @return the watch.
     */
    public PacketWatch watch()
    {
        return watch;
    }

    /**
     * The workers created so far.
     *
     * @return the forwarders.
     */
    public List<Forwarder> forwarders()
    {
        return forwarders;
    }

    @Override
    public long interfaceCounter(final int vifIndex, final int counter)
    {
        long sum = 0;
        for (final Forwarder f : forwarders)
        {
            sum += f.counters().interfaceCounter(vifIndex, counter);
        }
        return sum;
    }

    @Override
    public void clearInterface(final int vifIndex)
    {
        for (final Forwarder f : forwarders)
        {
            f.counters().clearInterface(vifIndex);
        }
    }

    /**
     * Drops for a reason, summed over workers.
     *
     * @param reason the reason.
     * @return the count.
     */
    public long drops(final DropReason reason)
    {
        long sum = 0;
        for (final Forwarder f : forwarders)
        {
            sum += f.counters().drops(reason);
        }
        return sum;
    }

    /**
     * Drops for a reason on one interface, summed over workers.
     *
     * @param vifIndex interface.
     * @param reason   the reason.
     * @return the count.
     */
    public long drops(final int vifIndex, final DropReason reason)
    {
        long sum = 0;
        for (final Forwarder f : forwarders)
        {
            sum += f.counters().drops(vifIndex, reason);
        }
        return sum;
    }

    /**
     * A VRF statistic summed over workers.
     *
     * @param vrf  VRF id.
     * @param stat counter.
     * @return the count.
     */
    public long vrfStat(final int vrf, final VrfStat stat)
    {
        long sum = 0;
        for (final Forwarder f : forwarders)
        {
            sum += f.counters().vrfStat(vrf, stat);
        }
        return sum;
    }
}
