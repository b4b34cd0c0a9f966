/**
 * Tests of the control socket: codec golden bytes and fuzzing, server and client over a real
 * UNIX-domain socket, bad input and non-root peers.
 */
package io.vrouter.agent.control;
