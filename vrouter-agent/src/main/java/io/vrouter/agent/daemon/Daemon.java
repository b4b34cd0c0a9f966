package io.vrouter.agent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vrouter.agent.control.ControlServer;

/**
 * The pieces of a running daemon in start and stop order: the node (fabric port, workers), then the
 * control socket; stopped in reverse, the socket file removed last.
 */
public final class Daemon implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final Node node;
    private final DaemonConfig config;
    private final Path socketPath;
    private ControlServer control;
    private boolean closed;

    /**
     * A daemon (not started).
     *
     * @param node       the node.
     * @param config     settings.
     * @param socketPath control socket path.
     */
    public Daemon(final Node node, final DaemonConfig config, final Path socketPath)
    {
        this.node = node;
        this.config = config;
        this.socketPath = socketPath;
    }

    /**
     * Starts the node and the front ends; on failure everything started is stopped again.
     *
     * @throws StartupException what failed.
     */
    public void start() throws StartupException
    {
        try
        {
            node.start();
            control = new ControlServer(node, socketPath);
            try
            {
                control.start();
            }
            catch (final IOException e)
            {
                throw new StartupException(StartupException.EXIT_SOCKET, "control socket: " + e.getMessage());
            }
        }
        catch (final StartupException | RuntimeException e)
        {
            close();
            throw e;
        }
    }

    /**
     * The node.
     *
     * @return it.
     */
    public Node node()
    {
        return node;
    }

    /**
     * Orderly stop: front ends, workers, ports, fabric, socket file.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (control != null)
        {
            control.close();
        }
        node.close();
        try
        {
            Files.deleteIfExists(socketPath);
        }
        catch (final IOException e)
        {
            LOG.warn("cannot remove {}: {}", socketPath, e.toString());
        }
    }
}
