package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.StridedSlice;

/** STRIDED_SLICE, any element type: {@code mote_strided_gather} from the prepared starts, steps and counts. */
public final class StridedSliceEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        StridedSlice.Layout l = op.kernel(StridedSlice.class).layout();
        for (int c : l.counts()) {
            if (c == 0) {
                return;
            }
        }
        int e = l.elementSize();
        if (l.starts().length == 0) {
            op.statement("memcpy(" + op.output(0, "uint8_t") + ", " + op.input(0, "uint8_t") + ", " + e + ");");
            return;
        }
        long base = 0;
        int[] steps = new int[l.starts().length];
        for (int d = 0; d < steps.length; d++) {
            base += (long) l.starts()[d] * l.inputStrides()[d] * e;
            steps[d] = l.steps()[d] * l.inputStrides()[d];
        }
        op.use("strided_copy");
        op.statement("mote_strided_gather(" + op.input(0, "uint8_t") + " + " + base + ", " + op.output(0, "uint8_t")
                + ", " + e + ", " + op.constInts("counts", Padded.toRank5(l.counts(), 1, 1)) + ", "
                + op.constInts("strides", Padded.toRank5(steps, 0, e)) + ");");
    }
}
