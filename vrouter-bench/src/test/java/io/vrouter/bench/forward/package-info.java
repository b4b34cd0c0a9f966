/**
 * Tests of the forwarding benchmarks' own setups (the benchmarks are not run here).
 */
package io.vrouter.bench.forward;
