package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * The epoch loop shared by float training and QAT: the examples in a seeded order, cut into mini-batches that are
 * built in DL4J layout when needed and freed right after (the data set is held once), the batches' order shuffled
 * per epoch, divergence detection per batch, validation loss and metric per epoch, early stopping with
 * the best parameters restored. A {@link TrainingStream} takes the same loop with its batches as they come. Also:
 * the learning-rate schedule and class weights ({@link NetworkSettings}), listener stop requests
 * ({@link TrainingControl}) and the {@link TrainingSummary} at the end.
 */
final class TrainingLoop {

    /** Training examples scored for the metric when there is no validation split. */
    private static final int METRIC_SAMPLE = 1024;
    /** Examples per forward pass when scoring (inference passes leave their activations to the collector). */
    private static final int EVAL_CHUNK = 128;

    private final Trainer config;
    private final String phase;
    private final boolean keepBest;

    /**
     * @param keepBest restore the epoch (counting the starting point as epoch 0) with the lowest validation loss
     *                 (or, without a validation split, the lowest loss on a training sample in inference mode),
     *                 parameters and fake-quant ranges alike; used for QAT so that fine-tuning never returns a
     *                 model worse than the one it started from
     */
    TrainingLoop(Trainer config, String phase, boolean keepBest) {
        this.config = config;
        this.phase = phase;
        this.keepBest = keepBest;
    }

    private BestEpochListener bestEpochListener;
    private int completedEpochs;
    private int heldEpoch;

    /** Tells {@code l} of each improvement of the best-epoch selection (then made even without early stopping). */
    TrainingLoop bestEpochListener(BestEpochListener l) {
        this.bestEpochListener = l;
        return this;
    }

    /** Epochs the last {@link #run} completed. */
    int epochsRun() {
        return completedEpochs;
    }

    /** The epoch whose parameters the network holds after {@link #run}: the restored best one, else the last. */
    int bestEpoch() {
        return heldEpoch;
    }

    void run(SpecNetwork net, TrainingData data) {
        ModelSpec spec = net.spec();
        checkTargets(spec, data);
        int n = data.size();
        int validation = (int) Math.round(n * config.validationSplit());
        if (config.validationSplit() > 0 && (validation < 1 || validation >= n)) {
            throw new InvalidTrainingDataException("validation split " + config.validationSplit() + " of "
                    + n + " examples leaves no training or no validation examples: give more examples or change"
                    + " the split");
        }
        // the examples in a seeded order, drawn by index: no shuffled copy, no prepared batches
        Batches all = Batches.of(spec, data, TrainingData.permutation(n, config.seed()), config.batchSize());
        Batches train = all.range(0, n - validation);
        Batches validationSet = validation == 0 ? null : forEvaluation(all.range(n - validation, n));
        // the examples of the epoch metric and, without a validation split, of the best-epoch selection
        Batches metricSet = validationSet != null ? validationSet
                : forEvaluation(train.range(0, Math.min(train.examples(), METRIC_SAMPLE)));
        List<Integer> batchOrder = new ArrayList<>();
        for (int b = 0; b < train.count(); b++) {
            batchOrder.add(b);
        }
        Random order = new Random(config.seed());
        BatchPasses epochs = new BatchPasses() {
            @Override
            public Iterator<DataSet> pass() {
                Collections.shuffle(batchOrder, order);
                return batchOrder.stream().map(train::get).iterator();
            }

            @Override
            public void release(DataSet batch) {
                train.release(batch);
            }
        };
        loop(net, epochs, train.count(), validationSet == null ? null : BatchPasses.of(validationSet),
                BatchPasses.of(metricSet));
    }

    /** Trains on {@code stream}'s batches as they come (see {@link TrainingStream}). */
    void run(SpecNetwork net, TrainingStream stream) {
        if (config.validationSplit() > 0) {
            throw new InvalidConfigurationException("a TrainingStream cannot be split for validation: set no validation"
                    + " split and give the stream validation data with withValidation(..)");
        }
        ModelSpec spec = net.spec();
        BatchPasses epochs = BatchPasses.of(spec, stream);
        BatchPasses validationSet = null;
        if (stream.validationData() != null) {
            TrainingData v = stream.validationData();
            checkTargets(spec, v);
            validationSet = BatchPasses.of(forEvaluation(Batches.of(spec, v, TrainingData.permutation(v.size(), 0),
                    config.batchSize())));
        } else if (stream.validationStream() != null) {
            validationSet = BatchPasses.of(spec, stream.validationStream());
        }
        loop(net, epochs, -1, validationSet,
                validationSet != null ? validationSet : BatchPasses.head(epochs, METRIC_SAMPLE));
    }

    /**
     * The epochs: {@code train} yields one epoch's batches per pass ({@code batchesPerEpoch} of them, -1 when
     * unknown); {@code validationSet} (or null) and {@code metricSet} are scored in inference mode after each.
     */
    private void loop(SpecNetwork net, BatchPasses train, int batchesPerEpoch, BatchPasses validationSet,
                      BatchPasses metricSet) {
        ModelSpec spec = net.spec();
        if (config.earlyStoppingPatience() > 0 && validationSet == null) {
            throw new InvalidConfigurationException("early stopping needs a validation split: set"
                    + " validationSplit(..) above 0 or earlyStopping(0) (or, for a TrainingStream, give it validation"
                    + " data: withValidation(..))");
        }
        LearningRateSchedule schedule = config.learningRateScheduleOrNull();
        if (schedule != null) {
            NetworkSettings.install(net, schedule);
        }
        if (config.classWeights() != null) {
            NetworkSettings.classWeights(net, config.classWeights());
        }
        boolean classification = isClassification(spec, net);
        String metricName = classification ? "accuracy" : "mae";
        TrainingListener listener = config.listener();
        TrainingControl control = new TrainingControl();
        long startNanos = System.nanoTime();
        DivergenceGuard guard = new DivergenceGuard(phase, config.learningRate(), net, score(net, metricSet));
        double best = Double.POSITIVE_INFINITY;
        INDArray bestParams = null;
        List<float[]> bestRanges = null;
        int epochsWithoutImprovement = 0;
        boolean earlyStopping = validationSet != null && config.earlyStoppingPatience() > 0;
        boolean restoring = earlyStopping || keepBest;
        // the summary's best epoch: the restored one when restoring, else the lowest validation (training) loss
        int bestEpoch = -1;
        EpochResult bestResult = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        double startMetric = Double.NaN;
        if (keepBest) {
            best = score(net, metricSet);
            bestParams = net.params().dup();
            bestRanges = rangeState(net);
            bestEpoch = 0;
            startMetric = metric(net, metricSet, classification);
            if (bestEpochListener != null) {
                bestEpochListener.improved(net, 0);
            }
        }
        String stopReason = "completed";
        int epochsRun = 0;
        long steps = 0;
        try (ProgressDisplay progress = ProgressDisplay.open(config.progressBar(), phase, config.epochs(),
                batchesPerEpoch)) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                double sum = 0;
                int b = 0;
                for (Iterator<DataSet> batches = train.pass(); batches.hasNext(); ) {
                    DataSet batch = batches.next();
                    net.fit(batch);
                    train.release(batch);
                    batch = null; // not held while the next batch is read (a stream keeps one alive)
                    NativeMemory.collectIfGrown();
                    steps++;
                    double loss = net.score();
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException(phase, epoch, b + 1, loss);
                    }
                    sum += loss;
                    b++;
                    progress.batch(epoch, b, batchesPerEpoch, sum / b);
                }
                if (b == 0) {
                    throw new InvalidTrainingDataException("epoch " + epoch + " had no training batches");
                }
                guard.epoch(epoch, sum / b);
                double validationLoss = validationSet == null ? Double.NaN : score(net, validationSet);
                if (validationSet != null && !Double.isFinite(validationLoss)) {
                    throw new TrainingDivergedException(phase, epoch, 0, validationLoss);
                }
                double metric = metric(net, metricSet, classification);
                double learningRate = schedule != null ? schedule.at(epoch, steps - 1) : config.learningRate();
                EpochResult result = new EpochResult(phase, epoch, sum / b, validationLoss, metricName, metric,
                        learningRate);
                epochsRun = epoch;
                progress.epoch(result);
                if (listener != null) {
                    listener.epochEnded(result, control);
                }
                NetworkSettings.epochEnded(net);
                boolean patienceOut = false;
                if (restoring || bestEpochListener != null) {
                    // the best-epoch selection; a checkpoint listener is told of each improvement even when
                    // nothing is restored
                    double selection = validationSet != null ? validationLoss : score(net, metricSet);
                    if (selection < best) {
                        best = selection;
                        if (restoring) {
                            bestParams = net.params().dup();
                            bestRanges = rangeState(net);
                            bestEpoch = epoch;
                            bestResult = result;
                        }
                        epochsWithoutImprovement = 0;
                        if (bestEpochListener != null) {
                            bestEpochListener.improved(net, epoch);
                        }
                    } else if (earlyStopping && ++epochsWithoutImprovement >= config.earlyStoppingPatience()) {
                        patienceOut = true;
                    }
                }
                if (!restoring) {
                    double selection = validationSet != null ? validationLoss : result.trainingLoss();
                    if (selection < bestLoss) {
                        bestLoss = selection;
                        bestEpoch = epoch;
                        bestResult = result;
                    }
                }
                if (patienceOut) {
                    stopReason = "early stopping";
                    break;
                }
                if (control.stopRequested()) {
                    stopReason = control.stopReason();
                    break;
                }
            }
            TrainingSummary summary = bestResult != null
                    ? new TrainingSummary(phase, epochsRun, config.epochs(), bestEpoch, bestResult.trainingLoss(),
                            bestResult.validationLoss(), metricName, bestResult.metric(), restoring, stopReason,
                            (System.nanoTime() - startNanos) / 1e9)
                    : new TrainingSummary(phase, epochsRun, config.epochs(), 0, Double.NaN,
                            validationSet != null ? best : Double.NaN, metricName, startMetric, restoring,
                            stopReason, (System.nanoTime() - startNanos) / 1e9);
            progress.summary(summary);
            completedEpochs = epochsRun;
            heldEpoch = restoring && bestParams != null ? bestEpoch : epochsRun;
            if (bestParams != null) {
                net.setParams(bestParams);
                List<RangeTracker> trackers = net.rangeTrackers();
                for (int i = 0; i < trackers.size(); i++) {
                    trackers.get(i).restore(bestRanges.get(i));
                }
            }
            if (listener != null) {
                listener.trainingEnded(summary);
            }
        }
    }

    /** Examples for scoring: a small (cached) set in one forward pass, a large one in chunks of {@value #EVAL_CHUNK}. */
    private static Batches forEvaluation(Batches examples) {
        return examples.withBatchSize(examples.cached() ? Math.max(1, examples.examples()) : EVAL_CHUNK);
    }

    /** The mean loss over {@code data} in inference mode, a chunk at a time. */
    private static double score(SpecNetwork net, BatchPasses data) {
        double sum = 0;
        long examples = 0;
        for (Iterator<DataSet> it = data.pass(); it.hasNext(); ) {
            DataSet chunk = it.next();
            sum += net.score(chunk) * chunk.numExamples();
            examples += chunk.numExamples();
            data.release(chunk);
            NativeMemory.collectIfGrown();
        }
        return sum / examples;
    }

    private static List<float[]> rangeState(SpecNetwork net) {
        List<float[]> state = new ArrayList<>();
        for (RangeTracker tracker : net.rangeTrackers()) {
            state.add(tracker.snapshot());
        }
        return state;
    }

    private static void checkTargets(ModelSpec spec, TrainingData data) {
        DataValidator.matchesOutput("targets", spec, data.targets());
        DataValidator.matchesInput("training features", spec, data.features());
    }

    private static boolean isClassification(ModelSpec spec, SpecNetwork net) {
        return spec.output().layer() instanceof dev.mote.dsl.LayerSpec.Activation a
                && a.kind() == dev.mote.dsl.ActivationKind.SOFTMAX;
    }

    /** Accuracy (classification) or mean absolute error over {@code data} in inference mode, a chunk at a time. */
    static double metric(SpecNetwork net, Batches data, boolean classification) {
        return metric(net, BatchPasses.of(data), classification);
    }

    private static double metric(SpecNetwork net, BatchPasses data, boolean classification) {
        double sum = 0;
        long examples = 0;
        for (Iterator<DataSet> it = data.pass(); it.hasNext(); ) {
            DataSet chunk = it.next();
            INDArray out = net.output(chunk.getFeatures());
            INDArray labels = chunk.getLabels();
            if (classification) {
                sum += Nd4j.argMax(out, 1).eq(Nd4j.argMax(labels, 1)).castTo(DataType.FLOAT).sumNumber().doubleValue();
            } else {
                sum += Transforms.abs(out.sub(labels)).sumNumber().doubleValue() / labels.size(1);
            }
            examples += chunk.numExamples();
            NativeMemory.release(out);
            data.release(chunk);
            NativeMemory.collectIfGrown();
        }
        return sum / examples;
    }
}
