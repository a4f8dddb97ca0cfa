package dev.mote.trainer;

import dev.mote.dsl.ValueRange;

/**
 * The int8 arithmetic the trainer simulates, written as TFLite quantizes: values are divided by the scale in
 * float, rounded half away from zero ({@code std::round}), offset by the zero point and clamped.
 *
 * <ul>
 *   <li>Weights: symmetric, zero point 0, {@code scale = max|w| / 127}, int8 values in {@code [-127, 127]}.</li>
 *   <li>Activations: asymmetric per tensor from a range widened to contain 0: {@code scale = (max - min) / 255},
 *       {@code zeroPoint = round(-128 - min / scale)} clamped to {@code [-128, 127]}.</li>
 * </ul>
 * Fake quantization is quantize followed by dequantize: {@code (q - zeroPoint) * scale}.
 */
public final class FakeQuant {

    /** Largest int8 weight magnitude (narrow range, as TFLite's symmetric weights). */
    public static final int WEIGHT_QMAX = 127;

    private FakeQuant() {
    }

    /** Rounds half away from zero, as C's {@code round} (Java's {@link Math#round} rounds -2.5 to -2). */
    public static float roundHalfAwayFromZero(float v) {
        return v >= 0 ? (float) Math.floor(v + 0.5) : (float) -Math.floor(-v + 0.5);
    }

    /** The symmetric weight scale for a channel whose largest magnitude is {@code maxAbs} (1 for all zeros). */
    public static float weightScale(float maxAbs) {
        return maxAbs > 0 ? maxAbs / WEIGHT_QMAX : 1f;
    }

    /** The int8 value of weight {@code w} at {@code scale}. */
    public static int quantizeWeight(float w, float scale) {
        float q = roundHalfAwayFromZero(w / scale);
        return (int) Math.max(-WEIGHT_QMAX, Math.min(WEIGHT_QMAX, q));
    }

    /**
     * Fake-quantizes weights in place with one scale per channel. {@code channels} channels; a value's channel is
     * {@code index / (length / channels)} if {@code leadingAxis}, else {@code index % channels}.
     *
     * @return the per-channel scales
     */
    public static float[] fakeQuantizeWeights(float[] w, int channels, boolean leadingAxis) {
        float[] maxAbs = new float[channels];
        int per = w.length / channels;
        for (int i = 0; i < w.length; i++) {
            int ch = leadingAxis ? i / per : i % channels;
            maxAbs[ch] = Math.max(maxAbs[ch], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = weightScale(maxAbs[c]);
        }
        for (int i = 0; i < w.length; i++) {
            float s = scales[leadingAxis ? i / per : i % channels];
            w[i] = quantizeWeight(w[i], s) * s;
        }
        return scales;
    }

    /** Asymmetric per-tensor int8 parameters for an activation range, as TFLite derives them. */
    public record ActivationParams(float scale, int zeroPoint) {

        /** The parameters for {@code range} (widened to contain 0). */
        public static ActivationParams of(ValueRange range) {
            return of(range.min(), range.max());
        }

        /** The parameters for {@code [min, max]} (widened to contain 0). */
        public static ActivationParams of(float min, float max) {
            float lo = Math.min(min, 0f);
            float hi = Math.max(max, 0f);
            if (!(hi > lo)) {
                return new ActivationParams(1f, 0);
            }
            float scale = (float) (((double) hi - lo) / 255.0);
            double zpFromMin = -128.0 - lo / (double) scale;
            int zp = (int) Math.max(-128, Math.min(127, roundHalfAwayFromZero((float) zpFromMin)));
            return new ActivationParams(scale, zp);
        }

        /** The int8 value of {@code x}. */
        public int quantize(float x) {
            float q = roundHalfAwayFromZero(x / scale) + zeroPoint;
            return (int) Math.max(-128, Math.min(127, q));
        }

        /** The float value of int8 {@code q}. */
        public float dequantize(int q) {
            return (q - zeroPoint) * scale;
        }

        /** {@code dequantize(quantize(x))}. */
        public float fakeQuantize(float x) {
            return dequantize(quantize(x));
        }

        /** Smallest representable value. */
        public float min() {
            return dequantize(-128);
        }

        /** Largest representable value. */
        public float max() {
            return dequantize(127);
        }
    }
}
