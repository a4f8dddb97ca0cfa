package dev.mote.trainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link TrainingListener} that records every {@link EpochResult} and the final {@link TrainingSummary} (like
 * Keras's {@code History}). One instance per training run; a second run appends its epochs and replaces the summary.
 *
 * <pre>{@code
 * TrainingHistory history = new TrainingHistory();
 * TrainedModel model = Trainer.builder().epochs(100).listener(history).build().train(spec, data);
 * double lastLoss = history.epochs().get(history.epochs().size() - 1).trainingLoss();
 * int best = history.summary().bestEpoch();
 * }</pre>
 */
public final class TrainingHistory implements TrainingListener {

    private final List<EpochResult> epochs = new ArrayList<>();
    private TrainingSummary summary;

    @Override
    public synchronized void epochEnded(EpochResult result) {
        epochs.add(result);
    }

    @Override
    public synchronized void trainingEnded(TrainingSummary summary) {
        this.summary = summary;
    }

    /** The epochs so far, in order (an unmodifiable copy). */
    public synchronized List<EpochResult> epochs() {
        return Collections.unmodifiableList(new ArrayList<>(epochs));
    }

    /** The summary of the last finished run, or null while none has finished. */
    public synchronized TrainingSummary summary() {
        return summary;
    }
}
