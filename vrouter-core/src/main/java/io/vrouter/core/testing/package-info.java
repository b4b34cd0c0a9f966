/**
 * Test support shipped in the core test-jar: topologies programmed through the control model, packet builders.
 */
package io.vrouter.core.testing;
