package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.Softmax;
import dev.mote.vocabulary.TensorType;

/**
 * SOFTMAX with int8 input and int8 or int16 output: {@code mote_softmax_s8} with the prepared input multiplier, left
 * shift and diff_min; one row of int32 exponentials as arena scratch. Where TFLM's fixed-point sum check fails, the
 * generated {@code NAME_invoke} returns 2.
 */
public final class SoftmaxEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        Softmax.QuantizedParameters p = op.kernel(Softmax.class).quantizedParameters();
        if (p == null || op.inputTensor(0).type() != TensorType.INT8) {
            throw op.unsupported(op.inputTensor(0).type() + " SOFTMAX (int8 input only)");
        }
        op.use("fixed_point");
        op.use("softmax");
        String row = op.scratch("softmax row exponentials", 4L * p.depth(), "int32_t");
        op.statement("if (mote_softmax_s8(" + op.input(0) + ", " + op.output(0, "void") + ", " + p.outputBits()
                + ", " + p.rows() + ", " + p.depth() + ", " + EmitContext.intLiteral(p.inputMultiplier()) + ", "
                + p.inputLeftShift() + ", " + EmitContext.intLiteral(p.diffMin()) + ", " + row + ")) {\n"
                + "        return 2;\n    }");
    }
}
