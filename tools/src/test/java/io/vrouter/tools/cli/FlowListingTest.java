package io.vrouter.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vrouter.core.flow.FlowKey;
import io.vrouter.core.flow.FlowTable;
import io.vrouter.core.flow.FlowTableConfig;

/**
 * {@code flow -l} from a read-only mapping of a table file another handle is writing, in the layout
 * of reference §5.5.
 */
class FlowListingTest
{
    @TempDir
    Path dir;

    @Test
    void shouldListAFileBackedTableInContrailsLayout() throws Exception
    {
        final Path file = dir.resolve("flows.tbl");
        try (FlowTable t = FlowTable.open(file, FlowTableConfig.sized(1024)))
        {
            final FlowKey k = new FlowKey().set4(38, 1, 0x01010103, 0x01010105, 4145, 0);
            final FlowKey r = new FlowKey().set4(38, 1, 0x01010105, 0x01010103, 4145, 0);
            final FlowTable.Setup s = new FlowTable.Setup();
            s.vrf = 5;
            s.reverseVrf = 5;
            s.srcNh = 38;
            s.udpSport = 60847;
            s.reverseUdpSport = 60848;
            s.inline = false;
            final int fi = t.insert(k, k.hash(), r, r.hash(), s, 1);
            final int ri = t.intField(fi, FlowTable.E_RFLOW);
            final String text = FlowListing.listFile(file);
            assertTrue(text.startsWith("Flow table(size " + t.byteSize() + ", entries 2048)\n\n"), text);
            assertTrue(text.contains(
                "Entries: Created 0 Added 2 Deleted 0 Changed 0Processed 0 Used Overflow entries 0\n"), text);
            final String row = String.format("%9d<=>%-9d    %-46s    %3d (%d)%n", fi, ri, "1.1.1.3:4145", 1, 5);
            assertTrue(text.contains(row + " ".repeat(25) + "1.1.1.5:0\n"), text);
            assertTrue(text.contains("(Gen: 1, K(nh):38, Action:F, Flags:, QOS:-1, S(nh):38,  Stats:0/0,\n"
                + " SPort 60847, TTL 0, Sinfo 0.0.0.0)"), text);
            assertEquals(3, text.split("\\(Gen: ").length, "two entries");
        }
    }
}
