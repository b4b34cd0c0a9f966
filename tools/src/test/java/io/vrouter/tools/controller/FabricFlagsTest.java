package io.vrouter.tools.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vrouter.xmpp.XmlElement;

/**
 * The NetworkAttachmentDefinition's {@code opencontrail.org/ip_fabric_forwarding} and {@code ip_fabric_snat}
 * (issue 16): read from the seed's blue network, validated, kept across a state save, sent to the nodes on the
 * {@code virtual-network}, and each node's fabric SNAT port range on its {@code virtual-router} (disjoint
 * between nodes, only while it holds a network with SNAT).
 */
class FabricFlagsTest
{
    private static final String BLUE = "default-domain:k8s-default:k8s-blue-pod-network";
    private static final String POD_NET = "default-domain:k8s-default:k8s-default-pod-network";

    private static String nad(final String forwarding, final String snat)
    {
        return "kind: NetworkAttachmentDefinition\nmetadata:\n  name: green\n  annotations:\n"
            + "    opencontrail.org/cidr: \"3.0.0.0/24\"\n"
            + (forwarding == null ? "" : "    opencontrail.org/ip_fabric_forwarding: \"" + forwarding + "\"\n")
            + (snat == null ? "" : "    opencontrail.org/ip_fabric_snat: \"" + snat + "\"\n");
    }

    @Test
    void theSeedsBlueHasBothAndTheDefaultNetworksNeither() throws IOException
    {
        final Cluster c = ClusterTest.seedCluster();
        assertTrue(c.network(BLUE).fabricForwarding(), "nad-blue.yaml: ip_fabric_forwarding \"true\"");
        assertTrue(c.network(BLUE).fabricSnat(), "nad-blue.yaml: ip_fabric_snat \"true\"");
        assertFalse(c.network(POD_NET).fabricForwarding());
        assertFalse(c.network(POD_NET).fabricSnat());
        final Cluster back = Cluster.fromYaml(c.toYaml());
        assertEquals(c.network(BLUE), back.network(BLUE), "the flags survive the state file");
    }

    @Test
    void valuesOtherThanTrueOrFalseAreRefusedAndNothingIsApplied() throws IOException
    {
        final Cluster c = ClusterTest.seedCluster();
        final String before = c.toYaml();
        final Map<String, String> cases = Map.of(
            nad("yes", "false"),
            "annotation opencontrail.org/ip_fabric_forwarding must be \"true\" or \"false\", got 'yes'",
            nad("false", "1"),
            "annotation opencontrail.org/ip_fabric_snat must be \"true\" or \"false\", got '1'",
            nad("", null), "annotation opencontrail.org/ip_fabric_forwarding must be \"true\" or \"false\", got ''");
        for (final Map.Entry<String, String> e : cases.entrySet())
        {
            final IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> c.apply(Resource.parseAll(e.getKey(), "test"), "default"), e.getKey());
            assertTrue(x.getMessage().contains(e.getValue()), e.getValue() + " <- " + x.getMessage());
        }
        assertEquals(before, c.toYaml(), "nothing was applied");
        c.apply(Resource.parseAll(nad("TRUE", null), "test"), "default");
        final Cluster.Network green = c.network("default-domain:k8s-default:k8s-green-pod-network");
        assertTrue(green.fabricForwarding(), "any case");
        assertFalse(green.fabricSnat(), "absent is false");
        assertEquals("networkattachmentdefinition/green configured",
            c.apply(Resource.parseAll(nad("false", "true"), "test"), "default").get(0).trim());
        final Cluster.Network changed = c.network("default-domain:k8s-default:k8s-green-pod-network");
        assertFalse(changed.fabricForwarding());
        assertTrue(changed.fabricSnat(), "applying it again with other values changes them");
        assertEquals(green.id(), changed.id(), "same network");
    }

    @Test
    void nodesGetTheFlagsOnTheNetworkAndDisjointSnatPortRanges() throws IOException
    {
        final Cluster c = ClusterTest.seedCluster();
        final String blueNode = c.pod("default", "ubuntuapp2").node();
        final Map<String, XmlElement> config = ConfigSchema.forNode(c, blueNode, "pod-");
        final XmlElement vn = config.get(ConfigSchema.VIRTUAL_NETWORK + "/" + BLUE);
        assertEquals("true", vn.childText("ip-fabric-forwarding"));
        assertEquals("true", vn.childText("fabric-snat"));
        assertEquals("false", config.get(ConfigSchema.VIRTUAL_NETWORK + "/" + POD_NET).childText("fabric-snat"));
        final XmlElement router = config.get(ConfigSchema.VIRTUAL_ROUTER + "/" + blueNode);
        final int[] ports = c.snatPorts(blueNode);
        assertEquals(ports[0] + "-" + ports[1], router.childText("fabric-snat-ports"));

        assertArrayEquals(new int[] {61000, 61255}, c.snatPorts("node-1"));
        assertArrayEquals(new int[] {61256, 61511}, c.snatPorts("node-2"));
        for (int i = 3; i <= 40; i++)
        {
            c.addNode("node-" + i);
        }
        int last = 60999;
        int given = 0;
        for (final String n : c.nodes())
        {
            final int[] r = c.snatPorts(n);
            if (r == null)
            {
                continue;
            }
            given++;
            assertTrue(r[0] > last && r[1] >= r[0] && r[1] <= 65535, n + " " + r[0] + "-" + r[1]);
            last = r[1];
        }
        assertEquals(17, given, "17 blocks of 256 fit 61000-65535");
        assertNull(c.snatPorts("node-40"), "no block left");
        assertNull(c.snatPorts("node-99"), "unknown node");

        final String other = blueNode.equals("node-1") ? "node-2" : "node-1";
        final boolean otherHoldsSnat = ConfigSchema.forNode(c, other, "pod-").containsKey(
            ConfigSchema.VIRTUAL_NETWORK + "/" + BLUE);
        assertEquals(otherHoldsSnat, ConfigSchema.forNode(c, other, "pod-").containsKey(
            ConfigSchema.VIRTUAL_ROUTER + "/" + other), "a range only with a network that has SNAT");
    }
}
