package io.vrouter.tools.controller;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterTest
{
    private static final Path SEED = Path.of("..", "examples", "seed");
    private static final String POD_NET = "default-domain:k8s-default:k8s-default-pod-network";
    private static final String RED = "default-domain:k8s-default:RED";
    private static final String BLUE = "default-domain:k8s-default:k8s-blue-pod-network";

    private static List<Resource> seed(final String file) throws IOException
    {
        return Resource.parseAll(Files.readString(SEED.resolve(file)), file);
    }

    /** The article's order of operations, up to the pods on the custom networks. */
    static Cluster seedCluster() throws IOException
    {
        final Cluster c = new Cluster();
        c.addNode("node-1");
        c.addNode("node-2");
        c.apply(seed("ns-non-isolated.yaml"), "default");
        c.apply(seed("ns-isolated.yaml"), "default");
        for (final String ns : List.of("default", "ns-non-isolated", "ns-isolated"))
        {
            c.apply(seed("deployment-ubuntu-pod-1.yaml"), ns);
        }
        c.apply(seed("nad-blue.yaml"), "default");
        c.apply(seed("vn-red.yaml"), "default");
        c.apply(seed("pod-ubuntuapp-red.yaml"), "default");
        c.apply(seed("pod-ubuntuapp2-blue.yaml"), "default");
        return c;
    }

    @Test
    void allocatesTheArticlesAddresses() throws IOException
    {
        final Cluster c = seedCluster();
        final List<Cluster.Pod> pods = c.pods();
        assertEquals(5, pods.size());
        assertEquals("10.47.255.252", pods.get(0).ip());
        assertEquals(POD_NET, pods.get(0).network());
        assertEquals("10.47.255.251", pods.get(1).ip());
        assertEquals(POD_NET, pods.get(1).network());
        assertEquals("10.47.255.250", pods.get(2).ip(), "the isolated namespace draws on the same pod pool");
        assertEquals("default-domain:k8s-ns-isolated:k8s-ns-isolated-pod-network", pods.get(2).network());
        assertEquals("100.0.0.3", c.pod("default", "ubuntuapp").ip());
        assertEquals(RED, c.pod("default", "ubuntuapp").network());
        assertEquals("2.0.0.252", c.pod("default", "ubuntuapp2").ip());
        assertEquals(BLUE, c.pod("default", "ubuntuapp2").network());
        assertEquals("10.47.255.254", c.network(POD_NET).gateway());
        assertEquals("10.47.255.253", c.network(POD_NET).dns());
        assertEquals("100.0.0.1", c.network(RED).gateway());
        assertEquals("2.0.0.254", c.network(BLUE).gateway());
        assertEquals(POD_NET + ":k8s-default-pod-network", c.network(POD_NET).routingInstance());
        assertTrue(pods.get(0).name().startsWith("ubuntu-pod-1-"), pods.get(0).name());
        assertEquals(List.of("node-1", "node-2", "node-1", "node-2", "node-1"),
            pods.stream().map(Cluster.Pod::node).toList(), "round robin over the registered nodes");
        assertEquals(List.of(16, 16, 17, 17, 18), pods.stream().map(Cluster.Pod::label).toList(),
            "labels per node from 16");
    }

    @Test
    void policyConnectsNetworksAndDeletingItDisconnects() throws IOException
    {
        final Cluster c = seedCluster();
        assertEquals(List.of(), List.copyOf(c.connected(RED)));
        c.apply(seed("policy-red-blue.yaml"), "default");
        assertEquals(List.of(BLUE), List.copyOf(c.connected(RED)));
        assertEquals(List.of(RED), List.copyOf(c.connected(BLUE)));
        assertEquals("pass", c.policies().get(0).rules().get(0).action());
        assertEquals(RED, c.policies().get(0).rules().get(0).source());
        c.delete(seed("policy-red-blue.yaml"), "default");
        assertEquals(List.of(), List.copyOf(c.connected(RED)));
    }

    @Test
    void aLogicalRouterConnectsItsNetworksSurvivesARestartAndHoldsThem() throws IOException
    {
        final Cluster c = seedCluster();
        c.apply(seed("logical-router-red-blue.yaml"), "default");
        assertEquals(List.of(BLUE), List.copyOf(c.connected(RED)));
        assertEquals(List.of(RED), List.copyOf(c.connected(BLUE)));
        assertEquals(List.of(), List.copyOf(c.connected(POD_NET)));
        final Cluster restarted = Cluster.fromYaml(c.toYaml());
        assertEquals(c.logicalRouters(), restarted.logicalRouters(), "saved with the state");
        restarted.delete(seed("pod-ubuntuapp-red.yaml"), "default");
        final IllegalArgumentException inUse = assertThrows(IllegalArgumentException.class,
            () -> restarted.delete(Resource.parseAll("""
                apiVersion: vrouter.io/v1
                kind: VirtualNetwork
                metadata: {name: RED}
                spec: {cidr: 100.0.0.0/24}
                """, "t"), "default"));
        assertTrue(inUse.getMessage().contains("logical router"), inUse.getMessage());
        final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
            () -> restarted.apply(Resource.parseAll("""
                apiVersion: vrouter.io/v1
                kind: LogicalRouter
                metadata: {name: r2}
                spec: {networks: [RED, RED]}
                """, "t"), "default"));
        assertTrue(twice.getMessage().contains("named twice"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> restarted.apply(Resource.parseAll("""
            apiVersion: vrouter.io/v1
            kind: LogicalRouter
            metadata: {name: r3}
            spec: {networks: [nowhere]}
            """, "t"), "default"));
        restarted.delete(seed("logical-router-red-blue.yaml"), "default");
        assertTrue(restarted.connected(RED).isEmpty(), "detached");
        assertTrue(restarted.logicalRouters().isEmpty());
    }

    @Test
    void aBadDocumentChangesNothing() throws IOException
    {
        final Cluster c = seedCluster();
        final String before = c.toYaml();
        final String manifest = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: fine
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: broken
              annotations:
                opencontrail.org/network: '{"project": "k8s-default", "name":"NOPE"}'
            """;
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> c.apply(Resource.parseAll(manifest, "test"), "default"));
        assertTrue(e.getMessage().contains("pod/broken") && e.getMessage().contains("unknown network"), e.getMessage());
        assertEquals(before, c.toYaml());
        assertNull(c.pod("default", "fine"));

        assertThrows(IllegalArgumentException.class, () -> c.delete(seed("vn-red.yaml"), "default"),
            "RED is in use by ubuntuapp");
        assertEquals(before, c.toYaml());
        for (final String bad : new String[] {"kind: Pod", "- a\n- b", "kind: Frob\nmetadata: {name: x}",
            "kind: VirtualNetwork\nmetadata: {name: x}\nspec: {cidr: 10.0.0.1/24}", "{{{"})
        {
            assertThrows(IllegalArgumentException.class, () -> c.apply(Resource.parseAll(bad, "bad"), "default"), bad);
        }
        assertEquals(before, c.toYaml());
    }

    /** Issue 15: an annotation value the controller does not know and a network inside a cluster pool are refused. */
    @Test
    void refusesUnknownIsolationValuesAndNetworksInsideTheClusterPools() throws IOException
    {
        final Cluster c = seedCluster();
        final String before = c.toYaml();
        final Map<String, String> cases = Map.of(
            "kind: Namespace\nmetadata: {name: ns-maybe, annotations: {opencontrail.org/isolation: maybe}}",
            "annotation opencontrail.org/isolation must be \"true\" or \"false\", got 'maybe'",
            "apiVersion: vrouter.io/v1\nkind: VirtualNetwork\nmetadata: {name: INSIDE}\nspec: {cidr: 10.40.0.0/16}",
            "10.40.0.0/16 overlaps the cluster pod pool 10.32.0.0/12",
            "apiVersion: vrouter.io/v1\nkind: VirtualNetwork\nmetadata: {name: WIDE}\nspec: {cidr: 10.0.0.0/8}",
            "10.0.0.0/8 overlaps the cluster pod pool 10.32.0.0/12",
            "apiVersion: vrouter.io/v1\nkind: VirtualNetwork\nmetadata: {name: SVC}\nspec: {cidr: 10.100.0.0/24}",
            "10.100.0.0/24 overlaps the cluster service pool 10.96.0.0/12");
        for (final Map.Entry<String, String> e : cases.entrySet())
        {
            final IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> c.apply(Resource.parseAll(e.getKey(), "test"), "default"), e.getKey());
            assertTrue(x.getMessage().contains(e.getValue()), e.getValue() + " <- " + x.getMessage());
        }
        assertEquals(before, c.toYaml(), "nothing was applied");
        c.apply(Resource.parseAll("kind: Namespace\nmetadata: {name: ns-no, annotations: "
            + "{opencontrail.org/isolation: \"False\"}}", "test"), "default");
    }

    /** Issue 14 item 5: a saved state is checked as strictly as a manifest, with the field and reason. */
    @Test
    void aCorruptStateIsRefusedNamingTheFieldAndTheReason() throws IOException
    {
        final String good = seedCluster().toYaml();
        final Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(good.replace("cidr: 10.32.0.0/12", "cidr: 999.0.0.0/99"), "networks[0].cidr:");
        cases.put(good.replaceFirst("id: 1\\b", "id: 2"), "id: network id 2 used twice");
        cases.put(good.replaceFirst("kind: pod", "kind: tunnel"), "networks[0].kind: must be pod");
        cases.put(good.replaceFirst("ip: 10\\.47\\.255\\.250", "ip: 10.47.255.300"), ".ip:");
        cases.put(good.replaceFirst("ip: 10\\.47\\.255\\.250", "ip: 192.168.1.1"), "is outside its network");
        cases.put(good.replaceFirst("mac: ('?)02:", "mac: $1zz:"), ".mac: 'zz:");
        cases.put(good.replaceFirst("label: 16", "label: 9999999"), ".label: 9999999 is outside 16..1048575");
        cases.put(good.replaceFirst("node: node-1", "node: node-9"), ".node: no node node-9");
        cases.put(good.replaceFirst("nextNetworkId: \\d+", "nextNetworkId: many"),
            "nextNetworkId: expected an integer");
        cases.put(good.substring(0, good.length() / 2), "");
        cases.put("just text", "(top level): expected a mapping");
        cases.put("{", "not YAML");
        for (final Map.Entry<String, String> e : cases.entrySet())
        {
            final IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> Cluster.fromYaml(e.getKey()), e.getValue());
            assertTrue(x.getMessage().contains(e.getValue()), e.getValue() + " <- " + x.getMessage());
        }
        final java.util.Random random = new java.util.Random(14);
        for (int i = 0; i < 200; i++)
        {
            final byte[] bytes = good.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int k = 0; k < 1 + random.nextInt(8); k++)
            {
                bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
            }
            final String text = new String(bytes, 0, random.nextInt(bytes.length + 1),
                java.nio.charset.StandardCharsets.ISO_8859_1);
            try
            {
                Cluster.fromYaml(text).toYaml();
            }
            catch (final IllegalArgumentException expected)
            {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), text);
            }
        }
        final Path file = Files.createTempFile("state", ".yaml");
        try
        {
            Files.write(file, new byte[] {'a', ':', ' ', (byte)0xC3, (byte)0x28});
            final IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> ControllerMain.loadState(file));
            assertTrue(x.getMessage().contains("not UTF-8"), x.getMessage());
        }
        finally
        {
            Files.delete(file);
        }
    }

    @Test
    void stateSurvivesARestartAndDeleteReleasesAddresses() throws IOException
    {
        final Cluster c = Cluster.fromYaml(seedCluster().toYaml());
        assertEquals("10.47.255.250", c.pods().get(2).ip());
        c.delete(seed("deployment-ubuntu-pod-1.yaml"), "ns-non-isolated");
        c.apply(seed("deployment-ubuntu-pod-1.yaml"), "ns-non-isolated");
        assertEquals("10.47.255.251", c.pods().get(c.pods().size() - 1).ip(), "the released address is reused");
        c.delete(seed("ns-isolated.yaml"), "default");
        assertNull(c.network("default-domain:k8s-ns-isolated:k8s-ns-isolated-pod-network"));
    }

    @Test
    void podsWaitForANodeAndHonourNodeName()
    {
        final Cluster c = new Cluster();
        c.apply(Resource.parseAll("kind: Pod\nmetadata: {name: a}\nspec: {nodeName: node-2}\n---\n" +
            "kind: Pod\nmetadata: {name: b}\n", "t"), "default");
        assertEquals("", c.pod("default", "a").node());
        c.addNode("node-1");
        assertEquals("", c.pod("default", "a").node());
        assertEquals("node-1", c.pod("default", "b").node());
        c.addNode("node-2");
        assertEquals("node-2", c.pod("default", "a").node());
        assertEquals(16, c.pod("default", "a").label());
    }

    @Test
    void manyServicesGetDistinctAddressesAndAFreedOneIsHandedOutFirst()
    {
        // 20,000 services in manifests of 5,000: the address search starts where the last one ended (it scanned
        // from the network's first address each time, quadratic); what it hands out stays the lowest free.
        final Cluster c = new Cluster();
        c.addNode("node-1");
        final int count = 20_000;
        final int perManifest = 5_000;
        for (int from = 0; from < count; from += perManifest)
        {
            final StringBuilder m = new StringBuilder();
            for (int i = from; i < from + perManifest; i++)
            {
                m.append("kind: Service\nmetadata: {name: s").append(i).append("}\nspec: {selector: {app: x}, ")
                    .append("ports: [{port: 80}]}\n---\n");
            }
            c.apply(Resource.parseAll(m.toString(), "many"), "default");
        }
        final Set<String> addresses = new java.util.HashSet<>();
        for (final Cluster.Service s : c.services())
        {
            assertTrue(addresses.add(s.clusterIp()), "a second " + s.clusterIp());
        }
        assertEquals(count, addresses.size());
        final String freed = c.services().get(count / 2).clusterIp();
        c.delete(Resource.parseAll("kind: Service\nmetadata: {name: s" + (count / 2) + "}\n", "one"), "default");
        c.apply(Resource.parseAll("kind: Service\nmetadata: {name: again}\nspec: {selector: {app: x}, ports: "
            + "[{port: 80}]}\n", "again"), "default");
        assertEquals(freed, c.services().stream().filter(s -> s.name().equals("again")).findFirst().orElseThrow()
            .clusterIp(), "the freed address is the first free one again");
    }

    @Test
    void aServiceGetsAClusterIpFromItsNamespacesServiceNetworkKeepsItAndSelectsItsBackendsByLabel() throws IOException
    {
        final Cluster c = new Cluster();
        c.addNode("node-1");
        c.addNode("node-2");
        c.apply(seed("deployment-echo.yaml"), "default");
        c.apply(seed("ns-isolated.yaml"), "default");
        c.apply(seed("deployment-ubuntu-pod-1.yaml"), "ns-isolated");
        c.apply(seed("service-echo.yaml"), "default");
        final Cluster.Service echo = c.services().get(0);
        assertEquals("default-domain:k8s-default:k8s-default-service-network", echo.network());
        assertTrue(Ipv4Cidr.parse("10.96.0.0/12").contains(Ipv4Cidr.parseAddress(echo.clusterIp())), echo.clusterIp());
        assertEquals(List.of(new Cluster.ServicePort("http", "TCP", 80, 8080),
            new Cluster.ServicePort("dns", "UDP", 53, 5353)), echo.ports());
        assertEquals(3, c.endpoints(echo).size(), "the three echo pods, not the isolated namespace's");
        assertEquals("default-domain:k8s-default:k8s-default-service-network",
            c.servicePair("default-domain:k8s-default:k8s-default-pod-network"), "pod and service networks joined");
        assertTrue(c.connected("default-domain:k8s-default:k8s-default-service-network")
            .contains("default-domain:k8s-default:k8s-default-pod-network"));

        final String isolated = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: ubuntu-pod-1}
              ports: [{port: 80}]
            """;
        c.apply(Resource.parseAll(isolated, "web"), "ns-isolated");
        final Cluster.Service web = c.services().get(1);
        assertEquals("default-domain:k8s-ns-isolated:k8s-ns-isolated-service-network", web.network());
        assertEquals(80, web.ports().get(0).targetPort(), "targetPort defaults to port");
        assertTrue(!web.clusterIp().equals(echo.clusterIp()), "one pool: distinct addresses");
        assertEquals(1, c.endpoints(web).size());

        // Applied again: the same address; saved and read back: the same services.
        assertEquals(List.of("service/echo configured"), c.apply(seed("service-echo.yaml"), "default"));
        assertEquals(echo, c.services().get(0));
        final Cluster back = Cluster.fromYaml(c.toYaml());
        assertEquals(c.services(), back.services());
        assertEquals(c.pods(), back.pods(), "pods' labels saved");

        // Refusals, whole or nothing.
        for (final String bad : List.of("selector: {}\n  ports: [{port: 80}]",
            "selector: {app: x}\n  ports: []",
            "selector: {app: x}\n  ports: [{port: 0}]",
            "selector: {app: x}\n  ports: [{port: 80, targetPort: http}]",
            "selector: {app: x}\n  ports: [{port: 80, protocol: SCTP}]",
            "selector: {app: x}\n  ports: [{port: 80}, {port: 80}]",
            "selector: {app: x}\n  ports: [{port: 80}]\n  type: NodePort",
            "selector: {app: x}\n  ports: [{port: 80}]\n  clusterIP: 10.96.0.1"))
        {
            final List<Resource> r = Resource.parseAll("apiVersion: v1\nkind: Service\nmetadata: {name: bad}\nspec:\n  "
                + bad + "\n", "bad");
            assertThrows(IllegalArgumentException.class, () -> c.apply(r, "default"), bad);
        }
        assertEquals(2, c.services().size());

        // Deleting it frees its address: the next service gets it again.
        c.delete(seed("service-echo.yaml"), "default");
        assertEquals(1, c.services().size());
        c.apply(seed("service-echo.yaml"), "default");
        assertEquals(echo.clusterIp(), c.services().get(1).clusterIp());
    }
}
