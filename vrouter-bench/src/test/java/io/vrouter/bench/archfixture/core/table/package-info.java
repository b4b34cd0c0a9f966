/**
 * Fixture: a "core" package that uses the "agent" layer and netty, and a sibling package that uses it back.
 */
package io.vrouter.bench.archfixture.core.table;
