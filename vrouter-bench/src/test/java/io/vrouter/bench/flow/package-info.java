/**
 * Tests of the flow benchmarks' own setups (the benchmarks are not run here).
 */
package io.vrouter.bench.flow;
