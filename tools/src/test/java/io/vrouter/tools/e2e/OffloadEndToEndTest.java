package io.vrouter.tools.e2e;

import static io.vrouter.tools.e2e.TwoNodeLab.metric;
import static io.vrouter.tools.e2e.TwoNodeLab.ok;
import static io.vrouter.tools.e2e.TwoNodeLab.ping;
import static io.vrouter.tools.e2e.TwoNodeLab.port;
import static io.vrouter.tools.e2e.TwoNodeLab.programNode;
import static io.vrouter.tools.e2e.TwoNodeLab.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vrouter.agent.control.ControlClient;
import io.vrouter.tools.e2e.TwoNodeLab.Result;

/**
 * Issue 12's offload path end to end, as root: two {@code vrouterd}s with {@code pods.offloads=true} on a
 * 1,500-byte veth underlay ({@link TwoNodeLab}), 1,400-byte pods. Node 1 has pod A (offloads on) and pod B, whose
 * port is listed in {@code pods.offloads-except} (offloads off); node 2 has pod C.
 * <ul>
 * <li>The pods' kernels see the offloads: {@code ethtool -k} shows {@code tcp-segmentation-offload: on} in A and
 * C, {@code off} in B.</li>
 * <li>200 MB of TCP from A to C and 200 MB back arrive whole (byte count and SHA-256 equal), and the offload path
 * carried them: both daemons read super-frames from their pods and segmented them into MPLSoUDP
 * ({@code vrouter_io_port_rx_super_frames_total}, {@code ..._fabric_tx_super_frames_total} &gt; 0, more segments
 * than super-frames), and coalesced the segments arriving from the fabric into super-frames for their pod
 * ({@code ..._port_tx_coalesced_total} &gt; 0, made of more segments).</li>
 * <li>A super-frame into a pod whose TAP has offloads off is segmented correctly: 50 MB of TCP from A to B on node
 * 1 arrive whole, and node 1 counted super-frames segmented for a port
 * ({@code vrouter_io_port_tx_segmented_total} &gt; 0).</li>
 * </ul>
 * Everything created carries a per-run id and is removed also when the test fails.
 * <p>
 * Prerequisites: root, iproute2, ping, ethtool. In CI ({@code CI} set) a missing prerequisite fails the test;
 * elsewhere it is skipped with a message saying why.
 */
@Tag("e2e")
class OffloadEndToEndTest
{
    static final String A = "10.1.1.3";
    static final String B = "10.1.1.4";
    static final String C = "10.1.1.5";
    static final String U1 = "172.31.253.1";
    static final String U2 = "172.31.253.2";
    static final long LARGE_BYTES = 200L << 20;
    static final long LOCAL_BYTES = 50L << 20;

    @Test
    void tcpThroughTheOffloadPathArrivesIntact() throws Exception
    {
        TwoNodeLab.prerequisites("ip", "ping", "ethtool");
        final TwoNodeLab lab = new TwoNodeLab("vro");
        lab.runAndCleanUp(() ->
        {
            final String pa = lab.name("pa");
            final String pb = lab.name("pb");
            final String pc = lab.name("pc");
            lab.addNamespaces(lab.n1, lab.n2, pa, pb, pc);
            lab.underlay(U1, U2, 1500);
            final Path sock1 = lab.dir.resolve("n1.sock");
            final Path sock2 = lab.dir.resolve("n2.sock");
            lab.startDaemon(lab.n1, U1, sock1, "node1", 1, "pods.offloads=true", "pods.offloads-except=" + pb);
            lab.startDaemon(lab.n2, U2, sock2, "node2", 1, "pods.offloads=true");
            try (ControlClient c1 = ControlClient.connect(sock1); ControlClient c2 = ControlClient.connect(sock2))
            {
                ok(c1, port(pa, pa, "eth0", "02:00:00:00:01:03", A, 1400, 3));
                ok(c1, port(pb, pb, "eth0", "02:00:00:00:01:04", B, 1400, 4));
                ok(c2, port(pc, pc, "eth0", "02:00:00:00:01:05", C, 1400, 3));
                programNode(c1, lab.u1, 1500, U1, U2, new String[] {A, B},
                    new long[] {0x020000000103L, 0x020000000104L}, new int[] {16, 17}, new String[] {C},
                    new int[] {40});
                programNode(c2, lab.u2, 1500, U2, U1, new String[] {C}, new long[] {0x020000000105L},
                    new int[] {40}, new String[] {A, B}, new int[] {16, 17});
            }
            ping(pa, C);
            ping(pb, C);
            ping(pa, B);
            assertTso(pa, "on");
            assertTso(pc, "on");
            assertTso(pb, "off");

            transfer(lab, pa, pc, C, LARGE_BYTES, "a-to-c");
            transfer(lab, pc, pa, A, LARGE_BYTES, "c-to-a");
            for (final String node : new String[] {lab.n1, lab.n2})
            {
                final double rx = metric(node, "vrouter_io_port_rx_super_frames_total");
                final double frames = metric(node, "vrouter_io_fabric_tx_super_frames_total");
                final double segments = metric(node, "vrouter_io_fabric_tx_segments_total");
                final double coalesced = metric(node, "vrouter_io_port_tx_coalesced_total");
                final double joined = metric(node, "vrouter_io_port_tx_coalesced_segments_total");
                System.out.printf("OffloadEndToEndTest: %s read %.0f super-frames from pods, segmented %.0f into "
                    + "%.0f tunnel datagrams; coalesced %.0f segments from the fabric into %.0f super-frames%n", node,
                    rx, frames, segments, joined, coalesced);
                assertTrue(rx > 0, node + ": no super-frame read from a pod");
                assertTrue(frames > 0 && segments > frames, node + ": super-frames " + frames + ", segments "
                    + segments);
                assertTrue(coalesced > 0 && joined > coalesced, node + ": coalesced " + coalesced + " from " + joined);
            }

            final double before = metric(lab.n1, "vrouter_io_port_tx_segmented_total");
            transfer(lab, pa, pb, B, LOCAL_BYTES, "a-to-b");
            final double segmented = metric(lab.n1, "vrouter_io_port_tx_segmented_total") - before;
            final double segments = metric(lab.n1, "vrouter_io_port_tx_segments_total");
            System.out.printf("OffloadEndToEndTest: node 1 segmented %.0f super-frames for pod B (%.0f frames)%n",
                segmented, segments);
            assertTrue(segmented > 0, "no super-frame segmented for the port without offloads");
            assertEquals(0.0, metric(lab.n1, "vrouter_io_port_rx_bad_vnet_total"), "frames with a bad vnet header");
        });
    }

    private static void assertTso(final String pod, final String state)
    {
        final Result r = sh("ip", "netns", "exec", pod, "ethtool", "-k", "eth0");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("tcp-segmentation-offload: " + state), pod + ":\n" + r.out());
    }

    private static void transfer(final TwoNodeLab lab, final String fromNs, final String toNs, final String to,
        final long bytes, final String tag) throws Exception
    {
        final long took = lab.tcpTransfer(fromNs, toNs, to, bytes, tag, 150, 60);
        System.out.printf("OffloadEndToEndTest: %s %d MB intact in %.1f s (%.2f Gbit/s with the tools' JVM start)%n",
            tag, bytes >> 20, took / 1e9, bytes * 8.0 / took);
    }
}
