package dev.mote.dsl;

import dev.mote.vocabulary.FixedRange;

/** The float range {@code [min, max]} a tensor takes, observed during calibration or tracked during QAT. */
public record ValueRange(float min, float max) {

    public ValueRange {
        if (!(min <= max) || Float.isNaN(min) || Float.isNaN(max)) {
            throw new IllegalArgumentException("invalid range [" + min + ", " + max + "]");
        }
    }

    /** The real values a fixed int8 output range represents (e.g. [0, 255/256] for SOFTMAX). */
    public static ValueRange of(FixedRange fixed) {
        return new ValueRange(fixed.int8Min(), fixed.int8Max());
    }
}
