package dev.mote.runtime.testing;

import dev.mote.vocabulary.Rounding;

import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Tensor;
import dev.mote.vocabulary.TensorType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Independent recomputation of desktop TFLite's optimized int8 SOFTMAX (x86 build of 2.8): a 256-entry float table
 * {@code expf(-input_scale * beta * d)} indexed by the distance {@code d} to the row maximum, a float sum, a float
 * reciprocal {@code 1 / (sum * output_scale)}, and {@code roundf} to the output. TFLM does not use it (it runs the
 * fixed-point reference arithmetic, which can land one step away); tests use it to prove that every difference
 * between Mote and desktop TFLite is this known one.
 *
 * <pre>{@code
 * DesktopSoftmax desktop = new DesktopSoftmax(inScale, beta, 1f / 256, -128, false);
 * int differing = desktop.proveRows("case " + c, input, depth, moteValues, tfliteValues);
 * }</pre>
 */
public final class DesktopSoftmax {
    /** Distance to the nearest rounding boundary below which float-library differences could flip the result. */
    public static final double AMBIGUITY = 1e-3;

    private final float[] table = new float[256];
    private final float outputScale;
    private final int outputZeroPoint;
    private final int outMin;
    private final int outMax;

    public DesktopSoftmax(float inputScale, float beta, float outputScale, int outputZeroPoint, boolean int16Output) {
        float scale = -inputScale * beta;
        for (int d = 0; d <= 255; d++) {
            table[d] = (float) Math.exp(scale * d);
        }
        this.outputScale = outputScale;
        this.outputZeroPoint = outputZeroPoint;
        outMin = int16Output ? Short.MIN_VALUE : Byte.MIN_VALUE;
        outMax = int16Output ? Short.MAX_VALUE : Byte.MAX_VALUE;
    }

    /** The desktop softmax of a SOFTMAX operator of {@code model} (int8 input, int8 or int16 output). */
    public static DesktopSoftmax of(Model model, Operator op) {
        Tensor in = model.mainSubgraph().tensor(op.input(0));
        Tensor out = model.mainSubgraph().tensor(op.output(0));
        float beta = ((BuiltinOptions.Softmax) op.options()).beta();
        return new DesktopSoftmax(in.quantization().scale(), beta, out.quantization().scale(),
                (int) out.quantization().zeroPoint(), out.type() == TensorType.INT16);
    }

    /** The unrounded scaled probabilities of one row ({@code prob_rescaled} in TFLite). */
    public float[] rescaledRow(byte[] in, int from, int depth) {
        int max = Byte.MIN_VALUE;
        for (int c = 0; c < depth; c++) {
            max = Math.max(max, in[from + c]);
        }
        float sum = 0f;
        for (int c = 0; c < depth; c++) {
            sum += table[max - in[from + c]];
        }
        float inverse = 1.0f / (sum * outputScale);
        float[] out = new float[depth];
        for (int c = 0; c < depth; c++) {
            out[c] = table[max - in[from + c]] * inverse;
        }
        return out;
    }

    /** {@code roundf} of a rescaled probability plus the zero point, clamped to the output type. */
    public int quantize(float rescaled) {
        int q = (int) Rounding.halfAwayFromZero(rescaled) + outputZeroPoint;
        return Math.max(outMin, Math.min(outMax, q));
    }

    /** True if {@code rescaled} lies so close to a rounding boundary that libm and Java could round it apart. */
    public static boolean nearBoundary(float rescaled) {
        double frac = Math.abs(rescaled) - Math.floor(Math.abs(rescaled));
        return Math.abs(frac - 0.5) < AMBIGUITY;
    }

    /**
     * Checks every element of rows of {@code depth} values: desktop TFLite's output must be what its float
     * lookup-table softmax gives (a value within {@link #AMBIGUITY} of a rounding boundary may round either way),
     * and where Mote differs from it, by exactly 1. Returns the number of differing elements.
     */
    public int proveRows(String label, byte[] in, int depth, int[] mote, int[] tflite) {
        int differing = 0;
        for (int row = 0; row * depth < in.length; row++) {
            float[] rescaled = rescaledRow(in, row * depth, depth);
            for (int c = 0; c < depth; c++) {
                int i = row * depth + c;
                int expected = quantize(rescaled[c]);
                boolean ambiguous = nearBoundary(rescaled[c]);
                assertTrue(tflite[i] == expected || (ambiguous && Math.abs(tflite[i] - expected) == 1),
                        label + " element " + i + ": desktop TFLite gave " + tflite[i]
                                + ", its lookup-table formula gives " + expected + " (" + rescaled[c] + ")");
                if (mote[i] != tflite[i]) {
                    assertEquals(1, Math.abs(mote[i] - tflite[i]), label + " element " + i + ": Mote " + mote[i]
                            + " is more than 1 LSB from desktop TFLite " + tflite[i]);
                    differing++;
                }
            }
        }
        return differing;
    }
}
