/**
 * Fixture: a test fixture package of the "core" layer, used by the "agent" daemon.
 */
package io.vrouter.bench.archfixture.core.testing;
