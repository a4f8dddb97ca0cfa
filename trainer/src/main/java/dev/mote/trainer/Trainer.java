package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.dsl.ValueRange;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a {@link ModelSpec} with DL4J and returns a {@link TrainedModel}. An immutable configuration: build it
 * once, use it for several models. Defaults suit small microcontroller models on a small machine: Adam at 1e-3,
 * big mini-batches (256), one native thread, MSE for regression and softmax cross-entropy when the model ends in a
 * softmax, a console progress bar.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder().epochs(500).batchSize(1000).learningRate(0.01).seed(1)
 *         .validationSplit(0.2).earlyStopping(20).build();
 * TrainedModel floatModel = trainer.train(spec, TrainingData.regression(xs, ys));
 * TrainedModel ptq = Calibrator.minMax().calibrate(floatModel, representativeXs);
 * TrainedModel qat = trainer.toBuilder().epochs(20).learningRate(1e-3).build().fineTuneQuantized(ptq, data);
 * }</pre>
 *
 * <p>Features are in TFLite layout (NHWC for images), see {@link TrainingData}.
 */
public final class Trainer {

    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final long seed;
    private final double validationSplit;
    private final int earlyStoppingPatience;
    private final Loss loss;
    private final boolean progressBar;
    private final int threads;
    private final double rangeDecay;
    private final TrainingListener listener;

    private Trainer(Builder b) {
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.seed = b.seed;
        this.validationSplit = b.validationSplit;
        this.earlyStoppingPatience = b.earlyStoppingPatience;
        this.loss = b.loss;
        this.progressBar = b.progressBar;
        this.threads = b.threads;
        this.rangeDecay = b.rangeDecay;
        this.listener = b.listener;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.seed = seed;
        b.validationSplit = validationSplit;
        b.earlyStoppingPatience = earlyStoppingPatience;
        b.loss = loss;
        b.progressBar = progressBar;
        b.threads = threads;
        b.rangeDecay = rangeDecay;
        b.listener = listener;
        return b;
    }

    /**
     * Float training from freshly initialized weights (seeded). The returned model's ranges come from the
     * training features (min/max); calibrate with {@link Calibrator} on representative data for export.
     *
     * @throws TrainingDivergedException if a loss becomes NaN or infinite, a weight explodes or the loss stays far
     *                                   above its start
     * @throws InvalidTrainingDataException if {@code data} does not fit {@code spec}
     */
    public TrainedModel train(ModelSpec spec, TrainingData data) {
        applyThreads();
        SpecNetwork net = NetworkFactory.build(spec, new NetworkFactory.Options(
                NetworkFactory.Mode.FLOAT_TRAINING, seed, learningRate, loss, null, rangeDecay));
        new TrainingLoop(this, "train", false).run(net, data);
        ValueRange[] placeholder = new ValueRange[spec.nodes().size()];
        java.util.Arrays.fill(placeholder, new ValueRange(0f, 0f));
        TrainedModel folded = ParameterTransfer.extract(net, placeholder,
                QuantizationChoices.RangeSource.TRAINING_DATA, Double.NaN);
        TrainedModel ranged = Calibrator.minMax().calibrate(folded, data.slice(0, Math.min(data.size(), 4096)));
        return ranged.withRanges(rangesOf(ranged), QuantizationChoices.RangeSource.TRAINING_DATA, Double.NaN);
    }

    /**
     * Quantization-aware fine-tuning of {@code model} (BatchNorm already folded): weights are fake-quantized to
     * int8 (per channel for convolutions, per tensor for Dense) and every int8 activation tensor is fake-quantized
     * with moving-average ranges that start at {@code model}'s ranges; the straight-through estimator lets the
     * float weights keep learning. Returns the fine-tuned float weights with the tracked ranges of the best epoch
     * (lowest validation loss, or training-sample loss without a validation split, in the int8 simulation; the
     * starting point counts, so the result is never worse than {@code model} by that measure). Fine-tuning wants
     * a learning rate about a tenth of the float training's and a few epochs.
     *
     * @throws TrainingDivergedException if a loss becomes NaN or infinite, a weight explodes or the loss stays far
     *                                   above its start
     * @throws InvalidTrainingDataException if {@code data} does not fit the model
     */
    public TrainedModel fineTuneQuantized(TrainedModel model, TrainingData data) {
        return fineTune(model, data).model();
    }

    /** The fine-tuned model and the fake-quant network it was trained in (for tests of what QAT simulated). */
    record FineTuned(TrainedModel model, SpecNetwork network) {
    }

    FineTuned fineTune(TrainedModel model, TrainingData data) {
        applyThreads();
        SpecNetwork net = NetworkFactory.build(model.spec(), new NetworkFactory.Options(
                NetworkFactory.Mode.FAKE_QUANT, seed, learningRate, loss, rangesOf(model), rangeDecay));
        ParameterTransfer.load(model, net);
        new TrainingLoop(this, "qat", true).run(net, data);
        ValueRange[] observed = rangesOf(model);
        for (FakeQuantActivation fq : net.fakeQuantActivations()) {
            if (fq.observes()) {
                observed[fq.nodeIndex()] = fq.tracker().range();
            }
        }
        ValueRange[] ranges = TensorPlan.of(model.spec()).tensorRanges(observed);
        return new FineTuned(ParameterTransfer.extract(net, ranges, QuantizationChoices.RangeSource.QAT_MOVING_AVERAGE,
                Double.NaN), net);
    }

    private static ValueRange[] rangesOf(TrainedModel model) {
        ValueRange[] r = new ValueRange[model.spec().nodes().size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = model.outputRange(i);
        }
        return r;
    }

    private void applyThreads() {
        if (threads > 0) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
        }
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public double learningRate() {
        return learningRate;
    }

    public long seed() {
        return seed;
    }

    public double validationSplit() {
        return validationSplit;
    }

    /** Epochs without a better validation loss before training stops; 0 = no early stopping. */
    public int earlyStoppingPatience() {
        return earlyStoppingPatience;
    }

    public Loss loss() {
        return loss;
    }

    public boolean progressBar() {
        return progressBar;
    }

    /** Native threads nd4j may use (0 = leave nd4j's setting alone). */
    public int threads() {
        return threads;
    }

    /** Moving-average decay of activation ranges during QAT. */
    public double rangeDecay() {
        return rangeDecay;
    }

    public TrainingListener listener() {
        return listener;
    }

    /** Builds a {@link Trainer}; every setter validates its argument at once. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 256;
        private double learningRate = 1e-3;
        private long seed = 42;
        private double validationSplit = 0;
        private int earlyStoppingPatience = 0;
        private Loss loss = Loss.AUTO;
        private boolean progressBar = true;
        private int threads = 1;
        private double rangeDecay = 0.99;
        private TrainingListener listener;

        private Builder() {
        }

        /** Passes over the training data (default 10). */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new InvalidConfigurationException("epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Examples per mini-batch (default 256; small models train fastest with big batches). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new InvalidConfigurationException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Adam's learning rate (default 1e-3). */
        public Builder learningRate(double learningRate) {
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new InvalidConfigurationException("learning rate must be > 0, got " + learningRate);
            }
            this.learningRate = learningRate;
            return this;
        }

        /** Seed for weight initialization, shuffling and dropout (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Fraction of the (shuffled) examples held out for validation (default 0). */
        public Builder validationSplit(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new InvalidConfigurationException("validation split must be in [0, 1), got " + fraction);
            }
            this.validationSplit = fraction;
            return this;
        }

        /**
         * Stops after {@code patience} epochs without a lower validation loss and restores the best weights
         * (needs a validation split; 0 = off, the default).
         */
        public Builder earlyStopping(int patience) {
            if (patience < 0) {
                throw new InvalidConfigurationException("patience must be >= 0, got " + patience);
            }
            this.earlyStoppingPatience = patience;
            return this;
        }

        /** The loss (default {@link Loss#AUTO}). */
        public Builder loss(Loss loss) {
            this.loss = java.util.Objects.requireNonNull(loss, "loss");
            return this;
        }

        /** Shows a console progress bar on stderr (default true). */
        public Builder progressBar(boolean show) {
            this.progressBar = show;
            return this;
        }

        /** Native threads for nd4j (default 1, fastest for small models; 0 leaves nd4j's setting). */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new InvalidConfigurationException("threads must be >= 0, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Moving-average decay of activation ranges in QAT (default 0.99). */
        public Builder rangeDecay(double decay) {
            if (!(decay >= 0 && decay < 1)) {
                throw new InvalidConfigurationException("range decay must be in [0, 1), got " + decay);
            }
            this.rangeDecay = decay;
            return this;
        }

        /** Called after each epoch (default none). */
        public Builder listener(TrainingListener listener) {
            this.listener = listener;
            return this;
        }

        public Trainer build() {
            if (earlyStoppingPatience > 0 && validationSplit == 0) {
                throw new InvalidConfigurationException("early stopping needs a validation split: set"
                        + " validationSplit(..) above 0 or earlyStopping(0)");
            }
            return new Trainer(this);
        }
    }
}
