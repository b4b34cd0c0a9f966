package io.vrouter.tools.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of what the controller reads from outside: manifests (the admin
 * API's {@code apply} and {@code delete}: {@link Resource#parseAll}, {@link Cluster#apply},
 * {@link Cluster#delete}) and its saved state ({@code ControllerMain.loadState}, {@link Cluster#fromYaml}).
 * <p>
 * A manifest is applied whole or refused with an {@link IllegalArgumentException} (the admin API's 400)
 * and a refused one leaves the model as it was; after an accepted one the state the controller saves
 * loads again to the same model, and every node's configuration is built from it without an exception. A
 * state file loads or is refused with an {@link IllegalArgumentException} or an {@link IOException}; a
 * loaded one saves to a text that loads to the same model, and every node's configuration is built from
 * it.
 * <p>
 * {@code mvn verify} runs the corpora in
 * {@code src/test/resources/io/vrouter/tools/controller/ControllerFuzzTestInputs/} (the manifests of
 * {@code examples/seed}, saved states, and the crashes found); {@code bin/vrouter-fuzz manifests 300} and
 * {@code bin/vrouter-fuzz state 300} fuzz (docs/reliability.md, "Fuzzing").
 */
class ControllerFuzzTest
{
    /** What the manifests are applied to: a cluster with two nodes, namespaces, networks and pods. */
    private static final String BASE = base();
    private static final Path STATE = stateFile();

    private static String base()
    {
        // The saved state of the examples' walk-through (two nodes, the namespaces, networks and pods of
        // examples/seed), one of the state corpus's seeds.
        try (InputStream in = ControllerFuzzTest.class.getResourceAsStream(
            "ControllerFuzzTestInputs/stateFile/seed-cluster.yaml"))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static Path stateFile()
    {
        try
        {
            final Path p = Files.createTempFile("vrouter-fuzz-state", ".yaml");
            p.toFile().deleteOnExit();
            return p;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A manifest applied, then deleted, as the admin API does.
     *
     * @param data the manifest's bytes (decoded as the admin API decodes a body).
     */
    @FuzzTest
    void manifests(final byte[] data)
    {
        final String yaml = new String(data, StandardCharsets.UTF_8);
        final Cluster c = Cluster.fromYaml(BASE);
        final List<Resource> resources;
        try
        {
            resources = Resource.parseAll(yaml, "fuzz");
        }
        catch (final IllegalArgumentException e)
        {
            assertNotNull(e.getMessage(), "a refusal says why");
            return;
        }
        for (final boolean apply : new boolean[] {true, false})
        {
            final String before = c.toYaml();
            try
            {
                final List<String> lines = apply ? c.apply(resources, "default") : c.delete(resources, "default");
                assertNotNull(lines);
            }
            catch (final IllegalArgumentException e)
            {
                assertNotNull(e.getMessage(), "a refusal says why");
                assertEquals(before, c.toYaml(), "a refused manifest changes nothing");
                continue;
            }
            checkSavedStateLoads(c);
        }
    }

    /**
     * A state file as {@code vrouter-controller serve --state} reads it.
     *
     * @param data the file's bytes.
     * @throws IOException if the temporary file cannot be written.
     */
    @FuzzTest
    void stateFile(final byte[] data) throws IOException
    {
        Files.write(STATE, data);
        final Cluster c;
        try
        {
            c = ControllerMain.loadState(STATE);
        }
        catch (final IllegalArgumentException | IOException e)
        {
            assertNotNull(e.getMessage(), "a refusal says why");
            return;
        }
        checkSavedStateLoads(c);
    }

    private static void checkSavedStateLoads(final Cluster c)
    {
        final String saved = c.toYaml();
        final Cluster loaded;
        try
        {
            loaded = Cluster.fromYaml(saved);
        }
        catch (final IllegalArgumentException e)
        {
            throw new AssertionError("the state the controller saves does not load: " + e.getMessage() + "\n" + saved,
                e);
        }
        assertEquals(saved, loaded.toYaml(), "the saved state loads to the same model");
        for (final String node : loaded.nodes())
        {
            assertNotNull(ConfigSchema.forNode(loaded, node, "vr-"), "configuration of " + node);
        }
    }
}
