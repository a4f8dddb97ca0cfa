package dev.mote.trainer;

import dev.mote.dsl.ValueRange;
import dev.mote.vocabulary.QuantParams;
import dev.mote.vocabulary.QuantizationRules;

/**
 * The int8 arithmetic the trainer simulates: exactly {@link QuantizationRules}, the rules the exporter writes with
 * (TFLite's post-training quantizer with {@code legacy_float_scale}). Fake quantization is quantize followed by
 * dequantize: {@code (q - zeroPoint) * scale}. What this class adds is DL4J's side: weights in DL4J's layout,
 * channel by channel.
 *
 * <pre>{@code
 * FakeQuant.ActivationParams p = FakeQuant.ActivationParams.of(new ValueRange(-1f, 3f));
 * float snapped = p.fakeQuantize(0.1234f);
 * float[] scales = FakeQuant.fakeQuantizeWeights(w, 8, true);   // 8 channels on the leading axis
 * }</pre>
 */
public final class FakeQuant {

    /** Largest int8 weight magnitude (narrow range, as TFLite's symmetric weights). */
    public static final int WEIGHT_QMAX = QuantizationRules.WEIGHT_QMAX;

    private FakeQuant() {
    }

    /** The symmetric weight scale for a channel whose largest magnitude is {@code maxAbs}. */
    public static float weightScale(float maxAbs) {
        return QuantizationRules.weightScale(maxAbs);
    }

    /** The int8 value of weight {@code w} at {@code scale}. */
    public static int quantizeWeight(float w, float scale) {
        return QuantizationRules.quantizeWeight(w, scale);
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

    /** Asymmetric per-tensor int8 parameters of an activation, as {@link QuantizationRules#activation} derives them. */
    public record ActivationParams(float scale, int zeroPoint) {

        /** The same parameters as {@code params}. */
        public ActivationParams(QuantParams params) {
            this(params.scale(), params.zeroPoint());
        }

        /** The parameters for {@code range} (widened to contain 0). */
        public static ActivationParams of(ValueRange range) {
            return of(range.min(), range.max());
        }

        /** The parameters for {@code [min, max]} (widened to contain 0). */
        public static ActivationParams of(float min, float max) {
            return new ActivationParams(QuantizationRules.activation(min, max));
        }

        /** The int8 value of {@code x}. */
        public int quantize(float x) {
            return QuantizationRules.quantizeActivation(x, scale, zeroPoint);
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
