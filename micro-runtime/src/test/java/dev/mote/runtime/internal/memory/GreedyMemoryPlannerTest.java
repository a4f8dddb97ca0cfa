package dev.mote.runtime.internal.memory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GreedyMemoryPlannerTest {

    @Test
    void equalSizesArePlacedInReverseOrderOfAdditionLikeTflm() {
        GreedyMemoryPlanner p = new GreedyMemoryPlanner();
        p.addBuffer(16, 0, 1);
        p.addBuffer(16, 0, 1);
        p.addBuffer(16, 0, 1);
        assertEquals(32, p.offset(0));
        assertEquals(16, p.offset(1));
        assertEquals(0, p.offset(2));
        assertEquals(48, p.maximumMemorySize());
    }

    @Test
    void largestFirstAndReuseOfBuffersNotAliveTogether() {
        GreedyMemoryPlanner p = new GreedyMemoryPlanner();
        p.addBuffer(32, 0, 1);   // a
        p.addBuffer(64, 1, 2);   // b, placed first
        p.addBuffer(32, 2, 3);   // c: a is dead by then, so c can take a's place
        assertEquals(0, p.offset(1));
        assertEquals(64, p.offset(0));
        assertEquals(64, p.offset(2));
        assertEquals(96, p.maximumMemorySize());
    }

    @Test
    void smallBufferFillsAGapBetweenLiveBuffers() {
        GreedyMemoryPlanner p = new GreedyMemoryPlanner();
        p.addBuffer(100, 0, 1);
        p.addBuffer(50, 1, 3);
        p.addBuffer(40, 2, 3);   // overlaps only the 50-byte buffer, which sits at 100; the gap [0,100) fits
        assertEquals(0, p.offset(0));
        assertEquals(100, p.offset(1));
        assertEquals(0, p.offset(2));
    }

    @Test
    void offlineOffsetsAreKeptAndOnlineBuffersPlacedAroundThem() {
        GreedyMemoryPlanner p = new GreedyMemoryPlanner();
        p.addBuffer(16, 0, 2, 32);
        p.addBuffer(32, 0, 2);
        p.addBuffer(16, 0, 2);
        assertEquals(32, p.offset(0));
        assertEquals(0, p.offset(1));  // fits exactly below the offline buffer
        assertEquals(48, p.offset(2)); // no gap left below, so above it
    }

    @Test
    void refusesInvalidBuffers() {
        GreedyMemoryPlanner p = new GreedyMemoryPlanner();
        assertThrows(IllegalArgumentException.class, () -> p.addBuffer(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> p.addBuffer(16, 2, 1));
    }
}
