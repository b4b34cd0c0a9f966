/**
 * Tests of the graph's frame: dispatch between nodes, and the forwarder's graph as assembled.
 */
package io.vrouter.core.graph;
