package dev.mote.trainer;

import java.util.Objects;

/**
 * Where a {@link TrainedModel} comes from: the phase that produced it, the seed, how many epochs ran, which epoch's
 * parameters it holds, how many examples it was trained on and the Mote version that made it. Saved with the model
 * ({@link TrainedModel#save}) and restored by {@link TrainedModel#load}.
 *
 * <pre>{@code
 * TrainedModel m = TrainedModel.load(Path.of("sine.mote"));
 * Provenance p = m.provenance();
 * System.out.println(p.phase() + " after " + p.epochsRun() + " epochs, best epoch " + p.bestEpoch()
 *         + ", seed " + p.seed() + ", " + p.dataSize() + " examples, Mote " + p.moteVersion());
 * }</pre>
 *
 * @param phase       what produced the model
 * @param seed        the trainer's seed ({@link Trainer#seed()}); 0 for a model assembled by hand
 * @param epochsRun   epochs the last training phase ran (fewer than configured after early stopping)
 * @param bestEpoch   the epoch whose parameters the model holds: the best one when early stopping or QAT's keep-best
 *                    restored it (0 is QAT's starting point), else the last one run
 * @param dataSize    examples of the last training phase (training and validation together)
 * @param moteVersion the Mote version that trained the model
 */
public record Provenance(Phase phase, long seed, int epochsRun, int bestEpoch, int dataSize, String moteVersion) {

    /** What produced a {@link TrainedModel}. */
    public enum Phase {
        /** Assembled with {@link TrainedModel#builder}, not trained by Mote. */
        ASSEMBLED,
        /** Float training ({@link Trainer#train}); ranges from the training features. */
        FLOAT,
        /** Post-training calibration ({@link Calibrator}) of a model. */
        CALIBRATED,
        /** Quantization-aware fine-tuning ({@link Trainer#fineTuneQuantized}). */
        QAT
    }

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException for negative counts or a best epoch after the last
     */
    public Provenance {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(moteVersion, "moteVersion");
        if (epochsRun < 0 || bestEpoch < 0 || dataSize < 0 || bestEpoch > epochsRun) {
            throw new IllegalArgumentException("invalid provenance: " + epochsRun + " epochs run, best epoch "
                    + bestEpoch + ", " + dataSize + " examples");
        }
    }

    /**
     * The provenance of a model assembled by hand: phase {@link Phase#ASSEMBLED}, no epochs, this Mote version.
     *
     * <pre>{@code
     * TrainedModel byHand = TrainedModel.builder(spec).parameters(1, w, b).range(0, in).range(1, out).build();
     * assert byHand.provenance().phase() == Provenance.Phase.ASSEMBLED;
     * }</pre>
     */
    public static Provenance assembled() {
        return new Provenance(Phase.ASSEMBLED, 0, 0, 0, 0, MoteVersion.current());
    }

    /**
     * A copy with another phase (the counts stay).
     *
     * <pre>{@code
     * Provenance calibrated = trained.provenance().withPhase(Provenance.Phase.CALIBRATED);
     * }</pre>
     */
    public Provenance withPhase(Phase newPhase) {
        return new Provenance(newPhase, seed, epochsRun, bestEpoch, dataSize, moteVersion);
    }
}
