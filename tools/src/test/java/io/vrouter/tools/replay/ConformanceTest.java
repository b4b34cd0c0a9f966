package io.vrouter.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.vrouter.core.table.VRouterConfig;

/**
 * Contrail's own vtest cases from {@code ../shared/conformance/vtest}, played through the replay
 * harness: the packet cases must be byte-identical, the message cases must give the expected
 * return codes and {@code <expect>} fields.
 */
class ConformanceTest
{
    static final String[] PACKET_CASES =
    {
        "ipv4/complex/VMs/vm_comm_jumbo_packets.xml",
        "ipv4/complex/mplsoudp/routing/mplsoudp.xml",
        "ipv4/complex/mplsogre/routing/mplsogre.xml",
        "ipv4/complex/vxlan/routing/vxlan.xml",
        "ipv4/complex/flow/flow_add.xml",
        "ipv4/complex/flow/flow_simple_add.xml",
        "ipv4/complex/mirror/mirror_static.xml",
    };

    static final String[] MESSAGE_CASES =
    {
        "msg/mirror/mirror_add_get_delete.xml",
        "msg/mpls/mpls_add_get_delete.xml",
        "msg/nexthop/nh_add_delete.xml",
        "msg/nexthop/nh_add_explanation.xml",
        "msg/rt/rt_add_delete.xml",
        "msg/rt/rt_explanation.xml",
        "msg/vif/vif_add_bad_1000.xml",
        "msg/vif/vif_add_bad_1001.xml",
        "msg/vif/vif_add_delete.xml",
        "msg/vif/vif_add_explanation.xml",
        "msg/vif/vif_add_get_ok_1001.xml",
        "msg/vif/vif_add_physical.xml",
        "msg/vxlan/vxlan_add_get_delete.xml",
    };

    static Path vtestDir()
    {
        final String shared = System.getProperty("vrouter.shared.dir", "../../shared");
        return Path.of(shared, "conformance", "vtest").toAbsolutePath().normalize();
    }

    @BeforeAll
    static void requireConformanceMaterial()
    {
        final Path dir = vtestDir();
        if (!Files.isDirectory(dir))
        {
            fail("conformance material missing: " + dir + " does not exist. The vtest cases live in "
                + "../shared/conformance/vtest beside the repository (set -Dvrouter.shared.dir to point elsewhere).");
        }
    }

    static Stream<String> packetCases()
    {
        return Stream.of(PACKET_CASES);
    }

    static Stream<String> messageCases()
    {
        return Stream.of(MESSAGE_CASES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packetCases")
    void shouldReproduceContrailPacketCaseByteForByte(final String name)
    {
        final ReplayRunner.CaseResult r = new ReplayRunner(VRouterConfig.defaults(), null).run(vtestDir().resolve(
            name));
        assertTrue(r.passed(), name + ": " + r.detail());
        assertTrue(r.packets() > 0, name + ": no packets were played");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageCases")
    void shouldAnswerContrailMessageCaseWithExpectedCodes(final String name)
    {
        final ReplayRunner.CaseResult r = new ReplayRunner(VRouterConfig.defaults(), null).run(vtestDir().resolve(
            name));
        assertTrue(r.passed(), name + ": " + r.detail());
        assertTrue(r.messages() > 0, name + ": no messages were applied");
    }

    @org.junit.jupiter.api.Test
    void shouldCountEveryCaseTheIssueNames()
    {
        assertEquals(7, PACKET_CASES.length);
        assertEquals(13, MESSAGE_CASES.length);
        for (final String c : PACKET_CASES)
        {
            assertTrue(Files.isRegularFile(vtestDir().resolve(c)), "missing case " + c);
        }
        for (final String c : MESSAGE_CASES)
        {
            assertTrue(Files.isRegularFile(vtestDir().resolve(c)), "missing case " + c);
        }
    }
}
