package io.vrouter.agent.daemon;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.vrouter.agent.api.NodeEndpoints;
import io.vrouter.core.table.VRouterConfig;

/**
 * The daemon's settings: a YAML file (nested maps, keys as in docs/vrouterd.md) with command-line
 * flags on top. Every key is known in advance; an unknown key, a wrong type or an out-of-range value
 * is refused with a message naming it.
 */
public final class DaemonConfig
{
    /** Every key, dotted, with its default. */
    static final Map<String, Object> DEFAULTS = defaults();

    private final Map<String, Object> values = new LinkedHashMap<>(DEFAULTS);

    private static Map<String, Object> defaults()
    {
        final Map<String, Object> d = new LinkedHashMap<>();
        final VRouterConfig c = VRouterConfig.defaults();
        d.put("node.name", "node");
        d.put("fabric.interface", "eth0");
        d.put("fabric.address", "");
        d.put("fabric.port", 6635);
        d.put("fabric.vif", 0);
        d.put("fabric.vhost", "");
        d.put("fabric.vhost-vif", 1);
        d.put("workers.count", 1);
        d.put("workers.idle", "adaptive");
        d.put("tables.interfaces", c.interfaces());
        d.put("tables.nexthops", c.nextHops());
        d.put("tables.vrfs", c.vrfs());
        d.put("tables.labels", c.labels());
        d.put("tables.bridge-entries", c.bridgeEntries());
        d.put("tables.vnis", c.vnis());
        d.put("tables.mirrors", c.mirrors());
        d.put("tables.fib-entries", c.fibEntries());
        d.put("tables.batch-size", c.batchSize());
        d.put("tables.max-frame", c.maxFrame());
        d.put("paths.socket", NodeEndpoints.CONTROL_SOCKET.toString());
        d.put("paths.state", "/var/lib/vrouter");
        d.put("paths.counters", "");
        d.put("state.store", "");
        d.put("state.entries", 131072);
        d.put("state.restore", Boolean.TRUE);
        d.put("introspect.host", NodeEndpoints.INTROSPECT_HOST);
        d.put("introspect.port", NodeEndpoints.INTROSPECT_PORT);
        d.put("log.level", "info");
        d.put("controller.servers", "");
        d.put("controller.hold-time", 90);
        d.put("controller.tls-cert", "");
        d.put("controller.tls-key", "");
        d.put("controller.tls-ca", "");
        d.put("controller.insecure", Boolean.FALSE);
        d.put("controller.first-nh", 100);
        d.put("controller.enforce-policy", Boolean.TRUE);
        d.put("pods.mtu", 1500);
        d.put("pods.cni", Boolean.FALSE);
        d.put("pods.offloads", Boolean.FALSE);
        d.put("pods.offloads-except", "");
        return d;
    }

    /**
     * Defaults only.
     */
    public DaemonConfig()
    {
    }

    /**
     * Reads a YAML file over the defaults.
     *
     * @param file the file.
     * @return the configuration.
     * @throws StartupException ({@link StartupException#EXIT_CONFIG}) when it cannot be read or is invalid.
     */
    public static DaemonConfig load(final Path file) throws StartupException
    {
        final DaemonConfig cfg = new DaemonConfig();
        final Object root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            final LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).load(r);
        }
        catch (final IOException e)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "cannot read config " + file + ": " + e);
        }
        catch (final RuntimeException e)
        {
            throw new StartupException(StartupException.EXIT_CONFIG,
                "config " + file + " is not valid YAML: " + e.getMessage());
        }
        if (root == null)
        {
            return cfg;
        }
        if (!(root instanceof Map<?, ?> map))
        {
            throw new StartupException(StartupException.EXIT_CONFIG,
                "config " + file + ": the top level must be a map");
        }
        final Map<String, Object> flat = new TreeMap<>();
        flatten("", map, flat, file);
        for (final Map.Entry<String, Object> e : flat.entrySet())
        {
            cfg.set(e.getKey(), e.getValue(), "config " + file);
        }
        return cfg;
    }

    private static void flatten(final String prefix, final Map<?, ?> map, final Map<String, Object> out,
        final Path file) throws StartupException
    {
        for (final Map.Entry<?, ?> e : map.entrySet())
        {
            final String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> sub)
            {
                flatten(key + ".", sub, out, file);
            }
            else
            {
                out.put(key, e.getValue());
            }
        }
    }

    /**
     * Sets one key (a flag or a file entry), checking its name and type.
     *
     * @param key    dotted key.
     * @param value  the value (String, Integer or Long).
     * @param source where it came from, for messages.
     * @throws StartupException when the key is unknown or the value has the wrong type.
     */
    public void set(final String key, final Object value, final String source) throws StartupException
    {
        final Object def = DEFAULTS.get(key);
        if (def == null)
        {
            throw new StartupException(StartupException.EXIT_CONFIG,
                source + ": unknown key '" + key + "' (known keys: " + String.join(", ", DEFAULTS.keySet()) + ")");
        }
        if (value == null)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, source + ": '" + key + "' has no value");
        }
        if (def instanceof Integer)
        {
            final long v;
            if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float))
            {
                v = n.longValue();
            }
            else
            {
                try
                {
                    v = Long.parseLong(value.toString().trim());
                }
                catch (final NumberFormatException e)
                {
                    throw new StartupException(StartupException.EXIT_CONFIG,
                        source + ": '" + key + "' must be an integer, got '" + value + "'");
                }
            }
            if (v < 0 || v > Integer.MAX_VALUE)
            {
                throw new StartupException(StartupException.EXIT_CONFIG,
                    source + ": '" + key + "' out of range: " + v);
            }
            values.put(key, (int)v);
        }
        else if (def instanceof Boolean)
        {
            final String text = value.toString().trim();
            if (!"true".equals(text) && !"false".equals(text))
            {
                throw new StartupException(StartupException.EXIT_CONFIG,
                    source + ": '" + key + "' must be true or false, got '" + value + "'");
            }
            values.put(key, Boolean.valueOf(text));
        }
        else
        {
            if (value instanceof Map || value instanceof List)
            {
                throw new StartupException(StartupException.EXIT_CONFIG,
                    source + ": '" + key + "' must be a scalar");
            }
            values.put(key, value.toString());
        }
    }

    /**
     * A string setting.
     *
     * @param key dotted key.
     * @return the value.
     */
    public String string(final String key)
    {
        return (String)values.get(key);
    }

    /**
     * A boolean setting ({@code true} or {@code false}).
     *
     * @param key dotted key.
     * @return the value.
     */
    public boolean bool(final String key)
    {
        return (Boolean)values.get(key);
    }

    /**
     * An integer setting.
     *
     * @param key dotted key.
     * @return the value.
     */
    public int integer(final String key)
    {
        return (Integer)values.get(key);
    }

    /**
     * Checks the settings that depend on each other and builds the forwarder's table configuration.
     *
     * @return the table configuration.
     * @throws StartupException when a value is out of range.
     */
    public VRouterConfig vrouterConfig() throws StartupException
    {
        if (string("fabric.address").isEmpty())
        {
            throw new StartupException(StartupException.EXIT_CONFIG,
                "fabric.address is required (--fabric-address or fabric: address: in the config file)");
        }
        final int workers = integer("workers.count");
        if (workers < 1 || workers > 64)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "workers.count must be 1..64, got " + workers);
        }
        idleStrategy();
        final int port = integer("fabric.port");
        final int introspect = integer("introspect.port");
        if (port < 1 || port > 65535 || introspect > 65535)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "ports must be 1..65535");
        }
        if (integer("fabric.vif") >= integer("tables.interfaces"))
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "fabric.vif must be below tables.interfaces");
        }
        if (!string("fabric.vhost").isEmpty())
        {
            if (!string("fabric.vhost").matches("[A-Za-z0-9_.\\-]{1,15}"))
            {
                throw new StartupException(StartupException.EXIT_CONFIG, "fabric.vhost must be an interface name"
                    + " (1 to 15 of [A-Za-z0-9_.-]), got '" + string("fabric.vhost") + "'");
            }
            final int vhostVif = integer("fabric.vhost-vif");
            if (vhostVif < 0 || vhostVif >= integer("tables.interfaces") || vhostVif == integer("fabric.vif"))
            {
                throw new StartupException(StartupException.EXIT_CONFIG,
                    "fabric.vhost-vif must be below tables.interfaces and not fabric.vif, got " + vhostVif);
            }
        }
        try
        {
            return new VRouterConfig(integer("tables.interfaces"), integer("tables.nexthops"), integer("tables.vrfs"),
                integer("tables.labels"), integer("tables.bridge-entries"), integer("tables.vnis"),
                integer("tables.mirrors"), integer("tables.fib-entries"), integer("tables.batch-size"),
                integer("tables.max-frame"), false, true);
        }
        catch (final IllegalArgumentException e)
        {
            throw new StartupException(StartupException.EXIT_CONFIG, "table sizes: " + e.getMessage());
        }
    }

    /**
     * The workers' idle strategy.
     *
     * @return a new strategy instance (one per worker).
     * @throws StartupException when the name is unknown.
     */
    public IdleStrategy idleStrategy() throws StartupException
    {
        final String name = string("workers.idle");
        switch (name)
        {
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "backoff":
            case "adaptive":
                // adaptive: this back-off first, then WorkerIdle blocks on the worker's inputs.
                return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1),
                    TimeUnit.MICROSECONDS.toNanos(200));
            case "sleeping":
                return new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1));
            default:
                throw new StartupException(StartupException.EXIT_CONFIG,
                    "workers.idle must be adaptive, busy-spin, backoff or sleeping, got '" + name + "'");
        }
    }

    @Override
    public String toString()
    {
        return values.toString();
    }
}
