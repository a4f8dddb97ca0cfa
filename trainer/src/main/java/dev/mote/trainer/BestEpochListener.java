package dev.mote.trainer;

/**
 * Told by {@link TrainingLoop} each time the best-epoch selection (validation loss, or the loss on a training sample
 * without a validation split) improves, with the network holding that epoch's parameters and ranges (QAT counts its
 * starting point as epoch 0). {@link Checkpoint} writes the model then.
 */
interface BestEpochListener {

    /** The network now holds the best epoch so far, {@code epoch}; it must not be changed. */
    void improved(SpecNetwork net, int epoch);
}
