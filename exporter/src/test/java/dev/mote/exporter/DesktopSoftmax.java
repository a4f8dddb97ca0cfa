package dev.mote.exporter;

import dev.mote.runtime.QuantizedMath;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Tensor;

/**
 * Desktop TFLite 2.8's optimized int8 SOFTMAX, recomputed: a float table {@code expf(-input_scale * beta * d)}
 * indexed by the distance {@code d} to the row maximum, a float sum, {@code 1 / (sum * output_scale)} and
 * {@code roundf}. TFLM runs the fixed-point reference arithmetic instead, which can land one step away.
 */
final class DesktopSoftmax {
    /** Closer than this to a rounding boundary, libm's expf and Java's exp may round apart. */
    private static final double AMBIGUITY = 1e-3;

    private DesktopSoftmax() {
    }

    /** The unrounded outputs ({@code prob_rescaled}) of every row. */
    static float[] rescaled(Model model, Operator op, byte[] input) {
        Tensor in = model.mainSubgraph().tensor(op.input(0));
        Tensor out = model.mainSubgraph().tensor(op.output(0));
        float beta = ((BuiltinOptions.Softmax) op.options()).beta();
        int depth = in.dim(in.rank() - 1);
        float[] table = new float[256];
        float scale = -in.quantization().scale() * beta;
        for (int d = 0; d < 256; d++) {
            table[d] = (float) Math.exp(scale * d);
        }
        float[] result = new float[input.length];
        for (int from = 0; from < input.length; from += depth) {
            int max = Byte.MIN_VALUE;
            for (int c = 0; c < depth; c++) {
                max = Math.max(max, input[from + c]);
            }
            float sum = 0f;
            for (int c = 0; c < depth; c++) {
                sum += table[max - input[from + c]];
            }
            float inverse = 1.0f / (sum * out.quantization().scale());
            for (int c = 0; c < depth; c++) {
                result[from + c] = table[max - input[from + c]] * inverse;
            }
        }
        return result;
    }

    static void prove(Model model, Operator op, float[] rescaled, int element, int moteValue, int tfliteValue) {
        int zp = (int) model.mainSubgraph().tensor(op.output(0)).quantization().zeroPoint();
        float r = rescaled[element];
        int expected = QuantizedMath.clamp((int) QuantizedMath.roundHalfAwayFromZero(r) + zp, -128, 127);
        double frac = Math.abs(r) - Math.floor(Math.abs(r));
        boolean ambiguous = Math.abs(frac - 0.5) < AMBIGUITY;
        if (!(tfliteValue == expected || ambiguous && Math.abs(tfliteValue - expected) == 1)
                || Math.abs(moteValue - tfliteValue) != 1) {
            throw new AssertionError("SOFTMAX element " + element + ": Mote " + moteValue + ", TFLite " + tfliteValue
                    + ", desktop lookup-table formula " + expected + " (" + r + ")");
        }
    }
}
