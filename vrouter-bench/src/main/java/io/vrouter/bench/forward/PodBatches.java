package io.vrouter.bench.forward;

import org.agrona.concurrent.UnsafeBuffer;

import io.vrouter.core.graph.PacketBatch;

/**
 * Batches of one repeated frame for the forwarding benchmarks: filled once, then restored before every
 * invocation (the forwarder rewrites headers in place) without allocating.
 */
final class PodBatches
{
    private PodBatches()
    {
    }

    /**
     * Fills a batch with copies of one frame from one interface.
     *
     * @param batch the batch (cleared first).
     * @param vif   the ingress interface.
     * @param frame the frame.
     * @param size  how many copies.
     * @return the batch.
     */
    static PacketBatch fill(final PacketBatch batch, final int vif, final byte[] frame, final int size)
    {
        batch.clear();
        for (int i = 0; i < size; i++)
        {
            batch.add(vif, frame, 0, frame.length);
        }
        return batch;
    }

    /**
     * Restores what the pod → fabric path rewrites in an IPv4 pod frame (Ethernet header, TTL, IP checksum)
     * and re-commits every slot as received from the pod.
     *
     * @param batch a batch filled by {@link #fill}.
     * @param vif   the pod interface.
     * @param frame the original frame.
     * @param size  how many slots.
     */
    static void restorePodFrames(final PacketBatch batch, final int vif, final byte[] frame, final int size)
    {
        for (int i = 0; i < size; i++)
        {
            final UnsafeBuffer buf = batch.buffer(i);
            final int l3 = PacketBatch.HEADROOM + 14;
            buf.putBytes(PacketBatch.HEADROOM, frame, 0, 14);
            buf.putByte(l3 + 8, frame[14 + 8]);
            buf.putByte(l3 + 10, frame[14 + 10]);
            buf.putByte(l3 + 11, frame[14 + 11]);
            batch.commit(i, vif, frame.length);
        }
    }
}
