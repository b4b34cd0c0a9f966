/**
 * Forwarders built and driven from code, for the tests of every module and for the benchmarks: topologies
 * programmed through the same requests the agent and the replay harness send ({@link
 * io.vrouter.core.testing.TestTopology}) and packet builders that compute lengths and checksums independently of
 * the code under test ({@link io.vrouter.core.testing.Frames}). Main code so that other modules use it without a
 * test-jar; nothing in the forwarder depends on it.
 */
package io.vrouter.core.testing;
