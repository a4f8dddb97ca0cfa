package dev.mote.exporter;

/**
 * An arena plan for a model's activation tensors, as written into the {@code OfflineMemoryAllocation} metadata:
 * one offset per subgraph tensor ({@code -1} for tensors TFLM does not place: constants, unused tensors), and what
 * it achieves next to TFLM's own greedy plan.
 *
 * @param tensorOffsets    arena offset of every subgraph tensor, or -1
 * @param greedyBytes      the arena head TFLM's greedy planner needs (tensors and scratch buffers)
 * @param plannedBytes     the arena head with this plan (scratch buffers still placed by TFLM at run time)
 * @param lowerBoundBytes  the largest total of buffers alive at one time: no plan can need less
 */
public record MemoryPlan(int[] tensorOffsets, int greedyBytes, int plannedBytes, int lowerBoundBytes) {

    public MemoryPlan {
        tensorOffsets = tensorOffsets.clone();
    }

    @Override
    public int[] tensorOffsets() {
        return tensorOffsets.clone();
    }

    /** Bytes of arena head this plan saves over TFLM's greedy plan. */
    public int savedBytes() {
        return greedyBytes - plannedBytes;
    }

    /** True if no plan can do better. */
    public boolean isOptimal() {
        return plannedBytes == lowerBoundBytes;
    }

    @Override
    public String toString() {
        return "arena head " + plannedBytes + " bytes planned offline vs " + greedyBytes + " bytes TFLM greedy (lower "
                + "bound " + lowerBoundBytes + ")";
    }
}
