package dev.mote.trainer;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerNode;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;

import java.util.ArrayList;
import java.util.List;

/**
 * Which tensors of a {@link ModelSpec} become int8 tensors in the exported model, mirroring the exporter's
 * lowering: activation fusion, BatchNorm folding, pass-through ops that keep their input's quantization, and
 * the fixed output ranges TFLite imposes. Used by calibration (range rules) and QAT (where fake-quant goes).
 */
final class QuantizationPlan {

    /** Softmax / logistic output: scale 1/256, zero point -128. */
    static final ValueRange UNIT_RANGE = new ValueRange(0f, 255f / 256f);
    /** Tanh output: scale 1/128, zero point 0. */
    static final ValueRange TANH_RANGE = new ValueRange(-1f, 127f / 128f);

    private final ModelSpec spec;
    private final boolean[] int8Tensor;
    private final int[] rangeSourceNode;

    private QuantizationPlan(ModelSpec spec, boolean[] int8Tensor, int[] rangeSourceNode) {
        this.spec = spec;
        this.int8Tensor = int8Tensor;
        this.rangeSourceNode = rangeSourceNode;
    }

    static QuantizationPlan of(ModelSpec spec) {
        int n = spec.nodes().size();
        List<List<Integer>> consumers = consumers(spec);
        boolean[] int8 = new boolean[n];
        int[] source = new int[n];
        for (int i = 0; i < n; i++) {
            LayerNode node = spec.node(i);
            source[i] = i;
            if (isPassThrough(node.layer())) {
                source[i] = source[node.input()];
                int8[i] = false; // shares its input's tensor quantization
                continue;
            }
            int8[i] = true;
            List<Integer> next = consumers.get(i);
            boolean fusableProducer = QuantizationChoices.isLinear(node) || node.layer() instanceof LayerSpec.Add
                    || (node.layer() instanceof LayerSpec.BatchNorm && i > 0
                        && QuantizationChoices.isLinear(spec.node(node.input())));
            if (fusableProducer && next.size() == 1) {
                LayerSpec consumer = spec.node(next.get(0)).layer();
                if (consumer instanceof LayerSpec.Activation a
                        && (a.kind() == ActivationKind.RELU || a.kind() == ActivationKind.RELU6)) {
                    int8[i] = false;
                }
                if (consumer instanceof LayerSpec.BatchNorm && QuantizationChoices.isLinear(node)) {
                    int8[i] = false;
                }
            }
        }
        // A linear node folded with its BatchNorm takes the BatchNorm's range.
        for (int i = 1; i < n; i++) {
            LayerNode node = spec.node(i);
            if (node.layer() instanceof LayerSpec.BatchNorm && QuantizationChoices.isLinear(spec.node(node.input()))
                    && consumers.get(node.input()).size() == 1) {
                source[node.input()] = i;
            }
        }
        return new QuantizationPlan(spec, int8, source);
    }

    /** Nodes that do not requantize: their output keeps the input's scale and zero point. */
    static boolean isPassThrough(LayerSpec layer) {
        return layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Reshape
                || layer instanceof LayerSpec.Dropout || layer instanceof LayerSpec.MaxPool2D
                || layer instanceof LayerSpec.AvgPool2D || layer instanceof LayerSpec.ZeroPad2D;
    }

    /** The fixed output range TFLite imposes on node {@code i}, or null. */
    ValueRange fixedRange(int i) {
        if (spec.node(i).layer() instanceof LayerSpec.Activation a) {
            return switch (a.kind()) {
                case SOFTMAX, SIGMOID -> UNIT_RANGE;
                case TANH -> TANH_RANGE;
                default -> null;
            };
        }
        return null;
    }

    /** True if node {@code i}'s output is an int8 tensor of its own in the exported model. */
    boolean isInt8Tensor(int i) {
        return int8Tensor[i];
    }

    /** True if the QAT network fake-quantizes node {@code i}'s output (its own int8 tensor). */
    boolean fakeQuantizes(int i) {
        return int8Tensor[i];
    }

    /**
     * Applies the range rules to observed ranges (one per node, may be null for nodes not observed): fixed ranges,
     * pass-through nodes share their input's range, a linear node folded with a BatchNorm takes its range, a
     * concatenation and its inputs share the union of their ranges. Every range is widened to contain 0.
     */
    ValueRange[] applyRules(ValueRange[] observed) {
        int n = observed.length;
        ValueRange[] out = new ValueRange[n];
        for (int i = 0; i < n; i++) {
            ValueRange fixed = fixedRange(i);
            out[i] = fixed != null ? fixed : withZero(observed[i]);
        }
        for (int i = 0; i < n; i++) {
            if (spec.node(i).layer() instanceof LayerSpec.Concatenate) {
                ValueRange union = out[i];
                for (int in : spec.node(i).inputs()) {
                    union = union(union, out[in]);
                }
                out[i] = union;
                for (int in : spec.node(i).inputs()) {
                    out[in] = union;
                }
            }
        }
        ValueRange[] result = new ValueRange[n];
        for (int i = 0; i < n; i++) {
            result[i] = out[rangeSourceNode[i]];
        }
        // pass-through chains resolve to their source in topological order already
        return result;
    }

    static ValueRange withZero(ValueRange r) {
        if (r == null) {
            return new ValueRange(0f, 0f);
        }
        return new ValueRange(Math.min(0f, r.min()), Math.max(0f, r.max()));
    }

    static ValueRange union(ValueRange a, ValueRange b) {
        return new ValueRange(Math.min(a.min(), b.min()), Math.max(a.max(), b.max()));
    }

    static List<List<Integer>> consumers(ModelSpec spec) {
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < spec.nodes().size(); i++) {
            consumers.add(new ArrayList<>());
        }
        for (LayerNode node : spec.nodes()) {
            for (int in : node.inputs()) {
                consumers.get(in).add(node.index());
            }
        }
        return consumers;
    }
}
