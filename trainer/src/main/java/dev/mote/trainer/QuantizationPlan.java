package dev.mote.trainer;

import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.Lowering;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;

/**
 * Which values of a {@link ModelSpec} become int8 tensors in the exported model, from the exporter's
 * {@link Lowering}: every INPUT/OP node has a tensor; a fused activation, a folded BatchNorm and a removed
 * Dropout are carried by the tensor of {@link Lowering#source(int)}, whose final value is the value of the last
 * node it carries. Pass-through ops (reshape, pooling, padding) keep their input's quantization, and TFLite fixes
 * the ranges of softmax, logistic and tanh outputs. Used by calibration (range rules) and QAT (where the
 * fake-quant goes).
 */
final class QuantizationPlan {

    /** Softmax / logistic output: scale 1/256, zero point -128. */
    static final ValueRange UNIT_RANGE = new ValueRange(0f, 255f / 256f);
    /** Tanh output: scale 1/128, zero point 0. */
    static final ValueRange TANH_RANGE = new ValueRange(-1f, 127f / 128f);

    private final ModelSpec spec;
    private final Lowering lowering;
    /** The node whose tensor carries node i's value. */
    private final int[] carrier;
    /** For a carrier node, the last node it carries (whose value the tensor holds); -1 otherwise. */
    private final int[] finalNode;

    private QuantizationPlan(ModelSpec spec, Lowering lowering, int[] carrier, int[] finalNode) {
        this.spec = spec;
        this.lowering = lowering;
        this.carrier = carrier;
        this.finalNode = finalNode;
    }

    static QuantizationPlan of(ModelSpec spec) {
        Lowering lowering = Lowering.of(spec);
        int n = spec.nodes().size();
        int[] carrier = new int[n];
        int[] finalNode = new int[n];
        java.util.Arrays.fill(finalNode, -1);
        for (int i = 0; i < n; i++) {
            carrier[i] = lowering.source(i);
            finalNode[carrier[i]] = i;
        }
        return new QuantizationPlan(spec, lowering, carrier, finalNode);
    }

    /**
     * Nodes whose output keeps the input's scale and zero point (the exporter's SAME_AS_INPUT: RESHAPE, MAX_POOL_2D,
     * AVERAGE_POOL_2D, MEAN, PAD; Dropout is removed).
     */
    static boolean isPassThrough(LayerSpec layer) {
        return layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Reshape
                || layer instanceof LayerSpec.Dropout || layer instanceof LayerSpec.MaxPool2D
                || layer instanceof LayerSpec.AvgPool2D || layer instanceof LayerSpec.ZeroPad2D
                || layer instanceof LayerSpec.GlobalAvgPool2D;
    }

    /** The fixed output range TFLite imposes on node {@code i}'s value, or null. */
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

    /**
     * True if node {@code i} is a pass-through op that still rounds to its input's grid (average pooling, MEAN):
     * the QAT network fake-quantizes it with its input's range.
     */
    boolean roundsToInputGrid(int i) {
        LayerSpec layer = spec.node(i).layer();
        return layer instanceof LayerSpec.AvgPool2D || layer instanceof LayerSpec.GlobalAvgPool2D;
    }

    /** True if node {@code i} has an int8 tensor of its own in the exported model (input and operators). */
    boolean isInt8Tensor(int i) {
        Lowering.Role role = lowering.role(i);
        return role == Lowering.Role.INPUT || role == Lowering.Role.OP;
    }

    /** For a carrier node, the last node it carries (whose value its tensor holds); -1 for other nodes. */
    int finalNode(int c) {
        return finalNode[c];
    }

    /** The node whose tensor carries node {@code i}'s value in the export. */
    int carrier(int i) {
        return carrier[i];
    }

    /**
     * True if the QAT network fake-quantizes node {@code i}'s output: {@code i} computes the final value of a
     * tensor that requantizes (not a pass-through op, whose values are already on its input's grid).
     */
    boolean fakeQuantizes(int i) {
        int c = carrier[i];
        return finalNode[c] == i && isInt8Tensor(c) && !isPassThrough(spec.node(c).layer());
    }

    /**
     * Turns observed ranges (one per node, of that node's own output; null if not observed) into the ranges of
     * the tensors that carry each node's value: the carrier's final value (or TFLite's fixed range), the input's
     * range for pass-through ops, one shared range for a concatenation and its inputs. Every range contains 0.
     */
    ValueRange[] applyRules(ValueRange[] observed) {
        int n = observed.length;
        ValueRange[] tensor = new ValueRange[n];
        for (int c = 0; c < n; c++) {
            if (finalNode[c] < 0) {
                continue;
            }
            int last = finalNode[c];
            ValueRange fixed = fixedRange(last);
            if (fixed != null) {
                tensor[c] = fixed;
            } else if (c > 0 && isPassThrough(spec.node(c).layer())) {
                tensor[c] = tensor[carrier[spec.node(c).input()]];
            } else {
                tensor[c] = withZero(observed[last]);
            }
        }
        for (int c = 0; c < n; c++) {
            if (finalNode[c] >= 0 && spec.node(c).layer() instanceof LayerSpec.Concatenate) {
                ValueRange union = tensor[c];
                for (int in : spec.node(c).inputs()) {
                    union = union(union, tensor[carrier[in]]);
                }
                tensor[c] = union;
                for (int in : spec.node(c).inputs()) {
                    tensor[carrier[in]] = union;
                }
            }
        }
        ValueRange[] result = new ValueRange[n];
        for (int i = 0; i < n; i++) {
            result[i] = tensor[carrier[i]];
        }
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
}
