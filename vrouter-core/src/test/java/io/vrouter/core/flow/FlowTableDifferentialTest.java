package io.vrouter.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The flow table against a {@link HashMap} model: random inserts (new and repeated keys), deletes (right and stale
 * generations), lookups (present and absent keys) on a small table, in phases that fill it past its capacity and
 * drain it again, so that probing, overflow chains, refusals and slot reuse are all exercised. After every
 * operation the table's answer must equal the model's; every 1,000 operations every key of the key space is looked
 * up (single and batched) and the stored keys read back. The seed is printed and can be replayed with
 * {@code -Dvrouter.flow.seed=N}.
 */
class FlowTableDifferentialTest
{
    private static final int KEY_SPACE = 6_000;
    private static final int OPERATIONS = 200_000;

    /** One key of the key space as a value (the model's key). */
    private record Tuple(int nh, int proto, int src, int dst, int sport, int dport)
    {
        FlowKey fill(final FlowKey k)
        {
            return k.set4(nh, proto, src, dst, sport, dport);
        }
    }

    @Test
    void shouldAnswerAsAHashMapUnderRandomInsertsDeletesAndLookups()
    {
        final long seed = Long.getLong("vrouter.flow.seed", System.nanoTime());
        System.out.println("FlowTableDifferentialTest seed " + seed + " (replay: -Dvrouter.flow.seed=" + seed + ")");
        final SplittableRandom random = new SplittableRandom(seed);
        final FlowTable table = FlowTable.createAnonymous(FlowTableConfig.sized(1024).withLimits(1 << 20, 1 << 20));
        final Tuple[] space = new Tuple[KEY_SPACE];
        for (int i = 0; i < KEY_SPACE; i++)
        {
            // Few distinct fields so that keys differ in one field only, and hashes collide in buckets often.
            space[i] = new Tuple(random.nextInt(4), random.nextBoolean() ? 6 : 17, 0x0A000000 | random.nextInt(64),
                0x0B000000 | random.nextInt(64), random.nextInt(1 << 16), random.nextInt(8));
        }
        final KeyModel<Tuple> keys = new KeyModel<>();
        final Map<Tuple, Integer> model = keys.entries();
        final FlowKey k = new FlowKey();
        final FlowTable.Setup s = new FlowTable.Setup();
        s.withReverse = false;
        for (int op = 0; op < OPERATIONS; op++)
        {
            final String at = "seed " + seed + ", operation " + op;
            // Phases of 20,000 operations alternate: filling (8 inserts to 1 delete, past the table's capacity, so
            // FULL and the overflow are reached whatever the seed) and draining (4 inserts to 3 deletes).
            final boolean filling = (op / 20_000) % 2 == 0;
            final int kind = random.nextInt(10);
            if (kind < (filling ? 8 : 4))
            {
                final Tuple t = space[random.nextInt(KEY_SPACE)];
                t.fill(k);
                final int got = table.insert(k, k.hash(), k, k.hash(), s, 0);
                keys.inserted(t, got, () -> table.lookup(t.fill(k), k.hash()), at);
            }
            else if (kind < (filling ? 9 : 7) && keys.anyPresent(random) instanceof final Tuple t)
            {
                final int index = model.get(t);
                final int gen = table.gen(index);
                assertFalse(table.delete(index, (gen + 1) & 0xFFFFFF), at + ": a stale generation deletes nothing");
                assertTrue(table.delete(index, gen), at + ": delete of a present key");
                assertFalse(table.delete(index, gen), at + ": a second delete deletes nothing");
                keys.deleted(t);
            }
            else
            {
                final Tuple t = space[random.nextInt(KEY_SPACE)];
                assertEquals(model.getOrDefault(t, -1).intValue(), table.lookup(t.fill(k), k.hash()), at + ": lookup");
            }
            assertEquals(model.size(), table.activeEntries(), at + ": active entries");
            if (op % 1000 == 999)
            {
                checkAll(table, space, model, at);
            }
        }
        checkAll(table, space, model, "seed " + seed + ", end");
        assertTrue(keys.refusals() > 0, "seed " + seed + ": the table never filled up; the test did not reach the "
            + "overflow");
    }

    private static void checkAll(final FlowTable table, final Tuple[] space, final Map<Tuple, Integer> model,
        final String at)
    {
        final int n = 64;
        final FlowKey[] keys = new FlowKey[n];
        final long[] hashes = new long[n];
        final int[] out = new int[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = new FlowKey();
        }
        final FlowKey back = new FlowKey();
        for (int base = 0; base < space.length; base += n)
        {
            final int m = Math.min(n, space.length - base);
            for (int i = 0; i < m; i++)
            {
                hashes[i] = space[base + i].fill(keys[i]).hash();
            }
            table.lookupBatch(keys, hashes, m, out);
            for (int i = 0; i < m; i++)
            {
                final Tuple t = space[base + i];
                final int expected = model.getOrDefault(t, -1);
                assertEquals(expected, out[i], at + ": batched lookup of key " + (base + i));
                assertEquals(expected, table.lookup(keys[i], hashes[i]), at + ": lookup of key " + (base + i));
                if (expected >= 0)
                {
                    table.readKey(expected, back);
                    assertEquals(t, new Tuple(back.nhId, back.proto, back.src4(), back.dst4(), back.sport,
                        back.dport), at + ": stored key fields of entry " + expected);
                }
            }
        }
    }
}
