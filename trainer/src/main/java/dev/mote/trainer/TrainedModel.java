package dev.mote.trainer;

import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.dsl.plan.TensorPlan;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The result of training: float weights in TFLite's layout, the float range of every node's output, and the
 * {@link QuantizationChoices} the ranges were made for. This is what the exporter converts to int8; it holds no
 * DL4J objects.
 *
 * <p>Layouts (TFLite's, row-major): Dense weights {@code [units, inFeatures]} (for a Dense after a Flatten of an
 * image, {@code inFeatures} are in NHWC order, as TFLite flattens); Conv2D {@code [filters, kh, kw, inChannels]};
 * DepthwiseConv2D {@code [1, kh, kw, inChannels * multiplier]}; Conv1D as its image-view Conv2D {@code [filters, 1,
 * kernel, inChannels]}; Dense per step {@code [units, features]}; bias {@code [outputs]}; an LSTM its eight gate
 * matrices concatenated in TFLite's operand order (input_to_{input, forget, cell, output} {@code [units, features]},
 * then recurrent_to_.. {@code [units, units]}; shape {@code [4·units·(features + units)]}) and its four gate biases
 * concatenated, with the range of its cell state ({@link #cellStateRange}). BatchNorm is folded into
 * the preceding Dense/Conv2D/DepthwiseConv2D: BatchNorm nodes have no weights, and the folded layer's output range
 * equals the BatchNorm node's.
 *
 * <pre>{@code
 * TrainedModel m = trainer.train(spec, data);
 * for (LayerNode node : m.spec().nodes()) {
 *     float[] w = m.weights(node.index());          // null for nodes without weights
 *     int[] shape = m.weightShape(node.index());
 *     ValueRange out = m.outputRange(node.index());
 * }
 * }</pre>
 *
 * <p>A model is saved to one file and loaded back with everything the exporter and fine-tuning need (weights,
 * ranges, spec, quantization choices and {@link Provenance}); the file format is described in the package
 * documentation:
 *
 * <pre>{@code
 * trained.save(Path.of("sine.mote"));
 * TrainedModel again = TrainedModel.load(Path.of("sine.mote"));   // exports to the same .tflite bytes
 * }</pre>
 */
public final class TrainedModel implements ModelParameters {

    private final ModelSpec spec;
    private final float[][] weights;
    private final int[][] weightShapes;
    private final float[][] biases;
    private final ValueRange[] ranges;
    /** Per node: an LSTM's cell-state range, else null. */
    private final ValueRange[] cellStates;
    private final QuantizationChoices quantization;
    private final Provenance provenance;

    private TrainedModel(ModelSpec spec, float[][] weights, int[][] weightShapes, float[][] biases,
                         ValueRange[] ranges, ValueRange[] cellStates, QuantizationChoices quantization,
                         Provenance provenance) {
        this.cellStates = cellStates;
        this.provenance = provenance;
        this.spec = spec;
        this.weights = weights;
        this.weightShapes = weightShapes;
        this.biases = biases;
        this.ranges = ranges;
        this.quantization = quantization;
    }

    /** The model declaration these parameters belong to. */
    public ModelSpec spec() {
        return spec;
    }

    /** Node {@code nodeIndex}'s weights in TFLite layout (a copy), or null for nodes without weights. */
    @Override
    public float[] weights(int nodeIndex) {
        float[] w = weights[checkIndex(nodeIndex)];
        return w == null ? null : w.clone();
    }

    /** The TFLite shape of {@link #weights(int)}, or null for nodes without weights. */
    public int[] weightShape(int nodeIndex) {
        int[] s = weightShapes[checkIndex(nodeIndex)];
        return s == null ? null : s.clone();
    }

    /** Node {@code nodeIndex}'s bias (zeros if the layer has none but BatchNorm was not folded into it), or null. */
    @Override
    public float[] bias(int nodeIndex) {
        float[] b = biases[checkIndex(nodeIndex)];
        return b == null ? null : b.clone();
    }

    /**
     * The float range of the int8 tensor that carries node {@code nodeIndex}'s output in the exported model (node 0
     * is the input); see {@link QuantizationChoices} for fused activations, folded BatchNorm and pass-through ops.
     */
    @Override
    public ValueRange outputRange(int nodeIndex) {
        return ranges[checkIndex(nodeIndex)];
    }

    /**
     * The range of the cell state {@code c_t} of the LSTM at node {@code nodeIndex} over every step of the
     * calibration data ({@link Calibrator}; after float training, the training features' first examples) or, after
     * QAT, the moving average tracked in training; null for other nodes, or an LSTM whose range is not known.
     */
    @Override
    public ValueRange cellStateRange(int nodeIndex) {
        return cellStates[checkIndex(nodeIndex)];
    }

    /** The float range of the model input (same as {@code outputRange(0)}). */
    public ValueRange inputRange() {
        return ranges[0];
    }

    /** How the exported model is expected to be quantized (weights, activations, fused tensors). */
    public QuantizationChoices quantization() {
        return quantization;
    }

    /** A copy with other activation ranges (one per node) from {@code source}. */
    TrainedModel withRanges(ValueRange[] newRanges, QuantizationChoices.RangeSource source, double percentile) {
        if (newRanges.length != ranges.length) {
            throw new IllegalArgumentException("expected " + ranges.length + " ranges, got " + newRanges.length);
        }
        return new TrainedModel(spec, weights, weightShapes, biases, newRanges.clone(), cellStates,
                quantization.withRangeSource(source, percentile), provenance);
    }

    /** A copy with other cell-state ranges (one per node, null except at LSTMs). */
    TrainedModel withCellStateRanges(ValueRange[] newCellStates) {
        if (newCellStates.length != cellStates.length) {
            throw new IllegalArgumentException("expected " + cellStates.length + " cell-state ranges, got "
                    + newCellStates.length);
        }
        return new TrainedModel(spec, weights, weightShapes, biases, ranges, newCellStates.clone(), quantization,
                provenance);
    }

    /** The cell-state ranges, one per node (null except at LSTMs). */
    ValueRange[] cellStateRanges() {
        return cellStates.clone();
    }

    /** A copy with {@code newProvenance}. */
    TrainedModel withProvenance(Provenance newProvenance) {
        return new TrainedModel(spec, weights, weightShapes, biases, ranges, cellStates, quantization,
                java.util.Objects.requireNonNull(newProvenance, "provenance"));
    }

    /**
     * Where this model comes from: phase, seed, epochs, data size, Mote version.
     *
     * <pre>{@code
     * TrainedModel m = trainer.train(spec, data);
     * assert m.provenance().phase() == Provenance.Phase.FLOAT;
     * }</pre>
     */
    public Provenance provenance() {
        return provenance;
    }

    /**
     * Writes this model to {@code path}, all or nothing (a file already there is replaced only once the new one is
     * complete): one zip with a properties manifest (format version, provenance, quantization, spec, ranges) and
     * the weights as raw little-endian float32 (see the package documentation). The same model always gives the
     * same bytes. The folder must exist.
     *
     * <pre>{@code
     * TrainedModel qat = trainer.fineTuneQuantized(ptq, data);
     * qat.save(Path.of("models/kws.mote"));
     * }</pre>
     *
     * @throws dev.mote.vocabulary.FileWriteException naming the file if it cannot be written
     */
    public void save(Path path) {
        TrainedModelFile.save(this, java.util.Objects.requireNonNull(path, "path"));
    }

    /**
     * Reads a model written by {@link #save}. The loaded model has an equal spec, the same weights, ranges,
     * quantization choices and provenance, so it exports to the same {@code .tflite} bytes and can be fine-tuned:
     *
     * <pre>{@code
     * TrainedModel ptq = TrainedModel.load(Path.of("models/kws.mote"));
     * byte[] tflite = TfliteExporter.export(ptq.spec(), ptq).bytes();
     * TrainedModel qat = trainer.fineTuneQuantized(ptq, data);
     * }</pre>
     *
     * @throws TrainedModelFileException naming the file and what is wrong if it is missing, not a Mote model file,
     *                                   of another format version, truncated, corrupted or inconsistent
     */
    public static TrainedModel load(Path path) {
        return TrainedModelFile.load(java.util.Objects.requireNonNull(path, "path"));
    }

    private int checkIndex(int nodeIndex) {
        if (nodeIndex < 0 || nodeIndex >= weights.length) {
            throw new IndexOutOfBoundsException("node " + nodeIndex + " not in model " + spec.name()
                    + " with " + weights.length + " nodes");
        }
        return nodeIndex;
    }

    /** Starts a model over {@code spec}: set weights for every node that has them and a range for every node. */
    public static Builder builder(ModelSpec spec) {
        return new Builder(spec);
    }

    /**
     * Assembles a {@link TrainedModel} (the trainer uses it; tests and tools may too). Weights must be given in
     * TFLite layout with the shape the node's layer implies.
     */
    public static final class Builder {
        private final ModelSpec spec;
        private final TensorPlan plan;
        private final float[][] weights;
        private final int[][] weightShapes;
        private final float[][] biases;
        private final ValueRange[] ranges;
        private final ValueRange[] cellStates;
        private QuantizationChoices.RangeSource source = QuantizationChoices.RangeSource.TRAINING_DATA;
        private double percentile = Double.NaN;
        private Provenance provenance = Provenance.assembled();

        private Builder(ModelSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
            this.plan = TensorPlan.of(spec);
            int n = spec.nodes().size();
            weights = new float[n][];
            weightShapes = new int[n][];
            biases = new float[n][];
            ranges = new ValueRange[n];
            cellStates = new ValueRange[n];
        }

        /** Sets node {@code nodeIndex}'s weights (TFLite layout) and bias. */
        public Builder parameters(int nodeIndex, float[] w, float[] b) {
            LayerNode node = spec.node(nodeIndex);
            TfliteLayout.Parameters planned = TfliteLayout.Parameters.of(plan, nodeIndex);
            if (planned == null) {
                throw new IllegalArgumentException(node.name() + " (" + node.layer().getClass().getSimpleName()
                        + ") has no weights");
            }
            int[] shape = planned.weightShape();
            long size = planned.weightCount();
            if (w.length != size) {
                throw new IllegalArgumentException(node.name() + ": expected " + size + " weights "
                        + Arrays.toString(shape) + ", got " + w.length);
            }
            int outputs = planned.biasLength();
            if (b.length != outputs) {
                throw new IllegalArgumentException(node.name() + ": expected " + outputs + " biases, got " + b.length);
            }
            weights[nodeIndex] = w.clone();
            weightShapes[nodeIndex] = shape;
            biases[nodeIndex] = b.clone();
            return this;
        }

        /** Sets node {@code nodeIndex}'s output range. */
        public Builder range(int nodeIndex, ValueRange range) {
            ranges[nodeIndex] = Objects.requireNonNull(range, "range");
            return this;
        }

        /** Sets the cell-state range of the LSTM at node {@code nodeIndex}. */
        public Builder cellStateRange(int nodeIndex, ValueRange range) {
            LayerNode node = spec.node(nodeIndex);
            if (!(node.layer() instanceof LayerSpec.Lstm)) {
                throw new IllegalArgumentException(node.name() + " (" + node.layer().getClass().getSimpleName()
                        + ") is not an LSTM: it has no cell state");
            }
            cellStates[nodeIndex] = Objects.requireNonNull(range, "range");
            return this;
        }

        /** Says where the ranges come from (default TRAINING_DATA). */
        public Builder rangeSource(QuantizationChoices.RangeSource rangeSource, double percentileUsed) {
            this.source = rangeSource;
            this.percentile = percentileUsed;
            return this;
        }

        /**
         * Says where the model comes from (default {@link Provenance#assembled()}).
         *
         * <pre>{@code
         * TrainedModel.builder(spec).provenance(other.provenance()).range(0, r0) ...
         * }</pre>
         */
        public Builder provenance(Provenance modelProvenance) {
            this.provenance = Objects.requireNonNull(modelProvenance, "provenance");
            return this;
        }

        /** Builds; fails if a node with weights has none or a node has no range. */
        public TrainedModel build() {
            for (LayerNode node : spec.nodes()) {
                int i = node.index();
                if (TfliteLayout.Parameters.of(plan, i) != null && weights[i] == null) {
                    throw new IllegalStateException(node.name() + " has no weights");
                }
                if (ranges[i] == null) {
                    throw new IllegalStateException(node.name() + " has no output range");
                }
            }
            return new TrainedModel(spec, weights.clone(), weightShapes.clone(), biases.clone(), ranges.clone(),
                    cellStates.clone(), QuantizationChoices.of(plan, source, percentile), provenance);
        }
    }
}
