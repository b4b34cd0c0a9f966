package io.vrouter.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonConfigTest
{
    @TempDir
    Path dir;

    private Path file(final String yaml) throws Exception
    {
        final Path p = dir.resolve("vrouterd.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void shouldReadNestedKeysOverDefaults() throws Exception
    {
        final DaemonConfig c = DaemonConfig.load(file("""
            node:
              name: n7
            fabric:
              address: 192.168.0.7
            workers:
              count: 2
              idle: busy-spin
            tables:
              vrfs: 64
            """));
        assertEquals("n7", c.string("node.name"));
        assertEquals(2, c.integer("workers.count"));
        assertEquals(64, c.vrouterConfig().vrfs());
        assertEquals(6635, c.integer("fabric.port"));
        assertEquals("/var/run/vrouter/vrouterd.sock", c.string("paths.socket"));
    }

    @Test
    void shouldLetFlagsOverrideTheFile() throws Exception
    {
        final DaemonConfig c = DaemonConfig.load(file("fabric:\n  address: 10.0.0.1\nlog:\n  level: warn\n"));
        c.set("fabric.address", "10.0.0.2", "flag");
        assertEquals("10.0.0.2", c.string("fabric.address"));
        assertEquals("warn", c.string("log.level"));
    }

    @Test
    void shouldRefuseUnknownKeysNamingThem() throws Exception
    {
        final StartupException e = assertThrows(StartupException.class,
            () -> DaemonConfig.load(file("fabric:\n  adress: 10.0.0.1\n")));
        assertEquals(StartupException.EXIT_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("unknown key 'fabric.adress'"), e.getMessage());
    }

    @Test
    void shouldRefuseWrongTypesAndRanges() throws Exception
    {
        assertTrue(assertThrows(StartupException.class, () -> DaemonConfig.load(file("workers:\n  count: many\n")))
            .getMessage().contains("must be an integer"));
        final DaemonConfig c = DaemonConfig.load(file("fabric:\n  address: 10.0.0.1\nworkers:\n  count: 0\n"));
        assertTrue(assertThrows(StartupException.class, c::vrouterConfig).getMessage().contains("workers.count"));
        final DaemonConfig idle = DaemonConfig.load(file("fabric:\n  address: 10.0.0.1\nworkers:\n  idle: nap\n"));
        assertTrue(assertThrows(StartupException.class, idle::vrouterConfig).getMessage().contains("workers.idle"));
        assertTrue(assertThrows(StartupException.class, () -> DaemonConfig.load(file("- a\n- b\n")))
            .getMessage().contains("top level must be a map"));
        assertTrue(assertThrows(StartupException.class, () -> DaemonConfig.load(file("a: [\n")))
            .getMessage().contains("not valid YAML"));
    }

    @Test
    void shouldRequireTheFabricAddress()
    {
        final StartupException e = assertThrows(StartupException.class, () -> new DaemonConfig().vrouterConfig());
        assertTrue(e.getMessage().contains("fabric.address is required"), e.getMessage());
    }

    @Test
    void shouldRefuseAMissingFile()
    {
        final StartupException e = assertThrows(StartupException.class,
            () -> DaemonConfig.load(dir.resolve("none.yaml")));
        assertEquals(StartupException.EXIT_CONFIG, e.exitCode());
    }

    @Test
    void shouldEnforcePolicyByDefaultAndTakeOnlyTrueOrFalse() throws Exception
    {
        assertTrue(new DaemonConfig().bool("controller.enforce-policy"), "on by default");
        assertFalse(DaemonConfig.load(file("controller:\n  enforce-policy: false\n")).bool("controller.enforce-policy"),
            "YAML boolean opts out");
        assertTrue(DaemonConfig.load(file("controller:\n  enforce-policy: true\n")).bool("controller.enforce-policy"));
        final DaemonConfig flag = new DaemonConfig();
        flag.set("controller.enforce-policy", "false", "flag");
        assertFalse(flag.bool("controller.enforce-policy"), "a flag's string value");
        for (final String bad : new String[] {"yes", "1", "TRUE", "off", ""})
        {
            final StartupException e = assertThrows(StartupException.class,
                () -> new DaemonConfig().set("controller.enforce-policy", bad, "flag"));
            assertEquals(StartupException.EXIT_CONFIG, e.exitCode());
            assertTrue(e.getMessage().contains("'controller.enforce-policy' must be true or false, got '" + bad + "'"),
                e.getMessage());
        }
        final StartupException yaml = assertThrows(StartupException.class,
            () -> DaemonConfig.load(file("controller:\n  enforce-policy: 3\n")));
        assertTrue(yaml.getMessage().contains("must be true or false, got '3'"), yaml.getMessage());
    }
}
