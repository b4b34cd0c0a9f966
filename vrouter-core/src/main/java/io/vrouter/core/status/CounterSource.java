package io.vrouter.core.status;

/**
 * Read access to interface counters, summed over every forwarding worker.
 */
public interface CounterSource
{
    /** Interface counter: packets received. */
    int IF_IPACKETS = 0;
    /** Interface counter: bytes received. */
    int IF_IBYTES = 1;
    /** Interface counter: packets sent. */
    int IF_OPACKETS = 2;
    /** Interface counter: bytes sent. */
    int IF_OBYTES = 3;
    /** Interface counter: packets dropped that arrived on the interface. */
    int IF_DROPS = 4;
    /** Number of per-interface counters. */
    int IF_COUNTERS = 5;

    /**
     * An interface counter.
     *
     * @param vifIndex the interface.
     * @param counter  one of the {@code IF_*} constants.
     * @return the value.
     */
    long interfaceCounter(int vifIndex, int counter);

    /**
     * Clears an interface's counters (the interface was deleted).
     *
     * @param vifIndex the interface.
     */
    void clearInterface(int vifIndex);
}
