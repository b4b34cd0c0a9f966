package io.vrouter.agent.controller;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two sessions' advertisements merged per key: one key for both, gone only when both withdraw it, kept
 * without staleness while the other session holds it, stale (and swept at end-of-RIB) only when no
 * session does.
 */
class PeerMergeTest
{
    private static final int A = 0;
    private static final int B = 1;

    private final PeerMerge<String, String> merge = new PeerMerge<>(2);

    @Test
    void theSameKeyFromBothSessionsIsOneKeyProgrammedOnce()
    {
        assertTrue(merge.advertise(A, "10.1.1.0/24", "via n2 label 20"), "new: program it");
        assertFalse(merge.advertise(B, "10.1.1.0/24", "via n2 label 20"), "the same from B: nothing to program");
        assertFalse(merge.advertise(A, "10.1.1.0/24", "via n2 label 20"), "a repeat: nothing to program");
        assertEquals(1, merge.size());
        assertEquals(List.of(A, B), merge.holders("10.1.1.0/24"));
    }

    @Test
    void aWithdrawalFromOneSessionKeepsTheKeyAndFromBothRemovesIt()
    {
        merge.advertise(A, "k", "v");
        merge.advertise(B, "k", "v");
        assertNull(merge.withdraw(A, "k"), "B still advertises the same value: nothing changes");
        assertEquals("v", merge.current("k"));
        assertEquals(List.of(B), merge.holders("k"));
        assertNull(merge.withdraw(A, "k"), "A withdrawing again changes nothing");
        assertEquals(new PeerMerge.Change<String, String>("k", null), merge.withdraw(B, "k"), "both withdrew: gone");
        assertEquals(0, merge.size());
        assertNull(merge.withdraw(B, "k"), "an unknown key: nothing to do");
    }

    @Test
    void theLatestValueIsCurrentAndTheOtherSessionsValueTakesOverWhenItIsWithdrawn()
    {
        merge.advertise(A, "k", "old");
        merge.advertise(B, "k", "new");
        assertEquals("new", merge.current("k"), "the latest advertisement is programmed");
        assertEquals(new PeerMerge.Change<>("k", "old"), merge.withdraw(B, "k"),
            "B's value withdrawn: A's, still advertised, is programmed again");
        assertEquals("old", merge.current("k"));
    }

    @Test
    void losingOneSessionKeepsWhatTheOtherAdvertisesAndMarksNothingStale()
    {
        merge.advertise(A, "both", "v");
        merge.advertise(B, "both", "v");
        merge.advertise(B, "onlyB", "w");
        merge.advertise(A, "differs", "a");
        merge.advertise(B, "differs", "b");
        merge.advertise(A, "differs", "a");
        assertEquals(List.of(new PeerMerge.Change<>("differs", "b")), merge.lost(A),
            "only the key whose current value was A's is programmed again, with B's");
        assertEquals(0, merge.staleCount(), "B advertises everything that is left: nothing stale");
        assertEquals(3, merge.size());
        assertFalse(merge.stale("both"));
        assertEquals(List.of(), merge.sweep(), "an end-of-RIB sweeps nothing");
        assertEquals(3, merge.size());
    }

    @Test
    void whatOnlyTheLostSessionAdvertisedIsStaleAndSweptAtTheNextEndOfRib()
    {
        merge.advertise(A, "both", "v");
        merge.advertise(B, "both", "v");
        merge.advertise(A, "onlyA", "x");
        assertEquals(List.of(), merge.lost(A), "no key changes value");
        assertTrue(merge.stale("onlyA"), "no session advertises it any more: kept, stale");
        assertEquals(List.of(A), merge.holders("onlyA"), "shown with the session it came from");
        assertFalse(merge.stale("both"));
        assertEquals(List.of(new PeerMerge.Change<>("onlyA", "x")), merge.sweep());
        assertEquals(1, merge.size());
    }

    @Test
    void losingBothSessionsKeepsEverythingStaleUntilAnEndOfRibSweepsWhatWasNotAdvertisedAgain()
    {
        merge.advertise(A, "k1", "v1");
        merge.advertise(B, "k1", "v1");
        merge.advertise(B, "k2", "v2");
        merge.lost(A);
        assertEquals(0, merge.staleCount());
        assertEquals(List.of(), merge.lost(B), "the last session lost: nothing reprogrammed");
        assertEquals(2, merge.staleCount(), "everything stale, kept");
        assertEquals(List.of(B), merge.holders("k1"), "shown with the last session that advertised it");
        assertFalse(merge.advertise(A, "k1", "v1"), "A back with the same value: nothing to program");
        assertFalse(merge.stale("k1"), "advertised again: fresh");
        assertEquals(List.of(new PeerMerge.Change<>("k2", "v2")), merge.sweep(), "A's end-of-RIB sweeps k2 only");
        assertEquals(1, merge.size());
    }

    @Test
    void aWithdrawalOfAStaleKeyRemovesIt()
    {
        merge.advertise(A, "k", "v");
        merge.lost(A);
        assertTrue(merge.stale("k"));
        assertEquals(new PeerMerge.Change<String, String>("k", null), merge.withdraw(B, "k"));
        assertEquals(0, merge.size());
    }
}
