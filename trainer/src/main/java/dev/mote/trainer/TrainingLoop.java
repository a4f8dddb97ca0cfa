package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The epoch loop shared by float training and QAT: the examples in a seeded order, cut into mini-batches that are
 * built in DL4J layout when needed and freed right after (the data set is held once), the batches' order shuffled
 * per epoch, divergence detection per batch, validation loss and metric per epoch, early stopping with
 * the best parameters restored.
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
        DivergenceGuard guard = new DivergenceGuard(phase, config.learningRate(), net, score(net, metricSet));
        List<Integer> batchOrder = new ArrayList<>();
        for (int b = 0; b < train.count(); b++) {
            batchOrder.add(b);
        }
        boolean classification = isClassification(spec, net);
        Random order = new Random(config.seed());
        double best = Double.POSITIVE_INFINITY;
        INDArray bestParams = null;
        List<float[]> bestRanges = null;
        int epochsWithoutImprovement = 0;
        if (keepBest) {
            best = score(net, metricSet);
            bestParams = net.params().dup();
            bestRanges = rangeState(net);
        }
        try (ProgressDisplay progress = ProgressDisplay.open(config.progressBar(), phase, config.epochs(),
                train.count())) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                Collections.shuffle(batchOrder, order);
                double sum = 0;
                for (int b = 0; b < batchOrder.size(); b++) {
                    DataSet batch = train.get(batchOrder.get(b));
                    net.fit(batch);
                    train.release(batch);
                    NativeMemory.collectIfGrown();
                    double loss = net.score();
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException(phase, epoch, b + 1, loss);
                    }
                    sum += loss;
                    progress.batch(epoch, b + 1, batchOrder.size(), sum / (b + 1));
                }
                guard.epoch(epoch, sum / batchOrder.size());
                double validationLoss = validationSet == null ? Double.NaN : score(net, validationSet);
                if (validationSet != null && !Double.isFinite(validationLoss)) {
                    throw new TrainingDivergedException(phase, epoch, 0, validationLoss);
                }
                double metric = metric(net, metricSet, classification);
                EpochResult result = new EpochResult(phase, epoch, sum / batchOrder.size(), validationLoss,
                        classification ? "accuracy" : "mae", metric);
                progress.epoch(result);
                if (config.listener() != null) {
                    config.listener().epochEnded(result);
                }
                boolean earlyStopping = validationSet != null && config.earlyStoppingPatience() > 0;
                if (earlyStopping || keepBest) {
                    double selection = validationSet != null ? validationLoss : score(net, metricSet);
                    if (selection < best) {
                        best = selection;
                        bestParams = net.params().dup();
                        bestRanges = rangeState(net);
                        epochsWithoutImprovement = 0;
                    } else if (earlyStopping && ++epochsWithoutImprovement >= config.earlyStoppingPatience()) {
                        break;
                    }
                }
            }
        }
        if (bestParams != null) {
            net.setParams(bestParams);
            List<FakeQuantActivation> fqs = net.fakeQuantActivations();
            for (int i = 0; i < fqs.size(); i++) {
                fqs.get(i).tracker().restore(bestRanges.get(i));
            }
        }
    }

    /** Examples for scoring: a small (cached) set in one forward pass, a large one in chunks of {@value #EVAL_CHUNK}. */
    private static Batches forEvaluation(Batches examples) {
        return examples.withBatchSize(examples.cached() ? Math.max(1, examples.examples()) : EVAL_CHUNK);
    }

    /** The mean loss over {@code data} in inference mode, a chunk at a time. */
    private static double score(SpecNetwork net, Batches data) {
        double sum = 0;
        for (int b = 0; b < data.count(); b++) {
            DataSet chunk = data.get(b);
            sum += net.score(chunk) * chunk.numExamples();
            data.release(chunk);
            NativeMemory.collectIfGrown();
        }
        return sum / data.examples();
    }

    private static List<float[]> rangeState(SpecNetwork net) {
        List<float[]> state = new ArrayList<>();
        for (FakeQuantActivation fq : net.fakeQuantActivations()) {
            state.add(fq.tracker().snapshot());
        }
        return state;
    }

    private static void checkTargets(ModelSpec spec, TrainingData data) {
        long outputs = spec.outputShape().elementCount();
        long given = data.targets().length() / data.size();
        if (given != outputs) {
            throw new InvalidTrainingDataException("model " + spec.name() + " has " + outputs + " outputs but the"
                    + " targets have " + given + " values per example: give one target value per output (one-hot"
                    + " for classification)");
        }
        DataValidator.matchesInput("training features", spec, data.features());
    }

    private static boolean isClassification(ModelSpec spec, SpecNetwork net) {
        return spec.output().layer() instanceof dev.mote.dsl.LayerSpec.Activation a
                && a.kind() == dev.mote.dsl.ActivationKind.SOFTMAX;
    }

    /** Accuracy (classification) or mean absolute error over {@code data} in inference mode, a chunk at a time. */
    static double metric(SpecNetwork net, Batches data, boolean classification) {
        double sum = 0;
        for (int b = 0; b < data.count(); b++) {
            DataSet chunk = data.get(b);
            INDArray out = net.output(chunk.getFeatures());
            INDArray labels = chunk.getLabels();
            if (classification) {
                sum += Nd4j.argMax(out, 1).eq(Nd4j.argMax(labels, 1)).castTo(DataType.FLOAT).sumNumber().doubleValue();
            } else {
                sum += Transforms.abs(out.sub(labels)).sumNumber().doubleValue() / labels.size(1);
            }
            NativeMemory.release(out);
            data.release(chunk);
            NativeMemory.collectIfGrown();
        }
        return sum / data.examples();
    }
}
