package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.ConvolutionKernel;
import dev.mote.vocabulary.TensorType;

/**
 * CONV_2D and DEPTHWISE_CONV_2D, int8 with per-channel (or per-tensor) weights and int32 bias:
 * {@code mote_conv_s8} / {@code mote_depthwise_conv_s8}, with the geometry and the per-channel multipliers and shifts
 * that the prepared kernel derived as constants.
 */
public final class ConvolutionEmitter implements OpEmitter {
    private final boolean depthwise;

    public ConvolutionEmitter(boolean depthwise) {
        this.depthwise = depthwise;
    }

    @Override
    public void emit(EmitContext op) {
        ConvolutionKernel.Int8Parameters p = op.kernel(ConvolutionKernel.class).int8Parameters();
        if (p == null) {
            throw op.unsupported(op.inputTensor(0).type() + " " + op.op() + " (int8 only)");
        }
        if (op.inputTensor(1).type() != TensorType.INT8) {
            throw op.unsupported("a " + op.inputTensor(1).type() + " filter (int8 only)");
        }
        op.requireTypes(TensorType.INT8, TensorType.INT32);
        op.use(depthwise ? "depthwise_conv" : "conv");
        String bias = op.inputCount() > 2 && op.inputTensor(2) != null ? op.input(2) : "((const int32_t *)0)";
        String multipliers = op.constInts("multipliers", p.multipliers());
        String shifts = op.constInts("shifts", p.shifts());
        String fourth = depthwise ? Integer.toString(p.depthMultiplier()) : Integer.toString(p.filterDepth());
        op.statement((depthwise ? "mote_depthwise_conv_s8(" : "mote_conv_s8(") + op.input(0) + ", " + op.input(1)
                + ", " + bias + ", " + op.output(0) + ",\n        " + p.batches() + ", " + p.inHeight() + ", "
                + p.inWidth() + ", " + p.inDepth() + ", " + p.outHeight() + ", " + p.outWidth() + ", "
                + p.outDepth() + ", " + p.filterHeight() + ", " + p.filterWidth() + ", " + fourth + ", "
                + p.strideHeight() + ", " + p.strideWidth() + ", " + p.dilationHeight() + ", " + p.dilationWidth()
                + ", " + p.padHeight() + ", " + p.padWidth() + ",\n        "
                + EmitContext.intLiteral(p.inputOffset()) + ", " + EmitContext.intLiteral(p.outputOffset()) + ", "
                + multipliers + ", " + shifts + ", " + p.actMin() + ", " + p.actMax() + ");");
    }
}
