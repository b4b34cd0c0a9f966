/**
 * Tests of the introspect HTTP server.
 */
package io.vrouter.agent.introspect;
