package dev.mote.dsl;

/** The float range {@code [min, max]} a tensor takes, observed during calibration or tracked during QAT. */
public record ValueRange(float min, float max) {

    public ValueRange {
        if (!(min <= max) || Float.isNaN(min) || Float.isNaN(max)) {
            throw new IllegalArgumentException("invalid range [" + min + ", " + max + "]");
        }
    }
}
