package dev.mote.runtime.internal.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * TFLM's greedy memory planner ({@code greedy_memory_planner.cc}), placement for placement: offline-planned buffers
 * first at their given offsets, then the other buffers largest first — buffers of equal size in the reverse of the
 * order they were added, as TFLM's fill-from-the-back plus stable bubble sort leaves them — each at the lowest
 * offset where it fits between the already placed buffers that are alive at the same time.
 *
 * <pre>{@code
 * GreedyMemoryPlanner planner = new GreedyMemoryPlanner();
 * planner.addBuffer(16, 0, 1);
 * planner.addBuffer(16, 1, 2);
 * int arenaHead = planner.maximumMemorySize();
 * }</pre>
 */
public final class GreedyMemoryPlanner {
    /** The offline offset of a buffer the planner places ({@code kOnlinePlannedBuffer}). */
    public static final int ONLINE = -1;

    private final List<int[]> requirements = new ArrayList<>(); // {size, firstUsed, lastUsed, offlineOffset}
    private int[] offsets;

    /** Adds a buffer alive from time {@code firstUsed} to {@code lastUsed} (inclusive). */
    public void addBuffer(int size, int firstUsed, int lastUsed) {
        addBuffer(size, firstUsed, lastUsed, ONLINE);
    }

    /** Adds a buffer whose offset was planned offline (or {@link #ONLINE} to let the planner place it). */
    public void addBuffer(int size, int firstUsed, int lastUsed, int offlineOffset) {
        if (size < 0 || firstUsed > lastUsed || offlineOffset < ONLINE) {
            throw new IllegalArgumentException("buffer size " + size + " alive " + firstUsed + ".." + lastUsed
                    + " offline offset " + offlineOffset);
        }
        requirements.add(new int[] {size, firstUsed, lastUsed, offlineOffset});
        offsets = null;
    }

    public int bufferCount() {
        return requirements.size();
    }

    /** The size of buffer {@code index} as added. */
    public int size(int index) {
        return requirements.get(index)[0];
    }

    public int firstUsed(int index) {
        return requirements.get(index)[1];
    }

    public int lastUsed(int index) {
        return requirements.get(index)[2];
    }

    /** The planned offset of buffer {@code index} (in the order added). */
    public int offset(int index) {
        plan();
        return offsets[index];
    }

    /** Bytes needed for all buffers: the highest end offset ({@code GetMaximumMemorySize}). */
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
        List<Integer> order = new ArrayList<>();
        List<Integer> online = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (requirements.get(i)[3] != ONLINE) {
                order.add(i);
            } else {
                online.add(0, i); // TFLM fills online buffers from the back: reverse order of addition
            }
        }
        online.sort((a, b) -> Integer.compare(requirements.get(b)[0], requirements.get(a)[0])); // stable
        order.addAll(online);
        List<Integer> placed = new ArrayList<>(); // sorted by offset; equal offsets in placement order
        for (int id : order) {
            int[] want = requirements.get(id);
            int offset;
            if (want[3] != ONLINE) {
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
