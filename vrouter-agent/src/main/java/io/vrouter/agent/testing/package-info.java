/**
 * A node without the daemon, for the agent's, the tools' and the benchmarks' tests: a {@code NodeService} over a
 * real in-process forwarder. Main code so that other modules use it without a test-jar; the daemon does not.
 */
package io.vrouter.agent.testing;
