/**
 * The programming object model: one typed record per sandesh struct ({@code vr_interface_req},
 * {@code vr_nexthop_req}, {@code vr_route_req}, ...), each with its one mapping to and from the
 * untyped {@link io.vrouter.core.request.SandeshObject} the edges carry, and the validation that
 * needs no tables; ops, return codes and answers.
 */
package io.vrouter.core.request;
