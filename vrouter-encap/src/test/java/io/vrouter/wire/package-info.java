/**
 * Tests for the wire formats and checksums.
 */
package io.vrouter.wire;
