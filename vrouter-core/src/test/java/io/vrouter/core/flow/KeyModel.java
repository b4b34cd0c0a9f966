package io.vrouter.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * What a flow table should hold, as a {@link HashMap} from a test's key values to entry indexes, for the
 * randomized tests that compare the table with it after every operation.
 *
 * @param <T> the test's key value.
 */
final class KeyModel<T>
{
    private final Map<T, Integer> entries = new HashMap<>();
    private final List<T> present = new ArrayList<>();
    private int refusals;

    /**
     * Checks what an insert answered for a key against the model, and records a new entry.
     *
     * @param key    the key inserted.
     * @param got    the insert's answer: the entry, or {@link FlowTable#FULL}.
     * @param lookup what the table answers for the key now (asked only after a refusal).
     * @param at     where in the run, for messages.
     */
    void inserted(final T key, final int got, final IntSupplier lookup, final String at)
    {
        final Integer known = entries.get(key);
        if (known != null)
        {
            assertEquals(known.intValue(), got, at + ": insert of a present key returns its entry");
        }
        else if (got == FlowTable.FULL)
        {
            refusals++;
            assertEquals(-1, lookup.getAsInt(), at + ": a refused key is absent");
        }
        else
        {
            assertTrue(got >= 0, at + ": insert returned " + got);
            assertFalse(entries.containsValue(got), at + ": entry " + got + " already holds another key");
            entries.put(key, got);
            present.add(key);
        }
    }

    /**
     * A present key at random, or null when none is.
     *
     * @param random the run's random source.
     * @return the key.
     */
    T anyPresent(final SplittableRandom random)
    {
        return present.isEmpty() ? null : present.get(random.nextInt(present.size()));
    }

    /**
     * Records a key's deletion.
     *
     * @param key a present key.
     * @return the entry it had.
     */
    int deleted(final T key)
    {
        final int at = present.indexOf(key);
        present.set(at, present.get(present.size() - 1));
        present.remove(present.size() - 1);
        return entries.remove(key);
    }

    /**
     * The entries, by key.
     *
     * @return the map (not to be changed).
     */
    Map<T, Integer> entries()
    {
        return entries;
    }

    /**
     * Inserts the table refused.
     *
     * @return the count.
     */
    int refusals()
    {
        return refusals;
    }
}
