package io.vrouter.tools.lab;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab's scenario end to end: a controller and two vrouterd processes in network namespaces, the
 * seed's manifests, real pings. Then a controller restart under a continuous ping (no loss for
 * routes that did not change) and a node restart (its pods come back with the same addresses).
 * Needs root; in CI ({@code CI=true}) a missing prerequisite fails the test instead of skipping it.
 */
class LabEndToEndTest
{
    private static boolean root()
    {
        return Shell.run("id", "-u").output().trim().equals("0");
    }

    @Test
    void theSeedScenarioThenAControllerRestartUnderPingThenANodeRestart() throws Exception
    {
        final String ciEnv = System.getenv("CI");
        final boolean ci = ciEnv != null && !ciEnv.isEmpty() && !ciEnv.equalsIgnoreCase("false");
        final boolean ready = root() && Shell.run("which", "ping").ok() && Shell.run("which", "nsenter").ok()
            && Shell.run("which", "busybox").ok() && Shell.run("which", "tcpdump").ok();
        if (!ready)
        {
            final String why = "LabEndToEndTest needs root, ping, nsenter, busybox and tcpdump (iputils-ping,"
                + " util-linux, busybox, tcpdump)";
            if (ci)
            {
                throw new AssertionError(why + ": not available in CI");
            }
            System.err.println("SKIPPED LOUDLY: " + why);
            Assumptions.abort(why);
        }
        final Path home = Path.of("..").toAbsolutePath().normalize();
        final Path work = Files.createTempDirectory("vrouter-lab-test");
        final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(new TeeStream(transcript, System.out), true, StandardCharsets.UTF_8);
        final Lab lab = new Lab(home, work, out);
        boolean passed = false;
        try
        {
            lab.up();
            final int failures = lab.runScenario();
            final String text = transcript.toString(StandardCharsets.UTF_8);
            assertEquals(0, failures, "every expectation of the scenario");
            assertEquals(46, lab.checks().size(),
                "5 addresses, 14 pings (steps 2-8), the leaked route (steps 5, 7), two peers, blue's VRF gone; the"
                    + " service's address, its route, three backends reached, a connection kept open, one backend"
                    + " removed, two still reached, the open connection still answered; fabric: blue's route in the"
                    + " fabric VRF, a fabric host's ping and TCP to the blue pod with the capture, the blue pod's TCP"
                    + " to a fabric-only host through SNAT with the capture, a pod without SNAT not reaching it, the"
                    + " blue pod's ping to the fabric-only host with the capture, the node's pings to it and to the"
                    + " controller while SNAT steers ICMP");
            for (final String step : List.of("11 fabric forwarding", "11 fabric forwarding capture", "11 fabric SNAT",
                "11 fabric SNAT capture", "11 ist vr route", "11 fabric SNAT ping", "11 fabric SNAT ping capture",
                "11 fabric SNAT node ping"))
            {
                assertTrue(lab.checks().stream().anyMatch(c -> c.step().equals(step) && c.expected() && c.seen()),
                    step + " held");
            }
            assertTrue(text.contains(": ICMP echo request, id 6"), "the fabric-only host's capture of the pod's"
                + " echo printed, with an identifier of the SNAT pool");
            assertTrue(text.contains("capture on vrl-fabric-only: ") && text.contains(" IP 192.168.100.1"),
                "the fabric-only host's capture printed, a node's fabric address as the source");
            assertTrue(text.contains("busybox nc -w 2") && text.contains("answers by backend"),
                "the connection counts printed");
            assertTrue(text.contains("NAMESPACE") && text.contains("10.47.255.252"), "get pods -o wide printed");
            assertTrue(text.contains("| name ") && text.contains("default-domain:k8s-default:RED:RED"),
                "ist vr vrf printed");

            final Lab.Pod a = lab.pod("default", "ubuntu-pod-1");
            final Lab.Pod b = lab.pod("ns-non-isolated", "ubuntu-pod-1");
            final Process ping = lab.backgroundPing(a, b, 150);
            Thread.sleep(3000);
            lab.restartController();
            Thread.sleep(3000);
            assertEquals(0, lab.pingLoss(ping), "a ping across a controller restart loses nothing");

            final Lab.Pod c = lab.pod("default", "ubuntuapp2");
            lab.restartNode(1);
            assertEquals("2.0.0.252", lab.pod("default", "ubuntuapp2").ip(), "same address after the node restart");
            assertEquals(c.netns(), lab.pod("default", "ubuntuapp2").netns());
            assertTrue(lab.reachable(a, b), "cross-node traffic works again after the node restart");
            final Lab.Pod blue = lab.pod("default", "ubuntuapp2");
            assertTrue(lab.fabricHostReaches(blue), "the fabric host reaches blue's pod again after its node's"
                + " restart (" + blue.node() + "): vhost0, its routes and the pod's kernel route made anew");
            assertEquals("fabric-only-host", lab.fabricOnlyAnswer(blue),
                "fabric SNAT works again after the node restart (the kernel's steering installed anew)");
            assertTrue(lab.fabricOnlyPinged(blue), "the blue pod's ping through fabric SNAT is answered again after"
                + " the node restart (the ICMP steering installed anew)");
            assertTrue(lab.nodePings(blue, Lab.FABRIC_ONLY_IP) && lab.nodePings(blue, Lab.CTL_IP),
                "the restarted node itself pings the fabric-only host and the controller with the steering in place");
            passed = true;
        }
        finally
        {
            LabTeardown.close(lab, passed, null);
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream
    {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(final java.io.OutputStream a, final java.io.OutputStream b)
        {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(final int x) throws java.io.IOException
        {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(final byte[] buf, final int off, final int len) throws java.io.IOException
        {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
