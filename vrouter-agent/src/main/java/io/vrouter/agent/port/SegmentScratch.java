package io.vrouter.agent.port;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.offload.TcpSegmenter;

/**
 * One worker's room for writing a super-frame's segments to a TAP without offloads: the segmenter, an off-heap
 * buffer for a segment's vnet header and packet headers, and the two {@code iovec}s of a {@code writev} (the
 * headers, then the payload slice in the super-frame's slot). Allocated once per worker; nothing per packet.
 */
public final class SegmentScratch
{
    /** Room for a vnet header, Ethernet, IPv4/IPv6 and TCP headers with options. */
    static final int HEADER_ROOM = 256;

    final TcpSegmenter segmenter = new TcpSegmenter();
    final UnsafeBuffer header;
    final MemorySegment iov;
    /** Holds the header memory (the UnsafeBuffer keeps only its address). */
    private final MemorySegment headerMemory;

    /** A scratch area in its own automatic arena. */
    public SegmentScratch()
    {
        final Arena arena = Arena.ofAuto();
        this.headerMemory = arena.allocate(HEADER_ROOM, 64);
        this.header = new UnsafeBuffer(headerMemory.address(), HEADER_ROOM);
        this.iov = arena.allocate(32, 8);
        iov.set(ValueLayout.JAVA_LONG, 0, headerMemory.address());
    }

    /**
     * The header memory's size.
     *
     * @return bytes.
     */
    long headerBytes()
    {
        return headerMemory.byteSize();
    }
}
