package dev.mote.runtime.internal.memory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArenaReplayTest {

    @Test
    void persistentBuffersAreAlignedDownFromTheEnd() {
        ArenaReplay r = new ArenaReplay().persistent("c", "a", 5, 1).persistent("c", "b", 4, 4);
        ArenaReplay.Outcome o = r.run(64);
        assertTrue(o.ok());
        assertEquals(12, o.tailBytes()); // 5 bytes, then 4 bytes aligned down: 3 bytes of padding
        assertEquals(5, o.tail().get(0).bytes());
        assertEquals(7, o.tail().get(1).bytes());
    }

    @Test
    void tailAlignmentDependsOnTheArenaSizeModulo16() {
        ArenaReplay r = new ArenaReplay().persistent("c", "a", 8, 8).persistent("c", "b", 16, 16);
        assertEquals(32, r.run(64).tailBytes());  // 64-8=56, 56-16=40 -> 32: 8 bytes padding
        assertEquals(24, r.run(72).tailBytes());  // 72-8=64, 64-16=48
    }

    @Test
    void persistentAllocationsMayOverlapTemporariesButNotTheHead() {
        ArenaReplay r = new ArenaReplay().head("h", 16, 4, false).temp("t", 32, 4).persistent("c", "p", 8, 4);
        assertTrue(r.fits(56));   // 16 head + 32 temp + 8 tail: fits exactly
        assertTrue(r.fits(48));   // the persistent buffer lands on the temporaries, as in TFLM
        assertFalse(r.fits(23));  // would cross the head
    }

    @Test
    void temporariesMustNotCrossTheTail() {
        ArenaReplay r = new ArenaReplay().persistent("c", "p", 16, 16).temp("t", 32, 4);
        assertFalse(r.fits(47));
        assertTrue(r.fits(48));
        assertEquals(48, r.smallestArena());
    }

    @Test
    void plannerNeedsItsWorkingMemoryBetweenTemporariesAndTail() {
        ArenaReplay r = new ArenaReplay().persistent("c", "p", 4, 4).temp("t", 20, 4)
                .plannerScratch("planner", 2, 40).resetTemps("r").releaseHead("h").overlay("o", 32);
        // temp ends at 20 -> aligned 32; needs 80 bytes before the tail, aligned down to 16.
        assertEquals(116, r.smallestArena());
        assertEquals("planner", r.run(115).failedStep().what());
    }

    @Test
    void smallestArenaMayBeSmallerThanTheBytesUsedInAMultipleOf16() {
        // 8 bytes at alignment 8, then 16 at 16: in an arena of 40 the second lands without padding.
        ArenaReplay r = new ArenaReplay().persistent("c", "a", 8, 8).persistent("c", "b", 16, 16);
        assertEquals(32, r.run(1024).tailBytes());
        assertEquals(24, r.smallestArena());
    }
}
