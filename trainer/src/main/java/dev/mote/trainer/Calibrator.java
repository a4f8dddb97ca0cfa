package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.dsl.ValueRange;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Post-training calibration: runs a representative data set through the float model (BatchNorm folded, inference
 * mode) and records the range of every node's output, then applies TFLite's range rules (fixed softmax/logistic/
 * tanh ranges, pass-through ops share their input's range, see {@link QuantizationChoices}). For each LSTM it also
 * records the range of the cell state {@code c_t} over every step of every example ({@link
 * TrainedModel#cellStateRange}): {@link LstmForward} runs the LSTM's weights over the LSTM's input activations, since
 * DL4J does not expose the cell state. The cell-state range is always the minimum and maximum (also with
 * {@link #percentile}: the int16 cell state's power-of-two scale should not clip).
 *
 * <pre>{@code
 * TrainedModel ptq = Calibrator.minMax().calibrate(trained, representative);
 * TrainedModel clipped = Calibrator.percentile(99.99).calibrate(trained, representative);
 * }</pre>
 */
public final class Calibrator {

    /** Values kept per node for percentiles; larger tensors are sampled with a fixed stride. */
    private static final int SAMPLE_CAP = 1 << 21;

    private final double percentile;
    private final int batchSize;

    private Calibrator(double percentile, int batchSize) {
        this.percentile = percentile;
        this.batchSize = batchSize;
    }

    /** Ranges are the minimum and maximum observed. */
    public static Calibrator minMax() {
        return new Calibrator(Double.NaN, 256);
    }

    /**
     * Ranges are the {@code (100 - p)}-th and {@code p}-th percentiles of each tensor's values, e.g. 99.99, which
     * clips rare outliers for a finer scale.
     */
    public static Calibrator percentile(double p) {
        if (!(p > 50 && p <= 100)) {
            throw new InvalidConfigurationException("percentile must be in (50, 100], got " + p);
        }
        return new Calibrator(p, 256);
    }

    /** A copy that runs {@code size} examples per forward pass (default 256). */
    public Calibrator batchSize(int size) {
        if (size < 1) {
            throw new InvalidConfigurationException("batch size must be >= 1, got " + size);
        }
        return new Calibrator(percentile, size);
    }

    /**
     * {@code model} with ranges from {@code representative} features (TFLite layout, {@code [n, ...]}); its
     * {@link Provenance} keeps the training's counts with phase {@link Provenance.Phase#CALIBRATED}.
     */
    public TrainedModel calibrate(TrainedModel model, INDArray representative) {
        DataValidator.array("calibration data", representative);
        DataValidator.matchesInput("calibration data", model.spec(), representative);
        SpecNetwork net = NetworkFactory.build(model.spec(),
                NetworkFactory.Options.of(NetworkFactory.Mode.FOLDED, 0, 1e-3, Loss.AUTO));
        ParameterTransfer.load(model, net);
        ValueRange[] cellStates = new ValueRange[model.spec().nodes().size()];
        ValueRange[] ranges = observe(net, representative, model, cellStates);
        boolean usePercentile = !Double.isNaN(percentile);
        return model.withRanges(ranges, usePercentile ? QuantizationChoices.RangeSource.PERCENTILE
                : QuantizationChoices.RangeSource.MIN_MAX, percentile)
                .withCellStateRanges(cellStates)
                .withProvenance(model.provenance().withPhase(Provenance.Phase.CALIBRATED));
    }

    /** {@code model} with ranges from {@code representative} examples (each flattened in TFLite order). */
    public TrainedModel calibrate(TrainedModel model, float[][] representative) {
        DataValidator.rows("calibration data", representative);
        return calibrate(model, Nd4j.create(representative));
    }

    /** {@code model} with ranges from the features of {@code data}. */
    public TrainedModel calibrate(TrainedModel model, TrainingData data) {
        return calibrate(model, data.features());
    }

    /**
     * Observed ranges after the range rules, one per node; fills {@code cellStates} at each LSTM node with its
     * cell-state range under {@code model}'s weights.
     */
    ValueRange[] observe(SpecNetwork net, INDArray representative, TrainedModel model, ValueRange[] cellStates) {
        ModelSpec spec = net.spec();
        float[][] cellMinMax = new float[spec.nodes().size()][];
        for (LayerNode node : spec.nodes()) {
            if (node.layer() instanceof LayerSpec.Lstm) {
                cellMinMax[node.index()] = new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
            }
        }
        int nodes = spec.nodes().size();
        int n = (int) representative.size(0);
        Observer[] observers = new Observer[nodes];
        for (int i = 0; i < nodes; i++) {
            long total = spec.node(i).outputShape().elementCount() * (long) n;
            observers[i] = new Observer(Double.isNaN(percentile) ? 0 : Math.max(1, total / SAMPLE_CAP + 1),
                    (int) Math.min(total, SAMPLE_CAP));
        }
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            INDArray batch = TfliteLayout.featuresToDl4j(rows(representative, from, to), spec.inputShape());
            INDArray[] outputs = net.nodeOutputs(batch);
            for (int i = 0; i < nodes; i++) {
                if (outputs[i] != null) {
                    observers[i].add(TfliteLayout.flat(outputs[i]));
                }
                if (cellMinMax[i] != null) {
                    observeCellState(spec.node(i), model, outputs[spec.node(i).input()], to - from, cellMinMax[i]);
                }
            }
            NativeMemory.release(batch);
            NativeMemory.collectIfGrown();
        }
        ValueRange[] observed = new ValueRange[nodes];
        for (int i = 0; i < nodes; i++) {
            if (!observers[i].finite()) {
                throw new TrainerException("calibration: layer " + i + " '" + spec.node(i).name() + "' of model "
                        + spec.name() + " outputs NaN or infinite values (range [" + observers[i].min + ", "
                        + observers[i].max + "]) on finite calibration data: the model's weights are NaN/Inf or"
                        + " overflow float32, as after diverged training; retrain with a lower learning rate or"
                        + " normalized inputs");
            }
            observed[i] = observers[i].range(percentile);
            if (cellMinMax[i] != null && cellMinMax[i][0] <= cellMinMax[i][1]) {
                if (!Float.isFinite(cellMinMax[i][0]) || !Float.isFinite(cellMinMax[i][1])) {
                    throw new TrainerException("calibration: the cell state of LSTM " + i + " '"
                            + spec.node(i).name() + "' of model " + spec.name() + " is NaN or infinite on finite"
                            + " calibration data: its weights are NaN/Inf, as after diverged training; retrain with"
                            + " a lower learning rate or normalized inputs");
                }
                cellStates[i] = new ValueRange(cellMinMax[i][0], cellMinMax[i][1]);
            }
        }
        return TensorPlan.of(spec).tensorRanges(observed);
    }

    /** Widens {@code minMax} to the cell states of LSTM {@code lstm} on its input's DL4J activations {@code in}. */
    private static void observeCellState(LayerNode lstm, TrainedModel model, INDArray in, int n, float[] minMax) {
        ModelSpec spec = model.spec();
        dev.mote.dsl.Shape inShape = spec.node(lstm.input()).outputShape();
        float[] x = TfliteLayout.flat(TfliteLayout.nodeActivationsToTflite(in, spec, lstm.input()));
        LstmForward.cellStateRange(model.weights(lstm.index()), model.bias(lstm.index()),
                ((LayerSpec.Lstm) lstm.layer()).units(), inShape.dim(1), x, n, inShape.dim(0), minMax);
    }

    private static INDArray rows(INDArray a, int from, int to) {
        INDArray flat = a.reshape('c', new long[] {a.size(0), -1});
        return flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
    }

    /** Min/max and, for percentiles, a strided sample of one tensor's values. */
    private static final class Observer {
        private final long stride;
        private float[] sample;
        private int size;
        private long seen;
        private float min = Float.POSITIVE_INFINITY;
        private float max = Float.NEGATIVE_INFINITY;

        Observer(long stride, int capacity) {
            this.stride = stride;
            this.sample = stride == 0 ? null : new float[Math.max(16, capacity)];
        }

        void add(float[] values) {
            for (float v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                if (sample != null && seen++ % stride == 0) {
                    if (size == sample.length) {
                        sample = Arrays.copyOf(sample, size * 2);
                    }
                    sample[size++] = v;
                }
            }
        }

        /** False if a NaN or an infinite value was seen. */
        boolean finite() {
            return min > max || Float.isFinite(min) && Float.isFinite(max);
        }

        ValueRange range(double percentile) {
            if (min > max) {
                return null;
            }
            if (sample == null || size == 0 || percentile >= 100) {
                return new ValueRange(min, max);
            }
            float[] sorted = Arrays.copyOf(sample, size);
            Arrays.sort(sorted);
            double q = percentile / 100.0;
            float hi = sorted[(int) Math.min(size - 1, Math.ceil(q * (size - 1)))];
            float lo = sorted[(int) Math.max(0, Math.floor((1 - q) * (size - 1)))];
            return new ValueRange(lo, hi);
        }
    }
}
