package io.vrouter.tools.controller;

import io.vrouter.tools.testing.EtcdCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicated controllers on a real etcd ({@link EtcdCluster}: members started by the test on loopback): each
 * replica is a {@link Controller} on an {@link EtcdClusterStore} with its own admin endpoint, driven over HTTP as
 * {@code vrouter-controller apply/get} drive it. Two replicas see each other's applies; applies racing on two
 * replicas never hand out the same address or label; one etcd member of three killed keeps them serving; a
 * replica cut off from etcd refuses changes with a clear error, keeps its last model, and catches up once etcd
 * is back.
 */
class EtcdReplicaTest
{
    private static final long TIMEOUT_MILLIS = 5_000;

    /** A controller replica: store, controller, admin endpoint. */
    private record Replica(EtcdClusterStore store, Controller controller, AdminApi admin) implements AutoCloseable
    {
        static Replica start(final List<String> etcd, final Cluster seed) throws IOException
        {
            final EtcdClusterStore store = EtcdClusterStore.open(etcd, seed, TIMEOUT_MILLIS);
            final Controller controller = new Controller(store, 0);
            return new Replica(store, controller, new AdminApi(controller, new InetSocketAddress("127.0.0.1", 0)));
        }

        String api()
        {
            return "127.0.0.1:" + admin.address().getPort();
        }

        @Override
        public void close()
        {
            admin.close();
            store.close();
        }
    }

    @BeforeAll
    static void etcdPresent()
    {
        EtcdCluster.assumeAvailable("EtcdReplicaTest");
    }

    private static HttpResponse<String> post(final Replica r, final String verb, final String yaml) throws Exception
    {
        return ControllerMain.send(r.api(), HttpRequest.newBuilder(ControllerMain.uri(r.api(), "/" + verb +
            "?namespace=default")).POST(HttpRequest.BodyPublishers.ofString(yaml)).build());
    }

    private static HttpResponse<String> get(final Replica r, final String what) throws Exception
    {
        return ControllerMain.send(r.api(), HttpRequest.newBuilder(ControllerMain.uri(r.api(), "/" + what)).GET()
            .build());
    }

    private static String pods(final String prefix, final int count)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            out.append("apiVersion: v1\nkind: Pod\nmetadata:\n  name: ").append(prefix).append(i)
                .append("\nspec:\n  containers:\n    - name: c\n      image: busybox\n---\n");
        }
        return out.toString();
    }

    private static Cluster seedWithNodes()
    {
        final Cluster seed = new Cluster();
        seed.addNode("node-a");
        seed.addNode("node-b");
        return seed;
    }

    @Test
    void twoReplicasSeeEachOthersAppliesAndDeletes() throws Exception
    {
        try (EtcdCluster etcd = EtcdCluster.start(1);
            Replica a = Replica.start(etcd.clientUrls(), seedWithNodes());
            Replica b = Replica.start(etcd.clientUrls(), new Cluster()))
        {
            assertEquals(List.of("node-a", "node-b"), b.controller().snapshot().nodes(),
                "the second replica found the cluster the first created, not its own seed");
            final HttpResponse<String> applied = post(a, "apply", pods("web-", 2));
            assertEquals(200, applied.statusCode(), applied.body());
            assertEquals("pod/web-0 created\npod/web-1 created\n", applied.body());

            // Read-your-writes on the other replica: get syncs with etcd before it answers.
            final HttpResponse<String> seen = get(b, "pods");
            assertEquals(200, seen.statusCode());
            assertTrue(seen.body().contains("web-0") && seen.body().contains("web-1"), seen.body());
            final Cluster.Pod onA = a.controller().snapshot().pod("default", "web-0");
            final Cluster.Pod onB = b.controller().snapshot().pod("default", "web-0");
            assertEquals(onA, onB, "both replicas hold the same pod: address, MAC, node, label");
            assertTrue(seen.body().contains(onA.ip()), seen.body());

            final HttpResponse<String> again = post(b, "apply", pods("web-", 1));
            assertEquals("pod/web-0 unchanged\n", again.body(), "the other replica knows the pod exists");

            final HttpResponse<String> deleted = post(b, "delete", pods("web-", 1));
            assertEquals(200, deleted.statusCode(), deleted.body());
            final HttpResponse<String> afterDelete = get(a, "pods");
            assertTrue(!afterDelete.body().contains("web-0 ") && afterDelete.body().contains("web-1"),
                afterDelete.body());

            // A bad manifest on one replica changes nothing anywhere.
            final HttpResponse<String> bad = post(a, "apply", pods("ok-", 1) + "apiVersion: v1\nkind: Pod\n" +
                "metadata:\n  name: BAD_NAME\nspec:\n  containers: []\n");
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(!get(b, "pods").body().contains("ok-0"), "half of a refused apply reached etcd");

            // A replica started later reads everything from etcd.
            try (Replica c = Replica.start(etcd.clientUrls(), new Cluster()))
            {
                assertEquals(b.controller().snapshot().toYaml(), c.controller().snapshot().toYaml());
            }
        }
    }

    @Test
    void aNodeOnOneReplicaGetsTheConfigurationAppliedOnTheOther() throws Exception
    {
        final Cluster seed = new Cluster();
        seed.addNode("node-1");
        final ControlPlaneTest.Node n1 = new ControlPlaneTest.Node("node-1", "192.168.1.11");
        try (EtcdCluster etcd = EtcdCluster.start(1);
            Replica a = Replica.start(etcd.clientUrls(), seed);
            Replica b = Replica.start(etcd.clientUrls(), new Cluster()))
        {
            // The node is registered already (the seed), so its session changes nothing in etcd: every push to
            // it below comes from b's watch, which the test waits for (b's monitor) before pumping the pipe.
            n1.connect(b.controller());
            ControlPlaneTest.settle(n1);
            assertTrue(n1.namespaces.isEmpty());

            assertEquals(200, post(a, "apply", pods("web-", 1)).statusCode());
            awaitModel(b, m -> m.pod("default", "web-0") != null);
            ControlPlaneTest.settle(n1);
            assertEquals(1, n1.namespaces.size(), "node-1 (on b) made the namespace of the pod applied on a");
            assertTrue(n1.agent.vrfOf(ControlPlaneTest.POD_RI) >= 0, "and holds the pod network's VRF");

            assertEquals(200, post(a, "delete", pods("web-", 1)).statusCode());
            awaitModel(b, m -> m.pod("default", "web-0") == null);
            ControlPlaneTest.settle(n1);
            assertTrue(n1.namespaces.isEmpty(), "the delete on a reached node-1 through b: " + n1.namespaces);
        }
        finally
        {
            if (n1.pipe != null)
            {
                n1.disconnect();
            }
        }
    }

    private static void awaitModel(final Replica r, final java.util.function.Predicate<Cluster> done)
        throws InterruptedException
    {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.test(r.controller().snapshot()))
        {
            assertTrue(System.nanoTime() - until < 0, "the replica's watch did not bring the change in 10 s");
            Thread.sleep(20);
        }
    }

    @Test
    void appliesRacingOnTwoReplicasNeverShareAnAddressOrALabel() throws Exception
    {
        final int rounds = "full".equals(System.getProperty("vrouter.sweep")) ? 20 : 6;
        final int perApply = 50;
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        try (EtcdCluster etcd = EtcdCluster.start(1);
            Replica a = Replica.start(etcd.clientUrls(), seedWithNodes());
            Replica b = Replica.start(etcd.clientUrls(), seedWithNodes()))
        {
            for (int round = 0; round < rounds; round++)
            {
                final String ra = pods("a" + round + "-", perApply);
                final String rb = pods("b" + round + "-", perApply);
                final Callable<HttpResponse<String>> onA = () -> post(a, "apply", ra);
                final Callable<HttpResponse<String>> onB = () -> post(b, "apply", rb);
                final Future<HttpResponse<String>> fa = pool.submit(onA);
                final Future<HttpResponse<String>> fb = pool.submit(onB);
                final HttpResponse<String> ansA = fa.get(60, TimeUnit.SECONDS);
                final HttpResponse<String> ansB = fb.get(60, TimeUnit.SECONDS);
                assertEquals(200, ansA.statusCode(), ansA.body());
                assertEquals(200, ansB.statusCode(), ansB.body());
                if (round % 2 == 1)
                {
                    // Free some addresses and labels so the next round's race is also over reused ones.
                    final HttpResponse<String> del = post(round % 4 == 1 ? a : b, "delete", pods("a" + round + "-",
                        perApply / 2));
                    assertEquals(200, del.statusCode(), del.body());
                }
            }
            System.out.println("EtcdReplicaTest: " + rounds + " rounds of two racing applies of " + perApply +
                " pods: " + (a.store().conflicts() + b.store().conflicts()) + " commits lost the race and were " +
                "computed again");
            assertNull(a.controller().sync());
            assertNull(b.controller().sync());
            final Cluster model = a.controller().snapshot();
            assertEquals(model.toYaml(), b.controller().snapshot().toYaml(), "the replicas hold different models");
            // Each replica changed its model object by object (its own commits and the other's watch events): a
            // model read whole from the keys is the same, in the same order.
            try (EtcdClusterStore fresh = EtcdClusterStore.open(etcd.clientUrls(), new Cluster(), TIMEOUT_MILLIS))
            {
                final Cluster[] read = new Cluster[1];
                fresh.start((m, v) -> read[0] = m);
                assertEquals(model.toYaml(), read[0].toYaml(), "a replica's model differs from the keys read whole");
            }
            final Set<String> addresses = new HashSet<>();
            final Map<String, String> labels = new HashMap<>();
            int count = 0;
            for (final Cluster.Pod p : model.pods())
            {
                count++;
                assertTrue(addresses.add(p.ip()), "address " + p.ip() + " given twice, again to " + p.key());
                assertNotNull(p.node());
                final String previous = labels.put(p.node() + "/" + p.label(), p.key());
                assertNull(previous, "label " + p.label() + " on " + p.node() + " given to " + previous + " and " +
                    p.key());
            }
            final int deleted = (rounds / 2) * (perApply / 2);
            assertEquals(2 * rounds * perApply - deleted, count, "every racing apply took effect whole");
            // And a model read afresh from etcd is the same (the replicas' views are not ahead of etcd).
            try (Replica c = Replica.start(etcd.clientUrls(), new Cluster()))
            {
                assertEquals(model.toYaml(), c.controller().snapshot().toYaml());
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @Test
    void oneEtcdMemberOfThreeKilledKeepsTheReplicasServing() throws Exception
    {
        try (EtcdCluster etcd = EtcdCluster.start(3);
            Replica a = Replica.start(etcd.clientUrls(), seedWithNodes());
            Replica b = Replica.start(List.of(etcd.clientUrl(2), etcd.clientUrl(1), etcd.clientUrl(0)),
                new Cluster()))
        {
            assertEquals(200, post(a, "apply", pods("before-", 3)).statusCode());
            for (int victim = 0; victim < 3; victim++)
            {
                etcd.kill(victim);
                final HttpResponse<String> onA = post(a, "apply", pods("a-without-m" + victim + "-", 2));
                assertEquals(200, onA.statusCode(), "with member " + victim + " down: " + onA.body());
                final HttpResponse<String> onB = post(b, "apply", pods("b-without-m" + victim + "-", 2));
                assertEquals(200, onB.statusCode(), "with member " + victim + " down: " + onB.body());
                final HttpResponse<String> seen = get(a, "pods");
                assertTrue(seen.body().contains("b-without-m" + victim + "-1"), seen.body());
                assertTrue(seen.headers().firstValue("Warning").isEmpty(), seen.headers().toString());
                etcd.restart(victim);
            }
            assertEquals(a.controller().snapshot().toYaml(), b.controller().snapshot().toYaml());
        }
    }

    @Test
    void aReplicaCutOffFromEtcdRefusesChangesKeepsItsModelAndCatchesUpWhenEtcdReturns() throws Exception
    {
        try (EtcdCluster etcd = EtcdCluster.start(3);
            Replica healthy = Replica.start(List.of(etcd.clientUrl(0), etcd.clientUrl(1)), seedWithNodes());
            Replica cutOff = Replica.start(List.of(etcd.clientUrl(2)), new Cluster()))
        {
            assertEquals(200, post(healthy, "apply", pods("p-", 2)).statusCode());
            assertTrue(get(cutOff, "pods").body().contains("p-1"));

            // The only member the cut-off replica knows stops answering (its socket still accepts).
            etcd.freeze(2);
            final long t0 = System.nanoTime();
            final HttpResponse<String> refused = post(cutOff, "apply", pods("q-", 1));
            final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().startsWith("error: configuration change refused: etcd [" + etcd.clientUrl(2) +
                "] unreachable"), refused.body());
            assertTrue(tookMillis < 3 * TIMEOUT_MILLIS, "took " + tookMillis + " ms");
            final HttpResponse<String> refusedDelete = post(cutOff, "delete", pods("p-", 1));
            assertEquals(503, refusedDelete.statusCode(), refusedDelete.body());

            // The rest of the cluster goes on; the cut-off replica still shows its last known model, marked so.
            assertEquals(200, post(healthy, "apply", pods("r-", 1)).statusCode());
            assertEquals(200, post(healthy, "delete", pods("p-", 1)).statusCode());
            final HttpResponse<String> stale = get(cutOff, "pods");
            assertEquals(200, stale.statusCode());
            assertTrue(stale.body().contains("p-0") && !stale.body().contains("r-0"), stale.body());
            assertTrue(stale.headers().firstValue("Warning").orElse("").contains("unreachable"),
                stale.headers().toString());
            assertTrue(!cutOff.store().reachable());

            // Back: the replica reads etcd afresh and serves changes again.
            etcd.thaw(2);
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!cutOff.store().reachable() && System.nanoTime() - until < 0)
            {
                Thread.sleep(100);
            }
            assertTrue(cutOff.store().reachable(), "the replica did not see etcd return:\n" + etcd.logTail(2));
            final HttpResponse<String> caughtUp = get(cutOff, "pods");
            assertTrue(caughtUp.body().contains("r-0") && !caughtUp.body().contains("p-0 "), caughtUp.body());
            assertTrue(caughtUp.headers().firstValue("Warning").isEmpty());
            final HttpResponse<String> accepted = post(cutOff, "apply", pods("q-", 1));
            assertEquals(200, accepted.statusCode(), accepted.body());
            assertTrue(get(healthy, "pods").body().contains("q-0"));
            assertEquals(healthy.controller().snapshot().toYaml(), cutOff.controller().snapshot().toYaml());
        }
    }
}
