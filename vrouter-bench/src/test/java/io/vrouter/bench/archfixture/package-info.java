/**
 * Wrong-way dependencies on purpose, under a root of their own, for {@code ArchitectureRulesTest}: the rules must
 * fail on them. The real code is checked by {@code ArchitectureTest}, which imports no test class.
 */
package io.vrouter.bench.archfixture;
