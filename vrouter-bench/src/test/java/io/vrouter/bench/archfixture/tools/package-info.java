/**
 * Fixture: the "tools" layer.
 */
package io.vrouter.bench.archfixture.tools;
