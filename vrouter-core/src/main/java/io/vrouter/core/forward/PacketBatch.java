package io.vrouter.core.forward;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A batch of packets, the unit every port and the forwarder exchange (VPP's frame, smaller).
 * <p>
 * Each slot is a preallocated off-heap buffer with {@link #HEADROOM} bytes in front of the frame, so
 * tunnel encapsulation steps back into the headroom and never moves the payload. Per slot the batch
 * carries the frame's offset and length, the interface it arrived on and, after
 * {@link Forwarder#process(PacketBatch)}, the interface to send it out of ({@link #DROPPED} when the
 * forwarder dropped and counted it). Nothing is allocated after construction.
 * <p>
 * Behind the {@link #capacity()} input slots the batch keeps spare slots for copies the forwarder
 * makes (mirroring): {@link #addCopy} fills them, and ports send every slot up to
 * {@link #outputCount()}, not only up to {@link #count()}.
 */
public final class PacketBatch
{
    /** Bytes kept free in front of every received frame for encapsulation. */
    public static final int HEADROOM = 128;
    /** Default largest frame a slot holds (jumbo frames up to 9,216 bytes plus room). */
    public static final int DEFAULT_MAX_FRAME = 10240;
    /** Output value of a packet the forwarder dropped. */
    public static final int DROPPED = -1;

    private final UnsafeBuffer[] buffers;
    private final int[] offsets;
    private final int[] lengths;
    private final int[] inVifs;
    private final int[] outVifs;
    private final int maxFrame;
    private final int inputCapacity;
    private int count;
    private int copies;

    /**
     * A batch with one spare slot per input slot (every packet can be mirrored once).
     *
     * @param capacity number of slots.
     * @param maxFrame largest frame a slot holds, excluding headroom.
     */
    public PacketBatch(final int capacity, final int maxFrame)
    {
        this(capacity, maxFrame, capacity);
    }

    /**
     * A batch with a chosen number of spare slots for copies.
     *
     * @param capacity number of input slots.
     * @param maxFrame largest frame a slot holds, excluding headroom.
     * @param spare    slots for copies (mirroring).
     */
    public PacketBatch(final int capacity, final int maxFrame, final int spare)
    {
        final int slots = capacity + spare;
        this.inputCapacity = capacity;
        this.buffers = new UnsafeBuffer[slots];
        this.offsets = new int[slots];
        this.lengths = new int[slots];
        this.inVifs = new int[slots];
        this.outVifs = new int[slots];
        this.maxFrame = maxFrame;
        for (int i = 0; i < slots; i++)
        {
            buffers[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(HEADROOM + maxFrame));
        }
    }

    /**
     * Number of slots.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return inputCapacity;
    }

    /**
     * Number of slots to send after processing: the inputs and the copies.
     *
     * @return {@link #count()} plus the copies.
     */
    public int outputCount()
    {
        return count + copies;
    }

    /**
     * Number of copies the forwarder added.
     *
     * @return copies.
     */
    public int copies()
    {
        return copies;
    }

    /**
     * Adds a copy of a frame to send (the forwarder; mirroring).
     *
     * @param vifIndex interface the original arrived on.
     * @param outVif   interface to send the copy on.
     * @param src      buffer holding the frame.
     * @param offset   frame offset in src.
     * @param length   frame length.
     * @return the slot, or -1 if no spare slot is left or the frame is too large.
     */
    public int addCopy(final int vifIndex, final int outVif, final UnsafeBuffer src, final int offset,
        final int length)
    {
        final int slot = count + copies;
        if (slot == buffers.length || length > maxFrame)
        {
            return -1;
        }
        copies++;
        buffers[slot].putBytes(HEADROOM, src, offset, length);
        offsets[slot] = HEADROOM;
        lengths[slot] = length;
        inVifs[slot] = vifIndex;
        outVifs[slot] = outVif;
        return slot;
    }

    /**
     * Largest frame a slot holds.
     *
     * @return bytes.
     */
    public int maxFrame()
    {
        return maxFrame;
    }

    /**
     * Number of packets in the batch.
     *
     * @return the count.
     */
    public int count()
    {
        return count;
    }

    /** Forgets copies of an earlier pass (the forwarder, before processing). */
    void resetCopies()
    {
        copies = 0;
    }

    /**
     * Empties the batch.
     */
    public void clear()
    {
        count = 0;
        copies = 0;
    }

    /**
     * Copies a received frame into the next slot.
     *
     * @param vifIndex interface it arrived on.
     * @param src      frame bytes.
     * @param offset   offset in src.
     * @param length   frame length.
     * @return the slot index, or -1 if the batch is full or the frame too large.
     */
    public int add(final int vifIndex, final byte[] src, final int offset, final int length)
    {
        if (count == inputCapacity || length > maxFrame)
        {
            return -1;
        }
        copies = 0;
        final int slot = count++;
        buffers[slot].putBytes(HEADROOM, src, offset, length);
        offsets[slot] = HEADROOM;
        lengths[slot] = length;
        inVifs[slot] = vifIndex;
        outVifs[slot] = DROPPED;
        return slot;
    }

    /**
     * Claims the next slot for a port that writes the frame itself (at {@link #HEADROOM}); the
     * port then calls {@link #commit(int, int, int)}.
     *
     * @return the slot index, or -1 if full.
     */
    public int claim()
    {
        return count == inputCapacity ? -1 : count;
    }

    /**
     * Commits a claimed slot.
     *
     * @param slot     the index {@link #claim()} returned.
     * @param vifIndex interface the frame arrived on.
     * @param length   frame length, written at {@link #HEADROOM}.
     */
    public void commit(final int slot, final int vifIndex, final int length)
    {
        offsets[slot] = HEADROOM;
        lengths[slot] = length;
        inVifs[slot] = vifIndex;
        outVifs[slot] = DROPPED;
        count = slot + 1;
        copies = 0;
    }

    /**
     * The buffer of a slot.
     *
     * @param slot index.
     * @return the buffer (frame at {@link #offset(int)}).
     */
    public UnsafeBuffer buffer(final int slot)
    {
        return buffers[slot];
    }

    /**
     * Frame offset in the slot buffer.
     *
     * @param slot index.
     * @return the offset.
     */
    public int offset(final int slot)
    {
        return offsets[slot];
    }

    /**
     * Frame length.
     *
     * @param slot index.
     * @return bytes.
     */
    public int length(final int slot)
    {
        return lengths[slot];
    }

    /**
     * Interface the frame arrived on.
     *
     * @param slot index.
     * @return vif index.
     */
    public int inVif(final int slot)
    {
        return inVifs[slot];
    }

    /**
     * Interface to send the frame on, or {@link #DROPPED}.
     *
     * @param slot index.
     * @return vif index or DROPPED.
     */
    public int outVif(final int slot)
    {
        return outVifs[slot];
    }

    /**
     * Sets the forwarding result of a slot (the forwarder's job).
     *
     * @param slot     index.
     * @param outVif   output interface or {@link #DROPPED}.
     * @param offset   new frame offset.
     * @param length   new frame length.
     */
    public void result(final int slot, final int outVif, final int offset, final int length)
    {
        outVifs[slot] = outVif;
        offsets[slot] = offset;
        lengths[slot] = length;
    }

    /**
     * Marks a slot dropped.
     *
     * @param slot index.
     */
    public void drop(final int slot)
    {
        outVifs[slot] = DROPPED;
    }
}
