/**
 * The daemon's counters in shared memory ({@link io.vrouter.agent.counters.CounterFile}): every
 * worker's {@code ForwardingCounters} in one memory-mapped file that tools read without talking to
 * the daemon.
 */
package io.vrouter.agent.counters;
