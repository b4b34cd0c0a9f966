package io.vrouter.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * The daemon's plain reading of its command line sets exactly what picocli sets, and leaves to picocli every
 * command line that is not only options with plain values.
 */
class PlainOptionsTest
{
    @Test
    void setsWhatPicocliSets() throws Exception
    {
        final String[][] lines = {
            {},
            {"--node-name", "node-1", "--fabric-address", "192.168.100.11", "--socket", "/tmp/n1.sock"},
            {"-c", "/etc/vrouter/vrouterd.yaml", "--log-level", "debug"},
            {"--config=/etc/v.yaml", "--fabric-port=6635", "--fabric-vif", "0", "--workers", "2", "--idle", "backoff"},
            {"--state-dir", "/tmp/st", "--counters", "/tmp/c", "--introspect-port", "0", "--insecure",
                "--controller", "192.168.100.1:5269,192.168.100.2:5269", "--fabric-interface", "eth0"},
            {"--set", "tables.vrfs=64", "--set", "controller.tls-ca=/pki/ca.pem", "--set=pods.cni=true"},
        };
        for (final String[] line : lines)
        {
            final VrouterdMain plain = newCommand();
            assertTrue(PlainOptions.read(plain, line), String.join(" ", line));
            final VrouterdMain byPicocli = newCommand();
            new CommandLine(byPicocli).parseArgs(line);
            assertEquals(fields(byPicocli), fields(plain), String.join(" ", line));
        }
    }

    @Test
    void leavesEverythingElseToPicocli() throws Exception
    {
        final String[][] lines = {
            {"--help"}, {"-h"}, {"-V"}, {"--version"}, {"--bogus"}, {"positional"},
            {"--node-name"}, {"--node-name", "a", "--node-name", "b"}, {"--fabric-port", "abc"},
            {"--fabric-port", "010"}, {"--fabric-port", "99999999999"}, {"--workers", "-1"}, {"--insecure=true"},
            {"--socket", "--node-name"}, {"--node-name", "n", "--", "x"},
        };
        for (final String[] line : lines)
        {
            assertFalse(PlainOptions.read(newCommand(), line), String.join(" ", line));
        }
    }

    private static VrouterdMain newCommand() throws ReflectiveOperationException
    {
        final Constructor<VrouterdMain> c = VrouterdMain.class.getDeclaredConstructor();
        c.setAccessible(true);
        return c.newInstance();
    }

    private static List<String> fields(final VrouterdMain m) throws IllegalAccessException
    {
        final List<String> out = new ArrayList<>();
        for (final Field f : VrouterdMain.class.getDeclaredFields())
        {
            if (f.isAnnotationPresent(CommandLine.Option.class))
            {
                out.add(f.getName() + "=" + f.get(m));
            }
        }
        return out;
    }
}
