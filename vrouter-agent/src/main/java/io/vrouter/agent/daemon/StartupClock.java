package io.vrouter.agent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Where the daemon's start went, for its "started" line: from the process's start (the kernel's record of
 * it, to 10 ms) to {@code main}, then each phase the start marks. A restart without the controller forwards
 * again when the start is over (docs/reliability.md), so this line is what an operator reads to see why a
 * restart took the time it took. Marked by the thread that starts the daemon; read once.
 */
final class StartupClock
{
    private static final int MAX_PHASES = 16;
    /** Field 22 of /proc/PID/stat (starttime) counted from field 3, the first after the command's name. */
    private static final int STARTTIME_AFTER_COMM = 19;
    /** USER_HZ is 100 on Linux (the ABI of /proc). */
    private static final long MILLIS_PER_TICK = 10;

    private static final String[] NAMES = new String[MAX_PHASES];
    private static final long[] ENDS = new long[MAX_PHASES];
    private static long mainNanos;
    private static long jvmMillis;
    private static int phases;

    private StartupClock()
    {
    }

    /** The start of {@code main}: the end of the JVM's own start. */
    static void mainEntered()
    {
        mainNanos = System.nanoTime();
        jvmMillis = sinceProcessStart();
        phases = 0;
    }

    /**
     * The end of a phase of the start, since the previous mark.
     *
     * @param name the phase.
     */
    static void mark(final String name)
    {
        if (mainNanos != 0 && phases < MAX_PHASES)
        {
            NAMES[phases] = name;
            ENDS[phases] = System.nanoTime();
            phases++;
        }
    }

    /**
     * The start so far: {@code 812 ms since the process started (JVM 160, arguments 130, ...)}, or an empty
     * string when {@code main} was not timed (a node started in-process, by a test).
     *
     * @return the summary.
     */
    static String summary()
    {
        if (mainNanos == 0)
        {
            return "";
        }
        final long now = System.nanoTime();
        final long jvm = jvmMillis;
        final java.util.List<String> parts = new java.util.ArrayList<>();
        if (jvm >= 0)
        {
            parts.add("JVM " + jvm);
        }
        long previous = mainNanos;
        for (int i = 0; i < phases; i++)
        {
            parts.add(NAMES[i] + " " + ms(ENDS[i] - previous));
            previous = ENDS[i];
        }
        final long sinceMain = ms(now - mainNanos);
        return ", " + (jvm >= 0 ? (jvm + sinceMain) + " ms since the process started" : sinceMain + " ms since main")
            + " (" + String.join(", ", parts) + " ms)";
    }

    /**
     * Milliseconds since this process started, from the kernel's clock since boot ({@code /proc/uptime}, 10 ms)
     * and the process's start on it ({@code /proc/self/stat} field 22, in clock ticks of 10 ms), both relative to
     * the boot (the boot's wall-clock time is kept to the second only); -1 when unknown.
     */
    private static long sinceProcessStart()
    {
        try
        {
            final String uptime = Files.readString(Path.of("/proc/uptime"));
            final String stat = Files.readString(Path.of("/proc/self/stat"));
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            final long startTicks = Long.parseLong(fields[STARTTIME_AFTER_COMM]);
            final long upMillis = Math.round(Double.parseDouble(uptime.substring(0, uptime.indexOf(' '))) * 1000);
            return Math.max(0, upMillis - startTicks * MILLIS_PER_TICK);
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    private static long ms(final long nanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
