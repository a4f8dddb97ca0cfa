package dev.mote.vocabulary;

/**
 * The integer arithmetic of TFLite's post-training quantizer (the TF converter's MLIR quantizer with its default
 * {@code legacy_float_scale}): how ranges and float parameters become integer parameters. The trainer simulates
 * exactly this (fake quantization) and the exporter writes exactly this; nothing else may re-derive it.
 * <ul>
 *   <li>activations: asymmetric int8 over {@code [min(min, 0), max(max, 0)]}, ranges narrower than 1e-6 widened
 *       to ±5e-7; {@code scale = (float(max) - float(min)) / 255} in float; the zero point is
 *       {@code -128 - min / scale} rounded half away from zero and clamped to [-128, 127];</li>
 *   <li>weights: symmetric, narrow range [-127, 127], zero point 0, {@code scale = 2 × float(maxAbs) / 254} in
 *       float, one scale per output channel where the op takes per-channel weights;</li>
 *   <li>bias: int32, zero point 0, {@code scale = input scale × weight scale}; a weight scale too small for the
 *       bias to fit int32 is widened.</li>
 * </ul>
 * In 16x8 mode (int16 activations, int8 weights: the converter's
 * {@code EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8}, {@code lite/tools/optimize/quantization_utils.cc}
 * {@code GetSymmetricQuantizationParams} with {@code half_quant_range = 32767}):
 * <ul>
 *   <li>activations: symmetric int16, zero point 0, {@code scale = max(|min(min, 0)|, |max(max, 0)|) / 32767} in
 *       float ({@link #activationInt16}); a range narrower than {@link #NEAR_ZERO_TOLERANCE} is widened to ±5e-7 (the
 *       converter would write scale 0, which no kernel accepts); values clamp to [-32768, 32767];</li>
 *   <li>weights: int8 exactly as above;</li>
 *   <li>bias: int64, zero point 0, {@code scale = input scale × weight scale} ({@link #quantizeBiasInt64};
 *       {@code SymmetricPerChannelBiasQuantize<int64_t>}), never widened.</li>
 * </ul>
 *
 * <pre>{@code
 * QuantParams a = QuantizationRules.activation(0.0, 6.0);      // scale 6/255, zero point -128
 * float s = QuantizationRules.weightScale(0.5);                // 1/254
 * int q = QuantizationRules.quantizeWeight(0.25, s);           // 64 (rounded half away from zero)
 * }</pre>
 */
public final class QuantizationRules {
    /** Ranges narrower than this are widened (the converter's {@code kNearZeroTolerance}). */
    public static final double NEAR_ZERO_TOLERANCE = 1.0e-6;
    /** The largest int8 weight magnitude (weights use the narrow range [-127, 127]). */
    public static final int WEIGHT_QMAX = 127;
    private static final long INT32_LIMIT = Integer.MAX_VALUE;

    private QuantizationRules() {
    }

    /**
     * Asymmetric int8 activation parameters for values observed in {@code [min, max]}.
     *
     * @throws IllegalArgumentException if the range is not finite or gives no usable scale
     */
    public static QuantParams activation(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] is not finite");
        }
        double rmin = Math.min(min, 0.0);
        double rmax = Math.max(max, 0.0);
        if (!(rmax - rmin > NEAR_ZERO_TOLERANCE)) {
            rmin = Math.min(rmin, -NEAR_ZERO_TOLERANCE / 2);
            rmax = Math.max(rmax, NEAR_ZERO_TOLERANCE / 2);
        }
        float scale = ((float) rmax - (float) rmin) / 255f;
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] gives scale " + scale);
        }
        float zeroPointFromMin = (float) (-128.0 - rmin / (double) scale);
        int zeroPoint;
        if (zeroPointFromMin < -128f) {
            zeroPoint = -128;
        } else if (zeroPointFromMin > 127f) {
            zeroPoint = 127;
        } else {
            zeroPoint = (int) Rounding.halfAwayFromZero(zeroPointFromMin);
        }
        return new QuantParams(scale, zeroPoint);
    }

    /** The largest int16 activation magnitude of 16x8 mode (the converter's {@code half_quant_range}). */
    public static final int INT16_QMAX = 32767;

    /**
     * Symmetric int16 activation parameters (16x8 mode) for values observed in {@code [min, max]}: zero point 0,
     * {@code scale = max(|min(min, 0)|, |max(max, 0)|) / 32767} computed in float as the converter does.
     *
     * <pre>{@code
     * QuantParams p = QuantizationRules.activationInt16(-1.0, 3.0);   // scale 3/32767, zero point 0
     * }</pre>
     *
     * @throws IllegalArgumentException if the range is not finite or gives no usable scale
     */
    public static QuantParams activationInt16(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] is not finite");
        }
        float rmin = (float) Math.min(min, 0.0);
        float rmax = (float) Math.max(max, 0.0);
        float maxAbs = Math.max(Math.abs(rmax), Math.abs(rmin));
        if (!(2.0 * maxAbs > NEAR_ZERO_TOLERANCE)) {
            maxAbs = (float) (NEAR_ZERO_TOLERANCE / 2);
        }
        float scale = maxAbs / INT16_QMAX;
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] gives scale " + scale);
        }
        return new QuantParams(scale, 0);
    }

    /**
     * The activation parameters for {@code [min, max]} in activations of {@code type}: {@link #activation} for
     * INT8, {@link #activationInt16} for INT16.
     *
     * @throws IllegalArgumentException for any other type, or as those methods do
     */
    public static QuantParams activation(double min, double max, TensorType type) {
        return switch (type) {
            case INT8 -> activation(min, max);
            case INT16 -> activationInt16(min, max);
            default -> throw new IllegalArgumentException("activations are INT8 or INT16, not " + type);
        };
    }

    /** The int16 value of activation {@code x} at {@code scale} and {@code zeroPoint}, clamped to [-32768, 32767]. */
    public static int quantizeActivationInt16(float x, float scale, int zeroPoint) {
        float q = Rounding.halfAwayFromZero(x / scale) + zeroPoint;
        return (int) Math.max(-32768, Math.min(32767, q));
    }

    /**
     * The value of activation {@code x} at {@code scale}/{@code zeroPoint} in activations of {@code type} (INT8 or
     * INT16), as a kernel's QUANTIZE computes it.
     */
    public static int quantizeActivation(float x, float scale, int zeroPoint, TensorType type) {
        return type == TensorType.INT16 ? quantizeActivationInt16(x, scale, zeroPoint)
                : quantizeActivation(x, scale, zeroPoint);
    }

    /**
     * Quantizes a bias to int64 (16x8 mode) with the given scales (one per channel, or one for all):
     * {@code round(bias / scale)} half away from zero.
     */
    public static long[] quantizeBiasInt64(float[] bias, float[] biasScales) {
        long[] out = new long[bias.length];
        for (int c = 0; c < bias.length; c++) {
            float scale = biasScales.length == 1 ? biasScales[0] : biasScales[c];
            double q = Rounding.halfAwayFromZero((double) bias[c] / (double) scale);
            out[c] = (long) Math.max(-(double) Long.MAX_VALUE, Math.min((double) Long.MAX_VALUE, q));
        }
        return out;
    }

    /** The largest power-of-two exponent {@link #cellState} gives: cell states up to ±1024. */
    public static final int CELL_STATE_MAX_POWER = 10;

    /**
     * The int16 parameters of an LSTM's cell state from its range, as TFLite's quantizer sets them: symmetric
     * (zero point 0) with scale {@code 2^p / 32768}, where {@code p} is the smallest exponent in
     * {@code [0, CELL_STATE_MAX_POWER]} with {@code 2^p >= max(|min|, |max|)} (so ranges within ±1 get 2^-15, and
     * larger ones are clipped at ±1024). TFLM's integer LSTM needs the power of two: its tanh of the cell state
     * shifts by the scale's exponent.
     *
     * @throws IllegalArgumentException if the range is not finite
     */
    public static QuantParams cellState(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("cell state range [" + min + ", " + max + "] is not finite");
        }
        float range = (float) Math.max(Math.abs(min), Math.abs(max));
        int power = 0;
        while (power < CELL_STATE_MAX_POWER && Math.pow(2, power) < range) {
            power++;
        }
        return new QuantParams((float) (Math.pow(2, power) / 32768.0), 0);
    }

    /** The int8 value of activation {@code x} at {@code p}: {@code round(x / scale) + zeroPoint}, clamped. */
    public static int quantizeActivation(float x, QuantParams p) {
        return quantizeActivation(x, p.scale(), p.zeroPoint());
    }

    /** {@link #quantizeActivation(float, QuantParams)} without a parameters object (for per-element loops). */
    public static int quantizeActivation(float x, float scale, int zeroPoint) {
        float q = Rounding.halfAwayFromZero(x / scale) + zeroPoint;
        return (int) Math.max(-128, Math.min(127, q));
    }

    /** The symmetric weight scale of a channel whose largest magnitude is {@code maxAbs}. */
    public static float weightScale(double maxAbs) {
        double max = Math.abs(maxAbs);
        if (!(2 * max > NEAR_ZERO_TOLERANCE)) {
            max = NEAR_ZERO_TOLERANCE / 2;
        }
        float m = (float) max;
        return (m - (-m)) / 254f;
    }

    /** The int8 value of weight {@code w} at {@code scale}, in [-127, 127]. */
    public static int quantizeWeight(double w, float scale) {
        double q = Rounding.halfAwayFromZero(w / scale);
        return (int) Math.max(-WEIGHT_QMAX, Math.min(WEIGHT_QMAX, q));
    }

    /**
     * Symmetric scales of {@code weights} (row-major, of {@code shape}) along {@code axis}; one scale if
     * {@code axis < 0}.
     */
    public static float[] weightScales(float[] weights, int[] shape, int axis) {
        int channels = axis < 0 ? 1 : shape[axis];
        int slice = sliceSize(shape, axis);
        double[] maxAbs = new double[channels];
        for (int i = 0; i < weights.length; i++) {
            int c = axis < 0 ? 0 : (i / slice) % channels;
            maxAbs[c] = Math.max(maxAbs[c], Math.abs((double) weights[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = weightScale(maxAbs[c]);
        }
        return scales;
    }

    /**
     * Widens weight scales where the bias would not fit int32 at {@code inputScale × weightScale} (dead channels
     * with a bias): the scale becomes just large enough, as TFLite's quantizer does.
     */
    public static float[] fitBias(float[] weightScales, float[] bias, float inputScale) {
        if (bias == null) {
            return weightScales;
        }
        float[] out = weightScales.clone();
        double limit = INT32_LIMIT - 1024;
        for (int c = 0; c < bias.length; c++) {
            int s = out.length == 1 ? 0 : c;
            double needed = Math.abs((double) bias[c]) / ((double) inputScale * limit);
            if (needed > out[s]) {
                out[s] = Math.nextUp((float) needed);
            }
        }
        return out;
    }

    /** Quantizes weights to int8 with the given per-channel (or single) scales along {@code axis}. */
    public static byte[] quantizeWeights(float[] weights, int[] shape, int axis, float[] scales) {
        int channels = scales.length;
        int slice = sliceSize(shape, axis);
        byte[] out = new byte[weights.length];
        for (int i = 0; i < weights.length; i++) {
            int c = channels == 1 ? 0 : (i / slice) % channels;
            out[i] = (byte) quantizeWeight(weights[i], scales[c]);
        }
        return out;
    }

    /** Bias scales: {@code inputScale × weightScale[c]} rounded to float. */
    public static float[] biasScales(float inputScale, float[] weightScales) {
        float[] out = new float[weightScales.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = (float) ((double) inputScale * (double) weightScales[c]);
        }
        return out;
    }

    /** Quantizes a bias to int32 with the given scales (one per channel, or one for all). */
    public static int[] quantizeBias(float[] bias, float[] biasScales) {
        int[] out = new int[bias.length];
        for (int c = 0; c < bias.length; c++) {
            float scale = biasScales.length == 1 ? biasScales[0] : biasScales[c];
            double q = Rounding.halfAwayFromZero((double) bias[c] / (double) scale);
            out[c] = (int) Math.max(-INT32_LIMIT, Math.min(INT32_LIMIT, q));
        }
        return out;
    }

    private static int sliceSize(int[] shape, int axis) {
        int slice = 1;
        for (int d = axis + 1; d < shape.length && axis >= 0; d++) {
            slice *= shape[d];
        }
        return slice;
    }
}
