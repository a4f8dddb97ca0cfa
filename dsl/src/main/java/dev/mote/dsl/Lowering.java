package dev.mote.dsl;

import dev.mote.vocabulary.BuiltinOperator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How each node of a {@link ModelSpec} becomes TFLite operators in an int8 export: the one set of lowering decisions
 * that both the exporter (which builds tensors and operators from them) and {@link ModelSummary} read. It follows
 * what the TensorFlow Lite converter does with the equivalent Keras model:
 * <ul>
 *   <li>{@link Role#OP}: the node becomes a builtin operator ({@link #op(int)}); flatten and reshape become
 *       RESHAPE, global average pooling MEAN, zero padding PAD, an add (always of two inputs) ADD;</li>
 *   <li>{@link Role#FUSED}: a RELU or RELU6 right after FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D or ADD (with
 *       nothing else reading that operator's output) becomes the operator's fused activation
 *       ({@code FuseActivationFuncWith*} and {@code FuseBinaryWithActivation*} in the converter's optimize
 *       patterns);</li>
 *   <li>{@link Role#FOLDED}: batch normalization is folded into the preceding layer's weights and bias;</li>
 *   <li>{@link Role#ABSORBED}: a flatten whose only reader is a dense layer disappears: FULLY_CONNECTED (with
 *       {@code keep_num_dims} false) flattens its input itself, as in the converter's micro_speech model;</li>
 *   <li>{@link Role#REMOVED}: dropout exists only in training.</li>
 * </ul>
 * Nodes that are not operators carry the tensor of {@link #source(int)}: an operator reads, for each of its inputs
 * {@code p}, the tensor of {@code source(p)}; the model output is the tensor of {@link #output()}.
 *
 * <pre>{@code
 * Lowering lowering = Lowering.of(spec);
 * for (LayerNode node : spec.nodes()) {
 *     if (lowering.role(node.index()) == Lowering.Role.OP) {
 *         BuiltinOperator op = lowering.op(node.index());
 *         ActivationKind fused = lowering.fusedActivation(node.index()); // null: Activation.NONE
 *     }
 * }
 * }</pre>
 */
public final class Lowering {

    /** What becomes of a node in the exported model. */
    public enum Role {
        /** The model input tensor. */
        INPUT,
        /** One builtin operator. */
        OP,
        /** An activation fused into the operator of {@link #into(int)}. */
        FUSED,
        /** Batch normalization folded into the weights and bias of {@link #into(int)}. */
        FOLDED,
        /** A flatten absorbed by the FULLY_CONNECTED of {@link #into(int)}, which flattens its input itself. */
        ABSORBED,
        /** Dropout, dropped at export. */
        REMOVED
    }

    /** The builtin operators TFLM provides int8 kernels for, among those the DSL can emit. */
    static final Set<BuiltinOperator> TFLM_INT8 = Collections.unmodifiableSet(EnumSet.of(
            BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D,
            BuiltinOperator.MAX_POOL_2D, BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MEAN,
            BuiltinOperator.RESHAPE, BuiltinOperator.PAD, BuiltinOperator.ADD, BuiltinOperator.CONCATENATION,
            BuiltinOperator.RELU, BuiltinOperator.RELU6, BuiltinOperator.TANH, BuiltinOperator.LOGISTIC,
            BuiltinOperator.SOFTMAX, BuiltinOperator.LEAKY_RELU, BuiltinOperator.HARD_SWISH,
            BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, BuiltinOperator.STRIDED_SLICE,
            BuiltinOperator.TRANSPOSE_CONV));

    private final int[][] inputs;
    private final Role[] roles;
    private final BuiltinOperator[] ops;
    private final ActivationKind[] fused;
    private final int[] into;
    private final int[] source;

    private Lowering(int[][] inputs) {
        int n = inputs.length;
        this.inputs = inputs;
        roles = new Role[n];
        ops = new BuiltinOperator[n];
        fused = new ActivationKind[n];
        into = new int[n];
        source = new int[n];
    }

    /**
     * The lowering of a spec. Specs built by {@link MicroModel} always lower; a spec assembled by hand is checked for
     * what lowering needs (wiring, and batch norms that can be folded).
     *
     * @throws InvalidModelSpecException naming the node whose wiring is broken or whose batch norm cannot be folded
     */
    public static Lowering of(ModelSpec spec) {
        LoweringPreconditions.check(spec);
        List<LayerNode> nodes = spec.nodes();
        int n = nodes.size();
        int[][] inputs = new int[n][];
        for (int i = 0; i < n; i++) {
            inputs[i] = nodes.get(i).inputs();
        }
        Readers readers = new Readers(inputs);
        Lowering l = new Lowering(inputs);
        for (int i = 0; i < n; i++) {
            LayerSpec layer = nodes.get(i).layer();
            l.into[i] = -1;
            l.source[i] = i;
            if (layer instanceof LayerSpec.Input) {
                l.roles[i] = Role.INPUT;
            } else if (layer instanceof LayerSpec.Dropout) {
                l.carry(i, Role.REMOVED, -1);
            } else if (layer instanceof LayerSpec.BatchNorm) {
                l.carry(i, Role.FOLDED, LoweringPreconditions.foldTarget(spec, readers, i));
            } else if (layer instanceof LayerSpec.Flatten && absorber(nodes, readers, i) >= 0) {
                l.carry(i, Role.ABSORBED, absorber(nodes, readers, i));
            } else if (layer instanceof LayerSpec.Activation a && l.fusionTarget(readers, i, a.kind()) >= 0) {
                int target = l.fusionTarget(readers, i, a.kind());
                l.roles[i] = Role.FUSED;
                l.into[i] = target;
                l.source[i] = target;
                l.fused[target] = a.kind();
            } else {
                l.roles[i] = Role.OP;
                l.ops[i] = opOf(layer);
            }
        }
        return l;
    }

    /** Node {@code i} writes no tensor of its own: it carries the tensor its input carries. */
    private void carry(int i, Role role, int target) {
        roles[i] = role;
        into[i] = target;
        source[i] = source[inputs[i][0]];
    }

    /** The builtin a layer becomes when it is an operator of its own ({@code null} for input, dropout, batch norm). */
    static BuiltinOperator opOf(LayerSpec layer) {
        if (layer instanceof LayerSpec.Dense) {
            return BuiltinOperator.FULLY_CONNECTED;
        } else if (SequenceImage.isOneDimensional(layer)) {
            return opOf(SequenceImage.equivalent2d(layer));
        } else if (layer instanceof LayerSpec.Lstm) {
            return BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM;
        } else if (layer instanceof LayerSpec.LastStep) {
            return BuiltinOperator.STRIDED_SLICE;
        } else if (layer instanceof LayerSpec.Conv2D) {
            return BuiltinOperator.CONV_2D;
        } else if (layer instanceof LayerSpec.Conv2DTranspose) {
            return BuiltinOperator.TRANSPOSE_CONV;
        } else if (layer instanceof LayerSpec.DepthwiseConv2D) {
            return BuiltinOperator.DEPTHWISE_CONV_2D;
        } else if (layer instanceof LayerSpec.MaxPool2D) {
            return BuiltinOperator.MAX_POOL_2D;
        } else if (layer instanceof LayerSpec.AvgPool2D) {
            return BuiltinOperator.AVERAGE_POOL_2D;
        } else if (layer instanceof LayerSpec.GlobalAvgPool2D) {
            return BuiltinOperator.MEAN;
        } else if (layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Reshape) {
            return BuiltinOperator.RESHAPE;
        } else if (layer instanceof LayerSpec.ZeroPad2D) {
            return BuiltinOperator.PAD;
        } else if (layer instanceof LayerSpec.Add) {
            return BuiltinOperator.ADD;
        } else if (layer instanceof LayerSpec.Concatenate) {
            return BuiltinOperator.CONCATENATION;
        } else if (layer instanceof LayerSpec.Activation a) {
            return a.kind() == null ? null : a.kind().op();
        }
        return null;
    }

    private static boolean fusable(ActivationKind kind) {
        // TFLite's fused activation field knows RELU, RELU_N1_TO_1, RELU6 (TANH and SIGN_BIT are not honoured by
        // TFLM's quantized kernels), so only these two are fused.
        return kind == ActivationKind.RELU || kind == ActivationKind.RELU6;
    }

    private static boolean fusesActivations(BuiltinOperator op) {
        return op == BuiltinOperator.FULLY_CONNECTED || op == BuiltinOperator.CONV_2D
                || op == BuiltinOperator.DEPTHWISE_CONV_2D || op == BuiltinOperator.ADD;
    }

    /** The OP node an activation at {@code i} fuses into, walking back through folded / removed nodes, or -1. */
    private int fusionTarget(Readers readers, int i, ActivationKind kind) {
        if (!fusable(kind)) {
            return -1;
        }
        int p = inputs[i][0];
        while (roles[p] == Role.FOLDED || roles[p] == Role.REMOVED) {
            if (readers.count(p) != 1) {
                return -1;
            }
            p = inputs[p][0];
        }
        if (roles[p] != Role.OP || readers.count(p) != 1 || fused[p] != null || !fusesActivations(ops[p])) {
            return -1;
        }
        return p;
    }

    /**
     * The dense node that absorbs the flatten at {@code i}: its only reader, possibly through dropouts that nothing
     * else reads; -1 if the flatten's value reaches anything else (another layer, or the model output).
     */
    private static int absorber(List<LayerNode> nodes, Readers readers, int i) {
        int c = i;
        do {
            c = readers.only(c);
            if (c < 0) {
                return -1;
            }
        } while (nodes.get(c).layer() instanceof LayerSpec.Dropout);
        return nodes.get(c).layer() instanceof LayerSpec.Dense ? c : -1;
    }

    /** How many layers read each node (each input slot counts), without the model output. */
    static int[] consumerCounts(int[][] inputs) {
        int[] counts = new int[inputs.length];
        for (int[] in : inputs) {
            for (int p : in) {
                if (p >= 0 && p < counts.length) {
                    counts[p]++;
                }
            }
        }
        return counts;
    }

    /** What node {@code node} becomes. */
    public Role role(int node) {
        return roles[node];
    }

    /** The operator of an {@link Role#OP} node, {@code null} for other roles. */
    public BuiltinOperator op(int node) {
        return ops[node];
    }

    /**
     * The activation fused into the operator of {@code node}, or {@code null} (no fused activation).
     */
    public ActivationKind fusedActivation(int node) {
        return fused[node];
    }

    /**
     * The node that takes in node {@code node}: the operator a FUSED activation or FOLDED batch norm goes into, the
     * dense layer that ABSORBED a flatten; -1 for the other roles.
     */
    public int into(int node) {
        return into[node];
    }

    /**
     * The node whose tensor carries node {@code node}'s value in the export: itself for the input and operators, the
     * fused operator for a fused activation, the carrier of the input for folded, absorbed and removed nodes.
     */
    public int source(int node) {
        return source[node];
    }

    /** The node whose tensor is the model output: {@code source(last node)}. */
    public int output() {
        return source[source.length - 1];
    }

    /** The operators in execution order. */
    public List<BuiltinOperator> ops() {
        List<BuiltinOperator> out = new ArrayList<>();
        for (int i = 0; i < ops.length; i++) {
            if (ops[i] != null) {
                out.add(ops[i]);
            }
        }
        return out;
    }

    /** Who reads each node: layers (each input slot counts) and the model output (which reads the last node). */
    static final class Readers {
        private final int[] counts;
        private final int[] first;

        Readers(int[][] inputs) {
            int n = inputs.length;
            counts = consumerCounts(inputs);
            counts[n - 1]++;
            first = new int[n];
            java.util.Arrays.fill(first, -1);
            for (int j = n - 1; j >= 0; j--) {
                for (int p : inputs[j]) {
                    first[p] = j;
                }
            }
        }

        int count(int node) {
            return counts[node];
        }

        /** The only layer reading {@code node}, or -1 (several readers, or the model output reads it). */
        int only(int node) {
            return counts[node] == 1 ? first[node] : -1;
        }
    }
}
