package io.vrouter.core.fib;

/**
 * The size and seed of a randomized sweep (the differential tests). Every build runs the short sweep,
 * sized so that the default {@code mvn verify} stays quick on a small shared machine; the Maven profile
 * {@code full-sweep} ({@code mvn verify -Pfull-sweep}, or {@code -Dvrouter.sweep=full}) runs the full one.
 * A sweep prints its size and its seed when it starts, so that any run, failed or not, can be replayed
 * with the seed property it names. (vrouter-xmpp's fuzz test, which cannot see this class, reads the same
 * property.)
 *
 * @param rounds the rounds this run does (routes for the differential tests).
 * @param seed   the seed of its random sequence.
 */
record Sweep(int rounds, long seed)
{
    /** The system property the build sets: {@code full} for the full sweep; anything else, or none, is short. */
    static final String PROPERTY = "vrouter.sweep";

    /**
     * A sweep seeded from a system property when it is set, from the clock otherwise; printed.
     *
     * @param name         what runs (test class and method), for the printed line.
     * @param shortRounds  rounds of the short sweep.
     * @param fullRounds   rounds of the full sweep.
     * @param seedProperty the system property that replays a seed.
     * @return the sweep.
     */
    static Sweep of(final String name, final int shortRounds, final int fullRounds, final String seedProperty)
    {
        final String s = System.getProperty(seedProperty);
        final long seed = null != s ? Long.parseLong(s) : System.nanoTime();
        final boolean full = "full".equals(System.getProperty(PROPERTY));
        final Sweep sweep = new Sweep(full ? fullRounds : shortRounds, seed);
        System.out.println(name + ": " + sweep.rounds() + " rounds (" + (full ? "full sweep" :
            "short sweep; -Pfull-sweep runs " + fullRounds) + "), seed " + seed + " (-D" + seedProperty + "=" +
            seed + " replays it)");
        return sweep;
    }
}
