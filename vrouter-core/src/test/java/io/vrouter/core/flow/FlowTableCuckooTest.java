package io.vrouter.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The cuckoo index's own paths, which random keys in a roomy table seldom reach: keys crowded into a few primary
 * buckets so that buckets fill, keys go to their alternative bucket and inserts displace other keys (checked against
 * a {@link HashMap} model after every operation, seed printed), and lock-free readers that must find every present
 * key while the writer moves keys around them.
 */
class FlowTableCuckooTest
{
    private static final FlowTableConfig SMALL = new FlowTableConfig(64, 0, 1 << 20, 1 << 20, 16,
        TimeUnit.SECONDS.toNanos(180), TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(2));

    private record Tuple(int nh, int src, int dst, int sport, int dport)
    {
        FlowKey fill(final FlowKey k)
        {
            return k.set4(nh, 17, src, dst, sport, dport);
        }
    }

    /** Keys whose primary bucket is one of the first {@code primaries} buckets of the table. */
    private static Tuple[] crowded(final FlowTable table, final SplittableRandom random, final int count,
        final int primaries)
    {
        final Tuple[] keys = new Tuple[count];
        final FlowKey k = new FlowKey();
        final java.util.Set<Tuple> seen = new java.util.HashSet<>();
        int n = 0;
        while (n < count)
        {
            final Tuple t = new Tuple(random.nextInt(4), 0x0A000000 | random.nextInt(1 << 16),
                0x0B000000 | random.nextInt(1 << 16), random.nextInt(1 << 16), random.nextInt(1 << 16));
            if (table.primaryBucket(t.fill(k).hash()) < primaries && seen.add(t))
            {
                keys[n++] = t;
            }
        }
        return keys;
    }

    @Test
    void shouldAnswerAsAHashMapWhenBucketsFillAndKeysAreDisplaced()
    {
        final long seed = Long.getLong("vrouter.flow.seed", System.nanoTime());
        System.out.println("FlowTableCuckooTest seed " + seed + " (replay: -Dvrouter.flow.seed=" + seed + ")");
        final SplittableRandom random = new SplittableRandom(seed);
        final FlowTable table = FlowTable.createAnonymous(SMALL);
        assertEquals(16, table.buckets(), "64 entries, 1.25 slots each, in buckets of 8");
        // 4 primary buckets hold 32 keys: the rest must go to their alternative buckets, and once those fill,
        // displace keys already there.
        final Tuple[] space = crowded(table, random, 200, 4);
        final KeyModel<Tuple> keys = new KeyModel<>();
        final Map<Tuple, Integer> model = keys.entries();
        final FlowKey k = new FlowKey();
        final FlowTable.Setup s = new FlowTable.Setup();
        s.withReverse = false;
        int maxAlternative = 0;
        for (int op = 0; op < 50_000; op++)
        {
            final String at = "seed " + seed + ", operation " + op;
            final int kind = random.nextInt(10);
            if (kind < ((op / 5_000) % 2 == 0 ? 7 : 4))
            {
                final Tuple t = space[random.nextInt(space.length)];
                final int got = table.insert(t.fill(k), k.hash(), k, k.hash(), s, 0);
                keys.inserted(t, got, () -> table.lookup(t.fill(k), k.hash()), at);
            }
            else if (kind < 8 && keys.anyPresent(random) instanceof final Tuple t)
            {
                assertTrue(table.delete(keys.deleted(t), -1), at + ": delete of a present key");
            }
            else
            {
                final Tuple t = space[random.nextInt(space.length)];
                assertEquals(model.getOrDefault(t, -1).intValue(), table.lookup(t.fill(k), k.hash()), at + ": lookup");
            }
            assertEquals(model.size(), table.activeEntries(), at + ": active entries");
            maxAlternative = Math.max(maxAlternative, table.overflowUsed());
            if (op % 500 == 499)
            {
                checkAll(table, space, model, at);
            }
        }
        checkAll(table, space, model, "seed " + seed + ", end");
        assertTrue(table.moves() > 0, "seed " + seed + ": no key was ever displaced");
        assertTrue(maxAlternative > 0, "seed " + seed + ": no key ever went to its alternative bucket");
        System.out.println("FlowTableCuckooTest: " + table.moves() + " moves, at most " + maxAlternative
            + " keys in their alternative bucket, " + keys.refusals() + " refusals");
    }

    private static void checkAll(final FlowTable table, final Tuple[] space, final Map<Tuple, Integer> model,
        final String at)
    {
        final FlowKey[] keys = new FlowKey[space.length];
        final long[] hashes = new long[space.length];
        final int[] out = new int[space.length];
        for (int i = 0; i < space.length; i++)
        {
            keys[i] = space[i].fill(new FlowKey());
            hashes[i] = keys[i].hash();
        }
        table.lookupBatch(keys, hashes, space.length, out);
        for (int i = 0; i < space.length; i++)
        {
            final int expected = model.getOrDefault(space[i], -1);
            assertEquals(expected, out[i], at + ": batched lookup of key " + i);
            assertEquals(expected, table.lookup(keys[i], hashes[i]), at + ": lookup of key " + i);
        }
        assertTrue(table.overflowUsed() >= 0 && table.overflowUsed() <= model.size(),
            at + ": keys in alternative buckets " + table.overflowUsed() + " of " + model.size());
    }

    @Test
    void readersFindEveryPresentKeyWhileTheWriterDisplacesKeys() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(11);
        final FlowTable table = FlowTable.createAnonymous(SMALL);
        final Tuple[] space = crowded(table, random, 120, 4);
        final FlowKey k = new FlowKey();
        final FlowTable.Setup s = new FlowTable.Setup();
        s.withReverse = false;
        // 16 stable keys stay present the whole time; the writer inserts and deletes the others around them.
        final int stable = 16;
        final int[] stableIndex = new int[stable];
        for (int i = 0; i < stable; i++)
        {
            stableIndex[i] = table.insert(space[i].fill(k), k.hash(), k, k.hash(), s, 0);
            assertTrue(stableIndex[i] >= 0);
        }
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final long[] lookups = new long[1];
        final Thread reader = new Thread(() ->
        {
            try
            {
                final FlowKey[] keys = new FlowKey[stable];
                final long[] hashes = new long[stable];
                final int[] out = new int[stable];
                for (int i = 0; i < stable; i++)
                {
                    keys[i] = space[i].fill(new FlowKey());
                    hashes[i] = keys[i].hash();
                }
                while (!stop.get())
                {
                    for (int i = 0; i < stable; i++)
                    {
                        final int got = table.lookup(keys[i], hashes[i]);
                        if (got != stableIndex[i])
                        {
                            throw new AssertionError("stable key " + i + " looked up as " + got + ", not "
                                + stableIndex[i] + ", after " + table.moves() + " moves");
                        }
                    }
                    table.lookupBatch(keys, hashes, stable, out);
                    for (int i = 0; i < stable; i++)
                    {
                        if (out[i] != stableIndex[i])
                        {
                            throw new AssertionError("stable key " + i + " batch-looked up as " + out[i]);
                        }
                    }
                    lookups[0] += 2 * stable;
                }
            }
            catch (final Throwable e)
            {
                failure.set(e);
            }
        });
        reader.start();
        final List<Integer> churn = new ArrayList<>();
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        try
        {
            while (System.nanoTime() < end && failure.get() == null)
            {
                final Tuple t = space[stable + random.nextInt(space.length - stable)];
                final int got = table.insert(t.fill(k), k.hash(), k, k.hash(), s, 0);
                if (got >= 0 && !churn.contains(got))
                {
                    churn.add(got);
                }
                if (churn.size() > 40 || (got == FlowTable.FULL && !churn.isEmpty()))
                {
                    table.delete(churn.remove(random.nextInt(churn.size())), -1);
                }
            }
        }
        finally
        {
            stop.set(true);
            reader.join();
        }
        assertNull(failure.get(), () -> "reader failed: " + failure.get());
        assertTrue(table.moves() > 100, "the writer displaced keys: " + table.moves());
        assertTrue(lookups[0] > 1000, "the reader looked up: " + lookups[0]);
    }
}
