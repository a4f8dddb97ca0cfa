package dev.mote.trainer;

/**
 * Lets a {@link TrainingListener} end training after the current epoch. The trainer then finishes as after its
 * last epoch (restoring the best weights if early stopping or QAT's best-epoch selection is on) and reports the
 * stop in its {@link TrainingSummary}.
 *
 * <pre>{@code
 * TrainingListener stopAtGoal = new TrainingListener() {
 *     public void epochEnded(EpochResult result) {
 *     }
 *     public void epochEnded(EpochResult result, TrainingControl control) {
 *         if (result.metric() >= 0.95) {
 *             control.stop("accuracy reached 0.95");
 *         }
 *     }
 * };
 * // or, shorter:
 * Trainer.builder().listener(TrainingListener.stopWhen(r -> r.metric() >= 0.95)).build();
 * }</pre>
 */
public final class TrainingControl {

    private String stopReason;

    TrainingControl() {
    }

    /** Ends training after this epoch, for {@code reason} (shown in the summary). */
    public void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason == null || reason.isBlank() ? "stopped by a listener" : reason;
        }
    }

    /** Ends training after this epoch. */
    public void stop() {
        stop(null);
    }

    /** Whether a stop was requested. */
    public boolean stopRequested() {
        return stopReason != null;
    }

    /** The reason given to {@link #stop(String)}, or null. */
    public String stopReason() {
        return stopReason;
    }
}
