package io.vrouter.tools.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import io.vrouter.tools.testing.EtcdCluster;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/vrouter-lab --ha} end to end: the lab's whole scenario on the replicated control plane (three etcd
 * members, two controllers on etcd, both nodes on both), the first controller killed with SIGKILL after step 5
 * and started again at the end; every expectation must hold. Needs root, ping, nsenter, busybox, tcpdump and
 * etcd; in CI a missing prerequisite fails the test. Everything the lab made is removed even on failure.
 */
class LabHaEndToEndTest
{
    @Test
    void theSeedScenarioHoldsWithOneOfTwoControllersKilledMidRun() throws Exception
    {
        LabPrerequisites.require("LabHaEndToEndTest", "ping", "nsenter", "busybox", "tcpdump");
        EtcdCluster.assumeAvailable("LabHaEndToEndTest");
        final Path home = Path.of("..").toAbsolutePath().normalize();
        final Path work = Files.createTempDirectory("vrouter-lab-ha-test");
        final Lab lab = new Lab(home, work, System.out).ha();
        boolean passed = false;
        try
        {
            lab.up();
            final int failures = lab.runScenario();
            assertEquals(0, failures, "every expectation of the scenario with a controller killed mid-run");
            assertEquals(46 + 4 + 2 + 1 + 2, lab.checks().size(), "the lab's 46 checks; after the kill each node's "
                + "session with the killed controller down and with the other Established; after the restart each "
                + "node's two sessions Established, the restarted controller's pods, a ping both ways");
            assertTrue(lab.checks().stream().filter(c -> c.step().startsWith("ha ")).allMatch(c ->
                c.expected() == c.seen()), "the ha checks held");
            passed = true;
        }
        finally
        {
            LabTeardown.close(lab, passed, null);
        }
    }
}
