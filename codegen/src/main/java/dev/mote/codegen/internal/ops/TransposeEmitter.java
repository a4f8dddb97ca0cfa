package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.Transpose;

/** TRANSPOSE, any element type: {@code mote_strided_gather} over the output shape with the input's strides. */
public final class TransposeEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        Transpose.Layout l = op.kernel(Transpose.class).layout();
        if (op.outputTensor(0).elementCount() == 0) {
            return;
        }
        op.use("strided_copy");
        op.statement("mote_strided_gather(" + op.input(0, "uint8_t") + ", " + op.output(0, "uint8_t") + ", "
                + l.elementSize() + ", " + op.constInts("counts", Padded.toRank5(l.outputShape(), 1, 1)) + ", "
                + op.constInts("strides", Padded.toRank5(l.inputStrides(), 0, l.elementSize())) + ");");
    }
}
