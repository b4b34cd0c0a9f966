/**
 * Whole-path forwarding benchmarks: pod to fabric and fabric to pod.
 */
package io.vrouter.bench.forward;
