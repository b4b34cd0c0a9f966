/**
 * Test doubles shared by the agent's, the tools' and the benchmarks' tests: a {@code NodeService}
 * over a real in-process forwarder.
 */
package io.vrouter.agent.testing;
