package dev.mote.trainer;

import dev.mote.dsl.ValueRange;

/**
 * The activation range of one tensor during quantization-aware training: an exponential moving average of the
 * per-batch minimum and maximum (as tfmot's moving-average quantizer), or a fixed range.
 */
final class RangeTracker {

    private final double decay;
    private final boolean fixed;
    private float min;
    private float max;
    private boolean initialized;
    private boolean frozen;

    private RangeTracker(double decay, ValueRange initial, boolean fixed) {
        this.decay = decay;
        this.fixed = fixed;
        if (initial != null) {
            min = initial.min();
            max = initial.max();
            initialized = true;
        }
    }

    /** A range that starts at {@code initial} (or the first batch if null) and follows batches with {@code decay}. */
    static RangeTracker movingAverage(double decay, ValueRange initial) {
        return new RangeTracker(decay, initial, false);
    }

    /** A range TFLite fixes (softmax, logistic, tanh outputs). */
    static RangeTracker fixed(ValueRange range) {
        return new RangeTracker(0, range, true);
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

    /** The int8 parameters of the current range. */
    synchronized FakeQuant.ActivationParams params() {
        return FakeQuant.ActivationParams.of(Math.min(0f, min), Math.max(0f, max));
    }
}
