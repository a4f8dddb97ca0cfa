package dev.mote.trainer;

import dev.mote.dsl.ValueRange;

/**
 * The int8 arithmetic the trainer simulates, the same as the exporter's (TFLite's post-training quantizer with
 * {@code legacy_float_scale}): values are divided by the scale, rounded half away from zero ({@code std::round}),
 * offset by the zero point and clamped.
 *
 * <ul>
 *   <li>Weights: symmetric, zero point 0, {@code scale = 2 * float(maxAbs) / 254} in float (a magnitude below
 *       5e-7 counts as 5e-7), int8 values in {@code [-127, 127]}, {@code round(double(w) / scale)}.</li>
 *   <li>Activations: asymmetric per tensor over {@code [min(min, 0), max(max, 0)]} (ranges narrower than 1e-6
 *       widened to ±5e-7): {@code scale = (float(max) - float(min)) / 255} in float,
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

    /** Ranges (and twice the weight magnitudes) narrower than this are widened, as TFLite's quantizer does. */
    static final double NEAR_ZERO_TOLERANCE = 1.0e-6;

    /** The symmetric weight scale for a channel whose largest magnitude is {@code maxAbs}. */
    public static float weightScale(float maxAbs) {
        double max = Math.abs(maxAbs);
        if (!(2 * max > NEAR_ZERO_TOLERANCE)) {
            max = NEAR_ZERO_TOLERANCE / 2;
        }
        float m = (float) max;
        return (m - (-m)) / 254f;
    }

    /** The int8 value of weight {@code w} at {@code scale}. */
    public static int quantizeWeight(float w, float scale) {
        double q = roundHalfAwayFromZero((double) w / scale);
        return (int) Math.max(-WEIGHT_QMAX, Math.min(WEIGHT_QMAX, q));
    }

    /** Rounds half away from zero in double. */
    static double roundHalfAwayFromZero(double v) {
        return v >= 0 ? Math.floor(v + 0.5) : -Math.floor(-v + 0.5);
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
            double lo = Math.min(min, 0.0);
            double hi = Math.max(max, 0.0);
            if (!(hi - lo > NEAR_ZERO_TOLERANCE)) {
                lo = Math.min(lo, -NEAR_ZERO_TOLERANCE / 2);
                hi = Math.max(hi, NEAR_ZERO_TOLERANCE / 2);
            }
            float scale = ((float) hi - (float) lo) / 255f;
            float zpFromMin = (float) (-128.0 - lo / (double) scale);
            int zp = zpFromMin < -128f ? -128 : zpFromMin > 127f ? 127 : (int) roundHalfAwayFromZero(zpFromMin);
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
