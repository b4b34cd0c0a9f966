/**
 * Fixture: the "agent" layer.
 */
package io.vrouter.bench.archfixture.agent;
