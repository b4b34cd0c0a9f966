package io.vrouter.tools.e2e;

import static io.vrouter.tools.e2e.TwoNodeLab.javaBin;
import static io.vrouter.tools.e2e.TwoNodeLab.ok;
import static io.vrouter.tools.e2e.TwoNodeLab.ping;
import static io.vrouter.tools.e2e.TwoNodeLab.port;
import static io.vrouter.tools.e2e.TwoNodeLab.programNode;
import static io.vrouter.tools.e2e.TwoNodeLab.sh;
import static io.vrouter.tools.e2e.TwoNodeLab.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vrouter.agent.control.ControlClient;
import io.vrouter.tools.e2e.TwoNodeLab.Result;

/**
 * Issue 12's integrity points end to end, as root, on today's per-frame path: two {@code vrouterd}s on a veth
 * underlay ({@link TwoNodeLab}), pods across the nodes joined by MPLSoUDP.
 * <ul>
 * <li>On a 1,500-byte underlay with 1,400-byte pods: 200 MB of TCP from node 1's pod to node 2's and 200 MB
 * back, each arriving whole (byte count and SHA-256 of sender and receiver equal).</li>
 * <li>On a 9,000-byte underlay (veth and fabric vif MTU 9,000), one pod per node at MTU 1,400 and one at 9,000:
 * 200 MB of TCP each way for each pair arrive whole. MPLSoUDP takes 32 bytes (outer IPv4, UDP, MPLS), so the
 * path holds inner packets of 8,968 bytes and a 9,000-byte pod cannot send full-sized packets through it: the
 * forwarder clamps the MSS of SYNs entering the tunnel to 9,000 - 40 - 40 = 8,920 (the 1,400-byte pods' 1,360
 * is left alone), which tshark sees on the underlay, together with full 8,960-byte inner packets.</li>
 * <li>UDP with DF at the limit of the jumbo path: an 8,940-byte datagram (8,968-byte packet) arrives intact; one
 * byte more leaves the pod, is refused by the forwarder with ICMP "fragmentation needed" (MTU 8,968, from the
 * destination's address), after which the pod's kernel knows the path MTU and refuses the next one itself
 * ({@code EMSGSIZE}). {@code ping -M do} shows the same from the other node. On the 1,400-byte pods the pod's
 * own MTU is the limit: 1,372 bytes arrive intact, 1,373 are refused in the pod. Without DF, a packet one byte
 * over the jumbo path is not fragmented: the fabric socket refuses it and the daemon counts a fabric TX drop.</li>
 * </ul>
 * Everything created carries a per-run id and is removed also when the test fails.
 * <p>
 * Prerequisites: root, iproute2, ping, tshark. In CI ({@code CI} set) a missing prerequisite fails the test;
 * elsewhere it is skipped with a message saying why.
 */
@Tag("e2e")
class IntegrityEndToEndTest
{
    static final String A = "10.1.1.3";
    static final String B = "10.1.1.4";
    static final String C = "10.1.1.5";
    static final String D = "10.1.1.6";
    static final String U1 = "172.31.252.1";
    static final String U2 = "172.31.252.2";
    static final int LABEL_A = 16;
    static final int LABEL_B = 17;
    static final int LABEL_C = 40;
    static final int LABEL_D = 41;
    static final long LARGE_BYTES = 200L << 20;
    static final int JUMBO = 9000;
    /** The inner packet MPLSoUDP leaves room for on a 9,000-byte underlay: 9,000 - 20 - 8 - 4. */
    static final int JUMBO_PATH_MTU = 8968;
    /** The MSS the forwarder clamps to on a 9,000-byte fabric vif: 9,000 - 40 (its overlay allowance) - 20 - 20. */
    static final int JUMBO_CLAMPED_MSS = 8920;

    private TwoNodeLab lab;

    /**
     * 200 MB each way between pods on two nodes, 1,400-byte pods on a 1,500-byte underlay (TwoNodeEndToEndTest's
     * MTUs).
     *
     * @throws Exception on failure.
     */
    @Test
    void twoHundredMegabytesEachWayArriveIntact() throws Exception
    {
        inLab("vri", () ->
        {
            final String pa = lab.name("pa");
            final String pc = lab.name("pc");
            start(1500, new String[] {pa}, new String[] {pc}, 1400);
            transfer(pa, pc, C, LARGE_BYTES, "a-to-c");
            transfer(pc, pa, A, LARGE_BYTES, "c-to-a");
        });
    }

    /**
     * Pods at MTU 1,400 and 9,000 over a 9,000-byte underlay: TCP each way, the MSS clamp and full-sized
     * packets on the underlay, UDP with DF at the limit and one byte over.
     *
     * @throws Exception on failure.
     */
    @Test
    void podMtu1400And9000OverAJumboUnderlay() throws Exception
    {
        inLab("vrj", () ->
        {
            final String pa = lab.name("pa");
            final String pb = lab.name("pb");
            final String pc = lab.name("pc");
            final String pd = lab.name("pd");
            start(JUMBO, new String[] {pa, pb}, new String[] {pc, pd}, 1400, JUMBO);

            // Inner TCP SYNs (udp[45]: UDP 8 + MPLS 4 + a 20-byte inner IPv4 header + the TCP flags' offset 13),
            // and the first outer packets longer than a standard frame.
            final Process syns = capture("syns", "udp port 6635 and udp[45] & 2 != 0", 0);
            final Process jumbos = capture("jumbos", "udp port 6635 and greater 1600", 200);
            transfer(pa, pc, C, LARGE_BYTES, "a-to-c");
            transfer(pc, pa, A, LARGE_BYTES, "c-to-a");
            transfer(pb, pd, D, LARGE_BYTES, "b-to-d");
            transfer(pd, pb, B, LARGE_BYTES, "d-to-b");
            stop(syns);
            stop(jumbos);
            assertClampedMss();
            assertFullSizedJumboPackets();

            udpAtTheLimit(pa, pc, C, 1372, 1372 + 1, false);
            udpAtTheLimit(pb, pd, D, JUMBO_PATH_MTU - 28, JUMBO_PATH_MTU - 28 + 1, true);
            // Before pd learns the path MTU from the DF pings (its kernel would then fragment the packet itself).
            noDfOverThePath(pd, B);
            pingWithDfAtTheLimit(pd, B);
        });
    }

    // ------------------------------------------------------------------------------------ the lab

    private void inLab(final String prefix, final TwoNodeLab.Body body) throws Exception
    {
        TwoNodeLab.prerequisites("ip", "ping", "tshark");
        lab = new TwoNodeLab(prefix);
        lab.runAndCleanUp(body);
    }

    /**
     * Node namespaces, the underlay at the given MTU, a daemon per node (two workers on node 1, one on node 2),
     * the pods (the i-th of each node at the i-th MTU, vif 3 + i) and the overlay, with the fabric vif at the
     * underlay's MTU.
     */
    private void start(final int underlayMtu, final String[] node1Pods, final String[] node2Pods,
        final int... podMtus) throws Exception
    {
        final String[] node1Ips = {A, B};
        final String[] node2Ips = {C, D};
        final long[] node1Macs = {0x020000000103L, 0x020000000104L};
        final long[] node2Macs = {0x020000000105L, 0x020000000106L};
        final int[] node1Labels = {LABEL_A, LABEL_B};
        final int[] node2Labels = {LABEL_C, LABEL_D};
        final List<String> all = new ArrayList<>(List.of(lab.n1, lab.n2));
        all.addAll(List.of(node1Pods));
        all.addAll(List.of(node2Pods));
        lab.addNamespaces(all.toArray(new String[0]));
        lab.underlay(U1, U2, underlayMtu);
        final Path sock1 = lab.dir.resolve("n1.sock");
        final Path sock2 = lab.dir.resolve("n2.sock");
        lab.startDaemon(lab.n1, U1, sock1, "node1", 2);
        lab.startDaemon(lab.n2, U2, sock2, "node2", 1);
        final int n = node1Pods.length;
        try (ControlClient c1 = ControlClient.connect(sock1); ControlClient c2 = ControlClient.connect(sock2))
        {
            for (int i = 0; i < n; i++)
            {
                ok(c1, port(node1Pods[i], node1Pods[i], "eth0", mac(node1Macs[i]), node1Ips[i], podMtus[i], 3 + i));
                ok(c2, port(node2Pods[i], node2Pods[i], "eth0", mac(node2Macs[i]), node2Ips[i], podMtus[i], 3 + i));
            }
            programNode(c1, lab.u1, underlayMtu, U1, U2, Arrays.copyOf(node1Ips, n),
                Arrays.copyOf(node1Macs, n), Arrays.copyOf(node1Labels, n),
                Arrays.copyOf(node2Ips, n), Arrays.copyOf(node2Labels, n));
            programNode(c2, lab.u2, underlayMtu, U2, U1, Arrays.copyOf(node2Ips, n),
                Arrays.copyOf(node2Macs, n), Arrays.copyOf(node2Labels, n),
                Arrays.copyOf(node1Ips, n), Arrays.copyOf(node1Labels, n));
        }
        for (int i = 0; i < n; i++)
        {
            ping(node1Pods[i], node2Ips[i]);
        }
    }

    private static String mac(final long mac)
    {
        return HexFormat.ofDelimiter(":").formatHex(ByteBuffer.allocate(8).putLong(mac).array(), 2, 8);
    }

    // ------------------------------------------------------------------------------------ TCP

    private void transfer(final String fromNs, final String toNs, final String to, final long bytes,
        final String tag) throws Exception
    {
        final long took = lab.tcpTransfer(fromNs, toNs, to, bytes, tag, 150, 60);
        System.out.printf("IntegrityEndToEndTest: %s %d MB intact in %.1f s (%.2f Gbit/s with the tools' JVM start)%n",
            tag, bytes >> 20, took / 1e9, bytes * 8.0 / took);
    }

    private Process capture(final String name, final String filter, final int count) throws Exception
    {
        final Path log = lab.dir.resolve("tshark-" + name + ".log");
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.n1, "tshark", "-q", "-i", lab.u1,
            "-s", "128", "-f", filter, "-w", lab.dir.resolve(name + ".pcap").toString()));
        if (count > 0)
        {
            cmd.addAll(List.of("-c", Integer.toString(count)));
        }
        final Process p = lab.startProcess(log, lab.dir.resolve("tshark-" + name + ".out"), cmd.toArray(new String[0]));
        waitFor(() -> Files.exists(log) && Files.readString(log).contains("Capturing on"), 20, "tshark");
        // tshark reports "Capturing on" before its capture filter is in place (see TwoNodeEndToEndTest).
        Thread.sleep(1000);
        return p;
    }

    private static void stop(final Process p) throws Exception
    {
        Thread.sleep(500);
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** Inner fields of the MPLSoUDP packets in a capture, the inner value of each field ("outer,inner"). */
    private List<String[]> innerFields(final String name, final String... fields)
    {
        final List<String> cmd = new ArrayList<>(List.of("tshark", "-r", lab.dir.resolve(name + ".pcap").toString(),
            "-Y", "mpls", "-T", "fields", "-E", "separator=;"));
        for (final String f : fields)
        {
            cmd.addAll(List.of("-e", f));
        }
        final Result r = sh(60, cmd.toArray(new String[0]));
        assertEquals(0, r.code(), "tshark -r: " + r.out());
        final List<String[]> rows = new ArrayList<>();
        for (final String line : r.out().split("\n"))
        {
            final String[] f = line.strip().split(";", -1);
            // (tshark's warnings, on its standard error, are in the output too)
            if (f.length == fields.length && !f[0].isEmpty() && Character.isDigit(f[0].charAt(0)))
            {
                rows.add(f);
            }
        }
        return rows;
    }

    private static String inner(final String field)
    {
        final String[] v = field.split(",");
        return v[v.length - 1];
    }

    /** Every SYN and SYN-ACK on the underlay: the 9,000-byte pods' MSS clamped, the 1,400-byte pods' left alone. */
    private void assertClampedMss()
    {
        final Map<String, Set<String>> mssByPair = new TreeMap<>();
        for (final String[] f : innerFields("syns", "ip.src", "ip.dst", "tcp.options.mss_val"))
        {
            mssByPair.computeIfAbsent(inner(f[0]) + ">" + inner(f[1]), k -> new TreeSet<>()).add(f[2]);
        }
        System.out.println("IntegrityEndToEndTest: MSS of the SYNs on the underlay " + mssByPair);
        final String small = Integer.toString(1400 - 40);
        final String clamped = Integer.toString(JUMBO_CLAMPED_MSS);
        assertEquals(Map.of(A + ">" + C, Set.of(small), C + ">" + A, Set.of(small), B + ">" + D, Set.of(clamped),
            D + ">" + B, Set.of(clamped)), mssByPair, "the MSS of each pair's SYN and SYN-ACK on the underlay");
    }

    /** The jumbo pods' segments fill the clamped MSS and fit the path: inner 8,960 bytes, outer within 9,000. */
    private void assertFullSizedJumboPackets()
    {
        int largestInner = 0;
        int largestOuter = 0;
        final List<String[]> rows = innerFields("jumbos", "ip.len");
        for (final String[] f : rows)
        {
            final String[] lengths = f[0].split(",");
            assertEquals(2, lengths.length, "outer and inner IPv4: " + f[0]);
            largestOuter = Math.max(largestOuter, Integer.parseInt(lengths[0]));
            largestInner = Math.max(largestInner, Integer.parseInt(lengths[1]));
        }
        System.out.println("IntegrityEndToEndTest: " + rows.size() + " jumbo MPLSoUDP packets, largest inner "
            + largestInner + ", outer " + largestOuter);
        assertTrue(rows.size() >= 100, rows.size() + " jumbo packets captured");
        assertEquals(JUMBO_CLAMPED_MSS + 40, largestInner, "the largest inner packet (MSS + IPv4 + TCP headers)");
        assertEquals(largestInner + 32, largestOuter, "MPLSoUDP's 32 bytes around it");
        assertTrue(largestOuter <= JUMBO, "outer packet " + largestOuter + " within the underlay's MTU");
    }

    // ------------------------------------------------------------------------------------ DF at the limit

    /**
     * A datagram of the largest size with DF set arrives intact; one byte more does not arrive. Through the
     * jumbo path ({@code forwarderLimit}) the pod sends it, the forwarder answers "fragmentation needed", and the
     * pod's kernel refuses the next one with the learnt path MTU; on the 1,400-byte pods the pod refuses it at
     * once.
     */
    private void udpAtTheLimit(final String fromNs, final String toNs, final String to, final int largest,
        final int over, final boolean forwarderLimit) throws Exception
    {
        final String tag = "udp-" + largest;
        final Path out = lab.dir.resolve(tag + ".out");
        final Process recv = lab.startProcess(lab.dir.resolve(tag + ".log"), out, "ip", "netns", "exec", toNs,
            javaBin(), "-cp", System.getProperty("java.class.path"), UdpTool.class.getName(), "recv", "5002", "30");
        waitFor(() -> Files.exists(out) && Files.readString(out).contains("LISTENING"), 20, "UDP receiver");
        final Result send = sh(60, "ip", "netns", "exec", fromNs, javaBin(), "-cp",
            System.getProperty("java.class.path"), UdpTool.class.getName(), "send", to, "5002", "7",
            Integer.toString(largest), Integer.toString(over), Integer.toString(over));
        assertEquals(0, send.code(), "UDP sender: " + send.out());
        assertTrue(recv.waitFor(30, TimeUnit.SECONDS), "UDP receiver did not finish");
        final List<String> sent = send.out().lines().toList();
        final String received = Files.readString(out);
        System.out.println("IntegrityEndToEndTest: UDP with DF " + fromNs + " -> " + to + ": sender " + sent
            + ", receiver " + received.lines().toList());
        assertTrue(sent.get(0).startsWith("SENT " + largest + " "), "the largest datagram was sent: " + sent);
        assertTrue(received.contains("RECEIVED " + sent.get(0).substring("SENT ".length())),
            "the largest datagram with DF arrived intact (size and SHA-256): " + received);
        assertFalse(received.contains("RECEIVED " + over + " "), "a datagram one byte over the limit arrived");
        if (forwarderLimit)
        {
            // It fits the pod's MTU: the pod sends it, the forwarder refuses it and answers; the pod has learnt.
            assertTrue(sent.get(1).startsWith("SENT " + over + " "), "left the pod: " + sent);
            assertTrue(sent.get(2).startsWith("REFUSED " + over + " Message too long"),
                "the pod's kernel refused the next one after the forwarder's ICMP answer: " + sent);
            final Result route = sh("ip", "-n", fromNs, "route", "get", to);
            assertTrue(route.out().contains("mtu " + JUMBO_PATH_MTU), "the path MTU the pod learnt:\n" + route.out());
        }
        else
        {
            assertTrue(sent.get(1).startsWith("REFUSED " + over + " Message too long"),
                "over the pod's own MTU: " + sent);
            assertTrue(sent.get(2).startsWith("REFUSED " + over + " "), sent.toString());
        }
    }

    /**
     * Without DF, one byte over the path: the forwarder does not fragment; it hands the 9,001-byte MPLSoUDP
     * packet to the raw fabric socket, the kernel refuses it ({@code EMSGSIZE}) and the daemon counts it in
     * {@code vrouter_io_fabric_tx_drops_total} (docs/wire-formats.md). The pod gets no answer and no ICMP error.
     */
    private void noDfOverThePath(final String fromNs, final String to)
    {
        final double before = fabricTxDrops(lab.n2);
        final Result r = sh(30, "ip", "netns", "exec", fromNs, "ping", "-M", "dont", "-s",
            Integer.toString(JUMBO_PATH_MTU - 28 + 1), "-c", "3", "-i", "0.2", "-W", "1", to);
        final double dropped = fabricTxDrops(lab.n2) - before;
        System.out.println("IntegrityEndToEndTest: ping -M dont -s " + (JUMBO_PATH_MTU - 28 + 1) + ": " + dropped
            + " fabric TX drops\n" + r.out());
        assertNotEquals(0, r.code(), "answered:\n" + r.out());
        assertTrue(r.out().contains(" 0 received") && !r.out().contains("Frag needed"), r.out());
        assertTrue(dropped >= 3, "fabric TX drops on node 2: " + dropped);
    }

    private static double fabricTxDrops(final String node)
    {
        return TwoNodeLab.metric(node, "vrouter_io_fabric_tx_drops_total");
    }

    /**
     * What an operator sees with {@code ping -M do} through the jumbo path: the largest echo goes through, one
     * byte more gets the forwarder's "fragmentation needed" with the path's MTU.
     */
    private static void pingWithDfAtTheLimit(final String fromNs, final String to)
    {
        final int largest = JUMBO_PATH_MTU - 28;
        final Result fits = sh(30, "ip", "netns", "exec", fromNs, "ping", "-M", "do", "-s", Integer.toString(largest),
            "-c", "3", "-i", "0.2", "-W", "2", to);
        assertEquals(0, fits.code(), "ping -M do -s " + largest + ":\n" + fits.out());
        final Result over = sh(30, "ip", "netns", "exec", fromNs, "ping", "-M", "do", "-s",
            Integer.toString(largest + 1), "-c", "2", "-i", "0.2", "-W", "2", to);
        System.out.println("IntegrityEndToEndTest: ping -M do -s " + (largest + 1) + ":\n" + over.out());
        assertNotEquals(0, over.code(), "ping -M do -s " + (largest + 1) + " was answered:\n" + over.out());
        assertTrue(over.out().contains("From " + to + " icmp_seq=1 Frag needed and DF set (mtu = " + JUMBO_PATH_MTU
            + ")"), "the forwarder's ICMP answer, from the destination's address:\n" + over.out());
        assertTrue(sh("ip", "-n", fromNs, "route", "get", to).out().contains("mtu " + JUMBO_PATH_MTU),
            "the pod learnt the path MTU");
    }
}
