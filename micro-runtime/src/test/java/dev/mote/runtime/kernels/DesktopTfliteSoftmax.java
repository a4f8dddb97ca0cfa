package dev.mote.runtime.kernels;

import dev.mote.runtime.QuantizedMath;

/**
 * Independent recomputation of desktop TFLite's optimized int8 SOFTMAX (x86 build of 2.8): a 256-entry float table
 * {@code expf(-input_scale * beta * d)} indexed by the distance {@code d} to the row maximum, a float sum, a float
 * reciprocal {@code 1 / (sum * output_scale)}, and {@code roundf} to the output. TFLM does not use it (it runs the
 * fixed-point reference arithmetic); tests use it to prove that every difference between Mote and desktop TFLite is
 * this known one.
 */
final class DesktopTfliteSoftmax {
    /** Distance to the nearest rounding boundary below which float-library differences could flip the result. */
    static final double AMBIGUITY = 1e-3;

    private final float[] table = new float[256];
    private final float outputScale;
    private final int outputZeroPoint;
    private final int outMin;
    private final int outMax;

    DesktopTfliteSoftmax(float inputScale, float beta, float outputScale, int outputZeroPoint, boolean int16Output) {
        float scale = -inputScale * beta;
        for (int d = 0; d <= 255; d++) {
            table[d] = (float) Math.exp(scale * d);
        }
        this.outputScale = outputScale;
        this.outputZeroPoint = outputZeroPoint;
        outMin = int16Output ? Short.MIN_VALUE : Byte.MIN_VALUE;
        outMax = int16Output ? Short.MAX_VALUE : Byte.MAX_VALUE;
    }

    /** The unrounded scaled probabilities of one row ({@code prob_rescaled} in TFLite). */
    float[] rescaledRow(byte[] in, int from, int depth) {
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

    int quantize(float rescaled) {
        int q = (int) QuantizedMath.roundHalfAwayFromZero(rescaled) + outputZeroPoint;
        return Math.max(outMin, Math.min(outMax, q));
    }

    /** True if {@code rescaled} lies so close to a rounding boundary that libm and Java could round it apart. */
    static boolean nearBoundary(float rescaled) {
        double frac = Math.abs(rescaled) - Math.floor(Math.abs(rescaled));
        return Math.abs(frac - 0.5) < AMBIGUITY;
    }
}
