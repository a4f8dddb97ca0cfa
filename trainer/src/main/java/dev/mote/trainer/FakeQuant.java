package dev.mote.trainer;

import dev.mote.dsl.ValueRange;
import dev.mote.vocabulary.QuantParams;
import dev.mote.vocabulary.QuantizationRules;
import dev.mote.vocabulary.TensorType;

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

    /**
     * Per-tensor parameters of an activation: asymmetric int8 as {@link QuantizationRules#activation} derives them,
     * or symmetric int16 of 16x8 mode ({@link QuantizationRules#activationInt16}) when {@code type} is INT16.
     *
     * <pre>{@code
     * FakeQuant.ActivationParams p16 = FakeQuant.ActivationParams.of(-1f, 3f, TensorType.INT16);  // 3/32767, 0
     * }</pre>
     */
    public record ActivationParams(float scale, int zeroPoint, TensorType type) {

        /** int8 parameters. */
        public ActivationParams(float scale, int zeroPoint) {
            this(scale, zeroPoint, TensorType.INT8);
        }

        /** The same parameters as {@code params}, int8. */
        public ActivationParams(QuantParams params) {
            this(params.scale(), params.zeroPoint());
        }

        /** The parameters for {@code [min, max]} in activations of {@code type} (INT8 or INT16). */
        public static ActivationParams of(float min, float max, TensorType type) {
            QuantParams p = QuantizationRules.activation(min, max, type);
            return new ActivationParams(p.scale(), p.zeroPoint(), type);
        }

        /** The parameters for {@code range} (widened to contain 0). */
        public static ActivationParams of(ValueRange range) {
            return of(range.min(), range.max());
        }

        /** The parameters for {@code [min, max]} (widened to contain 0). */
        public static ActivationParams of(float min, float max) {
            return new ActivationParams(QuantizationRules.activation(min, max));
        }

        /** The integer value of {@code x} (int8, or int16 for INT16). */
        public int quantize(float x) {
            return QuantizationRules.quantizeActivation(x, scale, zeroPoint, type);
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
            return dequantize(type == TensorType.INT16 ? -32768 : -128);
        }

        /** Largest representable value. */
        public float max() {
            return dequantize(type == TensorType.INT16 ? 32767 : 127);
        }
    }
}
