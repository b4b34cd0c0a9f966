/**
 * The forwarding graph's frame: batch-processing {@link io.vrouter.core.graph.Node}s, the
 * {@link io.vrouter.core.graph.PacketBatch} with its per-slot state, the node ids and the
 * {@link io.vrouter.core.graph.Graph} that moves each slot from node to node (VPP's graph, in Java).
 */
package io.vrouter.core.graph;
