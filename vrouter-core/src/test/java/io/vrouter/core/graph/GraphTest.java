package io.vrouter.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.vrouter.core.table.Tables;
import io.vrouter.core.table.VRouterConfig;
import io.vrouter.core.forward.FlowHook;
import io.vrouter.core.forward.Forwarder;
import io.vrouter.core.nh.NextHopType;
import io.vrouter.core.nh.kind.NextHopKind;
import io.vrouter.core.nh.kind.NextHopKinds;
import io.vrouter.core.status.ForwardingCounters;

/**
 * The graph moves every slot from node to node until it leaves, whatever order the nodes send slots in
 * (forward, back to an earlier node, to themselves), and the forwarder's graph is complete and named.
 */
class GraphTest
{
    /** A node that records what it saw and sends each slot where a routing function says. */
    private static final class Recorder extends Node
    {
        private final Graph graph;
        private final List<String> seen;
        private final int[] visits;
        private final java.util.function.IntBinaryOperator route;

        Recorder(final int id, final Graph graph, final List<String> seen, final int[] visits,
            final java.util.function.IntBinaryOperator route)
        {
            super(id, "node-" + id);
            this.graph = graph;
            this.seen = seen;
            this.visits = visits;
            this.route = route;
        }

        @Override
        public void process(final PacketBatch batch, final int[] slots, final int count)
        {
            for (int i = 0; i < count; i++)
            {
                final int slot = slots[i];
                seen.add(name() + ":" + slot);
                visits[slot]++;
                final int next = route.applyAsInt(slot, visits[slot]);
                if (next >= 0)
                {
                    graph.enqueue(batch, slot, next);
                }
                else
                {
                    batch.next(slot, PacketBatch.DONE);
                }
            }
        }
    }

    @Test
    void shouldTakeEverySlotThroughItsNodesIncludingBackEdgesAndSelfLoops()
    {
        final PacketBatch batch = new PacketBatch(8, 64);
        final Graph graph = new Graph(3, batch.slots());
        final List<String> seen = new ArrayList<>();
        final int[] visits = new int[batch.slots()];
        // node 0: even slots to node 2, odd slots to node 1; node 1: back to node 0 once, then to itself
        // until the slot has been seen five times, then out; node 2: out.
        graph.add(new Recorder(0, graph, seen, visits, (slot, n) -> slot % 2 == 0 ? 2 : 1));
        graph.add(new Recorder(1, graph, seen, visits, (slot, n) -> n == 2 ? 0 : n < 5 ? 1 : -1));
        graph.add(new Recorder(2, graph, seen, visits, (slot, n) -> -1));
        graph.checkComplete();
        for (int slot = 0; slot < 4; slot++)
        {
            graph.inject(batch, slot, 0);
        }
        graph.run(batch);
        assertEquals(2, visits[0]);
        assertEquals(2, visits[2]);
        assertEquals(5, visits[1]);
        assertEquals(5, visits[3]);
        // Nodes run in index order and take their whole queue at once: the first pass sees both odd
        // slots in node 1 together, after node 0 has seen all four.
        assertEquals(List.of("node-0:0", "node-0:1", "node-0:2", "node-0:3", "node-1:1", "node-1:3",
            "node-2:0", "node-2:2", "node-0:1", "node-0:3", "node-1:1", "node-1:3"), seen.subList(0, 12));
        for (int slot = 0; slot < 4; slot++)
        {
            assertEquals(PacketBatch.DONE, batch.next(slot));
        }
        // The graph is empty again: a second run does nothing.
        seen.clear();
        graph.run(batch);
        assertTrue(seen.isEmpty());
    }

    @Test
    void shouldGrowItsQueuesForABatchWithMoreSlots()
    {
        final PacketBatch small = new PacketBatch(2, 64);
        final PacketBatch big = new PacketBatch(64, 64);
        final Graph graph = new Graph(1, small.slots());
        final List<String> seen = new ArrayList<>();
        graph.add(new Recorder(0, graph, seen, new int[big.slots()], (slot, n) -> -1));
        graph.ensureCapacity(big.slots());
        for (int slot = 0; slot < big.slots(); slot++)
        {
            graph.inject(big, slot, 0);
        }
        graph.run(big);
        assertEquals(big.slots(), seen.size());
    }

    @Test
    void shouldRunAWholeBatchFromItsEntryNode()
    {
        final PacketBatch batch = new PacketBatch(8, 64);
        final Graph graph = new Graph(2, batch.slots());
        final List<String> seen = new ArrayList<>();
        graph.add(new Recorder(0, graph, seen, new int[batch.slots()], (slot, n) -> slot == 2 ? -1 : 1));
        graph.add(new Recorder(1, graph, seen, new int[batch.slots()], (slot, n) -> -1));
        graph.run(batch, 0, 3);
        assertEquals(List.of("node-0:0", "node-0:1", "node-0:2", "node-1:0", "node-1:1"), seen);
    }

    @Test
    void shouldMoveWholeVectorsOnInOrderAndJoinAQueueThatAlreadyHoldsSlots()
    {
        final PacketBatch batch = new PacketBatch(8, 64);
        final Graph graph = new Graph(4, batch.slots());
        final List<String> seen = new ArrayList<>();
        final int[] visits = new int[batch.slots()];
        // node 0 sends its whole vector to node 1 (the shortcut: the vector moves on whole), node 1 puts
        // slot 6 into node 2's queue first and then sends its whole vector there too (a queue that already
        // holds a slot: the slots are appended after it), node 2 sends all to node 3, which ends them.
        graph.add(new Recorder(0, graph, seen, visits, (slot, n) -> 1));
        graph.add(new Node(1, "node-1")
        {
            @Override
            public void process(final PacketBatch b, final int[] slots, final int count)
            {
                graph.inject(b, 6, 2);
                for (int i = 0; i < count; i++)
                {
                    seen.add(name() + ":" + slots[i]);
                    graph.enqueue(b, slots[i], 2);
                }
            }
        });
        graph.add(new Recorder(2, graph, seen, visits, (slot, n) -> 3));
        graph.add(new Recorder(3, graph, seen, visits, (slot, n) -> -1));
        for (int round = 0; round < 2; round++)
        {
            seen.clear();
            graph.run(batch, 0, 4);
            assertEquals(List.of("node-0:0", "node-0:1", "node-0:2", "node-0:3",
                "node-1:0", "node-1:1", "node-1:2", "node-1:3",
                "node-2:6", "node-2:0", "node-2:1", "node-2:2", "node-2:3",
                "node-3:6", "node-3:0", "node-3:1", "node-3:2", "node-3:3"), seen, "round " + round);
        }
    }

    @Test
    void shouldHandASlotANodeForgetsToTheLeakHandlerInsteadOfLoopingForever()
    {
        final PacketBatch batch = new PacketBatch(4, 64);
        final Graph graph = new Graph(2, batch.slots());
        final List<String> seen = new ArrayList<>();
        final List<Integer> leaked = new ArrayList<>();
        graph.add(new Recorder(0, graph, seen, new int[batch.slots()], (slot, n) -> 1));
        // Node 1 forgets slot 1: neither sends it on nor ends it.
        graph.add(new Node(1, "forgetful")
        {
            @Override
            public void process(final PacketBatch b, final int[] slots, final int count)
            {
                for (int i = 0; i < count; i++)
                {
                    seen.add(name() + ":" + slots[i]);
                    if (slots[i] != 1)
                    {
                        b.next(slots[i], PacketBatch.DONE);
                    }
                }
            }
        });
        graph.leakHandler((b, slot) -> leaked.add(slot));
        graph.run(batch, 0, 2);
        assertEquals(List.of(1), leaked);
        assertEquals(Graph.MAX_PASSES, seen.stream().filter("forgetful:1"::equals).count());
        assertEquals(PacketBatch.DONE, batch.next(1));
        seen.clear();
        graph.run(batch);
        assertTrue(seen.isEmpty(), "the graph is empty after the leak: " + seen);
    }

    @Test
    void shouldRefuseTwoNodesAtOneIndexAndNameAMissingOne()
    {
        final Graph graph = new Graph(2, 4);
        graph.add(new Recorder(0, graph, new ArrayList<>(), new int[4], (slot, n) -> -1));
        assertThrows(IllegalStateException.class,
            () -> graph.add(new Recorder(0, graph, new ArrayList<>(), new int[4], (slot, n) -> -1)));
        final IllegalStateException missing = assertThrows(IllegalStateException.class, graph::checkComplete);
        assertTrue(missing.getMessage().contains("index 1"), missing.getMessage());
    }

    @Test
    void shouldAssembleTheForwardersGraphWithEveryNodeNamedOnce()
    {
        final VRouterConfig config = VRouterConfig.defaults();
        final Tables tables = Tables.create(config);
        final Forwarder forwarder = new Forwarder(tables, new ForwardingCounters(config.interfaces(), config.vrfs()),
            FlowHook.NONE, 0, 1);
        final Graph graph = forwarder.graph();
        assertEquals(NextHopKinds.NODE_COUNT, graph.size());
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < graph.size(); i++)
        {
            final Node node = graph.node(i);
            assertEquals(i, node.id());
            assertTrue(node.name().matches("[a-z0-9]+(-[a-z0-9]+)*"), node.name());
            assertTrue(names.add(node.name()), "two nodes named " + node.name());
            if (i < NodeIds.FIRST_KIND_NODE)
            {
                assertEquals(NodeIds.fixedName(i), node.name());
            }
        }
    }

    @Test
    void shouldResolveEveryProgrammableNextHopTypeToNodesOfTheGraph()
    {
        for (int type = NextHopType.RECEIVE; type < NextHopType.MAX; type++)
        {
            final NextHopKind kind = NextHopKinds.of(type);
            assertNotNull(kind, "no kind for next-hop type " + type);
            assertEquals(type, kind.type());
            assertEquals(NextHopType.name(type), kind.name());
            for (final int flags : new int[] {0, 0x8, 0x10, 0x40, 0x80})
            {
                assertInGraph(kind.l3Node(flags));
                assertInGraph(kind.l2Node(flags));
                final int mirror = kind.mirrorNode(flags);
                assertTrue(mirror == PacketBatch.DONE || mirror >= 0 && mirror < NextHopKinds.NODE_COUNT);
            }
        }
        assertEquals(null, NextHopKinds.of(NextHopType.DEAD));
        assertEquals(null, NextHopKinds.of(NextHopType.MAX));
    }

    private static void assertInGraph(final int node)
    {
        assertTrue(node >= 0 && node < NextHopKinds.NODE_COUNT, "node " + node);
    }
}
