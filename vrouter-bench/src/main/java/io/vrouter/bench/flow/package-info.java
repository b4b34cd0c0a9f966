/**
 * Flow table benchmarks: lookup hit against a boxed-key {@code ConcurrentHashMap}, in-line setup.
 */
package io.vrouter.bench.flow;
