package io.vrouter.tools.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

import io.vrouter.agent.api.NodeEndpoints;
import io.vrouter.agent.control.ControlClient;
import io.vrouter.agent.control.ControlException;
import io.vrouter.agent.counters.CounterFile;
import io.vrouter.agent.introspect.SandeshJson;
import io.vrouter.core.nh.MirrorTable;
import io.vrouter.core.request.DropStatsRequest;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.FlowRequest;
import io.vrouter.core.request.FlowTableData;
import io.vrouter.core.request.MirrorRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.PortRequest;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshRecord;
import io.vrouter.core.request.VrfStatsRequest;
import io.vrouter.core.status.DropReason;
import io.vrouter.core.status.VrfStat;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code vrouterctl}: the operator CLI. Every subcommand talks to {@code vrouterd} over the control
 * socket ({@code --socket}, default {@code /var/run/vrouter/vrouterd.sock}) and prints Contrail's
 * layouts (reference §5, through {@link Formats}) or, with {@code --json}, the objects as JSON. Also
 * callable by the names of Contrail's tools ({@code vif}, {@code nh}, {@code rt}, {@code mpls},
 * {@code flow}, {@code dropstats}, {@code vrfstats}): the launcher passes its own name in the system
 * property {@code vrouter.prog}.
 */
@Command(name = "vrouterctl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    scope = ScopeType.INHERIT,
    description = "Operator CLI for vrouterd (control socket and introspect).",
    subcommands = {
        VifCommand.class, NhCommand.class, RtCommand.class, LabelCommands.Mpls.class, LabelCommands.Vxlan.class,
        VrouterCtl.Mirror.class, VrouterCtl.Dropstats.class, VrouterCtl.Vrfstats.class, VrouterCtl.Flow.class,
        VrouterCtl.State.class, VrouterCtl.Port.class, Ist.class, WatchCommands.Trace.class,
        WatchCommands.Vifdump.class})
public final class VrouterCtl implements Runnable
{
    /** Names the launcher may be called by, each the subcommand of the same name. */
    public static final List<String> ALIASES = List.of("vif", "nh", "rt", "mpls", "vxlan", "mirror", "flow",
        "dropstats", "vrfstats", "vifdump");

    @Option(names = "--socket", scope = ScopeType.INHERIT, paramLabel = "PATH",
        description = "control socket (default: ${DEFAULT-VALUE}); before or after the command")
    Path socket = NodeEndpoints.CONTROL_SOCKET;

    @Option(names = "--json", scope = ScopeType.INHERIT,
        description = "print JSON instead of Contrail's layout; before or after the command")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Runs the CLI.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(run(System.getProperty("vrouter.prog", "vrouterctl"), args,
            new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the CLI as a program name (an alias runs its subcommand directly).
     *
     * @param prog the name it was called by.
     * @param args the arguments.
     * @param out  standard output.
     * @param err  standard error.
     * @return the exit code: 0 ok, 1 refused or daemon not reachable, 2 usage.
     */
    public static int run(final String prog, final String[] args, final PrintWriter out, final PrintWriter err)
    {
        final String name = Path.of(prog).getFileName().toString();
        final String[] effective;
        if (ALIASES.contains(name))
        {
            effective = new String[args.length + 1];
            effective[0] = name;
            System.arraycopy(args, 0, effective, 1, args.length);
        }
        else
        {
            effective = args;
        }
        final CommandLine cl = new CommandLine(new VrouterCtl());
        cl.setOut(out);
        cl.setErr(err);
        // Every failure is one line on stderr: usage errors (exit 2) with a pointer to --help, refusals,
        // unreachable daemons and unreadable files as they are, anything else with its type (exit 1; no
        // stack trace: the CLI holds no state a trace would explain).
        cl.setParameterExceptionHandler((ex, args1) ->
        {
            final CommandLine failed = ex.getCommandLine();
            err.println(name + ": " + ex.getMessage() + " (see: " + failed.getCommandSpec().qualifiedName()
                + " --help)");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            err.println(name + ": " + (ex instanceof ControlException || ex instanceof CliException
                || ex instanceof IOException ? ex.getMessage()
                : ex.getMessage() == null ? ex.getClass().getSimpleName()
                : ex.getClass().getSimpleName() + ": " + ex.getMessage()));
            err.flush();
            return 1;
        });
        final int code = cl.execute(effective);
        out.flush();
        err.flush();
        return code;
    }

    /** A refusal to report on stderr with exit code 1. */
    static final class CliException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        CliException(final String message)
        {
            super(message);
        }
    }

    /**
     * What every socket command shares: the global {@code --socket} and {@code --json} (options of
     * {@code vrouterctl} that every subcommand inherits, so they may come before or after it), the
     * calls, and printing.
     */
    static final class Common
    {
        private final Supplier<CommandSpec> command;

        /**
         * For one command.
         *
         * @param command the command's spec (injected after construction, hence a supplier).
         */
        Common(final Supplier<CommandSpec> command)
        {
            this.command = command;
        }

        private VrouterCtl root()
        {
            return (VrouterCtl)command.get().root().userObject();
        }

        /**
         * The control socket.
         *
         * @return {@code --socket}.
         */
        Path socket()
        {
            return root().socket;
        }

        /**
         * Whether to print JSON.
         *
         * @return {@code --json}.
         */
        boolean json()
        {
            return root().json;
        }

        List<Response> call(final SandeshRecord... requests)
        {
            try (ControlClient c = ControlClient.connect(socket()))
            {
                return c.call(List.of(requests));
            }
        }

        /**
         * One request whose refusal is an error: Contrail's {@code vRouter(Response): <strerror> (<errno>)}
         * followed by the request and the daemon's reason.
         */
        Response one(final SandeshRecord request)
        {
            final Response r = call(request).get(0);
            if (r.code() < 0)
            {
                throw new CliException("vRouter(Response): " + Errno.describe(r.code()) + " (" + -r.code() + "): "
                    + request.struct() + " " + request.op().xmlName() + " refused: " + Errno.name(r.code())
                    + (r.message().isEmpty() ? "" : ": " + r.message()));
            }
            return r;
        }

        /** The answers to a DUMP (or a GET), of the type the request answers with. */
        <T extends SandeshRecord> List<T> dump(final SandeshRecord request, final Class<T> type)
        {
            return one(request).objects(type);
        }

        void print(final CommandSpec spec, final String text)
        {
            final PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        }

        void printJson(final CommandSpec spec, final Object value)
        {
            print(spec, SandeshJson.write(value));
        }

        /** Objects as JSON with {@code --json}, else as the text Contrail's tool prints for them. */
        <T extends SandeshRecord> int show(final CommandSpec spec, final List<T> objects,
            final Function<List<T>, String> text)
        {
            if (json())
            {
                printJson(spec, SandeshJson.toMaps(objects));
            }
            else
            {
                print(spec, text.apply(objects));
            }
            return 0;
        }

        /** One object as JSON with {@code --json}, else as the text Contrail's tool prints for it. */
        <T extends SandeshRecord> int showOne(final CommandSpec spec, final T object, final Function<T, String> text)
        {
            if (json())
            {
                printJson(spec, SandeshJson.toMap(object));
            }
            else
            {
                print(spec, text.apply(object));
            }
            return 0;
        }
    }

    /**
     * The counters file the daemon on the socket names ({@code vds_counters_file} of a drop
     * statistics answer), so each daemon's own file is read.
     *
     * @param common socket options.
     * @return the file, or null when the daemon keeps none.
     */
    static Path countersOf(final Common common)
    {
        final DropStatsRequest o = common.one(DropStatsRequest.get(DropStatsRequest.ALL_CORES))
            .first(DropStatsRequest.class);
        return o.countersFile().isEmpty() ? null : Path.of(o.countersFile());
    }

    /**
     * The daemon's shared-memory counters if the file exists (null: ask the socket instead).
     *
     * @param path the file.
     * @return the mapped file, or null when there is none.
     * @throws CliException if it is unreadable or its writer has exited.
     */
    static CounterFile counterFile(final Path path)
    {
        if (path == null || !Files.exists(path))
        {
            return null;
        }
        final CounterFile file;
        try
        {
            file = CounterFile.open(path);
        }
        catch (final IOException e)
        {
            throw new CliException("cannot read counters: " + e.getMessage());
        }
        if (!file.writerAlive())
        {
            final long pid = file.writerPid();
            file.close();
            throw new CliException("vrouterd is not running (counters file " + path + " was written by pid " + pid
                + ", which has exited)");
        }
        if (!file.dropNames().equals(dropLabels()))
        {
            file.close();
            throw new CliException("counters file " + path + " was written by a different vrouterd version");
        }
        return file;
    }

    private static List<String> dropLabels()
    {
        final List<String> labels = new ArrayList<>();
        for (final DropReason r : DropReason.BY_ID)
        {
            labels.add(r.label());
        }
        return labels;
    }

    static List<VrfStatsRequest> vrfStatsFromFile(final CounterFile file, final Integer vrf)
    {
        final List<VrfStatsRequest> out = new ArrayList<>();
        final int from = vrf == null ? 0 : vrf;
        final int to = vrf == null ? file.vrfs() : vrf + 1;
        if (vrf != null && (vrf < 0 || vrf >= file.vrfs()))
        {
            throw new CliException(VrfStatsRequest.Field.VSR_VRF.path() + ": " + vrf + " not in [0, "
                + (file.vrfs() - 1) + "]");
        }
        for (int v = from; v < to; v++)
        {
            final long[] stats = new long[VrfStat.COUNT];
            long total = 0;
            for (int s = 0; s < file.vrfStatNames().size(); s++)
            {
                final long n = file.vrfStat(-1, v, s);
                total += n;
                for (final VrfStat stat : VrfStat.BY_ID)
                {
                    if (stat.fieldName().equals(file.vrfStatNames().get(s)))
                    {
                        stats[stat.ordinal()] = n;
                    }
                }
            }
            if (vrf != null || total != 0)
            {
                out.add(new VrfStatsRequest(Op.ADD, v, stats));
            }
        }
        return out;
    }

    /** {@code mirror --dump | --get N | --create N --nh NH [--vni VNI] [--dyn] | --delete N}. */
    @Command(name = "mirror", mixinStandardHelpOptions = true,
        description = "The mirror table (mirror --dump, --get N, --create N --nh NH [--vni VNI] [--dyn], --delete N).")
    static final class Mirror implements Callable<Integer>
    {
        final Common common = new Common(() -> this.spec);

        @ArgGroup(exclusive = true, multiplicity = "1")
        MirrorOp which;

        @Option(names = "--nh", paramLabel = "NH", description = "next hop of a created entry")
        Integer nh;

        @Option(names = "--vni", paramLabel = "VNI", description = "VXLAN id of a created entry")
        Long vni;

        @Option(names = "--dyn", description = "dynamic mirroring: pcap header and metadata on every copy")
        boolean dynamic;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            if (which.create != null)
            {
                if (nh == null)
                {
                    throw new CliException("mirror --create needs --nh");
                }
                // A VNI beyond 32 bits is not sent cut short: clamped, it is refused as the out-of-range VNI it is.
                final int requested = vni == null ? MirrorRequest.NO_VNI
                    : (int)Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE, vni));
                common.one(MirrorRequest.add(which.create, nh, dynamic ? MirrorTable.FLAG_DYNAMIC : 0, requested));
                return 0;
            }
            if (which.delete != null)
            {
                common.one(MirrorRequest.delete(which.delete));
                return 0;
            }
            final List<MirrorRequest> mirrors = which.get != null
                ? common.dump(MirrorRequest.get(which.get), MirrorRequest.class)
                : common.dump(MirrorRequest.dump(), MirrorRequest.class);
            return common.show(spec, mirrors, Formats::mirrorDump);
        }
    }

    /** The one operation of a {@code mirror} command. */
    static final class MirrorOp
    {
        @Option(names = "--dump", required = true, description = "all mirrors")
        boolean dump;

        @Option(names = "--get", required = true, paramLabel = "N", description = "one mirror")
        Integer get;

        @Option(names = "--create", required = true, paramLabel = "N", description = "add or change mirror N")
        Integer create;

        @Option(names = "--delete", required = true, paramLabel = "N", description = "delete mirror N")
        Integer delete;
    }

    /** {@code dropstats [--core N]}. */
    @Command(name = "dropstats", mixinStandardHelpOptions = true,
        description = "Drop counters by reason, summed over workers or of one worker (--core N).")
    static final class Dropstats implements Callable<Integer>
    {
        final Common common = new Common(() -> this.spec);

        @Option(names = "--core", paramLabel = "N", description = "one worker (0-based) instead of the sum")
        Integer core;

        @Option(names = "--counters", paramLabel = "FILE",
            description = "shared-memory counters (default: the file the daemon on --socket names)")
        Path counters;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            final long[] drops = new long[DropReason.COUNT];
            final Map<String, Object> json = new LinkedHashMap<>();
            json.put("core", core == null ? "all" : core);
            final Map<String, Long> byReason = new LinkedHashMap<>();
            final CounterFile file = counterFile(counters != null ? counters : countersOf(common));
            if (file != null)
            {
                try (file)
                {
                    if (core != null && (core < 0 || core >= file.workers()))
                    {
                        throw new CliException("no worker " + core + " (" + file.workers() + " workers)");
                    }
                    for (final DropReason r : DropReason.BY_ID)
                    {
                        drops[r.ordinal()] = file.drops(core == null ? -1 : core, r.ordinal());
                        byReason.put(r.label(), drops[r.ordinal()]);
                    }
                    json.put("source", file.path().toString());
                }
            }
            else
            {
                final DropStatsRequest o = common.one(DropStatsRequest.get(core == null ? DropStatsRequest.ALL_CORES
                    : core)).first(DropStatsRequest.class);
                for (final DropReason r : DropReason.BY_ID)
                {
                    drops[r.ordinal()] = o.drops(r);
                    byReason.put(r.label(), drops[r.ordinal()]);
                }
                json.put("source", common.socket().toString());
            }
            json.put("drops", byReason);
            if (common.json())
            {
                common.printJson(spec, json);
            }
            else
            {
                common.print(spec, Formats.dropstats(drops));
            }
            return 0;
        }
    }

    /** {@code --get N} or {@code --dump}. */
    static final class GetOrDump
    {
        @Option(names = "--get", required = true, paramLabel = "N", description = "one VRF")
        Integer get;

        @Option(names = "--dump", required = true, description = "every VRF with non-zero counters")
        boolean dump;
    }

    /** {@code vrfstats --get N | --dump}. */
    @Command(name = "vrfstats", mixinStandardHelpOptions = true, description = "Per-VRF forwarding counters.")
    static final class Vrfstats implements Callable<Integer>
    {
        final Common common = new Common(() -> this.spec);

        @ArgGroup(exclusive = true, multiplicity = "1")
        GetOrDump which;

        @Option(names = "--counters", paramLabel = "FILE",
            description = "shared-memory counters (default: the file the daemon on --socket names)")
        Path counters;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            final List<VrfStatsRequest> objects;
            final CounterFile file = counterFile(counters != null ? counters : countersOf(common));
            if (file != null)
            {
                try (file)
                {
                    objects = vrfStatsFromFile(file, which.get);
                }
            }
            else
            {
                objects = which.get != null
                    ? common.dump(VrfStatsRequest.get(which.get), VrfStatsRequest.class)
                    : common.dump(VrfStatsRequest.dump(), VrfStatsRequest.class);
            }
            if (common.json())
            {
                common.printJson(spec, SandeshJson.toMaps(objects));
                return 0;
            }
            final StringBuilder sb = new StringBuilder();
            for (final VrfStatsRequest o : objects)
            {
                final long[] counts = new long[VrfStat.COUNT];
                for (final VrfStat s : VrfStat.BY_ID)
                {
                    counts[s.ordinal()] = o.stat(s);
                }
                sb.append(Formats.vrfstats(o.vrf(), counts));
            }
            common.print(spec, sb.toString());
            return 0;
        }
    }

    /**
     * {@code flow -l}: the text listing maps the daemon's flow table file read-only, as Contrail's
     * {@code flow} tool does (the daemon names the file, {@code ftable_file_path} of its
     * {@code flow_table_get} answer); {@code --json}, or a table file that is not there, lists
     * through the control socket's {@code vr_flow_req} dump instead.
     */
    @Command(name = "flow", mixinStandardHelpOptions = true, description = "Flow table (flow -l).")
    static final class Flow implements Callable<Integer>
    {
        final Common common = new Common(() -> this.spec);

        @Option(names = {"-l", "--list"}, required = true, description = "list flows")
        boolean list;

        @Option(names = "--table", paramLabel = "FILE", description = "the daemon's flow table file "
            + "(default: the file the daemon on --socket names; vrouterd keeps it at <paths.state>/flows.tbl)")
        Path table;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException
        {
            // The table file outlives the daemon (it survives restarts), so it is read only while a
            // daemon is there to own it; otherwise the socket path reports "not running".
            if (table == null && !common.json())
            {
                final List<FlowTableData> info = common.dump(FlowRequest.tableGet(), FlowTableData.class);
                table = info.isEmpty() || info.get(0).filePath().isEmpty() ? null : Path.of(info.get(0).filePath());
            }
            if (!common.json() && table != null && java.nio.file.Files.isRegularFile(table)
                && java.nio.file.Files.exists(common.socket()))
            {
                common.print(spec, FlowListing.listFile(table));
                return 0;
            }
            final List<FlowRequest> flows = FlowSource.socket(common).flows();
            if (common.json())
            {
                common.printJson(spec, SandeshJson.toMaps(flows));
            }
            else
            {
                final StringBuilder sb = new StringBuilder("Flow table (" + flows.size() + " entries, from the "
                    + "control socket: no table file" + (table == null ? "" : " at " + table) + ")\n\n");
                for (final FlowRequest f : flows)
                {
                    sb.append(f).append('\n');
                }
                common.print(spec, sb.toString());
            }
            return 0;
        }
    }

    /**
     * The state log the daemon on the socket names ({@code vds_state_file} of a drop statistics answer).
     *
     * @param common socket options.
     * @return the file, or null when the daemon keeps none.
     */
    static Path stateOf(final Common common)
    {
        final DropStatsRequest o = common.one(DropStatsRequest.get(DropStatsRequest.ALL_CORES))
            .first(DropStatsRequest.class);
        return o.stateFile().isEmpty() ? null : Path.of(o.stateFile());
    }

    /**
     * {@code state}: the objects in the daemon's forwarding-state log (ADR 0007), what a restart without
     * the controller would program, read by mapping the file read-only while the daemon writes it (the
     * daemon names the file; {@code --file} reads one directly, daemon or not).
     */
    @Command(name = "state", mixinStandardHelpOptions = true,
        description = "Objects in the daemon's forwarding-state log (key, sequence, kind).")
    static final class State implements Callable<Integer>
    {
        final Common common = new Common(() -> this.spec);

        @Option(names = "--file", paramLabel = "FILE", description = "a state log to read (default: the file the "
            + "daemon on --socket names; vrouterd keeps it at <paths.state>/state.log)")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            final Path log = file != null ? file : stateOf(common);
            if (log == null)
            {
                throw new CliException("the daemon on " + common.socket() + " keeps no state log");
            }
            final List<io.vrouter.agent.state.StateStore.Listing> rows;
            final long bytes;
            try (io.vrouter.agent.state.StateStore store = io.vrouter.agent.state.StateStore.openForReading(log))
            {
                rows = store.listing();
                bytes = store.fileBytes();
            }
            catch (final java.io.IOException e)
            {
                throw new CliException(e.getMessage());
            }
            if (common.json())
            {
                final List<java.util.Map<String, Object>> out = new ArrayList<>(rows.size());
                for (final io.vrouter.agent.state.StateStore.Listing l : rows)
                {
                    final java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("key", l.key());
                    m.put("sequence", l.sequence());
                    m.put("kind", l.kind());
                    m.put("bytes", l.bytes());
                    out.add(m);
                }
                common.printJson(spec, java.util.Map.of("file", log.toString(), "objects", out));
                return 0;
            }
            final StringBuilder sb = new StringBuilder("State log " + log + " (" + rows.size() + " objects, file "
                + bytes + " bytes)\n\n");
            sb.append(String.format("%-10s %-20s %s%n", "Sequence", "Kind", "Key"));
            for (final io.vrouter.agent.state.StateStore.Listing l : rows)
            {
                sb.append(String.format("%-10d %-20s %s%n", l.sequence(), l.kind(), l.key()));
            }
            common.print(spec, sb.toString());
            return 0;
        }
    }

    /** Where {@code flow -l} reads flows from. */
    interface FlowSource
    {
        /**
         * The flows.
         *
         * @return the flow entries.
         */
        List<FlowRequest> flows();

        /**
         * Flows through a {@code vr_flow_req} dump on the control socket.
         *
         * @param common socket options.
         * @return the source.
         */
        static FlowSource socket(final Common common)
        {
            return () -> common.dump(FlowRequest.list(-1), FlowRequest.class);
        }
    }

    /** {@code port add|del|list}. */
    @Command(name = "port", mixinStandardHelpOptions = true, description = "Pod ports.",
        subcommands = {PortAdd.class, PortDel.class, PortList.class})
    static final class Port implements Runnable
    {
        @Spec
        CommandSpec spec;

        @Override
        public void run()
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "port needs add, del or list");
        }
    }

    /** {@code port add}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
        description = "Creates a pod port (interface pair, pod end configured in the namespace, vif).")
    static final class PortAdd implements Callable<Integer>
    {
        final Common common = new Common(() -> this.spec);

        @Option(names = "--name", required = true, description = "host-side name (≤ 15 characters)")
        String name;

        @Option(names = "--netns", required = true, description = "the pod's network namespace")
        String netns;

        @Option(names = "--ifname", defaultValue = "eth0", description = "interface name in the pod (eth0)")
        String ifname;

        @Option(names = "--mac", required = true, description = "aa:bb:cc:dd:ee:ff")
        String mac;

        @Option(names = "--ip", split = ",", description = "CIDR address(es), comma-separated or repeated")
        List<String> ips = new ArrayList<>();

        @Option(names = "--gw", defaultValue = "", description = "default gateway in the pod")
        String gw;

        @Option(names = "--vrf", defaultValue = "0", description = "VRF (0)")
        int vrf;

        @Option(names = "--mtu", defaultValue = "1500", description = "MTU (1500)")
        int mtu;

        @Option(names = "--vif", defaultValue = "-1", description = "vif index (-1: allocate)")
        int vif;

        @Option(names = "--vif-flags", defaultValue = "0", description = "vifr_flags")
        long vifFlags;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            if (vifFlags < 0 || vifFlags > 0xFFFFFFFFL)
            {
                throw new CliException(PortRequest.Field.PORT_VIF_FLAGS.path() + ": " + vifFlags
                    + " not in [0, 4294967295]");
            }
            final Response r = common.one(PortRequest.add(name, netns, ifname, mac, ips, gw, vrf, mtu, vif,
                (int)vifFlags));
            if (common.json())
            {
                common.printJson(spec, SandeshJson.toMaps(r.objects()));
            }
            else
            {
                common.print(spec, "port " + name + " added\n");
            }
            return 0;
        }
    }

    /** {@code port del NAME}. */
    @Command(name = "del", aliases = "delete", mixinStandardHelpOptions = true, description = "Removes a pod port.")
    static final class PortDel implements Callable<Integer>
    {
        final Common common = new Common(() -> this.spec);

        @Parameters(paramLabel = "NAME", description = "host-side name")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            common.one(PortRequest.named(Op.DELETE, name));
            common.print(spec,
                common.json() ? SandeshJson.write(Map.of("deleted", name)) : "port " + name + " deleted\n");
            return 0;
        }
    }

    /** {@code port list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists pod ports.")
    static final class PortList implements Callable<Integer>
    {
        final Common common = new Common(() -> this.spec);

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            final List<PortRequest> ports = common.dump(PortRequest.named(Op.DUMP, ""), PortRequest.class);
            common.print(spec, common.json() ? SandeshJson.write(SandeshJson.toMaps(ports)) : Formats.portList(ports));
            return 0;
        }
    }
}
