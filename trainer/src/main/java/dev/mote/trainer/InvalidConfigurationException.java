package dev.mote.trainer;

/**
 * A trainer or calibrator setting out of range (epochs {@literal <} 1, a learning rate that is not positive, a
 * validation split outside {@code [0, 1)}, early stopping without a validation split, cross-entropy for a model
 * without a softmax or sigmoid output, ...). The message names the setting, the value and the allowed range.
 */
public final class InvalidConfigurationException extends TrainerException {
    private static final long serialVersionUID = 1L;

    InvalidConfigurationException(String message) {
        super(message);
    }
}
