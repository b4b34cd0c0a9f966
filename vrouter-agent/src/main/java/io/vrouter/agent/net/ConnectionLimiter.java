package io.vrouter.agent.net;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A listener's guard against descriptor exhaustion: at most {@code maxConnections} open
 * connections, and a deadline by which a new connection must have proved itself (a completed
 * handshake, an authenticated stream, a request answered) or be closed.
 * <p>
 * Overview: connections that have not proved themselves yet are <em>pending</em>, kept in arrival
 * order. When the cap is reached, a new connection evicts the oldest pending one, so thousands of
 * idle connections opened by someone without credentials cannot keep a legitimate client out: they
 * are closed, oldest first, as new ones arrive, and each is closed anyway at its deadline. Only when
 * every open connection has proved itself is the new one refused (closed at once). Refusals and
 * evictions are logged at most once per second with their counts. Thread-safe; each listener has
 * its own.
 */
public final class ConnectionLimiter
{
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final int maxConnections;
    private final long deadlineMillis;
    private final Map<Channel, Long> pending = new LinkedHashMap<>();
    private int open;
    private long sequence;
    private long evicted;
    private long refused;
    private long expired;
    private long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    /**
     * A limiter.
     *
     * @param name           the listener, for the log.
     * @param maxConnections most connections open at once (at least 1).
     * @param deadlineMillis how long a connection may stay pending.
     */
    public ConnectionLimiter(final String name, final int maxConnections, final long deadlineMillis)
    {
        if (maxConnections < 1 || deadlineMillis < 1)
        {
            throw new IllegalArgumentException(name + ": connection cap and deadline must be positive");
        }
        this.name = name;
        this.maxConnections = maxConnections;
        this.deadlineMillis = deadlineMillis;
    }

    /**
     * Admits a just-accepted connection (call from the channel initializer): counts it, evicts the
     * oldest pending connection when at the cap, and closes this one when nothing can be evicted or
     * when it is still pending at the deadline.
     *
     * @param ch the connection.
     * @return whether it was admitted (when not, it is being closed).
     */
    public boolean admit(final Channel ch)
    {
        Channel victim = null;
        synchronized (this)
        {
            if (open >= maxConnections)
            {
                if (pending.isEmpty())
                {
                    refused++;
                    report();
                    ch.close();
                    return false;
                }
                victim = pending.keySet().iterator().next();
                pending.remove(victim);
                evicted++;
                report();
            }
            open++;
        }
        if (victim != null)
        {
            victim.close();
        }
        ch.closeFuture().addListener(f ->
        {
            synchronized (this)
            {
                open--;
                pending.remove(ch);
            }
        });
        idle(ch);
        return true;
    }

    /**
     * The connection has proved itself: it is no longer closed at the deadline or evicted.
     *
     * @param ch the connection.
     */
    public synchronized void proved(final Channel ch)
    {
        pending.remove(ch);
    }

    /**
     * The connection is pending (again, for an HTTP connection between requests): it may be evicted
     * and is closed if it is still pending after the deadline.
     *
     * @param ch the connection.
     */
    public void idle(final Channel ch)
    {
        final long token;
        synchronized (this)
        {
            if (!ch.isOpen())
            {
                return;
            }
            token = ++sequence;
            pending.remove(ch);
            pending.put(ch, token);
        }
        ch.eventLoop().schedule(() ->
        {
            final boolean late;
            synchronized (this)
            {
                late = pending.remove(ch, token);
                if (late)
                {
                    expired++;
                    report();
                }
            }
            if (late)
            {
                ch.close();
            }
        }, deadlineMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Connections open now.
     *
     * @return the count.
     */
    public synchronized int open()
    {
        return open;
    }

    /**
     * The cap.
     *
     * @return most connections open at once.
     */
    public int maxConnections()
    {
        return maxConnections;
    }

    private void report()
    {
        final long now = System.nanoTime();
        if (now - lastLogNanos >= LOG_INTERVAL_NANOS)
        {
            lastLogNanos = now;
            LOG.warn("{}: {} connections open (cap {}); so far {} pending connections evicted, {} refused, " +
                "{} closed unproven after {} ms", name, open, maxConnections, evicted, refused, expired,
                deadlineMillis);
        }
    }
}
