/**
 * Tests of the forwarding-state store.
 */
package io.vrouter.agent.state;
