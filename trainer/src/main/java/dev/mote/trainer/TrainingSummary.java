package dev.mote.trainer;

import java.util.Locale;

/**
 * How a training run ended: epochs run, the best epoch and its figures, why it stopped, how long it took. The
 * progress display prints {@link #line()} on stderr at the end of training; a {@link TrainingListener} receives it
 * in {@link TrainingListener#trainingEnded}, and {@link TrainingHistory} keeps it.
 *
 * <pre>{@code
 * TrainingHistory history = new TrainingHistory();
 * Trainer.builder().epochs(50).validationSplit(0.2).earlyStopping(5).listener(history).build().train(spec, data);
 * TrainingSummary s = history.summary();
 * System.out.println(s.line());
 * // train: 36 of 50 epochs (early stopping); best epoch 31, its weights kept: loss 0.0101 val 0.0123 mae 0.0871; 4.2 s
 * }</pre>
 *
 * <p>The best epoch is the one whose weights training returns when it restores the best (early stopping, QAT:
 * lowest validation loss, or for QAT without a validation split the lowest loss on a training sample; 0 is the
 * starting point of QAT); otherwise the epoch with the lowest validation loss, or the lowest training loss without
 * a validation split.
 *
 * @param phase          "train" or "qat"
 * @param epochsRun      epochs completed
 * @param epochsPlanned  the configured number of epochs
 * @param bestEpoch      1-based best epoch (0: QAT's starting point)
 * @param trainingLoss   the best epoch's mean training loss (NaN for epoch 0)
 * @param validationLoss the best epoch's validation loss (NaN without validation)
 * @param metricName     "accuracy" or "mae"
 * @param metric         the best epoch's metric
 * @param restoredBest   whether the returned weights are the best epoch's (rather than the last epoch's)
 * @param stopReason     "completed", "early stopping" or the reason a listener gave
 * @param seconds        wall-clock time of the run
 */
public record TrainingSummary(String phase, int epochsRun, int epochsPlanned, int bestEpoch, double trainingLoss,
                              double validationLoss, String metricName, double metric, boolean restoredBest,
                              String stopReason, double seconds) {

    /**
     * The summary line the progress display prints, e.g.
     * {@code train: 36 of 50 epochs (early stopping); best epoch 31, its weights kept: loss 0.0101 val 0.0123
     * mae 0.0871; 4.2 s} or {@code train: 400 of 400 epochs (completed); best epoch 342 (last epoch's weights
     * kept): loss 0.011553 mae 0.09387; 12.7 s}.
     */
    public String line() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s: %d of %d epochs (%s); best epoch %d%s:", phase, epochsRun,
                epochsPlanned, stopReason, bestEpoch,
                restoredBest ? ", its weights kept" : " (last epoch's weights kept)"));
        if (!Double.isNaN(trainingLoss)) {
            s.append(String.format(Locale.ROOT, " loss %.5g", trainingLoss));
        }
        if (!Double.isNaN(validationLoss)) {
            s.append(String.format(Locale.ROOT, " val %.5g", validationLoss));
        }
        s.append(String.format(Locale.ROOT, " %s %.4g; %.1f s", metricName, metric, seconds));
        return s.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
