/**
 * Tests of the fabric port on loopback.
 */
package io.vrouter.agent.fabric;
