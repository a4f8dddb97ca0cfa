package dev.mote.trainer;

/**
 * Training produced a NaN or infinite loss. Usually the learning rate is too high or the data holds NaN/Inf
 * values: lower the learning rate, normalize the inputs, or check the data.
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

    /** The epoch (1-based) in which the loss became NaN or infinite. */
    public int epoch() {
        return epoch;
    }

    /** The mini-batch (1-based, within the epoch) whose loss was NaN or infinite; 0 for the validation pass. */
    public int batch() {
        return batch;
    }

    /** The offending loss value. */
    public double loss() {
        return loss;
    }
}
