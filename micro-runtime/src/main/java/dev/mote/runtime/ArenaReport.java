package dev.mote.runtime;

/**
 * What TFLM's arena would hold for a model on a target: the planned non-persistent tensor bytes at the head, the
 * persistent bookkeeping at the tail, their sum ({@code arena_used_bytes()}), and the smallest arena with which
 * {@code AllocateTensors()} succeeds.
 */
public record ArenaReport(ArenaTarget target, int headBytes, int tailBytes, int minimumArenaBytes) {

    /** What TFLM's {@code arena_used_bytes()} reports after allocation. */
    public int usedBytes() {
        return headBytes + tailBytes;
    }

    @Override
    public String toString() {
        return target + ": head " + headBytes + " + tail " + tailBytes + " = " + usedBytes()
                + " bytes used, smallest arena " + minimumArenaBytes + " bytes";
    }
}
