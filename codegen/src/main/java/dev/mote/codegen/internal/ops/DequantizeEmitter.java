package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.Dequantize;

/** DEQUANTIZE int8 → float32: a lookup of the prepared kernel's 256 float results. */
public final class DequantizeEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        float[] table = op.kernel(Dequantize.class).table();
        if (table == null) {
            throw op.unsupported(op.inputTensor(0).type() + " DEQUANTIZE (int8 only)");
        }
        op.use("dequantize");
        op.statement("mote_dequantize_s8_f32(" + op.input(0) + ", " + op.output(0) + ", "
                + op.outputTensor(0).elementCount() + ", " + op.constFloats("table", table) + ");");
    }
}
