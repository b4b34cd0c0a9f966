package io.vrouter.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vrouter.agent.api.PortSpec;
import io.vrouter.core.request.Errno;
import io.vrouter.core.request.Response;

/**
 * Port adds refused before anything is created: every malformed field is -EINVAL naming it, a missing
 * namespace is -ENOENT, an unknown port delete is -ENOENT; the node's tables and port list stay empty.
 * (Runs without root: these checks come before any device is made.)
 */
class NodePortValidationTest
{
    Node node;
    java.nio.file.Path state;

    @BeforeEach
    void node() throws Exception
    {
        state = java.nio.file.Files.createTempDirectory("node-port-validation");
        final DaemonConfig cfg = new DaemonConfig();
        cfg.set("paths.state", state.toString(), "test");
        cfg.set("fabric.address", "127.0.0.1", "test");
        cfg.set("tables.interfaces", 16, "test");
        cfg.set("tables.nexthops", 64, "test");
        cfg.set("tables.fib-entries", 1024, "test");
        cfg.set("tables.vrfs", 8, "test");
        node = new Node(cfg);
    }

    @AfterEach
    void close() throws java.io.IOException
    {
        node.close();
        java.nio.file.Files.deleteIfExists(state.resolve("flows.tbl"));
        java.nio.file.Files.deleteIfExists(state.resolve("state.log"));
        java.nio.file.Files.deleteIfExists(state.resolve("state.log.lock"));
        java.nio.file.Files.deleteIfExists(state);
    }

    private static PortSpec spec(final String name, final String netns, final String ifname, final String mac,
        final List<String> ips, final String gw, final int vrf, final int mtu, final int vif)
    {
        return new PortSpec(name, netns, ifname, mac, ips, gw, vrf, mtu, vif, 0);
    }

    private void refused(final PortSpec s, final int code, final String field)
    {
        final Response r = node.addPort(s);
        assertEquals(code, r.code(), r.toString());
        assertTrue(r.message().contains(field), r.message());
    }

    @Test
    void shouldRefuseMalformedFieldsAndMissingNamespacesLeavingNothing()
    {
        final List<String> ip = List.of("10.1.1.3/24");
        refused(spec("", "ns", "eth0", "02:00:00:00:00:01", ip, "", 1, 1500, -1), Errno.EINVAL, "port_name");
        refused(spec("a-very-long-name-x", "ns", "eth0", "02:00:00:00:00:01", ip, "", 1, 1500, -1), Errno.EINVAL,
            "port_name");
        refused(spec("p1", "ns", "eth 0", "02:00:00:00:00:01", ip, "", 1, 1500, -1), Errno.EINVAL, "port_ifname");
        refused(spec("p1", "../x", "eth0", "02:00:00:00:00:01", ip, "", 1, 1500, -1), Errno.EINVAL, "port_netns");
        refused(spec("p1", "..", "eth0", "02:00:00:00:00:01", ip, "", 1, 1500, -1), Errno.EINVAL, "port_netns");
        refused(spec("p1", "ns", "eth0", "02:00:00:00:01", ip, "", 1, 1500, -1), Errno.EINVAL, "port_mac");
        refused(spec("p1", "ns", "eth0", "02:00:00:00:00:01", List.of("10.1.1.3/40"), "", 1, 1500, -1),
            Errno.EINVAL, "port_ip");
        refused(spec("p1", "ns", "eth0", "02:00:00:00:00:01", List.of("example.com/24"), "", 1, 1500, -1),
            Errno.EINVAL, "port_ip");
        refused(spec("p1", "ns", "eth0", "02:00:00:00:00:01", ip, "gw", 1, 1500, -1), Errno.EINVAL, "port_gw");
        refused(spec("p1", "ns", "eth0", "02:00:00:00:00:01", ip, "", 1, 20, -1), Errno.EINVAL, "port_mtu");
        refused(spec("p1", "ns", "eth0", "02:00:00:00:00:01", ip, "", 99, 1500, -1), Errno.EINVAL, "port_vrf");
        refused(spec("p1", "ns", "eth0", "02:00:00:00:00:01", ip, "", 1, 1500, 0), Errno.EINVAL, "port_vif_idx");
        refused(spec("p1", "ns", "eth0", "02:00:00:00:00:01", ip, "", 1, 1500, 16), Errno.EINVAL, "port_vif_idx");
        refused(spec("p1", "vrouter-no-such-ns-" + System.nanoTime() % 100000, "eth0", "02:00:00:00:00:01", ip, "",
            1, 1500, -1), Errno.ENOENT, "not found");
        refused(spec("p1", "/nonexistent/netns", "eth0", "02:00:00:00:00:01", ip, "", 1, 1500, -1), Errno.ENOENT,
            "not found");
        assertEquals(Errno.ENOENT, node.deletePort("p1").code());
        assertTrue(node.ports().isEmpty());
        for (int i = 0; i < 16; i++)
        {
            assertEquals(null, node.vrouter().tables().interfaces().get(i), "vif " + i);
        }
    }
}
