/**
 * JMH benchmarks of the FIB (IPv4/IPv6 LPM, route updates, memory) on the DPDK peer's route and key dumps.
 */
package io.vrouter.bench.fib;
