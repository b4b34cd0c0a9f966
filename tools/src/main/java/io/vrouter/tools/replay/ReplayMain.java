package io.vrouter.tools.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.vrouter.core.table.VRouterConfig;
import io.vrouter.tools.cli.VersionProvider;
import io.vrouter.tools.cli.Views;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vrouter-replay CASE.xml|DIR ...}: plays Contrail vtest cases against fresh forwarders.
 * Prints one line per case, exits 0 only if every case passes.
 */
@Command(
    name = "vrouter-replay",
    mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Plays Contrail vtest XML cases (messages and pcaps) against a fresh forwarder each and "
        + "compares the output with the expected pcaps byte for byte.")
public final class ReplayMain implements Callable<Integer>
{
    @Parameters(arity = "1..*", paramLabel = "CASE", description = "case files, or directories searched for *.xml")
    private List<Path> cases;

    @Option(names = "--json", description = "print a machine-readable summary instead of text")
    private boolean json;

    @Option(names = "--capture-dir", paramLabel = "DIR", description = "write every interface's actual output here")
    private Path captureDir;

    @Option(names = "--show", description = "after each case, print the forwarder's tables and counters as "
        + "vif --list, nh --list, rt --dump, mpls --dump, dropstats and vrfstats do")
    private boolean show;

    /**
     * Entry point.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ReplayMain())
            .setParameterExceptionHandler((ex, args1) ->
            {
                System.err.println("vrouter-replay: " + ex.getMessage() + " (see: vrouter-replay --help)");
                return 2;
            })
            .execute(args));
    }

    @Override
    public Integer call() throws IOException
    {
        final List<Path> files = new ArrayList<>();
        for (final Path p : cases)
        {
            if (Files.isDirectory(p))
            {
                try (Stream<Path> s = Files.walk(p))
                {
                    s.filter(f -> f.toString().endsWith(".xml")).sorted().forEach(files::add);
                }
            }
            else if (Files.isRegularFile(p))
            {
                files.add(p);
            }
            else
            {
                System.err.println("vrouter-replay: no such case file or directory: " + p);
                return 2;
            }
        }
        final ReplayRunner runner = new ReplayRunner(VRouterConfig.defaults(), captureDir,
            show ? vr -> System.out.print(Views.all(vr)) : null);
        final List<ReplayRunner.CaseResult> results = new ArrayList<>();
        int failed = 0;
        for (final Path f : files)
        {
            final ReplayRunner.CaseResult r = runner.run(f);
            results.add(r);
            if (!r.passed())
            {
                failed++;
            }
            if (!json)
            {
                System.out.println((r.passed() ? "PASS " : "FAIL ") + f + "  [" + r.name() + "]  " + r.detail());
            }
        }
        if (json)
        {
            System.out.println(toJson(results, failed));
        }
        else
        {
            System.out.println((results.size() - failed) + " passed, " + failed + " failed");
        }
        return failed == 0 ? 0 : 1;
    }

    static String toJson(final List<ReplayRunner.CaseResult> results, final int failed)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("{\"passed\":").append(results.size() - failed).append(",\"failed\":").append(failed)
            .append(",\"cases\":[");
        for (int i = 0; i < results.size(); i++)
        {
            final ReplayRunner.CaseResult r = results.get(i);
            if (i > 0)
            {
                sb.append(',');
            }
            sb.append("{\"file\":").append(quote(r.file().toString()))
                .append(",\"name\":").append(quote(r.name()))
                .append(",\"result\":").append(quote(r.passed() ? "PASS" : "FAIL"))
                .append(",\"messages\":").append(r.messages())
                .append(",\"packets\":").append(r.packets())
                .append(",\"detail\":").append(quote(r.detail())).append('}');
        }
        return sb.append("]}").toString();
    }

    static String quote(final String s)
    {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
