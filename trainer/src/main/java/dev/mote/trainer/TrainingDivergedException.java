package dev.mote.trainer;

/**
 * Training diverged: a loss became NaN or infinite, or (checked after every epoch) a weight or bias became NaN
 * or exceeded 1e4 in magnitude (100 times its starting size for a model that starts with bigger weights), or the
 * epoch's loss stayed above 100 times the starting loss for 3 epochs in a row. Usually
 * the learning rate is too high or the inputs are not normalized: lower the learning rate, normalize the inputs,
 * or check the data. The message names the phase ("train" or "qat"), the epoch, what exploded and the advice.
 *
 * <pre>{@code
 * try {
 *     trainer.train(spec, data);
 * } catch (TrainingDivergedException e) {
 *     retry = trainer.toBuilder().learningRate(lr / 10).build();   // diverged at e.epoch(), e.batch()
 * }
 * }</pre>
 */
public final class TrainingDivergedException extends TrainerException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final double loss;

    TrainingDivergedException(String phase, int epoch, int batch, double loss) {
        super(phase + " diverged: loss " + loss + " at epoch " + epoch + ", batch " + batch
                + " (lower the learning rate, normalize the inputs or check the data for NaN/Inf)");
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
    }

    /** Divergence found after an epoch: {@code what} exploded (a layer's weights, the loss), {@code advice}. */
    TrainingDivergedException(String phase, int epoch, double loss, String what, String advice) {
        super(phase + " diverged at epoch " + epoch + ": " + what + "; " + advice);
        this.epoch = epoch;
        this.batch = 0;
        this.loss = loss;
    }

    /** The epoch (1-based) in which training diverged. */
    public int epoch() {
        return epoch;
    }

    /**
     * The mini-batch (1-based, within the epoch) whose loss was NaN or infinite; 0 for the validation pass and for
     * divergence found at the end of an epoch.
     */
    public int batch() {
        return batch;
    }

    /** The offending loss value (the epoch's mean training loss for divergence found at the end of an epoch). */
    public double loss() {
        return loss;
    }
}
