/**
 * Tests of the replay harness and the conformance cases.
 */
package io.vrouter.tools.replay;
