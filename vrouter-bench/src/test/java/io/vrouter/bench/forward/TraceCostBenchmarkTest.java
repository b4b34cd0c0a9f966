package io.vrouter.bench.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trace-cost benchmark's states are what they say (JMH itself is not run here): each setup forwards, and
 * only the armed states trace or take the watched path.
 */
class TraceCostBenchmarkTest
{
    @ParameterizedTest
    @ValueSource(strings = {"never", "cleared", "armedElsewhere", "tracing"})
    void shouldForwardInEveryTraceState(final String state)
    {
        final TraceCostBenchmark b = new TraceCostBenchmark();
        b.trace = state;
        b.setUp();
        for (int i = 0; i < 40; i++)
        {
            assertEquals(0, b.podToFabric(), "the pod's packets leave by the fabric");
        }
        final int traced = b.tracedPackets();
        if ("tracing".equals(state))
        {
            assertTrue(traced > 0, "tracing records packets");
        }
        else
        {
            assertEquals(0, traced, state + " records nothing");
        }
    }
}
