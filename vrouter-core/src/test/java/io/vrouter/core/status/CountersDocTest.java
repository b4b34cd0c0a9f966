package io.vrouter.core.status;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * {@code docs/counters.md} stays true: every drop reason and VRF statistic is listed with the
 * label operators see.
 */
class CountersDocTest
{
    @Test
    void shouldDocumentEveryDropReasonAndVrfStat() throws Exception
    {
        final Path doc = Path.of("..", "docs", "counters.md");
        assertTrue(Files.isRegularFile(doc), "missing " + doc.toAbsolutePath());
        final String text = Files.readString(doc);
        for (final DropReason r : DropReason.BY_ID)
        {
            assertTrue(text.contains("| `" + r.name() + "` | " + r.label() + " |"), "counters.md lacks " + r);
        }
        for (final VrfStat s : VrfStat.BY_ID)
        {
            assertTrue(text.contains("`" + s.fieldName() + "`"), "counters.md lacks " + s);
        }
    }
}
