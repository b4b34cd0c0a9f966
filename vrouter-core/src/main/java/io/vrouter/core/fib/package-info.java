/**
 * Per-VRF forwarding information base: IPv4/IPv6 multibit tries (longest-prefix match) with tagged
 * {@code int} leaves, the shared {@link io.vrouter.core.fib.FibEntries} table and {@link io.vrouter.core.fib.VrfFibs}.
 * Design notes and measurements: {@code docs/benchmarks.md}, section "LPM (IPv4/IPv6)".
 */
package io.vrouter.core.fib;
