/**
 * The next-hop kinds: for each of Contrail's next-hop types, the graph nodes that carry a packet through
 * a next hop of that type, and the registry that resolves a next hop to its nodes when it is programmed.
 * Adding a type: a kind class and its node(s) here, and one line in
 * {@link io.vrouter.core.nh.kind.NextHopKinds} (see {@code docs/architecture.md}, "Adding a next-hop type").
 */
package io.vrouter.core.nh.kind;
