package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.ElementwiseUnaryKernel;

/**
 * RELU, RELU6, LEAKY_RELU, HARD_SWISH, LOGISTIC and TANH, int8: the prepared kernel's table of TFLM's integer result
 * for each of the 256 inputs, as a 256-byte constant, and {@code mote_lookup_s8}, in place where the input dies.
 */
public final class LookupActivationEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        ElementwiseUnaryKernel kernel = op.kernel(ElementwiseUnaryKernel.class);
        byte[] table = kernel.int8Table();
        if (table == null) {
            throw op.unsupported(op.inputTensor(0).type() + " " + op.op() + " (int8 only)");
        }
        op.use("relu");
        op.inPlace(0, 0);
        op.statement("mote_lookup_s8(" + op.input(0) + ", " + op.output(0) + ", " + kernel.elementCount() + ", "
                + op.constBytes("table", table) + ");");
    }
}
