package io.vrouter.agent.api;

import java.nio.file.Path;

/**
 * Where a node is reached by default: the daemon serves and the operator CLI dials these, so both read them here
 * and neither needs the other's classes. The daemon's configuration file can move each of them.
 */
public final class NodeEndpoints
{
    /** The control socket (ADR 0001): {@code paths.socket} in the daemon's configuration. */
    public static final Path CONTROL_SOCKET = Path.of("/var/run/vrouter/vrouterd.sock");
    /** The default daemon's shared-memory counter file, {@link #countersFor} its socket. */
    public static final Path COUNTERS = countersFor(CONTROL_SOCKET);
    /** The introspect's address: {@code introspect.host} (localhost only, like Contrail's agent). */
    public static final String INTROSPECT_HOST = "127.0.0.1";
    /** The introspect's port, the Contrail agent's Sandesh introspect port: {@code introspect.port}. */
    public static final int INTROSPECT_PORT = 8085;

    private NodeEndpoints()
    {
    }

    /**
     * A daemon's counters file when {@code paths.counters} is not set: beside its control socket,
     * named after it ({@code node-1.sock} → {@code node-1.counters}), so two daemons on one machine
     * never share one.
     *
     * @param socket the daemon's control socket.
     * @return the counters file.
     */
    public static Path countersFor(final Path socket)
    {
        final String name = socket.getFileName().toString();
        final String base = name.endsWith(".sock") ? name.substring(0, name.length() - ".sock".length()) : name;
        return socket.resolveSibling(base + ".counters");
    }
}
