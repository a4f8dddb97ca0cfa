package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.vocabulary.TensorType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a {@link ModelSpec} with DL4J and returns a {@link TrainedModel}. An immutable configuration: build it
 * once, use it for several models. Defaults suit small microcontroller models on a small machine:
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@link Builder#epochs epochs}</td><td>10</td></tr>
 *   <tr><td>{@link Builder#batchSize batchSize}</td><td>256 (big mini-batches train small models fastest)</td></tr>
 *   <tr><td>{@link Builder#learningRate(double) learningRate}</td><td>Adam at 1e-3, constant</td></tr>
 *   <tr><td>{@link Builder#seed seed}</td><td>42</td></tr>
 *   <tr><td>{@link Builder#validationSplit validationSplit}</td><td>0 (no validation)</td></tr>
 *   <tr><td>{@link Builder#earlyStopping earlyStopping}</td><td>0 (off)</td></tr>
 *   <tr><td>{@link Builder#loss loss}</td><td>{@link Loss#AUTO}: softmax cross-entropy after a softmax, binary
 *       cross-entropy after a sigmoid, else MSE</td></tr>
 *   <tr><td>{@link Builder#classWeights classWeights}</td><td>none (every class weighs 1)</td></tr>
 *   <tr><td>{@link Builder#threads threads}</td><td>1 native thread</td></tr>
 *   <tr><td>{@link Builder#progressBar progressBar}</td><td>on: a bar on a terminal, else epoch lines; a summary
 *       line at the end (stderr)</td></tr>
 *   <tr><td>{@link Builder#rangeDecay rangeDecay}</td><td>0.99 (QAT range moving average)</td></tr>
 *   <tr><td>{@link Builder#listener listener}</td><td>none</td></tr>
 * </table>
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder().epochs(500).batchSize(1000).learningRate(0.01).seed(1)
 *         .validationSplit(0.2).earlyStopping(20).build();
 * TrainedModel floatModel = trainer.train(spec, TrainingData.regression(xs, ys));
 * TrainedModel ptq = Calibrator.minMax().calibrate(floatModel, representativeXs);
 * TrainedModel qat = trainer.toBuilder().epochs(20).learningRate(1e-3).build().fineTuneQuantized(ptq, data);
 *
 * // a cosine schedule with warm-up, class weights, a listener that stops at 99 % accuracy, a history
 * TrainingHistory history = new TrainingHistory();
 * Trainer.builder().epochs(100).learningRate(LearningRateSchedule.cosine(0.01, 100).withWarmup(5))
 *         .classWeights(1f, 10f).listener(TrainingListener.all(history,
 *                 TrainingListener.stopWhen(r -> r.metric() >= 0.99))).build();
 * }</pre>
 *
 * <p>Features are in TFLite layout (NHWC for images, {@code [steps, features]} step-major for sequences), see
 * {@link TrainingData}.
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
    private final TensorType quantizedActivations;
    private final TrainingListener listener;
    private final java.nio.file.Path checkpoint;
    private final LearningRateSchedule learningRateSchedule;
    private final float[] classWeights;

    private Trainer(Builder b) {
        this.checkpoint = b.checkpoint;
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
        this.quantizedActivations = b.quantizedActivations;
        this.listener = b.listener;
        this.learningRateSchedule = b.learningRateSchedule;
        this.classWeights = b.classWeights;
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
        b.quantizedActivations = quantizedActivations;
        b.listener = listener;
        b.checkpoint = checkpoint;
        b.learningRateSchedule = learningRateSchedule;
        b.classWeights = classWeights;
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
        return train(spec, () -> data.slice(0, Math.min(data.size(), TrainingResults.RANGE_EXAMPLES)), data.size(),
                (loop, net) -> loop.run(net, data));
    }

    /**
     * Float training on batches read as they come (see {@link TrainingStream}: the stream's batches and order, no
     * validation split, validation from the stream's own validation source). The returned model's ranges come
     * from the stream's first 4096 examples.
     *
     * @throws TrainingDivergedException if a loss becomes NaN or infinite
     */
    public TrainedModel train(ModelSpec spec, TrainingStream data) {
        return train(spec, () -> data.head(TrainingResults.RANGE_EXAMPLES), 0, (loop, net) -> loop.run(net, data));
    }

    /**
     * Float training; the model's ranges come from {@code rangeData} (asked for once, when a checkpoint or the
     * result first needs it); {@code dataSize} goes into the provenance (0 for a stream).
     */
    private TrainedModel train(ModelSpec spec, java.util.function.Supplier<TrainingData> rangeData, int dataSize,
                               java.util.function.BiConsumer<TrainingLoop, SpecNetwork> run) {
        applyThreads();
        SpecNetwork net = NetworkFactory.build(spec, new NetworkFactory.Options(
                NetworkFactory.Mode.FLOAT_TRAINING, seed, learningRate, loss, null, rangeDecay));
        TrainingData[] ranges = new TrainingData[1];
        java.util.function.Supplier<TrainingData> once = () -> ranges[0] != null ? ranges[0]
                : (ranges[0] = rangeData.get());
        TrainingLoop loop = Checkpoint.attach(new TrainingLoop(this, "train", false), checkpoint, (n, epoch) ->
                TrainingResults.floatModel(n, once.get(), provenance(Provenance.Phase.FLOAT, epoch, epoch, dataSize)));
        run.accept(loop, net);
        return TrainingResults.floatModel(net, once.get(),
                provenance(Provenance.Phase.FLOAT, loop.epochsRun(), loop.bestEpoch(), dataSize));
    }

    private Provenance provenance(Provenance.Phase phase, int epochsRun, int bestEpoch, int dataSize) {
        return new Provenance(phase, seed, epochsRun, bestEpoch, dataSize, MoteVersion.current());
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

    /**
     * {@link #fineTuneQuantized(TrainedModel, TrainingData)} on batches read as they come (see
     * {@link TrainingStream}); without validation data, the best epoch is chosen on the stream's first batches.
     *
     * @throws TrainingDivergedException if a loss becomes NaN or infinite
     */
    public TrainedModel fineTuneQuantized(TrainedModel model, TrainingStream data) {
        return fineTune(model, 0, (loop, net) -> loop.run(net, data)).model();
    }

    /** The fine-tuned model and the fake-quant network it was trained in (for tests of what QAT simulated). */
    record FineTuned(TrainedModel model, SpecNetwork network) {
    }

    FineTuned fineTune(TrainedModel model, TrainingData data) {
        return fineTune(model, data.size(), (loop, net) -> loop.run(net, data));
    }

    private FineTuned fineTune(TrainedModel model, int dataSize,
                               java.util.function.BiConsumer<TrainingLoop, SpecNetwork> run) {
        applyThreads();
        SpecNetwork net = NetworkFactory.build(model.spec(), new NetworkFactory.Options(
                NetworkFactory.Mode.FAKE_QUANT, seed, learningRate, loss, rangesOf(model), rangeDecay,
                model.cellStateRanges(), quantizedActivations));
        ParameterTransfer.load(model, net);
        TrainingLoop loop = Checkpoint.attach(new TrainingLoop(this, "qat", true), checkpoint, (n, epoch) ->
                TrainingResults.qatModel(n, model, provenance(Provenance.Phase.QAT, epoch, epoch, dataSize)));
        run.accept(loop, net);
        return new FineTuned(TrainingResults.qatModel(net, model,
                provenance(Provenance.Phase.QAT, loop.epochsRun(), loop.bestEpoch(), dataSize)), net);
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

    /** The learning rate of the first step (the constant rate unless a schedule is set). */
    public double learningRate() {
        return learningRate;
    }

    /** The learning-rate schedule ({@link LearningRateSchedule#constant} unless one was set). */
    public LearningRateSchedule learningRateSchedule() {
        return learningRateSchedule != null ? learningRateSchedule : LearningRateSchedule.constant(learningRate);
    }

    /** The schedule set with {@link Builder#learningRate(LearningRateSchedule)}, or null for a constant rate. */
    LearningRateSchedule learningRateScheduleOrNull() {
        return learningRateSchedule;
    }

    /** The class weights of the cross-entropy loss, or null (every class weighs 1). */
    public float[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
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

    /** The activation type QAT simulates: INT8 (the default) or INT16 (for a 16x8 export). */
    public TensorType quantizedActivations() {
        return quantizedActivations;
    }

    public TrainingListener listener() {
        return listener;
    }

    /**
     * Where the best model so far is saved during training, or null (see {@link Builder#checkpoint}).
     *
     * <pre>{@code
     * Path p = trainer.checkpoint();   // null unless set
     * }</pre>
     */
    public java.nio.file.Path checkpoint() {
        return checkpoint;
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
        private TensorType quantizedActivations = TensorType.INT8;
        private TrainingListener listener;
        private java.nio.file.Path checkpoint;
        private LearningRateSchedule learningRateSchedule;
        private float[] classWeights;

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

        /** Adam's learning rate, constant (default 1e-3); replaces any schedule. */
        public Builder learningRate(double learningRate) {
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new InvalidConfigurationException("learning rate must be > 0, got " + learningRate);
            }
            this.learningRate = learningRate;
            this.learningRateSchedule = null;
            return this;
        }

        /**
         * Adam's learning rate per epoch (and step, during a warm-up in steps), e.g.
         * {@code LearningRateSchedule.cosine(0.01, epochs).withWarmup(5)}; replaces any constant rate. The
         * epochs of the schedule count from 1 in each training run (float training and QAT alike).
         */
        public Builder learningRate(LearningRateSchedule schedule) {
            this.learningRateSchedule = java.util.Objects.requireNonNull(schedule, "schedule");
            this.learningRate = schedule.initial();
            return this;
        }

        /**
         * Weights the softmax cross-entropy of class {@code i} by {@code weights[i]} (one positive finite weight
         * per class, checked against the model when training starts; default none): for imbalanced classes, give
         * rare classes more weight, e.g. {@code total / (classes * count[i])} as Keras's "balanced". The model must
         * end in a softmax trained with cross-entropy ({@link Loss#AUTO} or {@link Loss#CROSS_ENTROPY}). The
         * reported training and validation losses are the weighted loss. No argument (or null) removes the weights.
         */
        public Builder classWeights(float... weights) {
            if (weights == null || weights.length == 0) {
                this.classWeights = null;
                return this;
            }
            for (int i = 0; i < weights.length; i++) {
                if (!(weights[i] > 0) || Float.isInfinite(weights[i])) {
                    throw new InvalidConfigurationException("class weight " + i + " must be > 0 and finite, got "
                            + weights[i]);
                }
            }
            this.classWeights = weights.clone();
            return this;
        }

        /**
         * {@link #classWeights(float...)} from a map {@code class → weight} for a model with {@code classes}
         * classes; classes the map leaves out weigh 1.
         */
        public Builder classWeights(java.util.Map<Integer, ? extends Number> weights, int classes) {
            if (classes < 1) {
                throw new InvalidConfigurationException("classes must be >= 1, got " + classes);
            }
            float[] w = new float[classes];
            java.util.Arrays.fill(w, 1f);
            for (java.util.Map.Entry<Integer, ? extends Number> e : weights.entrySet()) {
                if (e.getKey() == null || e.getKey() < 0 || e.getKey() >= classes) {
                    throw new InvalidConfigurationException("class " + e.getKey() + " not in [0, " + classes + ")");
                }
                w[e.getKey()] = e.getValue().floatValue();
            }
            return classWeights(w);
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
         * (needs a validation split, or a {@link TrainingStream} with validation data, else training refuses to
         * start; 0 = off, the default).
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

        /**
         * The activations {@link Trainer#fineTuneQuantized} simulates (default {@code TensorType.INT8}): INT8 for an
         * int8 export, INT16 for TFLite's 16x8 export ({@code ExportOptions.int16x8()}), where every activation is
         * fake-quantized to symmetric int16 ({@code QuantizationRules.activationInt16}: zero point 0, scale
         * max|range| / 32767; SOFTMAX, LOGISTIC and TANH at 1/32768). Weights are int8 either way. Export the result
         * with the matching precision.
         *
         * <pre>{@code
         * TrainedModel ptq = Calibrator.minMax().calibrate(floatModel, representative);   // ranges: any precision
         * TrainedModel qat16 = Trainer.builder().epochs(5).learningRate(1e-4)
         *         .quantizedActivations(TensorType.INT16).build().fineTuneQuantized(ptq, data);
         * ExportedModel fine = TfliteExporter.export(spec, qat16, ExportOptions.int16x8());
         * }</pre>
         *
         * @throws InvalidConfigurationException for any type but INT8 and INT16
         */
        public Builder quantizedActivations(TensorType type) {
            if (type != TensorType.INT8 && type != TensorType.INT16) {
                throw new InvalidConfigurationException("quantized activations are INT8 (int8 export) or INT16 "
                        + "(16x8 export, ExportOptions.int16x8()), got " + type);
            }
            this.quantizedActivations = type;
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

        /**
         * Called after each epoch and at the end of training (default none); it may stop training (see
         * {@link TrainingListener}); combine several with {@link TrainingListener#all}.
         */
        public Builder listener(TrainingListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Saves the best model so far to {@code path} ({@link TrainedModel#save}, all or nothing) each time the
         * best-epoch selection improves: the validation loss (or, without a validation split, the loss on a sample
         * of the training data), the same selection early stopping and QAT use. The file then holds what
         * {@link Trainer#train} or {@link Trainer#fineTuneQuantized} would return had training ended there (QAT
         * writes its starting point as epoch 0), so after a crash or an interrupted run the best epoch is on disk;
         * with early stopping (and in QAT, which keeps its best epoch) the last checkpoint equals the returned
         * model; without, the returned model is the last epoch and the checkpoint the best one. Without a validation
         * split the selection scores a training sample after every epoch. Null (the default) saves nothing.
         *
         * <pre>{@code
         * Trainer trainer = Trainer.builder().epochs(500).validationSplit(0.2).earlyStopping(20)
         *         .checkpoint(Path.of("runs/sine-best.mote")).build();
         * trainer.train(spec, data);
         * TrainedModel best = TrainedModel.load(Path.of("runs/sine-best.mote"));
         * }</pre>
         *
         * A checkpoint that cannot be written stops training with {@link dev.mote.vocabulary.FileWriteException}.
         */
        public Builder checkpoint(java.nio.file.Path path) {
            this.checkpoint = path;
            return this;
        }

        /**
         * The trainer. Early stopping without a validation split is refused when training starts (rather than
         * here), since a {@link TrainingStream} brings its own validation data.
         */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
