package dev.mote.runtime.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * TFLM's greedy memory planner: buffers are placed largest first (ties keep the order they were added in), each at
 * the lowest offset where it does not overlap any already placed buffer that is alive at the same time.
 *
 * <pre>{@code
 * GreedyMemoryPlanner planner = new GreedyMemoryPlanner();
 * planner.addBuffer(16, 0, 1);
 * planner.addBuffer(16, 1, 2);
 * int arenaHead = planner.maximumMemorySize();
 * }</pre>
 */
public final class GreedyMemoryPlanner {
    private final List<int[]> requirements = new ArrayList<>(); // {size, firstUsed, lastUsed, offlineOffset}
    private int[] offsets;

    /** Adds a buffer alive from operator {@code firstUsed} to {@code lastUsed} (inclusive). */
    public void addBuffer(int size, int firstUsed, int lastUsed) {
        addBuffer(size, firstUsed, lastUsed, -1);
    }

    /** Adds a buffer whose offset was planned offline (or {@code -1} to let the planner place it). */
    public void addBuffer(int size, int firstUsed, int lastUsed, int offlineOffset) {
        if (size < 0 || firstUsed > lastUsed) {
            throw new IllegalArgumentException("buffer size " + size + " alive " + firstUsed + ".." + lastUsed);
        }
        requirements.add(new int[] {size, firstUsed, lastUsed, offlineOffset});
        offsets = null;
    }

    public int bufferCount() {
        return requirements.size();
    }

    /** The planned offset of buffer {@code index} (in the order added). */
    public int offset(int index) {
        plan();
        return offsets[index];
    }

    /** Bytes needed for all buffers: the highest end offset. */
    public int maximumMemorySize() {
        plan();
        int max = 0;
        for (int i = 0; i < requirements.size(); i++) {
            max = Math.max(max, offsets[i] + requirements.get(i)[0]);
        }
        return max;
    }

    private static boolean overlapInTime(int[] a, int[] b) {
        return !(a[1] > b[2] || b[1] > a[2]);
    }

    private void plan() {
        if (offsets != null) {
            return;
        }
        int n = requirements.size();
        offsets = new int[n];
        // Offline-planned buffers come first, in order; the rest sorted by size, largest first, stable.
        List<Integer> order = new ArrayList<>();
        List<Integer> online = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (requirements.get(i)[3] >= 0 ? order : online).add(i);
        }
        online.sort((a, b) -> Integer.compare(requirements.get(b)[0], requirements.get(a)[0]));
        order.addAll(online);
        // Placed buffers, kept sorted by offset (equal offsets: earlier placed first).
        List<Integer> placed = new ArrayList<>();
        for (int id : order) {
            int[] want = requirements.get(id);
            int offset;
            if (want[3] >= 0) {
                offset = want[3];
            } else {
                offset = 0;
                for (int other : placed) {
                    int[] o = requirements.get(other);
                    if (!overlapInTime(o, want)) {
                        continue;
                    }
                    if (offsets[other] - offset >= want[0]) {
                        break;
                    }
                    offset = Math.max(offset, offsets[other] + o[0]);
                }
            }
            offsets[id] = offset;
            int pos = 0;
            while (pos < placed.size() && offsets[placed.get(pos)] <= offset) {
                pos++;
            }
            placed.add(pos, id);
        }
    }
}
