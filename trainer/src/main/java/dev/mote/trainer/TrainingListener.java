package dev.mote.trainer;

/** Called after each epoch (on the training thread). */
@FunctionalInterface
public interface TrainingListener {

    void epochEnded(EpochResult result);
}
