package io.vrouter.core.nh;

import io.vrouter.core.graph.NodeIds;
import io.vrouter.core.graph.PacketBatch;
import io.vrouter.encap.TunnelType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The next-hop table: NH id to {@link NextHop}.
 * <p>
 * Overview: ids are chosen by the agent and validated against the table size. One writer
 * publishes immutable records with release stores into a plain array; workers read with acquire loads
 * (one array load on x86, after one range check). Id 0 is
 * always the discard next hop and cannot be changed or deleted.
 */
public final class NextHopTable
{
    /** Contrail's default number of next hops. */
    public static final int DEFAULT_SIZE = 524288;

    /** The discard next hop every table holds at id 0. */
    public static final NextHop DISCARD = new NextHop(
        0, NextHopType.DISCARD, 2, NextHopFlags.VALID, 0, -1, new byte[0], 0, 0, 0, 0,
        new int[0], new int[0], 0, null, TunnelType.NONE, NodeIds.DISCARD, NodeIds.DISCARD, PacketBatch.DONE);

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(NextHop[].class);

    private final NextHop[] nextHops;

    /**
     * A table holding only the discard next hop.
     *
     * @param size number of ids.
     */
    public NextHopTable(final int size)
    {
        this.nextHops = new NextHop[size];
        SLOT.setRelease(nextHops, 0, DISCARD);
    }

    /**
     * Number of ids.
     *
     * @return the size.
     */
    public int size()
    {
        return nextHops.length;
    }

    /**
     * The next hop with an id, any thread.
     *
     * @param id NH id.
     * @return the next hop, or null when absent or out of range.
     */
    public NextHop get(final int id)
    {
        final NextHop[] table = nextHops;
        if (id < 0 || id >= table.length)
        {
            return null;
        }
        return (NextHop)SLOT.getAcquire(table, id);
    }

    /**
     * Publishes a next hop (writer thread only).
     *
     * @param nh the next hop.
     */
    public void put(final NextHop nh)
    {
        SLOT.setRelease(nextHops, nh.id(), nh);
    }

    /**
     * Removes a next hop (writer thread only).
     *
     * @param id NH id, not 0.
     */
    public void remove(final int id)
    {
        SLOT.setRelease(nextHops, id, null);
    }
}
