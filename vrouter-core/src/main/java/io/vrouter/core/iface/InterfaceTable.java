package io.vrouter.core.iface;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The interface table: vif index to {@link Vif}.
 * <p>
 * Overview: one writer (the conductor) publishes immutable {@link Vif} records with a release
 * store; forwarding workers read with an acquire load and never block. A deleted interface is a
 * null slot. Indices are assigned by the agent (Contrail: vif0/0 fabric, vif0/1 vhost0, vif0/2
 * pkt0, pods from 3) and validated against the table size.
 */
public final class InterfaceTable
{
    /** Contrail's default: 256 + 4,096 virtual interfaces plus 3 physical. */
    public static final int DEFAULT_SIZE = 4352 + 3;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Vif[].class);

    private final Vif[] vifs;

    /**
     * A table.
     *
     * @param size number of slots.
     */
    public InterfaceTable(final int size)
    {
        this.vifs = new Vif[size];
    }

    /**
     * Number of slots.
     *
     * @return the size.
     */
    public int size()
    {
        return vifs.length;
    }

    /**
     * The interface at an index, for any thread.
     *
     * @param index vif index.
     * @return the interface or null when absent or out of range.
     */
    public Vif get(final int index)
    {
        final Vif[] table = vifs;
        if (index < 0 || index >= table.length)
        {
            return null;
        }
        return (Vif)SLOT.getAcquire(table, index);
    }

    /**
     * Publishes an interface (writer thread only).
     *
     * @param vif the interface; its index must be in range.
     */
    public void put(final Vif vif)
    {
        SLOT.setRelease(vifs, vif.index(), vif);
    }

    /**
     * Removes an interface (writer thread only).
     *
     * @param index vif index.
     */
    public void remove(final int index)
    {
        SLOT.setRelease(vifs, index, null);
    }

    /**
     * Number of interfaces present.
     *
     * @return the count.
     */
    public int count()
    {
        int n = 0;
        for (int i = 0; i < vifs.length; i++)
        {
            if (SLOT.getAcquire(vifs, i) != null)
            {
                n++;
            }
        }
        return n;
    }
}
