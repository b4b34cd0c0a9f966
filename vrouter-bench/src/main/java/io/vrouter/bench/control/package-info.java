/**
 * Benchmarks of the control path: programming routes through the daemon's control socket.
 */
package io.vrouter.bench.control;
