package io.vrouter.core.watch;

import org.agrona.DirectBuffer;

/**
 * Where a capture's frames go (the daemon writes them to a pcap file). Called on worker threads while
 * the capture is on; the frame's bytes are only valid during the call, so a sink copies what it keeps.
 */
public interface FrameSink
{
    /**
     * One frame the captured interface received or sent.
     *
     * @param vif    the interface.
     * @param sent   true for a frame sent out of it, false for one received.
     * @param buffer the frame's buffer.
     * @param offset where the frame starts.
     * @param length its length.
     */
    void frame(int vif, boolean sent, DirectBuffer buffer, int offset, int length);

    /** The capture has taken its last frame (its count was reached or it was stopped). */
    void finished();
}
