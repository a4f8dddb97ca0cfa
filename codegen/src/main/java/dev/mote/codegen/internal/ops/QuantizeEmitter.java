package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.Quantize;
import dev.mote.vocabulary.TensorType;

/**
 * QUANTIZE: float32 → int8 with {@code mote_quantize_f32_s8} (float arithmetic, as TFLM's AffineQuantize), int8 →
 * int8 as an in-place lookup of the prepared kernel's requantization table.
 */
public final class QuantizeEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        Quantize kernel = op.kernel(Quantize.class);
        if (kernel.outputType() != TensorType.INT8
                || (kernel.inputType() != TensorType.INT8 && kernel.inputType() != TensorType.FLOAT32)) {
            throw op.unsupported(kernel.inputType() + " to " + kernel.outputType()
                    + " QUANTIZE (float32 or int8 to int8 only)");
        }
        byte[] table = kernel.requantizeTable();
        int count = op.outputTensor(0).elementCount();
        if (table != null) {
            op.use("relu");
            op.inPlace(0, 0);
            op.statement("mote_lookup_s8(" + op.input(0) + ", " + op.output(0) + ", " + count + ", "
                    + op.constBytes("requantize", table) + ");");
            return;
        }
        op.use("quantize");
        op.statement("mote_quantize_f32_s8(" + op.input(0) + ", " + op.output(0) + ", " + count + ", "
                + EmitContext.floatLiteral(kernel.outputScale()) + ", " + kernel.outputZeroPoint() + ");");
    }
}
