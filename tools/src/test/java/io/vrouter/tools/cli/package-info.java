/**
 * CLI layout tests.
 */
package io.vrouter.tools.cli;
