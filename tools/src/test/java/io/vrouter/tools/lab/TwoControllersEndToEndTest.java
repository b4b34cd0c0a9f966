package io.vrouter.tools.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Two sessions per node (issue 17): two reference controllers (the lab's and a second one started from a
 * copy of its state file, so both serve the same configuration) and two vrouterd processes each keeping a
 * session with both. A continuous ping ({@code ping -i 0.05}) between pods on different nodes must lose no
 * reply while one controller is killed with SIGKILL and started again, each way round; the introspect lists
 * the route to the other node's pod once per controller that advertises it, and both sessions
 * ({@code ist vr xmpp}). Needs root, ping and nsenter; in
 * CI a missing prerequisite fails the test. Everything the lab made is removed even on failure.
 */
class TwoControllersEndToEndTest
{
    private static final String POD_VRF =
        "default-domain:k8s-default:k8s-default-pod-network:k8s-default-pod-network";
    private static final String FIRST = Lab.CTL_IP;
    private static final String SECOND = Lab.CTL_IP + ":5270";

    @Test
    void aPingAcrossTwoNodesLosesNothingWhileEitherControllerIsKilledAndRestarted() throws Exception
    {
        LabPrerequisites.require("TwoControllersEndToEndTest", "ping", "nsenter");
        final Path home = Path.of("..").toAbsolutePath().normalize();
        final Path work = Files.createTempDirectory("vrouter-two-controllers-test");
        final Lab lab = new Lab(home, work, System.out).secondController();
        Process ping = null;
        boolean passed = false;
        try
        {
            lab.up();
            lab.applyFile(home.resolve("examples/seed/ns-non-isolated.yaml"), "default");
            lab.applyFile(home.resolve("examples/seed/deployment-ubuntu-pod-1.yaml"), "default");
            lab.applyFile(home.resolve("examples/seed/deployment-ubuntu-pod-1.yaml"), "ns-non-isolated");
            lab.waitForPods();
            lab.startSecondController();
            final Lab.Pod a = lab.pod("default", "ubuntu-pod-1");
            final Lab.Pod b = lab.pod("ns-non-isolated", "ubuntu-pod-1");
            assertTrue(!a.node().equals(b.node()), "the two pods are on different nodes: " + a + " " + b);
            assertTrue(lab.reachable(a, b), "the pods reach each other");
            final int nodeA = a.node().equals(Lab.nodeName(0)) ? 0 : 1;
            final String remote = b.ip() + "/32";
            waitForPeers(lab, nodeA, remote, List.of(FIRST, SECOND));
            assertEquals(List.of(FIRST + " Established 0", SECOND + " Established 0"), lab.xmppSessions(nodeA),
                "ist vr xmpp lists both sessions");

            final Path pingLog = work.resolve("ping.log");
            ping = lab.continuousPing(a, b, "0.05", pingLog);
            Thread.sleep(2000);
            lab.killController(1);
            Thread.sleep(1000);
            waitForPeers(lab, nodeA, remote, List.of(SECOND));
            final List<String> sessions = lab.xmppSessions(nodeA);
            assertTrue(sessions.get(0).startsWith(FIRST + " ") && !sessions.get(0).contains("Established")
                && sessions.get(0).endsWith(" 1"), "the first session is down, one flap: " + sessions);
            assertEquals(SECOND + " Established 0", sessions.get(1));
            Thread.sleep(2000);
            lab.startControllerAgain(1);
            waitForPeers(lab, nodeA, remote, List.of(FIRST, SECOND));
            Thread.sleep(2000);
            lab.killController(2);
            Thread.sleep(1000);
            waitForPeers(lab, nodeA, remote, List.of(FIRST));
            Thread.sleep(2000);
            lab.startControllerAgain(2);
            waitForPeers(lab, nodeA, remote, List.of(FIRST, SECOND));
            Thread.sleep(2000);
            final int[] result = lab.stopPing(ping, pingLog);
            ping = null;
            System.out.printf("two controllers: %d echo requests, %d replies lost while each controller was "
                + "killed and restarted%n", result[0], result[1]);
            assertTrue(result[0] > 200, "the ping ran throughout: " + result[0] + " requests");
            assertEquals(0, result[1], "no reply lost while either controller was killed and restarted");
            final String log = Files.readString(lab.log(a.node()));
            assertTrue(log.contains("controller session 0") && log.contains("controller session 1"),
                "the node kept two sessions");
            passed = true;
        }
        finally
        {
            LabTeardown.close(lab, passed, ping);
        }
    }

    /** Waits (up to 60 s) until a node's introspect lists a route with exactly these peers. */
    private static void waitForPeers(final Lab lab, final int node, final String prefix, final List<String> peers)
        throws Exception
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        List<String> seen = List.of();
        while (System.nanoTime() < deadline)
        {
            seen = lab.routePeers(node, POD_VRF, prefix);
            if (seen.equals(peers))
            {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(Lab.nodeName(node) + " lists " + prefix + " with peers " + seen + ", not " + peers);
    }
}
