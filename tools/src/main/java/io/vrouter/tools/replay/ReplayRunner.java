package io.vrouter.tools.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.vrouter.core.VRouter;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.FieldKind;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.graph.PacketBatch;

/**
 * Plays one vtest case against a fresh forwarder: every message is applied through the same
 * programming path the daemon uses and its return code and {@code <expect>} fields checked; every
 * packet step plays the input pcap into the named interface in batches, collects what every
 * interface sends, and compares the named interface's output with the expected pcap byte for byte.
 */
public final class ReplayRunner
{
    private final VRouterConfig config;
    private final Path captureDir;
    private final java.util.function.Consumer<VRouter> inspector;

    /**
     * A runner.
     *
     * @param config     forwarder configuration for each fresh forwarder.
     * @param captureDir where to write each packet step's actual output (null: nowhere).
     */
    public ReplayRunner(final VRouterConfig config, final Path captureDir)
    {
        this(config, captureDir, null);
    }

    /**
     * A runner that hands each case's forwarder to an inspector when the case ends.
     *
     * @param config     forwarder configuration for each fresh forwarder.
     * @param captureDir where to write each packet step's actual output (null: nowhere).
     * @param inspector  called with the forwarder after the case's last step (null: none).
     */
    public ReplayRunner(
        final VRouterConfig config, final Path captureDir, final java.util.function.Consumer<VRouter> inspector)
    {
        this.config = config;
        this.captureDir = captureDir;
        this.inspector = inspector;
    }

    /**
     * The outcome of a case.
     *
     * @param file     case file.
     * @param name     test name.
     * @param passed   whether every check held.
     * @param detail   for a failure: the first difference; for a pass: a summary.
     * @param messages number of messages applied.
     * @param packets  number of packets played.
     */
    public record CaseResult(Path file, String name, boolean passed, String detail, int messages, int packets)
    {
    }

    /**
     * Runs a case file.
     *
     * @param file the XML file.
     * @return the result (parse errors are failures, not exceptions).
     */
    public CaseResult run(final Path file)
    {
        final VtestCase c;
        try
        {
            c = VtestParser.parse(file);
        }
        catch (final IOException e)
        {
            return new CaseResult(file, file.getFileName().toString(), false, e.getMessage(), 0, 0);
        }
        final VRouter vrouter = new VRouter(config);
        final Forwarder forwarder = vrouter.newForwarder();
        try
        {
            return runSteps(file, c, vrouter, forwarder);
        }
        finally
        {
            if (inspector != null)
            {
                inspector.accept(vrouter);
            }
        }
    }

    private CaseResult runSteps(final Path file, final VtestCase c, final VRouter vrouter, final Forwarder forwarder)
    {
        int messages = 0;
        int packets = 0;
        int index = 0;
        for (final VtestCase.Step step : c.steps())
        {
            index++;
            if (step instanceof VtestCase.Message m)
            {
                messages++;
                final String failure = checkMessage(vrouter, m);
                if (failure != null)
                {
                    return new CaseResult(file, c.name(), false, "step " + index + " ("
                        + m.request().source().type() + " " + opName(m.request().source()) + "): " + failure,
                        messages, packets);
                }
            }
            else if (step instanceof VtestCase.PacketStep p)
            {
                final String[] failure = new String[1];
                final int played = playPackets(forwarder, p, index, failure);
                packets += Math.max(played, 0);
                if (failure[0] != null)
                {
                    return new CaseResult(file, c.name(), false, "step " + index + " (packet): " + failure[0],
                        messages, packets);
                }
            }
        }
        return new CaseResult(file, c.name(), true, messages + " messages, " + packets + " packets", messages,
            packets);
    }

    private static String opName(final SandeshObject request)
    {
        final Object op = request.get("h_op");
        if (op instanceof Long)
        {
            for (final io.vrouter.core.request.Op o : io.vrouter.core.request.Op.values())
            {
                if (o.code() == (Long)op)
                {
                    return o.xmlName();
                }
            }
        }
        return "Add";
    }

    private static String checkMessage(final VRouter vrouter, final VtestCase.Message m)
    {
        final Response r = m.request().answer(vrouter::program);
        if (m.expectedReturn() != null && r.code() != m.expectedReturn())
        {
            return "expected return " + m.expectedReturn() + " (" + Errno.name(m.expectedReturn().intValue())
                + "), got " + r.code() + " (" + Errno.name(r.code()) + ")"
                + (r.message().isEmpty() ? "" : ": " + r.message());
        }
        if (m.expect() != null)
        {
            if (r.objects().isEmpty())
            {
                return "expected a " + m.expect().type() + " in the answer, got none";
            }
            final SandeshObject got = r.objects().get(0).toSandesh();
            for (final Map.Entry<String, Object> f : m.expect().fields().entrySet())
            {
                final Object actual = got.get(f.getKey());
                if (actual == null)
                {
                    return "expected field " + f.getKey() + " = " + SandeshObject.format(f.getValue())
                        + ", absent in the answer";
                }
                if (!sameValue(got.type(), f.getKey(), f.getValue(), actual))
                {
                    return "field " + f.getKey() + ": expected " + SandeshObject.format(f.getValue()) + ", got "
                        + SandeshObject.format(actual);
                }
            }
        }
        return null;
    }

    private static boolean sameValue(final String type, final String field, final Object expected,
        final Object actual)
    {
        if (FieldKind.of(type, field) == FieldKind.STRING)
        {
            return String.valueOf(expected).equals(String.valueOf(actual));
        }
        return SandeshObject.format(expected).equals(SandeshObject.format(actual));
    }

    private int playPackets(
        final Forwarder forwarder, final VtestCase.PacketStep p, final int stepIndex, final String[] failure)
    {
        final List<byte[]> input;
        final List<byte[]> expected;
        try
        {
            input = Pcap.read(p.input());
            expected = Pcap.read(p.expected());
        }
        catch (final IOException e)
        {
            failure[0] = e.getMessage();
            return -1;
        }
        final Map<Integer, List<byte[]>> outputs = new TreeMap<>();
        final PacketBatch batch = forwarder.newBatch();
        int next = 0;
        while (next < input.size())
        {
            batch.clear();
            while (next < input.size() && batch.count() < batch.capacity())
            {
                final byte[] frame = input.get(next);
                if (batch.add(p.txVif(), frame, 0, frame.length) < 0)
                {
                    failure[0] = "input packet " + (next + 1) + " (" + frame.length + " bytes) exceeds the slot size "
                        + batch.maxFrame();
                    return next;
                }
                next++;
            }
            forwarder.process(batch);
            for (int i = 0; i < batch.outputCount(); i++)
            {
                final int out = batch.outVif(i);
                if (out != PacketBatch.DROPPED)
                {
                    final byte[] frame = new byte[batch.length(i)];
                    batch.buffer(i).getBytes(batch.offset(i), frame);
                    outputs.computeIfAbsent(out, k -> new ArrayList<>()).add(frame);
                }
            }
        }
        writeCaptures(p, stepIndex, outputs);
        final List<byte[]> actual = outputs.getOrDefault(p.rxVif(), List.of());
        failure[0] = compare(expected, actual, outputs, p.rxVif(), forwarder);
        return input.size();
    }

    private void writeCaptures(final VtestCase.PacketStep p, final int stepIndex, final Map<Integer, List<byte[]>> out)
    {
        if (captureDir == null)
        {
            return;
        }
        try
        {
            Files.createDirectories(captureDir);
            final String base = p.input().getFileName().toString().replace(".pcap", "");
            for (final Map.Entry<Integer, List<byte[]>> e : out.entrySet())
            {
                Pcap.write(captureDir.resolve(base + "-step" + stepIndex + "-vif" + e.getKey() + ".pcap"),
                    e.getValue());
            }
        }
        catch (final IOException e)
        {
            System.err.println("warning: cannot write captures to " + captureDir + ": " + e.getMessage());
        }
    }

    private static String compare(
        final List<byte[]> expected,
        final List<byte[]> actual,
        final Map<Integer, List<byte[]>> all,
        final int rxVif,
        final Forwarder forwarder)
    {
        final int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++)
        {
            final byte[] e = expected.get(i);
            final byte[] a = actual.get(i);
            final int m = Math.min(e.length, a.length);
            for (int b = 0; b < m; b++)
            {
                if (e[b] != a[b])
                {
                    return String.format("packet %d on vif %d differs at byte %d: expected 0x%02x, got 0x%02x",
                        i + 1, rxVif, b, e[b] & 0xFF, a[b] & 0xFF);
                }
            }
            if (e.length != a.length)
            {
                return "packet " + (i + 1) + " on vif " + rxVif + ": expected " + e.length + " bytes, got " + a.length;
            }
        }
        if (expected.size() != actual.size())
        {
            final StringBuilder where = new StringBuilder();
            for (final Map.Entry<Integer, List<byte[]>> o : all.entrySet())
            {
                where.append(" vif ").append(o.getKey()).append(": ").append(o.getValue().size());
            }
            return "expected " + expected.size() + " packets on vif " + rxVif + ", got " + actual.size()
                + " (output by interface:" + (where.length() == 0 ? " none" : where) + "; drops: "
                + forwarder.dropSummary() + ")";
        }
        return null;
    }
}
