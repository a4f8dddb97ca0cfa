package dev.mote.trainer;

import dev.mote.dsl.ValueRange;
import dev.mote.vocabulary.QuantParams;
import dev.mote.vocabulary.TensorType;

/**
 * The activation range of one tensor during quantization-aware training: an exponential moving average of the
 * per-batch minimum and maximum (as tfmot's moving-average quantizer), or a fixed range.
 */
final class RangeTracker {

    private final double decay;
    private final boolean fixed;
    private final TensorType type;
    /** A fixed range's parameters (TFLite fixes them, they are not derived from the range), else null. */
    private final QuantParams fixedParams;
    private float min;
    private float max;
    private boolean initialized;
    private boolean frozen;

    private RangeTracker(double decay, ValueRange initial, boolean fixed, QuantParams fixedParams, TensorType type) {
        this.decay = decay;
        this.fixed = fixed;
        this.fixedParams = fixedParams;
        this.type = type;
        if (initial != null) {
            min = initial.min();
            max = initial.max();
            initialized = true;
        }
    }

    /** A range that starts at {@code initial} (or the first batch if null) and follows batches with {@code decay}. */
    static RangeTracker movingAverage(double decay, ValueRange initial) {
        return movingAverage(decay, initial, TensorType.INT8);
    }

    /** {@link #movingAverage(double, ValueRange)} fake-quantizing to {@code type} (INT8, or INT16 for 16x8). */
    static RangeTracker movingAverage(double decay, ValueRange initial, TensorType type) {
        return new RangeTracker(decay, initial, false, null, type);
    }

    /** A range TFLite fixes (softmax, logistic, tanh outputs), int8. */
    static RangeTracker fixed(ValueRange range) {
        return new RangeTracker(0, range, true, null, TensorType.INT8);
    }

    /** A range TFLite fixes, with the parameters it fixes in activations of {@code type}. */
    static RangeTracker fixed(ValueRange range, QuantParams params, TensorType type) {
        return new RangeTracker(0, range, true, params, type);
    }

    /** Folds one training batch's observed range in (unless fixed or frozen). */
    synchronized void observe(float batchMin, float batchMax) {
        if (fixed || frozen || Float.isNaN(batchMin) || Float.isNaN(batchMax)) {
            return;
        }
        if (!initialized) {
            min = batchMin;
            max = batchMax;
            initialized = true;
            return;
        }
        min = (float) (decay * min + (1 - decay) * batchMin);
        max = (float) (decay * max + (1 - decay) * batchMax);
    }

    /** The raw state (for restoring the best epoch). */
    synchronized float[] snapshot() {
        return new float[] {min, max, initialized ? 1 : 0};
    }

    synchronized void restore(float[] state) {
        min = state[0];
        max = state[1];
        initialized = state[2] != 0;
    }

    /** Stops following batches (inference-only simulation). */
    void freeze() {
        frozen = true;
    }

    synchronized boolean initialized() {
        return initialized;
    }

    /** The current range, widened to contain 0. */
    synchronized ValueRange range() {
        return new ValueRange(Math.min(0f, min), Math.max(0f, max));
    }

    /** The integer parameters (int8, or int16 in 16x8 mode) of the current range. */
    synchronized FakeQuant.ActivationParams params() {
        if (fixedParams != null) {
            return new FakeQuant.ActivationParams(fixedParams.scale(), fixedParams.zeroPoint(), type);
        }
        return FakeQuant.ActivationParams.of(Math.min(0f, min), Math.max(0f, max), type);
    }
}
