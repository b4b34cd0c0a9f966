/**
 * Fixture: the "core" layer.
 */
package io.vrouter.bench.archfixture.core;
