/**
 * vrouterd, the node daemon: forwarding workers, the conductor, pod and fabric ports, the control
 * socket and the introspect endpoint around the pure forwarder of {@code vrouter-core}.
 */
package io.vrouter.agent;
