/**
 * Fixture: a "core" package in a cycle with {@code core.table}.
 */
package io.vrouter.bench.archfixture.core.lookup;
