package io.vrouter.tools.replay;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the readers of Contrail's vtest conformance material: any bytes as
 * a vtest case file ({@link VtestParser#parse}) and as a pcap file ({@link Pcap#read}) read or are refused
 * with an {@link IOException} naming the file, never another exception.
 * <p>
 * {@code mvn verify} runs the corpora in {@code src/test/resources/io/vrouter/tools/replay/VtestFuzzTestInputs/}
 * (the vtest XML cases and pcaps of {@code shared/conformance/vtest}, and the crashes found);
 * {@code bin/vrouter-fuzz vtest 300} and {@code bin/vrouter-fuzz pcap 300} fuzz (docs/reliability.md,
 * "Fuzzing").
 */
class VtestFuzzTest
{
    private static final Path DIR = directory();

    private static Path directory()
    {
        try
        {
            final Path d = Files.createTempDirectory("vrouter-fuzz-vtest");
            d.toFile().deleteOnExit();
            return d;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A vtest case file.
     *
     * @param data the file's bytes.
     * @throws IOException if the temporary file cannot be written.
     */
    @FuzzTest
    void vtestXml(final byte[] data) throws IOException
    {
        final Path file = Files.write(DIR.resolve("case.xml"), data);
        try
        {
            assertNotNull(VtestParser.parse(file).steps());
        }
        catch (final IOException e)
        {
            assertNotNull(e.getMessage(), "a refusal says why");
        }
    }

    /**
     * A pcap file.
     *
     * @param data the file's bytes.
     * @throws IOException if the temporary file cannot be written.
     */
    @FuzzTest
    void pcapFiles(final byte[] data) throws IOException
    {
        final Path file = Files.write(DIR.resolve("packets.pcap"), data);
        try
        {
            assertNotNull(Pcap.read(file));
        }
        catch (final IOException e)
        {
            assertNotNull(e.getMessage(), "a refusal says why");
        }
    }
}
