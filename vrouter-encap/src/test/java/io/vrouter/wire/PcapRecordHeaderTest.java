package io.vrouter.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Contrail's {@code struct vr_pcap}: four network-order u32s, lengths of the mirrored frame.
 */
class PcapRecordHeaderTest
{
    @Test
    void shouldWriteFourBigEndianFields()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        PcapRecordHeader.write(buffer, 2, 1_700_000_000_123_456L, 98);

        assertEquals("0000" + "6553f100" + "0001e240" + "00000062" + "00000062" + "0000",
            HexFormat.of().formatHex(buffer.byteArray()));
        assertEquals(1_700_000_000L, PcapRecordHeader.seconds(buffer, 2));
        assertEquals(123_456L, PcapRecordHeader.micros(buffer, 2));
        assertEquals(98, PcapRecordHeader.includedLength(buffer, 2));
        assertEquals(98, PcapRecordHeader.originalLength(buffer, 2));
    }
}
