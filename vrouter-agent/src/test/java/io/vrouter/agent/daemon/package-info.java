/**
 * Tests of the daemon's configuration and startup checks.
 */
package io.vrouter.agent.daemon;
