/**
 * The control socket: the binary frame protocol ({@link io.vrouter.agent.control.ControlCodec}), the
 * daemon's server ({@link io.vrouter.agent.control.ControlServer}) and the blocking client the CLI and
 * the tests use ({@link io.vrouter.agent.control.ControlClient}). The frame layout is documented in
 * {@code docs/control.md}.
 */
package io.vrouter.agent.control;
