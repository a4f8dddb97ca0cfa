package dev.mote.trainer;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Called after each epoch and once at the end of training (on the training thread). A lambda or method reference
 * receives each {@link EpochResult}; a listener that may stop training overrides
 * {@link #epochEnded(EpochResult, TrainingControl)} (or is made with {@link #stopWhen}); one that wants the
 * final {@link TrainingSummary} overrides {@link #trainingEnded}. {@link TrainingHistory} records both.
 *
 * <pre>{@code
 * List<EpochResult> epochs = new ArrayList<>();
 * TrainingHistory history = new TrainingHistory();
 * Trainer trainer = Trainer.builder().listener(TrainingListener.all(epochs::add, history,
 *         TrainingListener.stopWhen(r -> r.trainingLoss() < 1e-3))).build();
 * }</pre>
 */
@FunctionalInterface
public interface TrainingListener {

    /** An epoch ended. */
    void epochEnded(EpochResult result);

    /**
     * An epoch ended; {@code control} can stop training after it. The trainer calls this method; by default it
     * calls {@link #epochEnded(EpochResult)}.
     */
    default void epochEnded(EpochResult result, TrainingControl control) {
        epochEnded(result);
    }

    /** Training ended (after the last epoch, early stopping or a stop request); does nothing by default. */
    default void trainingEnded(TrainingSummary summary) {
    }

    /** A listener that stops training after the first epoch whose result satisfies {@code condition}. */
    static TrainingListener stopWhen(Predicate<? super EpochResult> condition) {
        Objects.requireNonNull(condition, "condition");
        return new TrainingListener() {
            @Override
            public void epochEnded(EpochResult result) {
            }

            @Override
            public void epochEnded(EpochResult result, TrainingControl control) {
                if (condition.test(result)) {
                    control.stop("stop condition met at epoch " + result.epoch());
                }
            }
        };
    }

    /** A listener calling each of {@code listeners} in turn. */
    static TrainingListener all(TrainingListener... listeners) {
        List<TrainingListener> all = List.of(listeners);
        return new TrainingListener() {
            @Override
            public void epochEnded(EpochResult result) {
                epochEnded(result, new TrainingControl());
            }

            @Override
            public void epochEnded(EpochResult result, TrainingControl control) {
                for (TrainingListener l : all) {
                    l.epochEnded(result, control);
                }
            }

            @Override
            public void trainingEnded(TrainingSummary summary) {
                for (TrainingListener l : all) {
                    l.trainingEnded(summary);
                }
            }
        };
    }
}
