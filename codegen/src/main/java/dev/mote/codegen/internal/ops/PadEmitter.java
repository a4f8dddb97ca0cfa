package dev.mote.codegen.internal.ops;

import dev.mote.codegen.internal.EmitContext;
import dev.mote.codegen.internal.OpEmitter;
import dev.mote.runtime.internal.kernels.Pad;

/**
 * PAD and PADV2, any element type: fill the output with the pad value (constant_values, or the prepared default),
 * then {@code mote_strided_scatter} the input rows into place.
 */
public final class PadEmitter implements OpEmitter {
    @Override
    public void emit(EmitContext op) {
        Pad.Layout l = op.kernel(Pad.class).layout();
        int e = l.elementSize();
        op.use("strided_copy");
        String value;
        if (op.inputCount() > 2 && op.inputTensor(2) != null) {
            value = op.input(2, "uint8_t");
        } else {
            byte[] pattern = new byte[e];
            if (e == 1) {
                pattern[0] = (byte) l.defaultPadBits();
            }
            value = "(const uint8_t *)" + op.constBytes("pad_value", pattern);
        }
        op.statement("mote_fill(" + op.output(0, "uint8_t") + ", " + op.outputTensor(0).byteSize() + "L, " + value
                + ", " + e + ");");
        if (op.inputTensor(0).elementCount() == 0) {
            return;
        }
        if (l.inputShape().length == 0) {
            op.statement("memcpy(" + op.output(0, "uint8_t") + ", " + op.input(0, "uint8_t") + ", " + e + ");");
            return;
        }
        long base = 0;
        for (int d = 0; d < l.before().length; d++) {
            base += (long) l.before()[d] * l.outputStrides()[d] * e;
        }
        op.statement("mote_strided_scatter(" + op.input(0, "uint8_t") + ", " + op.output(0, "uint8_t") + " + " + base
                + ", " + e + ", " + op.constInts("counts", Padded.toRank5(l.inputShape(), 1, 1)) + ", "
                + op.constInts("strides", Padded.toRank5(l.outputStrides(), 0, e)) + ");");
    }
}
