package io.vrouter.tools.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.request.CaptureRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.TraceRequest;
import io.vrouter.core.watch.FrameText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The packet trace ({@code trace add N [--vif V]}, {@code trace show}, {@code trace clear}) and the
 * interface capture ({@code vifdump -i VIF [-w FILE] [-c COUNT]}, also {@code vrouterctl capture}).
 */
final class WatchCommands
{
    private WatchCommands()
    {
    }

    /** Reads {@code 3} or Contrail's {@code 0/3}. */
    static int vif(final String text)
    {
        final String index = text.startsWith("0/") ? text.substring(2) : text;
        try
        {
            final int v = Integer.parseInt(index);
            if (v < 0)
            {
                throw new NumberFormatException();
            }
            return v;
        }
        catch (final NumberFormatException e)
        {
            throw new VrouterCtl.CliException("'" + text + "' is not a vif (N or 0/N)");
        }
    }

    /** {@code trace}. */
    @Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Packet trace: each graph node the next packets go through, what it decided, the next hop, "
            + "the drop reason, the rewritten headers.",
        subcommands = {Add.class, Show.class, Clear.class})
    static final class Trace implements Runnable
    {
        @Spec
        CommandSpec spec;

        @Override
        public void run()
        {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** {@code trace add N [--vif V]}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
        description = "Trace the next N packets (replaces an armed trace; traced packets are kept).")
    static final class Add implements Callable<Integer>
    {
        final VrouterCtl.Common common = new VrouterCtl.Common(() -> this.spec);

        @Parameters(paramLabel = "N", description = "packets, 1 to " + TraceRequest.MAX_COUNT)
        int count;

        @Option(names = "--vif", paramLabel = "V", description = "only packets received on vif V (N or 0/N)")
        String vif;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            if (count < 1 || count > TraceRequest.MAX_COUNT)
            {
                throw new VrouterCtl.CliException("N must be 1 to " + TraceRequest.MAX_COUNT + ", not " + count);
            }
            final int v = vif == null ? -1 : vif(vif);
            common.one(TraceRequest.add(count, v));
            common.print(spec, "tracing the next " + count + " packet(s)" + (v < 0 ? "" : " received on vif 0/" + v)
                + "; see them with: trace show\n");
            return 0;
        }
    }

    /** {@code trace show}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the traced packets.")
    static final class Show implements Callable<Integer>
    {
        final VrouterCtl.Common common = new VrouterCtl.Common(() -> this.spec);

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            final TraceRequest r = common.one(TraceRequest.of(Op.GET)).first(TraceRequest.class);
            if (common.json())
            {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("packets", r.count());
                m.put("awaited", r.remaining());
                m.put("vif", r.vif());
                m.put("text", r.text());
                common.printJson(spec, m);
                return 0;
            }
            final StringBuilder sb = new StringBuilder();
            sb.append(r.count()).append(" packet(s) traced");
            if (r.remaining() > 0)
            {
                sb.append(", ").append(r.remaining()).append(" more awaited")
                    .append(r.vif() < 0 ? "" : " on vif 0/" + r.vif());
            }
            sb.append("\n\n").append(r.text());
            common.print(spec, sb.toString());
            return 0;
        }
    }

    /** {@code trace clear}. */
    @Command(name = "clear", mixinStandardHelpOptions = true,
        description = "Disarm the trace and forget the traced packets.")
    static final class Clear implements Callable<Integer>
    {
        final VrouterCtl.Common common = new VrouterCtl.Common(() -> this.spec);

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            common.one(TraceRequest.of(Op.DELETE));
            common.print(spec, "trace cleared\n");
            return 0;
        }
    }

    /** {@code vifdump -i VIF [-w FILE] [-c COUNT]} (also {@code capture}). */
    @Command(name = "vifdump", aliases = "capture", mixinStandardHelpOptions = true,
        description = "Capture an interface's received and sent frames as pcap (the daemon writes FILE as they "
            + "come; without -w, one line per frame is printed). Ends after COUNT frames or on Ctrl-C.")
    static final class Vifdump implements Callable<Integer>
    {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS")
            .withZone(ZoneId.systemDefault());

        final VrouterCtl.Common common = new VrouterCtl.Common(() -> this.spec);

        @Option(names = {"-i", "--vif"}, required = true, paramLabel = "VIF", description = "the vif (N or 0/N)")
        String vif;

        @Option(names = {"-w", "--write"}, paramLabel = "FILE", description = "write the frames to this pcap file")
        Path file;

        @Option(names = {"-c", "--count"}, paramLabel = "COUNT", description = "stop after COUNT frames "
            + "(default: until Ctrl-C)")
        Long count;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException
        {
            final int v = vif(vif);
            if (count != null && count < 1)
            {
                throw new VrouterCtl.CliException("COUNT must be at least 1, not " + count);
            }
            final boolean print = file == null;
            final Path target = print ? Files.createTempFile("vifdump-", ".pcap") : file.toAbsolutePath();
            final PrintWriter out = spec.commandLine().getOut();
            final Thread stopper = new Thread(() ->
            {
                try
                {
                    common.call(CaptureRequest.of(Op.DELETE));
                }
                catch (final RuntimeException e)
                {
                    // The daemon went away: nothing left to stop.
                }
            }, "vifdump-stop");
            try
            {
                common.one(CaptureRequest.start(v, count == null ? Long.MAX_VALUE : count, target.toString()));
                Runtime.getRuntime().addShutdownHook(stopper);
                long position = 24;
                long frames = 0;
                boolean running = true;
                while (running)
                {
                    Thread.sleep(100);
                    final CaptureRequest status = common.one(CaptureRequest.of(Op.GET)).first(CaptureRequest.class);
                    running = status.running() != 0;
                    frames = status.captured();
                    if (print)
                    {
                        position = printNew(out, target, position);
                    }
                }
                Runtime.getRuntime().removeShutdownHook(stopper);
                if (print)
                {
                    printNew(out, target, position);
                }
                else
                {
                    common.print(spec, frames + " frame(s) of vif 0/" + v + " written to " + target + "\n");
                }
                return 0;
            }
            finally
            {
                if (print)
                {
                    Files.deleteIfExists(target);
                }
            }
        }

        /** Prints the records written since {@code position}; returns the new position. */
        private static long printNew(final PrintWriter out, final Path pcap, final long position) throws IOException
        {
            long at = position;
            try (FileChannel ch = FileChannel.open(pcap, StandardOpenOption.READ))
            {
                final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                while (true)
                {
                    header.clear();
                    if (ch.read(header, at) < 16)
                    {
                        break;
                    }
                    final long seconds = header.getInt(0) & 0xFFFFFFFFL;
                    final int micros = header.getInt(4);
                    final int included = header.getInt(8);
                    final int length = header.getInt(12);
                    if (at + 16 + included > ch.size())
                    {
                        break;
                    }
                    final ByteBuffer frame = ByteBuffer.allocate(included);
                    ch.read(frame, at + 16);
                    out.println(TIME.format(Instant.ofEpochSecond(seconds, micros * 1000L)) + " len " + length + " "
                        + FrameText.ethernet(new UnsafeBuffer(frame.array()), 0, included));
                    at += 16 + included;
                }
            }
            out.flush();
            return at;
        }
    }
}
