/**
 * Fixture: the agent's control server.
 */
package io.vrouter.bench.archfixture.agent.control;
