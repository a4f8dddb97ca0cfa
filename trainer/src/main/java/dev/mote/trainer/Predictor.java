package dev.mote.trainer;

import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.plan.PlannedTensor;
import dev.mote.dsl.plan.QuantRule;
import dev.mote.dsl.plan.TensorPlan;
import dev.mote.dsl.ValueRange;
import dev.mote.vocabulary.TensorType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * Runs a {@link TrainedModel} forward in DL4J: in float, or with the int8 simulation the trainer uses for QAT
 * (weights quantize→dequantize per channel/tensor, every int8 activation tensor quantize→dequantize at its
 * range, including the model input and output). The simulation is not the exported model: the exporter and
 * micro-runtime compute in integers (int32 accumulators, fixed-point rescaling), so results differ slightly.
 *
 * <pre>{@code
 * double floatAcc = Predictor.floatModel(model).accuracy(test);
 * double int8Acc = Predictor.int8Simulation(model).accuracy(test);
 * }</pre>
 */
public final class Predictor {

    /** Examples per forward pass. */
    private static final int CHUNK = 256;

    private final ModelSpec spec;
    private final SpecNetwork net;
    private final FakeQuant.ActivationParams outputQuant;

    private Predictor(ModelSpec spec, SpecNetwork net, FakeQuant.ActivationParams outputQuant) {
        this.spec = spec;
        this.net = net;
        this.outputQuant = outputQuant;
    }

    /** The float model (BatchNorm folded, inference mode). */
    public static Predictor floatModel(TrainedModel model) {
        SpecNetwork net = NetworkFactory.build(model.spec(),
                NetworkFactory.Options.of(NetworkFactory.Mode.FOLDED, 0, 1e-3, Loss.AUTO));
        ParameterTransfer.load(model, net);
        return new Predictor(model.spec(), net, null);
    }

    /** The int8 simulation (fake-quant forward pass at the model's ranges, which stay fixed). */
    public static Predictor int8Simulation(TrainedModel model) {
        return simulation(model, TensorType.INT8);
    }

    /**
     * The 16x8 simulation: as {@link #int8Simulation} with int16 symmetric activations (what
     * {@code ExportOptions.int16x8()} exports), weights int8.
     *
     * <pre>{@code
     * double fine = Predictor.int16x8Simulation(model).accuracy(test);
     * }</pre>
     */
    public static Predictor int16x8Simulation(TrainedModel model) {
        return simulation(model, TensorType.INT16);
    }

    private static Predictor simulation(TrainedModel model, TensorType activations) {
        ValueRange[] ranges = new ValueRange[model.spec().nodes().size()];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = model.outputRange(i);
        }
        SpecNetwork net = NetworkFactory.build(model.spec(), new NetworkFactory.Options(
                NetworkFactory.Mode.FAKE_QUANT, 0, 1e-3, Loss.AUTO, ranges, 0.99, model.cellStateRanges(),
                activations));
        ParameterTransfer.load(model, net);
        for (RangeTracker tracker : net.rangeTrackers()) {
            tracker.freeze();
        }
        int last = model.spec().nodes().size() - 1;
        PlannedTensor output = TensorPlan.of(model.spec()).tensorOf(last);
        // the network's loss layer computes a final softmax/sigmoid; quantize its output here
        FakeQuant.ActivationParams out = null;
        if (model.spec().node(last).layer() instanceof LayerSpec.Activation && output.rule() == QuantRule.FIXED) {
            var p = output.fixedRange().params(activations);
            out = new FakeQuant.ActivationParams(p.scale(), p.zeroPoint(), activations);
        }
        return new Predictor(model.spec(), net, out);
    }

    /** Outputs {@code [n, outputs]} for features {@code [n, ...]} in TFLite layout, {@value #CHUNK} examples at a time. */
    public INDArray predict(INDArray features) {
        DataValidator.array("prediction inputs", features);
        DataValidator.matchesInput("prediction inputs", spec, features);
        int n = (int) features.size(0);
        INDArray rows = features.reshape('c', new long[] {n, -1});
        INDArray[] result = new INDArray[1];
        inChunks(n, (from, to) -> rows.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()), (from, to, out) -> {
            if (result[0] == null) {
                long[] shape = out.shape().clone();
                shape[0] = n;
                result[0] = Nd4j.create(DataType.FLOAT, shape);
            }
            result[0].get(firstDimension(out.rank(), from, to)).assign(out);
        });
        return result[0];
    }

    /** Outputs for examples each flattened in TFLite order. */
    public float[][] predict(float[][] examples) {
        checkRows(examples);
        float[][] result = new float[examples.length][];
        inChunks(examples.length, (from, to) -> chunk(examples, from, to), (from, to, out) -> {
            float[][] values = out.reshape('c', out.size(0), -1).toFloatMatrix();
            System.arraycopy(values, 0, result, from, values.length);
        });
        return result;
    }

    /**
     * The class of each example (each flattened in TFLite order): the index of its largest output, the first on a
     * tie, as a classifier on the device reports it.
     *
     * <pre>{@code
     * int[] predicted = Predictor.floatModel(model).classify(test.images());
     * }</pre>
     */
    public int[] classify(float[][] examples) {
        checkRows(examples);
        int[] classes = new int[examples.length];
        inChunks(examples.length, (from, to) -> chunk(examples, from, to), (from, to, out) -> {
            float[] v = TfliteLayout.flat(out);
            int outputs = v.length / (to - from);
            for (int i = 0; i < to - from; i++) {
                int best = 0;
                for (int c = 1; c < outputs; c++) {
                    if (v[i * outputs + c] > v[i * outputs + best]) {
                        best = c;
                    }
                }
                classes[from + i] = best;
            }
        });
        return classes;
    }

    /** Examples {@code [from, to)} as an array {@code [to - from, ...]} in TFLite layout. */
    private interface ChunkSource {
        INDArray rows(int from, int to);
    }

    /** Takes the outputs of examples {@code [from, to)}; {@code out} is freed right after. */
    private interface ChunkSink {
        void accept(int from, int to, INDArray out);
    }

    /**
     * Runs {@code n} examples forward {@value #CHUNK} at a time, hands each chunk's outputs to {@code sink}, then
     * frees them (and collects garbage when nd4j's native memory has grown), so that a whole test set never needs
     * its activations in memory at once.
     */
    private void inChunks(int n, ChunkSource source, ChunkSink sink) {
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            INDArray out = predictChunk(source.rows(from, to));
            sink.accept(from, to, out);
            NativeMemory.release(out);
            NativeMemory.collectIfGrown();
        }
    }

    private static INDArrayIndex[] firstDimension(int rank, int from, int to) {
        INDArrayIndex[] index = new INDArrayIndex[rank];
        index[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < rank; d++) {
            index[d] = NDArrayIndex.all();
        }
        return index;
    }

    private static INDArray chunk(float[][] examples, int from, int to) {
        return Nd4j.create(Arrays.copyOfRange(examples, from, to));
    }

    /** The network's outputs (a new array) for a few examples {@code [n, values]} in TFLite layout. */
    private INDArray predictChunk(INDArray features) {
        INDArray in = TfliteLayout.featuresToDl4j(features.castTo(DataType.FLOAT), spec.inputShape());
        INDArray out = net.output(in);
        NativeMemory.release(in);
        if (outputQuant != null) {
            float[] v = TfliteLayout.flat(out);
            for (int i = 0; i < v.length; i++) {
                v[i] = outputQuant.fakeQuantize(v[i]);
            }
            INDArray quantized = Nd4j.create(v, out.shape(), 'c');
            NativeMemory.release(out);
            out = quantized;
        }
        return out;
    }

    /** Rows of the same length as the model's input, finite (none at all is allowed: no predictions). */
    private void checkRows(float[][] examples) {
        if (examples != null && examples.length == 0) {
            return;
        }
        long width = DataValidator.rows("prediction inputs", examples);
        long inputs = spec.inputShape().elementCount();
        if (width != inputs) {
            throw new InvalidTrainingDataException("model " + spec.name() + " takes " + inputs + " input values "
                    + spec.inputShape() + " but the prediction inputs have " + width + " per example: give each"
                    + " example as the model's input shape flattened in TFLite order (NHWC for images, step-major for"
                    + " sequences [steps, features])");
        }
    }

    /** Fraction of examples whose arg-max output equals the arg-max target. */
    public double accuracy(TrainingData data) {
        INDArray out = predict(data.features());
        INDArray labels = data.targets().reshape('c', new long[] {data.size(), -1});
        return Nd4j.argMax(out, 1).eq(Nd4j.argMax(labels, 1)).castTo(DataType.FLOAT).meanNumber().doubleValue();
    }

    /** Mean absolute error over all outputs. */
    public double meanAbsoluteError(TrainingData data) {
        INDArray out = predict(data.features());
        INDArray t = data.targets().reshape('c', new long[] {data.size(), -1});
        return org.nd4j.linalg.ops.transforms.Transforms.abs(out.sub(t)).meanNumber().doubleValue();
    }

    /** Mean squared error over all outputs. */
    public double meanSquaredError(TrainingData data) {
        INDArray out = predict(data.features());
        INDArray t = data.targets().reshape('c', new long[] {data.size(), -1});
        INDArray d = out.sub(t);
        return d.mul(d).meanNumber().doubleValue();
    }
}
