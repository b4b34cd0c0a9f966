/**
 * Fixture: an "agent" package that the "core" fixture uses the wrong way.
 */
package io.vrouter.bench.archfixture.agent.daemon;
