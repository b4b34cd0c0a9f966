package io.vrouter.tools.lab;

import io.vrouter.tools.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/vrouter-lab}: runs the lab and exits non-zero if any expectation failed.
 */
@Command(name = "vrouter-lab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "The seed article's Kubernetes setups on one machine: a controller, two nodes, real pings.")
public final class LabMain implements Callable<Integer>
{
    @Option(names = "--keep", description = "Leave the lab running after the checks, until interrupted.")
    boolean keep;

    @Option(names = "--ha", description = "The replicated control plane: three etcd members and two controllers "
        + "(serve --etcd) on the underlay, both nodes connected to both; one controller is killed with SIGKILL after "
        + "step 5 and started again at the end. Needs etcd (Debian's etcd-server).")
    boolean ha;

    @Option(names = "--home", defaultValue = "${sys:vrouter.home:-.}", description = "The checkout.")
    Path home;

    /**
     * Runs the lab.
     *
     * @param args arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new LabMain())
            .setParameterExceptionHandler((ex, args1) ->
            {
                System.err.println("vrouter-lab: " + ex.getMessage() + " (see: vrouter-lab --help)");
                return 2;
            })
            .execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        final Path work = Files.createTempDirectory("vrouter-lab");
        final Lab lab = new Lab(home.toAbsolutePath(), work, System.out);
        if (ha)
        {
            lab.ha();
        }
        final Thread teardown = new Thread(lab::close, "lab-teardown");
        Runtime.getRuntime().addShutdownHook(teardown);
        int failures;
        try
        {
            lab.up();
            failures = lab.runScenario();
        }
        catch (final RuntimeException e)
        {
            System.out.println("lab: " + e.getMessage());
            failures = 1;
        }
        if (keep)
        {
            lab.printAccess();
            new CountDownLatch(1).await();
        }
        Runtime.getRuntime().removeShutdownHook(teardown);
        if (failures != 0)
        {
            lab.keepLogs();
        }
        lab.close();
        System.out.println("lab: torn down");
        return failures == 0 ? 0 : 1;
    }
}
