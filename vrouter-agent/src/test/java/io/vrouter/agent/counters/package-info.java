/**
 * Tests of the shared-memory counter file.
 */
package io.vrouter.agent.counters;
