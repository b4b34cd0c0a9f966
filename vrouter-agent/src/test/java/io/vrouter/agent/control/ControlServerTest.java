package io.vrouter.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vrouter.agent.testing.InProcessNode;
import io.vrouter.core.VRouter;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.iface.VifType;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.Op;
import io.vrouter.core.request.PortRequest;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.RouteRequest;
import io.vrouter.core.request.SandeshObject;
import io.vrouter.wire.AddressFamily;

class ControlServerTest
{
    @TempDir
    Path tmp;

    Path socket;
    InProcessNode node;
    ControlServer server;

    @BeforeEach
    void setUp() throws IOException
    {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        socket = tmp.resolve("run/vrouterd.sock");
        node = new InProcessNode(new VRouter(new VRouterConfig(16, 64, 8, 32, 64, 16, 4, 64, 8, 2048, true, true)));
        server = new ControlServer(node, socket, 512);
        server.start();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
        node.close();
    }

    static InterfaceRequest vif(final int idx)
    {
        return InterfaceRequest.builder().idx(idx).type(VifType.VIRTUAL).name("tap" + idx).transport(2).build();
    }

    static InterfaceRequest get(final int idx)
    {
        return InterfaceRequest.get(idx);
    }

    static RouteRequest route(final int i, final int plen)
    {
        return RouteRequest.builder().family(AddressFamily.INET).vrfId(1)
            .prefix(new byte[] {10, (byte)(i >> 8), (byte)i, 0}, plen).nhId(0).build();
    }

    static RouteRequest route(final int i)
    {
        return route(i, 24);
    }

    static RouteRequest routeDump()
    {
        return RouteRequest.dump(AddressFamily.INET, 1);
    }

    private boolean vifPresent()
    {
        try (ControlClient c = ControlClient.connect(socket))
        {
            return c.call(List.of(get(1))).get(0).code() == 0;
        }
    }

    @Test
    void shouldCreateRootOnlySocketAndRemoveItOnClose() throws IOException
    {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        server.close();
        assertFalse(Files.exists(socket));
        final ControlException e = assertThrows(ControlException.class, () -> ControlClient.connect(socket));
        assertEquals("vrouterd is not running (no socket at " + socket + ")", e.getMessage());
    }

    @Test
    void shouldRefuseSecondServerAndReplaceStaleSocket() throws IOException
    {
        final ControlServer second = new ControlServer(node, socket);
        final IOException e = assertThrows(IOException.class, second::start);
        assertTrue(e.getMessage().contains("address in use"), e.getMessage());
        server.close();
        Files.createFile(socket);
        final ControlServer third = new ControlServer(node, socket);
        try
        {
            third.start();
            try (ControlClient c = ControlClient.connect(socket))
            {
                assertEquals(0, c.call(List.of(vif(1))).get(0).code());
            }
        }
        finally
        {
            third.close();
        }
    }

    @Test
    void shouldProgramGetAndDumpThroughTheSocket()
    {
        try (ControlClient c = ControlClient.connect(socket))
        {
            final List<Response> r = c.call(List.of(vif(1), get(1), get(2)));
            assertEquals(3, r.size());
            assertEquals(0, r.get(0).code(), r.get(0).message());
            assertEquals(0, r.get(1).code());
            assertEquals("tap1", r.get(1).first(InterfaceRequest.class).name());
            assertEquals(Errno.ENOENT, r.get(2).code());

            final List<RouteRequest> routes = new ArrayList<>();
            for (int i = 0; i < 300; i++)
            {
                routes.add(route(i));
            }
            for (final Response x : c.call(routes))
            {
                assertEquals(0, x.code(), x.message());
            }
            // chunk size 512 bytes: the dump comes back in many frames
            final Response dump = c.call(List.of(routeDump())).get(0);
            assertEquals(300, dump.objects().size());
            assertTrue(c.call(List.of()).isEmpty());
        }
    }

    @Test
    void shouldPipelineLongCallsOverSeveralFramesInOrder()
    {
        final int n = ControlClient.FRAME_OBJECTS * 3 + 7;
        final List<RouteRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            requests.add(i == 2000 ? route(i, 99) : route(i));
        }
        try (ControlClient c = ControlClient.connect(socket))
        {
            final List<Response> r = c.call(requests);
            assertEquals(n, r.size());
            for (int i = 0; i < n; i++)
            {
                assertEquals(i == 2000 ? Errno.EINVAL : 0, r.get(i).code(), "request " + i);
            }
            assertEquals(n - 1, c.call(List.of(routeDump())).get(0).objects().size());
        }
    }

    @Test
    void shouldDumpOneHundredThousandRoutesInChunks() throws IOException
    {
        server.close();
        server = new ControlServer(node, socket);
        server.start();
        final List<RouteRequest> requests = new ArrayList<>();
        for (int i = 0; i < 100_000; i++)
        {
            requests.add(RouteRequest.builder().family(AddressFamily.INET).vrfId(2)
                .prefix(new byte[] {10, (byte)(i >> 16), (byte)(i >> 8), (byte)i}, 32).nhId(0).build());
        }
        try (ControlClient c = ControlClient.connect(socket))
        {
            for (final Response r : c.call(requests))
            {
                assertEquals(0, r.code(), r.message());
            }
            final Response dump = c.call(List.of(RouteRequest.dump(AddressFamily.INET, 2))).get(0);
            assertEquals(100_000, dump.objects().size());
            assertEquals(100_000, dump.code());
            // the answer (about 8 MB) needed several 1 MiB frames: the client stitched them back in order
            assertEquals(List.of(10L, 1L, (long)(byte)0x86, (long)(byte)0x9f), toList(
                dump.objects(RouteRequest.class).get(99_999).prefix()));
        }
    }

    private static List<Long> toList(final byte[] b)
    {
        final List<Long> out = new ArrayList<>();
        for (final byte x : b)
        {
            out.add((long)x);
        }
        return out;
    }

    @Test
    void shouldRefuseGarbageWholeAndKeepServing() throws IOException
    {
        final byte[] good = ControlCodec.encodeRequest(5, ControlCodec.objects(List.of(vif(1), vif(2))));
        // the second object's field kind tag is broken: nothing from the frame may be applied
        final byte[] bad = good.clone();
        final int secondTag = indexOf(bad, "vifr_idx".getBytes(StandardCharsets.US_ASCII), good.length / 2)
            + "vifr_idx".length();
        bad[secondTag] = 9;
        try (ControlClient c = ControlClient.connect(socket))
        {
            final ControlException e = assertThrows(ControlException.class, () -> c.roundTrip(5, bad, 2));
            assertEquals(Errno.EINVAL, e.code());
            assertTrue(e.getMessage().contains("nothing applied"), e.getMessage());
            final byte[] garbage = new byte[64];
            ByteBuffer.wrap(garbage).putInt(60).putInt(0xdeadbeef);
            assertThrows(ControlException.class, () -> c.roundTrip(0, garbage, 1));
            // the connection still works and nothing was applied
            final List<Response> r = c.call(List.of(get(1), get(2)));
            assertEquals(Errno.ENOENT, r.get(0).code());
            assertEquals(Errno.ENOENT, r.get(1).code());
        }
    }

    @Test
    void shouldRefuseOversizedFrameAndCloseTheConnection() throws Exception
    {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            ch.connect(UnixDomainSocketAddress.of(socket));
            final ByteBuffer b = ByteBuffer.allocate(1024).putInt(ControlCodec.MAX_FRAME + 1);
            b.position(b.capacity()).flip();
            ch.write(b);
            final ControlCodec.ResponseFrame f = readFrame(ch);
            assertNotNull(f.error());
            assertEquals(ControlCodec.EMSGSIZE, f.error().code());
            assertEquals(-1, ch.read(ByteBuffer.allocate(16)), "connection closed");
        }
        assertFalse(vifPresent());
    }

    /** Issue 14's probe: thousands of idle connections, and a client still gets its answer. */
    @Test
    void shouldServeAClientPastThousandsOfIdleConnections() throws Exception
    {
        final List<SocketChannel> idle = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3000; i++)
            {
                final SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                idle.add(ch);
                ch.connect(UnixDomainSocketAddress.of(socket));
                if (i % 100 == 0)
                {
                    ch.write(ByteBuffer.allocate(8).putInt(100).flip());
                }
            }
            try (ControlClient c = ControlClient.connect(socket))
            {
                assertEquals(0, c.call(List.of(vif(1))).get(0).code(), "served past 3000 idle connections");
            }
            int open = 0;
            for (final SocketChannel ch : idle)
            {
                ch.configureBlocking(false);
                try
                {
                    open += ch.read(ByteBuffer.allocate(16)) < 0 ? 0 : 1;
                }
                catch (final IOException e)
                {
                    // reset: closed
                }
            }
            assertTrue(open <= ControlServer.MAX_CONNECTIONS, open + " idle connections still open");
        }
        finally
        {
            for (final SocketChannel ch : idle)
            {
                ch.close();
            }
        }
    }

    @Test
    void shouldBoundTheFramesInHandOverAllConnections() throws Exception
    {
        final int fit = (int)(ControlServer.MAX_BUFFERED / ControlCodec.MAX_FRAME);
        final List<SocketChannel> holders = new ArrayList<>();
        try
        {
            for (int i = 0; i < fit; i++)
            {
                final SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                holders.add(ch);
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.allocate(64).putInt(ControlCodec.MAX_FRAME).position(64).flip());
            }
            TimeUnit.MILLISECONDS.sleep(200);
            try (SocketChannel over = SocketChannel.open(StandardProtocolFamily.UNIX))
            {
                over.connect(UnixDomainSocketAddress.of(socket));
                over.write(ByteBuffer.allocate(64).putInt(ControlCodec.MAX_FRAME).position(64).flip());
                final ControlCodec.ResponseFrame f = readFrame(over);
                assertNotNull(f.error());
                assertEquals(Errno.ENOMEM, f.error().code(), f.error().message());
                assertEquals(-1, over.read(ByteBuffer.allocate(16)), "connection closed");
            }
        }
        finally
        {
            for (final SocketChannel ch : holders)
            {
                ch.close();
            }
        }
        TimeUnit.MILLISECONDS.sleep(200);
        try (ControlClient c = ControlClient.connect(socket))
        {
            assertEquals(0, c.call(List.of(vif(1))).get(0).code(), "the budget comes back when the holders go");
        }
    }

    @Test
    void shouldApplyNothingWhenClientDisconnectsMidFrame() throws Exception
    {
        final byte[] frame = ControlCodec.encodeRequest(1, ControlCodec.objects(List.of(vif(1))));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(frame, 0, frame.length - 3));
        }
        TimeUnit.MILLISECONDS.sleep(200);
        assertFalse(vifPresent());
    }

    @Test
    void shouldMapPortRequests()
    {
        final PortRequest add = PortRequest.add("tapa", "pod1", "eth0", "02:00:00:00:00:01",
            List.of("10.0.0.2/24", "fd00::2/64"), "10.0.0.1", 1, 1400, -1, 0);
        try (ControlClient c = ControlClient.connect(socket))
        {
            final List<Response> r = c.call(List.of(add, vif(1), add,
                PortRequest.add("tapb", "x", "eth0", "", List.of(), "", 0, 1500, -1, 0),
                PortRequest.named(Op.DUMP, "")));
            assertEquals(0, r.get(0).code(), r.get(0).message());
            assertEquals(0, r.get(1).code());
            assertEquals(Errno.EEXIST, r.get(2).code());
            assertEquals(Errno.EINVAL, r.get(3).code(), "no MAC");
            assertTrue(r.get(3).message().contains("port_mac"), r.get(3).message());
            assertEquals(1, r.get(4).objects().size());
            final PortRequest p = r.get(4).first(PortRequest.class);
            assertEquals("10.0.0.2/24,fd00::2/64", String.join(",", p.addresses()));
            assertEquals(1400, p.mtu());
            assertEquals(1, node.ports().size());
            assertEquals(List.of("10.0.0.2/24", "fd00::2/64"), node.ports().get(0).addresses());
            final List<Response> d = c.call(List.of(PortRequest.named(Op.DELETE, "tapa"),
                PortRequest.named(Op.DELETE, "tapa")));
            assertEquals(0, d.get(0).code());
            assertEquals(Errno.ENOENT, d.get(1).code());
        }
    }

    @Test
    void shouldAnswerAnObjectThatDoesNotReadInItsPlaceAndApplyTheOthers()
    {
        try (ControlClient c = ControlClient.connect(socket))
        {
            final List<ControlCodec.Answer> r = c.callObjects(List.of(vif(1).toSandesh(),
                new SandeshObject("vr_bogus_req"),
                new SandeshObject(InterfaceRequest.TYPE).put("vifr_idx", 2L).put("vifr_type", 3L)
                    .put("vifr_mac", new byte[5]),
                new SandeshObject(InterfaceRequest.TYPE).put("vifr_idx", 4L).put("vifr_type", 3L)
                    .put("vifr_name", 7L).put("vifr_vrf", "one"),
                vif(3).toSandesh(), get(3).toSandesh()));
            assertEquals(0, r.get(0).code(), r.get(0).message());
            assertEquals(Errno.EOPNOTSUPP, r.get(1).code());
            assertEquals(Errno.EINVAL, r.get(2).code());
            assertTrue(r.get(2).message().contains("vr_interface_req.vifr_mac"), r.get(2).message());
            assertEquals(Errno.EINVAL, r.get(3).code(), "a string is not a VRF");
            assertTrue(r.get(3).message().contains("vr_interface_req.vifr_vrf"), r.get(3).message());
            assertEquals(0, r.get(4).code(), "the requests after the refused ones are applied");
            assertEquals("tap3", r.get(5).objects().get(0).getString("vifr_name", ""));
            assertEquals(Errno.ENOENT, c.call(List.of(get(2))).get(0).code());
            assertEquals(Errno.ENOENT, c.call(List.of(get(4))).get(0).code());
        }
    }

    @Test
    void shouldRefuseNonRootPeers() throws Exception
    {
        final Path setpriv = Path.of("/usr/bin/setpriv");
        if (!Files.isExecutable(setpriv) || !"root".equals(System.getProperty("user.name")))
        {
            throw new org.opentest4j.TestAbortedException(
                "SKIPPED LOUDLY: needs root and /usr/bin/setpriv to run a client as nobody");
        }
        final Path probe = tmp.resolve("Probe.java");
        Files.writeString(probe, String.join("\n",
            "import java.net.*; import java.nio.*; import java.nio.channels.*; import java.util.HexFormat;",
            "public class Probe { public static void main(String[] a) throws Exception {",
            "  try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {",
            "    try { ch.connect(UnixDomainSocketAddress.of(a[0])); }",
            "    catch (java.io.IOException e) { System.out.println(\"CONNECT-FAILED \" + e.getMessage()); return; }",
            "    Thread watchdog = new Thread(() -> { try { Thread.sleep(10000); ch.close(); }",
            "      catch (Exception e) { } }); watchdog.setDaemon(true); watchdog.start();",
            "    ByteBuffer b = ByteBuffer.allocate(65536);",
            "    try { while (ch.read(b) >= 0) { } } catch (java.io.IOException e) { }",
            "    try { ch.write(ByteBuffer.wrap(HexFormat.of().parseHex(a[1]))); } catch (java.io.IOException e) { }",
            "    b.flip(); byte[] out = new byte[b.remaining()]; b.get(out);",
            "    System.out.println(\"ANSWER \" + HexFormat.of().formatHex(out));",
            "  } } }", ""));
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
        final String frame = HexFormat.of().formatHex(ControlCodec.encodeRequest(1,
            ControlCodec.objects(List.of(vif(1)))));

        // mode 0600: the kernel refuses the connect
        assertTrue(runAsNobody(probe, socket, frame).startsWith("CONNECT-FAILED"));

        // even with the file opened up, the peer credentials check refuses the client
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        final String out = runAsNobody(probe, socket, frame);
        assertTrue(out.startsWith("ANSWER "), out);
        final byte[] answer = HexFormat.of().parseHex(out.substring("ANSWER ".length()).trim());
        final ControlCodec.ResponseFrame f = ControlCodec.decodeResponse(
            ByteBuffer.wrap(answer, 4, answer.length - 4).slice());
        assertNotNull(f.error());
        assertEquals(ControlCodec.EPERM, f.error().code());
        assertTrue(f.error().message().contains("root-only"), f.error().message());
        assertFalse(vifPresent());
    }

    private static String runAsNobody(final Path probe, final Path socket, final String frameHex) throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup",
            "--clear-groups", java, "-XX:-UsePerfData", probe.toString(), socket.toString(), frameHex)
            .redirectErrorStream(true)
            .start();
        p.getOutputStream().close();
        try
        {
            if (!p.waitFor(60, TimeUnit.SECONDS))
            {
                throw new AssertionError("probe timed out");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        finally
        {
            p.destroyForcibly();
        }
    }

    private static ControlCodec.ResponseFrame readFrame(final SocketChannel ch) throws Exception
    {
        final ByteBuffer prefix = ByteBuffer.allocate(4);
        while (prefix.hasRemaining())
        {
            assertTrue(ch.read(prefix) >= 0);
        }
        final ByteBuffer body = ByteBuffer.allocate(prefix.getInt(0));
        while (body.hasRemaining())
        {
            assertTrue(ch.read(body) >= 0);
        }
        return ControlCodec.decodeResponse(body.flip());
    }

    private static int indexOf(final byte[] hay, final byte[] needle, final int from)
    {
        for (int i = from; i <= hay.length - needle.length; i++)
        {
            if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length))
            {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
