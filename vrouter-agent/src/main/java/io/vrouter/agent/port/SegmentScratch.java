package io.vrouter.agent.port;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.offload.TcpCoalescer;
import io.vrouter.core.offload.TcpSegmenter;

/**
 * One worker's room for writing a super-frame's segments to a TAP without offloads, and for writing a run of
 * segments coalesced into one super-frame to a TAP with offloads: the segmenter and the coalescer, an off-heap
 * buffer for a vnet header and packet headers, and the {@code iovec}s of a {@code writev} (the headers, then the
 * payload slices in the slots). Allocated once per worker; nothing per packet.
 */
public final class SegmentScratch
{
    /** Room for a vnet header, Ethernet, IPv4/IPv6 and TCP headers with options. */
    static final int HEADER_ROOM = 256;

    /** Entries of the {@code iovec} array: the headers and a coalesced run's payloads. */
    static final int IOVECS = TcpCoalescer.MAX_SEGMENTS + 1;

    final TcpSegmenter segmenter = new TcpSegmenter();
    final TcpCoalescer coalescer = new TcpCoalescer();
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
        this.iov = arena.allocate(16L * IOVECS, 8);
        iov.set(ValueLayout.JAVA_LONG, 0, headerMemory.address());
    }

    /**
     * The coalescer a worker uses to find runs of segments for a pod port with offloads.
     *
     * @return it.
     */
    public TcpCoalescer coalescer()
    {
        return coalescer;
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
