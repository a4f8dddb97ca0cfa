package dev.mote.trainer;

/**
 * Training, calibration or prediction data the trainer cannot use: no examples, features and targets of different
 * counts, ragged rows, NaN or infinite values, class labels out of range, or values per example that do not match
 * the model. Thrown before any training starts; the message names the example (or row), the index within it and
 * the value, and says what to change:
 *
 * <pre>
 * training features of example 17 hold NaN at index 5 (of 490 values per example): replace or drop that
 * example; NaN and infinite values make the loss NaN
 * </pre>
 */
public final class InvalidTrainingDataException extends TrainerException {
    private static final long serialVersionUID = 1L;

    private final int example;

    InvalidTrainingDataException(String message) {
        this(-1, message);
    }

    InvalidTrainingDataException(int example, String message) {
        super(message);
        this.example = example;
    }

    /** The index of the offending example (row), or -1 when the problem is not one example's. */
    public int example() {
        return example;
    }
}
