package dev.mote.trainer;

import dev.mote.dsl.ModelSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The epoch loop shared by float training and QAT: mini-batches prepared once in DL4J layout, their order
 * shuffled per epoch, divergence detection per batch, validation loss and metric per epoch, early stopping with
 * the best parameters restored.
 */
final class TrainingLoop {

    /** Training examples scored for the metric when there is no validation split. */
    private static final int METRIC_SAMPLE = 1024;

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
        TrainingData shuffled = data.shuffled(config.seed());
        int validation = (int) Math.round(shuffled.size() * config.validationSplit());
        if (config.validationSplit() > 0 && (validation < 1 || validation >= shuffled.size())) {
            throw new IllegalArgumentException("validation split " + config.validationSplit() + " of "
                    + shuffled.size() + " examples leaves no training or no validation examples");
        }
        TrainingData train = shuffled.slice(0, shuffled.size() - validation);
        DataSet validationSet = validation == 0 ? null
                : toDl4j(spec, shuffled.slice(shuffled.size() - validation, shuffled.size()));
        DataSet metricSet = validationSet != null ? validationSet
                : toDl4j(spec, train.slice(0, Math.min(train.size(), METRIC_SAMPLE)));
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < train.size(); from += config.batchSize()) {
            batches.add(toDl4j(spec, train.slice(from, Math.min(train.size(), from + config.batchSize()))));
        }
        boolean classification = isClassification(spec, net);
        Random order = new Random(config.seed());
        double best = Double.POSITIVE_INFINITY;
        INDArray bestParams = null;
        List<float[]> bestRanges = null;
        int epochsWithoutImprovement = 0;
        DataSet selectionSet = validationSet != null ? validationSet : metricSet;
        if (keepBest) {
            best = net.score(selectionSet);
            bestParams = net.params().dup();
            bestRanges = rangeState(net);
        }
        try (ProgressDisplay progress = ProgressDisplay.open(config.progressBar(), phase, config.epochs(),
                batches.size())) {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                Collections.shuffle(batches, order);
                double sum = 0;
                for (int b = 0; b < batches.size(); b++) {
                    net.fit(batches.get(b));
                    double loss = net.score();
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException(phase, epoch, b + 1, loss);
                    }
                    sum += loss;
                    progress.batch(epoch, b + 1, batches.size(), sum / (b + 1));
                }
                double validationLoss = validationSet == null ? Double.NaN : net.score(validationSet);
                if (validationSet != null && !Double.isFinite(validationLoss)) {
                    throw new TrainingDivergedException(phase, epoch, 0, validationLoss);
                }
                double metric = metric(net, metricSet, classification);
                EpochResult result = new EpochResult(phase, epoch, sum / batches.size(), validationLoss,
                        classification ? "accuracy" : "mae", metric);
                progress.epoch(result);
                if (config.listener() != null) {
                    config.listener().epochEnded(result);
                }
                boolean earlyStopping = validationSet != null && config.earlyStoppingPatience() > 0;
                if (earlyStopping || keepBest) {
                    double selection = validationSet != null ? validationLoss : net.score(selectionSet);
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

    private static List<float[]> rangeState(SpecNetwork net) {
        List<float[]> state = new ArrayList<>();
        for (FakeQuantActivation fq : net.fakeQuantActivations()) {
            state.add(fq.tracker().snapshot());
        }
        return state;
    }

    static DataSet toDl4j(ModelSpec spec, TrainingData data) {
        return new DataSet(TfliteLayout.featuresToDl4j(data.features(), spec.inputShape()),
                data.targets().reshape('c', new long[] {data.size(), -1}));
    }

    private static void checkTargets(ModelSpec spec, TrainingData data) {
        long outputs = spec.outputShape().elementCount();
        long given = data.targets().length() / data.size();
        if (given != outputs) {
            throw new IllegalArgumentException("model " + spec.name() + " has " + outputs + " outputs but the targets"
                    + " have " + given + " values per example");
        }
        long inputs = spec.inputShape().elementCount();
        long features = data.features().length() / data.size();
        if (features != inputs) {
            throw new IllegalArgumentException("model " + spec.name() + " takes " + inputs + " input values "
                    + spec.inputShape() + " but the features have " + features + " per example");
        }
    }

    private static boolean isClassification(ModelSpec spec, SpecNetwork net) {
        return spec.output().layer() instanceof dev.mote.dsl.LayerSpec.Activation a
                && a.kind() == dev.mote.dsl.ActivationKind.SOFTMAX;
    }

    static double metric(SpecNetwork net, DataSet data, boolean classification) {
        INDArray out = net.output(data.getFeatures());
        INDArray labels = data.getLabels();
        if (classification) {
            INDArray predicted = Nd4j.argMax(out, 1);
            INDArray actual = Nd4j.argMax(labels, 1);
            return predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).meanNumber().doubleValue();
        }
        return org.nd4j.linalg.ops.transforms.Transforms.abs(out.sub(labels)).meanNumber().doubleValue();
    }
}
