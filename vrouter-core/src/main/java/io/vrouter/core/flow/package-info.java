/**
 * The flow stage: a shared, file-backable flow table, compiled policy evaluated in line on the
 * forwarding core, limits, aging and the {@code vr_flow_req} programming (reference §1.7, §2.2).
 */
package io.vrouter.core.flow;
