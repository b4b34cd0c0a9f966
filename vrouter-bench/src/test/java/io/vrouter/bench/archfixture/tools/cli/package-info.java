/**
 * Fixture: a CLI that reads a constant of the control server.
 */
package io.vrouter.bench.archfixture.tools.cli;
