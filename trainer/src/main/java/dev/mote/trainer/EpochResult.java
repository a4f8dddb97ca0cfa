package dev.mote.trainer;

/**
 * What one training epoch achieved.
 *
 * @param phase          "train" or "qat"
 * @param epoch          1-based
 * @param trainingLoss   mean mini-batch loss over the epoch
 * @param validationLoss loss on the validation split (NaN without one)
 * @param metricName     "accuracy" (classification) or "mae" (regression)
 * @param metric         the metric on the validation split (or a training sample without one)
 * @param learningRate   the learning rate of the epoch's last step (NaN when unknown)
 */
public record EpochResult(String phase, int epoch, double trainingLoss, double validationLoss, String metricName,
                          double metric, double learningRate) {

    /** A result without a learning rate (NaN). */
    public EpochResult(String phase, int epoch, double trainingLoss, double validationLoss, String metricName,
                       double metric) {
        this(phase, epoch, trainingLoss, validationLoss, metricName, metric, Double.NaN);
    }
}
