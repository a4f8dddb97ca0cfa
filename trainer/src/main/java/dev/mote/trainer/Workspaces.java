package dev.mote.trainer;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Allocation helpers for custom activations that must return arrays in their input's DL4J workspace. */
final class Workspaces {

    private Workspaces() {
    }

    /** A new array of {@code in}'s shape and type holding {@code values} (row-major), where {@link #copyBeside} puts it. */
    static INDArray createBeside(INDArray in, float[] values) {
        MemoryWorkspace ws = in.isAttached() ? in.data().getParentWorkspace() : null;
        if (ws == null) {
            return Nd4j.create(values, in.shape(), 'c').castTo(in.dataType());
        }
        try (MemoryWorkspace scope = ws.notifyScopeBorrowed()) {
            return Nd4j.create(values, in.shape(), 'c').castTo(in.dataType());
        }
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
