package dev.mote.trainer;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Allocation helpers for custom activations that must return arrays in their input's DL4J workspace. */
final class Workspaces {

    private Workspaces() {
    }

    /** A copy of {@code in} in the workspace {@code in} lives in (or detached if it lives in none). */
    static INDArray copyBeside(INDArray in) {
        MemoryWorkspace ws = in.isAttached() ? in.data().getParentWorkspace() : null;
        if (ws == null) {
            return in.dup();
        }
        try (MemoryWorkspace scope = ws.notifyScopeBorrowed()) {
            return in.dup();
        }
    }
}
